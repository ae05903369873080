/* Chart labels that fit a phone, for the dashboard's and the trends' charts.
 *
 * Chart.js clips a long label at the canvas's edge ("à danh cơ quan, ngân hàng") and skips
 * labels that do not fit. Here an axis shows every label, each cut to a few characters with "…"
 * (fewer on a phone); the tooltip's title and the table beside each chart keep the whole text.
 * window.tiplineChartLabels.axis(texts) is the `ticks` of an axis of category labels: `texts`,
 * when given, are shorter ones to draw (an indicator's value without its kind); amounts() is
 * the `ticks` of an axis of amounts.
 */
(function () {
  "use strict";

  function fit(text, limit) {
    var line = String(text);
    return line.length > limit ? line.slice(0, limit - 1).trimEnd() + "\u2026" : line;
  }

  function axis(texts) {
    return {
      autoSkip: false,
      callback: function (value, index) {
        var limit = this.chart.width < 420 ? 18 : 28;  // characters: fewer on a phone
        return fit(texts ? texts[index] : this.getLabelForValue(value), limit);
      },
    };
  }

  // An amount's axis in short numbers (`5 T` for 5.000.000.000 in Vietnamese, `5B` in English):
  // full ones run into each other on a phone. The tooltip and the table keep every digit.
  function amounts() {
    var short = new Intl.NumberFormat(document.documentElement.lang || "vi", { notation: "compact" });
    return { callback: function (value) { return short.format(value); } };
  }

  window.tiplineChartLabels = { fit: fit, axis: axis, amounts: amounts };
})();
