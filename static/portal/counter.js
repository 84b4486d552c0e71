/* The character counter of a textarea with a length limit (core/forms.py LimitedTextField), on both faces:
   «1 234 из 20 000 — осталось 18 766». The wording comes translated from the server (data-counter); the classes
   of each face come in data-counter-class. Without this script the hint «До 20 000 символов.» stays. */
(function () {
  "use strict";
  if (window.zkCounter) return; // the cabinet's form include may load it twice on one page
  window.zkCounter = true;

  function number(value) {
    return value.toLocaleString("ru-RU");
  }

  function attach(area) {
    var limit = parseInt(area.getAttribute("maxlength"), 10);
    if (!limit || area.dataset.counterAttached) return;
    area.dataset.counterAttached = "1";
    var out = document.createElement("p");
    out.className = "text-counter " + (area.dataset.counterClass || "");
    out.setAttribute("aria-live", "polite");
    if (area.id) out.id = area.id + "_counter";
    area.insertAdjacentElement("afterend", out);
    function update() {
      var used = area.value.length; // a line break counts once here, as the browser's maxlength and the server count it
      out.textContent = area.dataset.counter
        .replace("{used}", number(used))
        .replace("{limit}", number(limit))
        .replace("{left}", number(Math.max(limit - used, 0)));
    }
    area.addEventListener("input", update);
    update();
  }

  function scan(root) {
    (root || document).querySelectorAll("textarea[data-counter][maxlength]").forEach(attach);
  }

  scan();
  // the cabinet opens action dialogs after the page has loaded: count in those too
  new MutationObserver(function () { scan(); }).observe(document.body, { childList: true, subtree: true });
})();
