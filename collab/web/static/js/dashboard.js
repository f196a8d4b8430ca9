// The dashboard's charts: data from the page's own JSON endpoint, drawn with ECharts.
(function () {
  "use strict";
  var regions = document.getElementById("chart-regions");
  var status = document.getElementById("chart-status");
  if (!regions || !window.echarts) { return; }
  fetch(regions.dataset.source, { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (data) {
      var names = data.by_region.map(function (r) { return r.name; });
      var charts = [echarts.init(regions), echarts.init(status)];
      // a phone turned sideways or a window made narrower: the charts follow the page's width
      window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
      charts[0].setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { data: [regions.dataset.issues, regions.dataset.clues] },
        grid: { left: 50, right: 20, bottom: 60 },
        xAxis: { type: "category", data: names, axisLabel: { rotate: 30 } },
        yAxis: { type: "value" },
        series: [
          { name: regions.dataset.issues, type: "bar", data: data.by_region.map(function (r) { return r.Issue || 0; }) },
          { name: regions.dataset.clues, type: "bar", data: data.by_region.map(function (r) { return r.Clue || 0; }) }
        ]
      });
      charts[1].setOption({
        animation: false,
        tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: ["35%", "65%"],
                   data: data.clue_status.map(function (s) { return { name: s.name, value: s.value }; }) }]
      });
      document.body.dataset.chartsReady = "yes";
    })
    .catch(function () { document.body.dataset.chartsReady = "failed"; });
}());
