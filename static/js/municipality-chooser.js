// The municipality chooser in the page editor: a search box narrows the list of checkboxes to
// the names that match; chosen municipalities stay in view; the count is announced.
(function () {
  "use strict";

  // "vaxjo" finds Växjö: letters compared without their accents.
  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setUp(chooser) {
    if (chooser.dataset.ready) return;
    chooser.dataset.ready = "1";
    var search = chooser.querySelector("[data-municipality-search]");
    var status = chooser.querySelector("[data-municipality-status]");
    var items = Array.prototype.slice.call(chooser.querySelectorAll("li[data-name]"));
    search.hidden = false;

    function update() {
      var query = plain(search.value.trim());
      var shown = 0;
      var chosen = 0;
      items.forEach(function (item) {
        var box = item.querySelector("input");
        var match = !query || plain(item.dataset.name).indexOf(query) !== -1;
        if (box.checked) chosen += 1;
        item.hidden = !(match || box.checked);
        if (!item.hidden) shown += 1;
      });
      status.textContent = (chooser.dataset.statusText || "")
        .replace("{shown}", shown)
        .replace("{chosen}", chosen);
    }

    search.addEventListener("input", update);
    chooser.addEventListener("change", update);
    // Enter in the search box must not submit the page form.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    update();
  }

  function setUpAll() {
    document.querySelectorAll("[data-municipality-chooser]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
