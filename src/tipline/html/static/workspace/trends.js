/* The trends' charts, drawn by the dashboard's Chart.js (served by tipline at /static/vendor/).
 *
 * Per figure, this week's count of each series as bars (rising ones in red) and the rule's
 * bound as a line. The data comes as a JSON block (#trends-figures) escaped by the server;
 * labels are drawn on a canvas as text, never as HTML. Every number is also in the tables.
 */
(function () {
  "use strict";

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function fitted() {
    return window.tiplineChartLabels ? window.tiplineChartLabels.axis() : {};
  }

  function config(rows, labels) {
    return {
      data: {
        labels: rows.map(function (r) { return String(r[4] || r[0]); }),
        datasets: [
          { type: "bar", label: labels.count, data: rows.map(function (r) { return r[1]; }),
            backgroundColor: rows.map(function (r) { return r[3] ? "#b00020" : "#1f5fa8"; }) },
          { type: "line", label: labels.bound, data: rows.map(function (r) { return r[2]; }),
            borderColor: "#e08a00", backgroundColor: "#e08a00", fill: false },
        ],
      },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
                 scales: { x: { ticks: fitted() }, y: { beginAtZero: true, ticks: { precision: 0 } } } },
    };
  }

  function start() {
    var state = document.getElementById("dashboard-state");
    var figures = readJson("trends-figures");
    var labels = readJson("trends-labels") || {};
    if (!figures || typeof window.Chart !== "function") {
      if (state) { state.textContent = state.dataset.failedText; state.dataset.state = "failed"; }
      return;
    }
    var charts = {};
    Object.keys(figures).forEach(function (name) {
      var canvas = document.getElementById("chart-" + name);
      if (canvas) { charts[name] = new window.Chart(canvas, config(figures[name], labels)); }
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
