// A sheet read as another kind is mapped again at once; the import's progress while its
// confirm runs (the page asks where it is every half second).
(function () {
  document.querySelectorAll(".kind-picker").forEach(function (picker) {
    picker.addEventListener("change", function () {
      document.getElementById("remap-" + picker.id.split("-")[1]).click();
    });
  });
})();
(function () {
  var form = document.getElementById("confirm-form");
  if (!form) { return; }
  var box = document.getElementById("import-progress");
  var bar = box.querySelector(".progress-bar");
  var text = document.getElementById("import-progress-text");
  var stages = {check: "已检查", write: "已写入"};
  function ask() {
    fetch(form.dataset.progress, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (p) {
        if (p.total) {
          var share = Math.round(100 * p.done / p.total);
          bar.style.width = share + "%";
          box.setAttribute("aria-valuenow", String(share));
          text.textContent = (stages[p.stage] || "") + " " + p.done + " / " + p.total;
        }
      })
      .catch(function () { /* the next ask will tell */ });
  }
  form.addEventListener("submit", function () {
    box.classList.remove("d-none");
    text.classList.remove("d-none");
    document.getElementById("confirm-import").disabled = true;
    bar.style.width = "0%";
    window.setInterval(ask, 500);
  });
})();
