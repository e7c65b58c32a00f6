// The search page: say the number of results once, through the live region, when the reader
// has just changed the search on this page (a new query, a filter, the sort). On any other
// page load the heading says it and a screen reader reads it in the page; announcing it again
// would repeat it.
(function () {
    "use strict";
    var status = document.querySelector("[data-results-status]");
    var heading = document.getElementById("results-heading");
    if (!status || !heading || !document.referrer) {
        return;
    }
    var from;
    try {
        from = new URL(document.referrer);
    } catch (error) {
        return;
    }
    if (from.origin !== location.origin || from.pathname !== location.pathname ||
            from.search === location.search) {
        return;
    }
    // After a pause, so that assistive technology has picked up the new page first.
    window.setTimeout(function () {
        status.textContent = heading.textContent.replace(/\s+/g, " ").trim();
    }, 600);
}());
