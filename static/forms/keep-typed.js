/* Typed text is not lost by a slip (docs/architecture.md «Typed text in the browser»). Forms marked
   `data-keep-typed` — the cabinet's dialogs and comment boxes, the portal's forms — count as typed in once a text
   field, a text area or a file field differs from what the page brought (text put in by «Вставить» counts too;
   pickers and check boxes do not), or while it holds a file received already (a ticked `data-held-file` box of a
   form shown again with an error: the server keeps the file for this form only).
   - Leaving the page while such a form holds typed text and is not being sent asks the browser's «Leave the page?».
   - The cabinet's dialogs (unfold's modal, loaded into #modal-content by htmx) only hide when closed (Esc, «Отмена», a
     click outside). Opening the same dialog again shows it as it was instead of loading it afresh; «Вставить в ответ»
     of «Похожие обращения» on the card then adds the answer to the typed text. Opening another dialog over typed text
     asks first, with the text of the form's data-keep-typed.
   - Typing into such a form keeps the session alive (below).
   Loaded on every cabinet page (UNFOLD["SCRIPTS"]) and by the portal's base template. A file of its own: the Content
   Security Policy allows no inline scripts. */
(function () {
  "use strict";
  if (window.zkTyped) return;

  var TEXT_TYPES = ["text", "email", "tel", "url", "number", "search", "date", "datetime-local", "time"];
  var sending = new WeakSet();

  function typedIn(form) {
    return Array.prototype.some.call(form.elements, function (field) {
      if (field.disabled || !field.name) return false;
      if (field.type === "file") return field.files !== null && field.files.length > 0;
      if (field.hasAttribute("data-held-file")) return field.checked; // a file received already (see the header)
      if (field.tagName === "TEXTAREA" || TEXT_TYPES.indexOf(field.type) !== -1) {
        return field.value !== field.defaultValue;
      }
      return false;
    });
  }

  // appended after a blank line when something is typed already; the counter and the like hear an input
  function put(area, text) {
    area.value = area.value.trim() ? area.value.replace(/\s+$/, "") + "\n\n" + text : text;
    area.dispatchEvent(new Event("input", { bubbles: true }));
    area.focus();
  }

  window.zkTyped = { typedIn: typedIn, put: put };

  // Typing is activity: while someone types into such a form, the session is kept alive (core/sessions.py,
  // at most one request per KEEP_ALIVE_SECONDS), so a long text written without another request is not lost to the
  // idle timeout. Someone who stops typing is logged out after the idle time as before.
  var aliveEvery = (window.zkKeepAliveSeconds || 300) * 1000;
  var aliveAt = Date.now();
  document.addEventListener("input", function (event) {
    var form = event.target && event.target.form;
    if (!form || !form.hasAttribute("data-keep-typed") || Date.now() - aliveAt < aliveEvery) return;
    aliveAt = Date.now();
    fetch("/session/alive/", { credentials: "same-origin", cache: "no-store" }).catch(function () {});
  }, true);

  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) sending.add(event.target);
  });

  window.addEventListener("beforeunload", function (event) {
    var forms = document.querySelectorAll("form[data-keep-typed]");
    for (var i = 0; i < forms.length; i++) {
      if (!sending.has(forms[i]) && typedIn(forms[i])) {
        event.preventDefault();
        event.returnValue = ""; // older browsers ask only when this is set
        return;
      }
    }
  });

  // --- the cabinet's modal ---------------------------------------------------------------------------------------
  // A dialog is the same one when its address is, apart from «similar» (which only says what to put in the text).
  function sameDialog(one, other) {
    function key(address) {
      var url = new URL(address, window.location.href);
      url.searchParams.delete("similar");
      url.searchParams.sort();
      return url.pathname + "?" + url.searchParams.toString();
    }
    return key(one) === key(other);
  }

  function modal() {
    return document.getElementById("modal-content");
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var box = modal();
    if (box && event.detail.target === box) box.dataset.loadedFrom = event.detail.requestConfig.path;
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var box = modal();
    if (!box || event.detail.target !== box) return;
    var form = box.querySelector("form[data-keep-typed]");
    if (!form || !typedIn(form)) return;
    var trigger = event.detail.elt;
    if (box.dataset.loadedFrom && sameDialog(event.detail.requestConfig.path, box.dataset.loadedFrom)) {
      event.preventDefault();
      reopen(box, form, trigger);
      return;
    }
    if (!window.confirm(form.dataset.keepTyped)) event.preventDefault();
  });

  function reopen(box, form, trigger) {
    var area = trigger.dataset.target && form.querySelector('[name="' + trigger.dataset.target + '"]');
    if (area && trigger.dataset.text) {
      put(area, trigger.dataset.text); // before the dialog shows: it never shows without the added text
      var note = form.querySelector("[data-similar-note]");
      if (note && trigger.dataset.done) note.textContent = trigger.dataset.done;
    }
    if (!window.Alpine) return;
    window.Alpine.$data(box).openModal = true;
    if (area) window.Alpine.nextTick(function () { area.focus(); }); // a hidden text area takes no focus
  }
})();
