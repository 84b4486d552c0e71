/* «Возможно, ответ уже есть» on «Создать обращение» (core.portal.faq.FaqSuggestionsView): while the investor types
   the subject and the description, asks the portal — a second after the typing stops, for a text of ten characters
   or more, cut to 1000 — for up to three similar published FAQ answers and shows them under the description.
   Filing never waits for it: a failed or slow answer just leaves the box hidden; without this script the form works
   the same. A file of its own: the Content Security Policy allows no inline scripts. */
(function () {
  "use strict";
  var box = document.querySelector("[data-faq-suggestions]");
  var form = box && box.closest("form");
  if (!form || !window.fetch) return;

  var MIN = 10;
  var MAX = 1000;
  var WAIT = 800;
  var fields = [form.elements.subject, form.elements.description].filter(Boolean);
  var timer = null;
  var asked = "";
  var controller = null;

  function text() {
    return fields.map(function (field) { return field.value; }).join(" ").replace(/\s+/g, " ").trim().slice(0, MAX);
  }

  function show(html) {
    box.innerHTML = html;
    box.hidden = !html.trim();
  }

  function ask() {
    var value = text();
    if (value === asked) return;
    asked = value;
    if (controller) controller.abort();
    if (value.length < MIN) {
      show("");
      return;
    }
    controller = window.AbortController ? new AbortController() : null;
    fetch(box.dataset.url + "?text=" + encodeURIComponent(value), {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response.ok && !response.redirected ? response.text() : "";
      })
      .then(show)
      .catch(function () { /* aborted or offline: the form goes on without suggestions */ });
  }

  fields.forEach(function (field) {
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, WAIT);
    });
  });
  if (text().length >= MIN) ask(); // the form shown again after an error keeps what was typed
})();
