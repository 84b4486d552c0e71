/* «Составить черновик» (admin_site/views/drafts.py, core.services.drafts): the answer dialog's button asks the
   cabinet for a language model draft, polls its state every two seconds and, once it is written, puts the text
   (it starts with the «Черновик, подготовлен автоматически…» line) into the answer — appended after a blank line if
   something is typed already. Nothing is sent: the person edits the text and sends the form themselves. On the
   project's «Черновик справки» page the same polling reloads the page when the draft is ready. A file of its own:
   the Content Security Policy allows no inline scripts. */
(function () {
  "use strict";
  if (window.zkDrafts) return; // the form include may load it twice on one page
  window.zkDrafts = true;

  var EVERY_MS = 2000;
  var GIVE_UP_MS = 10 * 60 * 1000;

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    });
  }

  function poll(url, started, finished) {
    getJson(url)
      .then(function (data) {
        if (data.status === "done" || data.status === "failed") finished(data);
        else if (Date.now() - started > GIVE_UP_MS) finished({ status: "failed" });
        else window.setTimeout(function () { poll(url, started, finished); }, EVERY_MS);
      })
      .catch(function () { finished({ status: "failed" }); });
  }

  function start(button) {
    var form = button.form;
    var note = form && form.querySelector("[data-draft-note]");
    var area = form && form.querySelector('[name="' + button.dataset.target + '"]');
    var token = form && form.querySelector("[name=csrfmiddlewaretoken]");
    if (!area || !token) return;
    button.disabled = true;
    if (note) note.textContent = button.dataset.waiting;
    fetch(button.dataset.url, {
      method: "POST", credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token.value },
    })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) {
          if (!r.ok || !data.url) throw { refusal: data.error || "" }; // the cabinet's Russian reason, if any
          return data;
        });
      })
      .then(function (job) {
        poll(job.url, Date.now(), function (data) {
          button.disabled = false;
          if (data.status === "done") {
            window.zkTyped.put(area, data.text); // after a blank line if something is typed (forms/keep-typed.js)
            if (note) note.textContent = button.dataset.done;
          } else if (note) {
            note.textContent = data.error || button.dataset.failed;
          }
        });
      })
      .catch(function (error) {
        button.disabled = false;
        if (note) note.textContent = (error && error.refusal) || button.dataset.failed;
      });
  }

  function watch() {
    document.querySelectorAll("[data-draft-poll]").forEach(function (element) {
      poll(element.dataset.url, Date.now(), function () { window.location.reload(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-draft-start]") : null;
    if (button) {
      event.preventDefault();
      start(button);
    }
  });
})();
