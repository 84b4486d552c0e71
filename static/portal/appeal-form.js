/* «Создать обращение»: the category → subcategory → fact selects narrow in place.
   Without this script the form still works: the «Показать …» buttons reload it with the narrowed lists. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-classifier]");
  var data = document.getElementById("classifier-data");
  if (!form || !data) return;

  var tree = JSON.parse(data.textContent);
  var category = form.elements.category;
  var subcategory = form.elements.subcategory;
  var fact = form.elements.fact;
  var hint = document.getElementById("id_fact_helptext");
  var defaultHint = fact.dataset.hint || "";

  // The buttons are only for a reload without JavaScript; removed, they cannot catch the Enter key either.
  form.querySelectorAll("[data-step]").forEach(function (button) {
    button.closest(".step").remove();
  });

  function find(items, id) {
    return items.filter(function (item) { return String(item.id) === id; })[0] || null;
  }

  function fill(select, items, parentChosen) {
    var kept = select.value;
    select.options.length = 0;
    select.add(new Option(parentChosen ? select.dataset.choose : select.dataset.first, ""));
    items.forEach(function (item) { select.add(new Option(item.name, item.id)); });
    select.value = find(items, kept) ? kept : "";
  }

  function update() {
    var chosenCategory = find(tree, category.value);
    var subcategories = chosenCategory ? chosenCategory.subcategories : [];
    fill(subcategory, subcategories, !!chosenCategory);
    var chosenSubcategory = find(subcategories, subcategory.value);
    var facts = chosenSubcategory ? chosenSubcategory.facts : [];
    fill(fact, facts, !!chosenSubcategory);
    var chosenFact = find(facts, fact.value);
    if (hint) hint.textContent = chosenFact ? chosenFact.hint : defaultHint;
  }

  [category, subcategory, fact].forEach(function (select) {
    select.addEventListener("change", update);
  });
})();
