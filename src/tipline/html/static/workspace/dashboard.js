/* The dashboard's charts, drawn by Chart.js (served by tipline at /static/vendor/).
 *
 * The figures come in the page as JSON data blocks (#dashboard-figures, #dashboard-labels):
 * <script type="application/json"> is never run, and the server escapes it with |tojson. Every
 * label is drawn on a canvas as text, so nothing here becomes HTML. When done, #dashboard-state
 * gets data-state="ready" and window.tiplineCharts holds the Chart instances by figure name
 * (the browser test reads them). Every number is also in the page's tables.
 */
(function () {
  "use strict";

  var COLOURS = ["#1f5fa8", "#e08a00", "#2e8b57", "#b00020", "#6a4c93", "#008b8b", "#8b5a2b",
    "#d35400", "#556b2f", "#c71585", "#4682b4", "#708090"];
  var URGENCY_COLOURS = { critical: "#b00020", high: "#d35400", normal: "#1f5fa8", low: "#9aa7b5" };

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function labelOf(map, key) {
    return (map && map[key]) || key;
  }

  function fitted(texts) {
    return window.tiplineChartLabels ? window.tiplineChartLabels.axis(texts) : {};
  }

  function amounts() {
    return window.tiplineChartLabels ? window.tiplineChartLabels.amounts() : {};
  }

  function bars(labels, values, name, horizontal, texts) {
    return {
      type: "bar",
      data: { labels: labels, datasets: [{ label: name, data: values, backgroundColor: COLOURS[0] }] },
      options: {
        indexAxis: horizontal ? "y" : "x", responsive: true, maintainAspectRatio: false,
        animation: false, plugins: { legend: { display: false } },
        // Counts are whole numbers: no 0.5 ticks.
        scales: { x: { beginAtZero: true, ticks: horizontal ? { precision: 0 } : {} },
                  y: { beginAtZero: true, ticks: horizontal ? fitted(texts) : { precision: 0 } } },
      },
    };
  }

  function lossesChart(rows, labels) {
    // One series per currency, categories along the axis; amounts arrive as strings (exact).
    var categories = [];
    var currencies = [];
    rows.forEach(function (row) {
      if (categories.indexOf(row[0]) < 0) { categories.push(row[0]); }
      if (currencies.indexOf(row[1]) < 0) { currencies.push(row[1]); }
    });
    var datasets = currencies.map(function (currency, index) {
      return {
        label: currency,
        backgroundColor: COLOURS[index % COLOURS.length],
        data: categories.map(function (category) {
          var found = rows.filter(function (r) { return r[0] === category && r[1] === currency; });
          return found.length ? Number(found[0][2]) : 0;
        }),
      };
    });
    return {
      type: "bar",
      data: { labels: categories.map(function (c) { return labelOf(labels.category, c); }), datasets: datasets },
      options: { indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
                 scales: { x: { ticks: amounts() }, y: { ticks: fitted() } } },
    };
  }

  function configs(figures, labels) {
    var firsts = function (rows) { return rows.map(function (r) { return r[0]; }); };
    var seconds = function (rows) { return rows.map(function (r) { return r[1]; }); };
    return {
      per_day: bars(firsts(figures.per_day), seconds(figures.per_day), labels.reports, false),
      per_category: bars(
        figures.per_category.map(function (r) { return labelOf(labels.category, r[0]); }),
        seconds(figures.per_category), labels.reports, true),
      losses_by_category: lossesChart(figures.losses_by_category, labels),
      urgency: {
        type: "doughnut",
        data: {
          labels: figures.urgency.map(function (r) { return labelOf(labels.urgency, r[0]); }),
          datasets: [{
            data: seconds(figures.urgency),
            backgroundColor: figures.urgency.map(function (r) { return URGENCY_COLOURS[r[0]] || COLOURS[0]; }),
          }],
        },
        options: { responsive: true, maintainAspectRatio: false, animation: false },
      },
      provinces: bars(firsts(figures.provinces), seconds(figures.provinces), labels.reports, true),
      indicators: bars(
        figures.indicators.map(function (r) { return labelOf(labels.kind, r[0]) + ": " + r[1]; }),
        figures.indicators.map(function (r) { return r[2]; }), labels.reports, true,
        seconds(figures.indicators)),  // the axis: each value alone (its kind in the tooltip)
      new_campaigns: bars(
        firsts(figures.new_campaigns), seconds(figures.new_campaigns), labels.campaigns, false),
    };
  }

  function start() {
    var state = document.getElementById("dashboard-state");
    var figures = readJson("dashboard-figures");
    var labels = readJson("dashboard-labels") || {};
    if (!figures || typeof window.Chart !== "function") {
      if (state) { state.textContent = state.dataset.failedText; state.dataset.state = "failed"; }
      return;
    }
    var charts = {};
    var all = configs(figures, labels);
    Object.keys(all).forEach(function (name) {
      var canvas = document.getElementById("chart-" + name);
      if (canvas) { charts[name] = new window.Chart(canvas, all[name]); }
    });
    window.tiplineCharts = charts;
    if (state) { state.textContent = state.dataset.readyText; state.dataset.state = "ready"; }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
