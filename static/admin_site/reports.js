// Tree reports (executor → category → subcategory → fact): a row's toggle hides or shows the rows under it.
// Without this script the toggles stay hidden and every row is shown.
(function () {
  "use strict";

  function refresh(table) {
    // Walk the rows in order; below a collapsed row, everything deeper is hidden.
    var hideDeeperThan = Infinity;
    table.querySelectorAll("tbody tr[data-level]").forEach(function (row) {
      var level = Number(row.dataset.level);
      if (level > hideDeeperThan) {
        row.setAttribute("data-zk-hidden", "");
        return;
      }
      row.removeAttribute("data-zk-hidden");
      var toggle = row.querySelector(".zk-toggle");
      hideDeeperThan = toggle && toggle.getAttribute("aria-expanded") === "false" ? level : Infinity;
    });
  }

  function setAll(table, expanded) {
    table.querySelectorAll(".zk-toggle").forEach(function (toggle) {
      toggle.setAttribute("aria-expanded", String(expanded));
    });
    refresh(table);
  }

  function init() {
    document.querySelectorAll("table[data-zk-tree]").forEach(function (table) {
      table.classList.add("zk-tree-ready");
      table.querySelectorAll(".zk-toggle").forEach(function (toggle) {
        toggle.hidden = false;
        toggle.addEventListener("click", function () {
          var expanded = toggle.getAttribute("aria-expanded") === "true";
          toggle.setAttribute("aria-expanded", String(!expanded));
          refresh(table);
        });
      });
      var tools = document.querySelector('[data-zk-tree-tools="' + table.id + '"]');
      if (tools) {
        tools.hidden = false;
        tools.querySelector("[data-zk-expand-all]").addEventListener("click", function () { setAll(table, true); });
        tools.querySelector("[data-zk-collapse-all]").addEventListener("click", function () { setAll(table, false); });
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
