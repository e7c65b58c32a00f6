// A cached page keeps the day it was rendered; the print header says the day it is printed.
(function () {
    "use strict";
    function today() {
        var now = new Date();
        var pad = function (n) { return String(n).padStart(2, "0"); };
        return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    }
    function update() {
        var time = document.querySelector("[data-printed-on]");
        if (!time || time.getAttribute("datetime") === today()) {
            return;
        }
        time.setAttribute("datetime", today());
        try {
            time.textContent = new Date().toLocaleDateString(document.documentElement.lang, {
                year: "numeric", month: "long", day: "numeric"
            });
        } catch (error) {
            time.textContent = today();
        }
    }
    update();
    window.addEventListener("beforeprint", update);
}());
