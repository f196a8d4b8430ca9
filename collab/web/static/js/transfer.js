// The transfer form: when a department is picked, its feedback due date is filled in from
// its own period (else the deployment's), so the date the department is held to is shown.
"use strict";
(function () {
  var form = document.getElementById("transfer-form");
  if (!form) { return; }
  var on = form.querySelector("input[name=on]");
  var due = form.querySelector("input[name=feedback_due]");
  form.addEventListener("picked", function (e) {
    var days = e.detail.feedback_days || parseInt(form.dataset.defaultDays, 10);
    if (!on.value || !days) { return; }
    var d = new Date(on.value + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + days);
    due.value = d.toISOString().slice(0, 10);
  });
}());
