// The graph explorer. Every name and fact from the server goes into the page with
// textContent (never innerHTML), and vis-network draws labels on a canvas: a name such as
// <img src=x onerror=alert(1)> shows as text. The server lays the graph out; no physics here.
(function () {
  "use strict";
  const root = document.getElementById("explorer");
  if (!root || typeof vis === "undefined") { return; }
  const api = root.dataset.api;
  const detailBase = root.dataset.detail;
  const COLOURS = ["#c0392b", "#2471a3", "#229954", "#d68910", "#7d3c98", "#17a589",
    "#a04000", "#2e4053", "#b03a2e", "#1f618d", "#b7950b", "#6c3483", "#117864", "#515a5a"];
  const SHAPES = {Person: "dot", Unit: "box", Department: "diamond", Region: "triangle",
    Clue: "star", Case: "square", Issue: "ellipse", Transfer: "triangleDown"};
  const labels = Array.from(document.querySelectorAll("input[name=label]")).map(el => el.value);
  const groups = {};
  labels.forEach(function (label, i) {
    groups[label] = {color: {background: COLOURS[i % COLOURS.length], border: "#333"},
      shape: SHAPES[label] || "dot", font: {color: "#222"}};
  });
  const nodes = new vis.DataSet([]);
  const edges = new vis.DataSet([]);
  const facts = new Map();
  const network = new vis.Network(document.getElementById("graph"), {nodes: nodes, edges: edges}, {
    physics: false, groups: groups, interaction: {hover: true, multiselect: true},
    nodes: {size: 14, font: {size: 12}}, edges: {font: {size: 9, align: "middle"}, smooth: false},
  });

  function text(id, value) { document.getElementById(id).textContent = value; }
  function show(id, message) {
    const el = document.getElementById(id);
    el.textContent = message || "";
    el.classList.toggle("d-none", !message);
  }
  function kindName(label) {
    const name = document.querySelector("label[for='label-" + label + "']");
    return name ? name.textContent : label;
  }
  function legend() {
    const list = document.getElementById("legend");
    list.replaceChildren();
    const present = new Set(nodes.get().map(n => n.group));
    labels.filter(l => present.has(l)).forEach(function (label) {
      const item = document.createElement("li");
      item.className = "list-inline-item";
      const swatch = document.createElement("span");
      swatch.className = "legend-swatch";
      swatch.style.backgroundColor = groups[label].color.background;
      item.append(swatch, document.createTextNode(kindName(label)));
      list.append(item);
    });
  }
  async function call(path, params) {
    const query = new URLSearchParams();
    Object.entries(params).forEach(([k, v]) => [].concat(v).forEach(x => query.append(k, x)));
    const response = await fetch(api + path + "?" + query.toString(),
      {headers: {"Accept": "application/json"}, credentials: "same-origin"});
    const data = await response.json().catch(() => ({}));
    if (!response.ok) { throw new Error(data.error || data.message || response.statusText); }
    return data;
  }
  function remember(items) {
    items.forEach(n => facts.set(n.id, n));
    return items.map(n => ({id: n.id, label: n.label, group: n.group, x: n.x, y: n.y}));
  }
  function draw(view, around) {
    let dx = 0, dy = 0;
    const anchor = around && view.nodes.find(n => n.id === around);
    if (anchor && nodes.get(around)) {
      const at = network.getPosition(around);
      dx = at.x - anchor.x; dy = at.y - anchor.y;
    }
    const fresh = view.nodes.filter(n => !nodes.get(n.id)).map(n => ({...n, x: n.x + dx, y: n.y + dy}));
    nodes.add(remember(fresh));
    edges.update(view.edges.map(e => ({id: e.id, from: e.from, to: e.to, label: e.label, arrows: e.arrows})));
    show("hint", view.hint);
    legend();
  }
  function filters() {
    const chosen = Array.from(document.querySelectorAll("input[name=label]:checked")).map(el => el.value);
    const types = Array.from(document.getElementById("types").selectedOptions).map(o => o.value);
    return {label: chosen, type: types, depth: document.getElementById("depth").value,
      limit: document.getElementById("cap").value};
  }
  async function expand(uid) {
    show("error", "");
    try { draw(await call("expand", {uid: uid, ...filters()}), uid); }
    catch (e) { show("error", e.message); }
  }
  function showFacts(uid) {
    const node = facts.get(uid);
    const body = document.getElementById("facts");
    body.replaceChildren();
    if (!node) { return; }
    const link = document.getElementById("facts-link");
    link.textContent = node.label;
    link.href = detailBase + encodeURIComponent(node.group) + "/" +
      String(node.key).split("/").map(encodeURIComponent).join("/");
    node.facts.forEach(function (pair) {
      const row = document.createElement("tr");
      const name = document.createElement("th");
      const value = document.createElement("td");
      name.textContent = pair[1];
      value.textContent = pair[2];
      row.append(name, value);
      body.append(row);
    });
  }
  async function resolve(textOrUid) {
    if (nodes.get(textOrUid)) { return textOrUid; }
    const found = await call("search", {q: textOrUid, limit: 1});
    if (!found.hits.length) { throw new Error(textOrUid + ": " + root.dataset.none); }
    remember(found.hits);
    return found.hits[0].id;
  }

  document.getElementById("search-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    show("error", "");
    const list = document.getElementById("hits");
    list.replaceChildren();
    try {
      const found = await call("search", {q: document.getElementById("q").value});
      remember(found.hits);
      found.hits.forEach(function (hit) {
        const item = document.createElement("li");
        item.className = "list-group-item list-group-item-action";
        item.dataset.uid = hit.id;
        item.textContent = hit.label + " · " + hit.kind;
        item.addEventListener("click", () => expand(hit.id));
        list.append(item);
      });
      if (!found.hits.length) { show("error", root.dataset.none); }
    } catch (e) { show("error", e.message); }
  });
  document.getElementById("path-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    show("error", "");
    const list = document.getElementById("path-list");
    list.replaceChildren();
    try {
      const a = await resolve(document.getElementById("path-a").value.trim());
      const b = await resolve(document.getElementById("path-b").value.trim());
      const found = await call("paths", {a: a, b: b});
      nodes.clear(); edges.clear();
      draw({nodes: found.nodes, edges: found.edges, hint: ""});
      found.paths.forEach(function (path) {
        const item = document.createElement("li");
        item.textContent = path.text;
        item.addEventListener("click", () => network.setSelection({nodes: path.nodes, edges: path.edges}));
        list.append(item);
      });
      if (!found.paths.length) { show("hint", root.dataset.noPath); }
      network.fit();
    } catch (e) { show("error", e.message); }
  });
  document.getElementById("pin").addEventListener("click", function () {
    network.getSelectedNodes().forEach(function (id) {
      const fixed = nodes.get(id).fixed;
      nodes.update({id: id, fixed: !fixed, borderWidth: fixed ? 1 : 3});
    });
  });
  document.getElementById("hide").addEventListener("click", function () {
    nodes.remove(network.getSelectedNodes());
    legend();
  });
  document.getElementById("group").addEventListener("click", function () {
    const clusters = labels.map(l => "cluster:" + l).filter(id => network.isCluster(id));
    if (clusters.length) { clusters.forEach(id => network.openCluster(id)); return; }
    labels.forEach(function (label) {
      const count = nodes.get({filter: n => n.group === label}).length;
      if (count < 2) { return; }
      network.cluster({joinCondition: n => n.group === label, clusterNodeProperties: {
        id: "cluster:" + label, group: label, label: kindName(label) + " × " + count,
        shape: "database"}});
    });
  });
  document.getElementById("clear").addEventListener("click", function () {
    nodes.clear(); edges.clear(); legend(); show("hint", "");
  });
  network.on("hoverNode", params => showFacts(params.node));
  network.on("click", params => { if (params.nodes.length) { showFacts(params.nodes[0]); } });
  network.on("doubleClick", params => { if (params.nodes.length) { expand(params.nodes[0]); } });
  if (root.dataset.start) { expand(root.dataset.start).then(() => network.fit()); }
  if (root.dataset.hit) {  // a supervision model's hit: the path its evidence makes
    call("hit", {no: root.dataset.hit}).then(function (view) {
      draw({nodes: view.nodes, edges: view.edges, hint: ""});
      text("hit-model", view.hit.model);
      text("hit-reason", view.hint);
      document.getElementById("hit-banner").classList.remove("d-none");
      network.fit();
      root.dataset.ready = "hit";
    }).catch(e => show("error", e.message));
  }
  const exporter = document.getElementById("export-form");
  if (exporter) {  // the view as drawn: every node on screen, as hidden fields
    exporter.addEventListener("submit", function () {
      exporter.querySelectorAll("input[name=uid]").forEach(el => el.remove());
      nodes.getIds().forEach(function (id) {
        const field = document.createElement("input");
        field.type = "hidden"; field.name = "uid"; field.value = id;
        exporter.append(field);
      });
    });
  }
  if (root.dataset.a && root.dataset.b) {  // "how is X connected to Y", linked from a page
    document.getElementById("path-a").value = root.dataset.a;
    document.getElementById("path-b").value = root.dataset.b;
    document.getElementById("path-form").requestSubmit();
  }
}());
