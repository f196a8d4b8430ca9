// Pickers: as one types into a .pick-box, ask /pick/<kind>.json for what matches (Chinese,
// pinyin, initials or a number, within one's reach) and list it; choosing an entry writes
// its name into the box and its key into the hidden field the server reads.
"use strict";
document.querySelectorAll(".pick-box").forEach(function (pick) {
  var box = pick.querySelector("input:not([type=hidden])");
  var key = pick.querySelector("input[type=hidden]");
  var list = pick.querySelector(".pick-list");
  var asked = 0;
  function close() { list.classList.add("d-none"); box.setAttribute("aria-expanded", "false"); }
  var chosen = pick.querySelector(".pick-chosen");
  function unchip(chip) {
    chip.querySelector("button").addEventListener("click", function () { chip.remove(); });
  }
  if (chosen) { chosen.querySelectorAll(".pick-chip").forEach(unchip); }
  function chip(item) {
    // a multiple picker: the entry becomes a chip holding its key, the box is free again
    if (chosen.querySelector('input[value="' + CSS.escape(item.key) + '"]')) { return; }
    var span = document.createElement("span");
    span.className = "badge text-bg-light border pick-chip";
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = pick.dataset.multi;
    hidden.value = item.key;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close btn-close-sm";
    close.setAttribute("aria-label", "×");
    span.append(hidden, item.text + " ", close);
    chosen.appendChild(span);
    unchip(span);
  }
  function choose(item) {
    if (chosen) {
      chip(item);
      box.value = "";
      key.value = "";
      close();
      return;
    }
    box.value = item.text;
    key.value = item.key;
    box.classList.remove("is-invalid");
    close();
    pick.dispatchEvent(new CustomEvent("picked", {detail: item, bubbles: true}));
  }
  function show(items) {
    list.replaceChildren();
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "list-group-item list-group-item-action py-1";
      li.setAttribute("role", "option");
      li.dataset.key = item.key;
      li.textContent = item.text;
      if (item.hint) {
        var hint = document.createElement("small");
        hint.className = "text-body-secondary ms-2";
        hint.textContent = item.hint;
        li.appendChild(hint);
      }
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(item); });
      list.appendChild(li);
    });
    list.classList.toggle("d-none", items.length === 0);
    box.setAttribute("aria-expanded", items.length ? "true" : "false");
  }
  function ask() {
    var mine = ++asked;
    key.value = "";
    fetch(pick.dataset.source + "?q=" + encodeURIComponent(box.value),
          {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (items) { if (mine === asked) { show(items); } });
  }
  box.addEventListener("input", ask);
  box.addEventListener("focus", function () { if (!key.value) { ask(); } });
  box.addEventListener("blur", close);
  box.addEventListener("keydown", function (e) {
    var first = list.querySelector("li");
    if (e.key === "Enter" && first && !list.classList.contains("d-none")) {
      e.preventDefault();
      first.dispatchEvent(new MouseEvent("mousedown"));
    } else if (e.key === "Escape") { close(); }
  });
});
