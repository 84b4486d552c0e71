// Dashboard charts label their bars briefly (a category's short name, a month's abbreviation); the tooltip shows
// the whole label, which admin_site.dashboard puts in the dataset's `titles` (one list of lines per point).
// Loaded after unfold's Chart.js and before unfold's app.js draws the charts on `load`.
(function () {
  "use strict";
  if (!window.Chart) {
    return;
  }
  var callbacks = window.Chart.defaults.plugins.tooltip.callbacks;
  var title = callbacks.title;
  callbacks.title = function (items) {
    var item = items[0];
    var titles = item && item.dataset.titles;
    return titles && titles[item.dataIndex] ? titles[item.dataIndex] : title.apply(this, arguments);
  };
})();
