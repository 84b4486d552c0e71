/* «Шаблон ответа» in the appeal dialogs (admin_site/forms/appeals.py AnswerTemplateMixin): «Вставить» asks the
   cabinet for the chosen template filled for this appeal and puts it into the text area (appended after a blank
   line if something is typed already), and notes the template in the hidden field so the use is counted when the
   form is sent. «Вставить в ответ» of «Похожие обращения» in the answer dialog puts a similar appeal's answer into
   the text the same way; nothing is sent until the person sends the form. A file of its own: the Content Security
   Policy allows no inline scripts. */
(function () {
  "use strict";
  if (window.zkAnswerTemplates) return; // the form include may load it twice on one page
  window.zkAnswerTemplates = true;

  // appended after a blank line when something is typed already (static/forms/keep-typed.js, on every cabinet page)
  var put = window.zkTyped.put;

  function insertSimilar(button) {
    var form = button.closest("form");
    var area = form && form.querySelector('[name="' + button.dataset.target + '"]');
    if (!area) return;
    put(area, button.dataset.text);
    var note = form.querySelector("[data-similar-note]");
    if (note) note.textContent = button.dataset.done;
  }

  function insert(button) {
    var form = button.form;
    var select = form && form.querySelector("[data-answer-template-select]");
    var note = form && form.querySelector("[data-answer-template-note]");
    if (!select || !select.value) {
      if (note) note.textContent = button.dataset.choose;
      return;
    }
    var area = form.querySelector('[name="' + select.dataset.target + '"]');
    var url = select.dataset.url + "?template=" + encodeURIComponent(select.value);
    button.disabled = true;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        put(area, data.text);
        form.querySelector("[data-answer-template-used]").value = data.id;
        if (note) note.textContent = data.note || "";
      })
      .catch(function () {
        if (note) note.textContent = button.dataset.failed;
      })
      .then(function () {
        button.disabled = false;
      });
  }

  // The card's comment box gets its options after the page, so the card costs no query more.
  function load(select) {
    if (select.dataset.loaded) return;
    select.dataset.loaded = "1";
    fetch(select.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : { templates: [] };
      })
      .then(function (data) {
        data.templates.forEach(function (template) {
          select.add(new Option(template.title, template.id));
        });
      });
  }

  function loadAll() {
    document.querySelectorAll("[data-answer-template-select][data-load]").forEach(load);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", loadAll);
  else loadAll();

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-answer-template-insert]") : null;
    if (button) {
      event.preventDefault();
      insert(button);
    }
    var similar = event.target.closest ? event.target.closest("[data-similar-insert]") : null;
    if (similar) {
      event.preventDefault();
      insertSimilar(similar);
    }
  });
})();
