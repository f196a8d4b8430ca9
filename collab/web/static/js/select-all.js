// A "select all" box at the head of each list of boxes (the cross-check's results, a letter's tasks).
"use strict";
document.querySelectorAll("input.pick-all").forEach(function (all) {
  all.addEventListener("change", function () {
    document.querySelectorAll('input.pick[data-table="' + all.dataset.table + '"]')
      .forEach(function (box) { box.checked = all.checked; });
  });
});
