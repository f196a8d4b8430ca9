// The cross-check page: a "select all" box at the head of each result table.
"use strict";
document.querySelectorAll("input.pick-all").forEach(function (all) {
  all.addEventListener("change", function () {
    document.querySelectorAll('input.pick[data-table="' + all.dataset.table + '"]')
      .forEach(function (box) { box.checked = all.checked; });
  });
});
