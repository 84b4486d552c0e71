// A read-only field marked data-select-on-click selects its whole text on click (the calendar's feed address),
// so it can be copied at once. In a file of its own: the Content Security Policy allows no inline handlers.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var field = event.target.closest ? event.target.closest("[data-select-on-click]") : null;
    if (field && typeof field.select === "function") field.select();
  });
})();
