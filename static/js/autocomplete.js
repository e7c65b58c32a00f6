// Suggestions for search boxes that carry data-autocomplete (the API URL). Without JavaScript
// the box is a plain form field; with it, a native <datalist> offers titles, activity types
// and municipalities, which browsers expose to keyboards and screen readers.
(function () {
    "use strict";
    document.querySelectorAll("input[data-autocomplete]").forEach(function (input) {
        var list = document.getElementById(input.getAttribute("list"));
        if (!list) { return; }
        var timer = null;
        var controller = null;
        input.addEventListener("input", function () {
            window.clearTimeout(timer);
            var query = input.value.trim();
            if (query.length < 2) { list.replaceChildren(); return; }
            timer = window.setTimeout(function () {
                if (controller) { controller.abort(); }
                controller = new AbortController();
                var url = input.dataset.autocomplete + "?" + new URLSearchParams({ q: query, lang: input.dataset.lang || "sv" });
                fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
                    .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
                    .then(function (data) {
                        list.replaceChildren.apply(list, data.suggestions.map(function (item) {
                            var option = document.createElement("option");
                            option.value = item.label;
                            return option;
                        }));
                    })
                    .catch(function () { /* a failed suggestion is not worth a message */ });
            }, 150);
        });
    });
})();
