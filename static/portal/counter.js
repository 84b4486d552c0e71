/* The character counter of a textarea with a length limit (core/forms.py LimitedTextField), on both faces:
   «1 234 из 20 000 — осталось 18 766»; past the limit «20 150 из 20 000 — лишних 150: …», marked, the text kept. The wording comes translated from the server (data-counter); the classes
   of each face come in data-counter-class. Without this script the hint «До 20 000 символов.» stays. */
(function () {
  "use strict";
  if (window.zkCounter) return; // the cabinet's form include may load it twice on one page
  window.zkCounter = true;

  function number(value) {
    return value.toLocaleString("ru-RU");
  }

  function attach(area) {
    // the limit is data-maxlength, not maxlength: the browser's maxlength cut a pasted text without a word
    var limit = parseInt(area.dataset.maxlength || area.getAttribute("maxlength"), 10);
    if (!limit || area.dataset.counterAttached) return;
    area.dataset.counterAttached = "1";
    var out = document.createElement("p");
    out.className = "text-counter " + (area.dataset.counterClass || "");
    out.setAttribute("aria-live", "polite");
    if (area.id) out.id = area.id + "_counter";
    area.insertAdjacentElement("afterend", out);
    var marked = false;
    function update() {
      var used = area.value.length; // a line break counts once here, as the server counts it
      var over = used > limit;
      out.textContent = (over && area.dataset.counterOver ? area.dataset.counterOver : area.dataset.counter)
        .replace("{used}", number(used))
        .replace("{limit}", number(limit))
        .replace("{left}", number(Math.max(limit - used, 0)))
        .replace("{over}", number(Math.max(used - limit, 0)));
      out.classList.toggle("is-over", over);
      if (over) {
        area.setAttribute("aria-invalid", "true");
        marked = true;
      } else if (marked) { // only the mark this script set: a server's error on the field stays
        area.removeAttribute("aria-invalid");
        marked = false;
      }
    }
    area.addEventListener("input", update);
    update();
  }

  function scan(root) {
    (root || document).querySelectorAll("textarea[data-counter][data-maxlength], textarea[data-counter][maxlength]")
      .forEach(attach);
  }

  scan();
  // the cabinet opens action dialogs after the page has loaded: count in those too
  new MutationObserver(function () { scan(); }).observe(document.body, { childList: true, subtree: true });
})();
