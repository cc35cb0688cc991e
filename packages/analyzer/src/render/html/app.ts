// The HTML report's one script of its own: reads the chart view (script#chart-data, JSON) and
// draws it with Chart.js. Plain browser JavaScript kept as text, since it runs in the page and
// not in Node; the browser test (test/render/html-browser.test.ts) runs it. Labels reach the
// canvas only as text, never as HTML.
export const APP_SCRIPT = `
(function () {
  "use strict";
  var view = JSON.parse(document.getElementById("chart-data").textContent);
  var css = getComputedStyle(document.documentElement);
  var color = function (name) { return css.getPropertyValue("--" + name).trim(); };
  var fmtMs = function (ms) {
    if (ms >= 60000) return (ms / 60000).toFixed(1) + " min";
    if (ms >= 1000) return (ms / 1000).toFixed(ms >= 10000 ? 1 : 2) + " s";
    return ms.toFixed(ms < 10 ? 1 : 0) + " ms";
  };
  // Text and grid colours follow the scheme on screen, and turn dark-on-white for paper.
  var theme = function (print) {
    Chart.defaults.color = print ? "#000000" : color("fg");
    Chart.defaults.borderColor = print ? "#bbbbbb" : color("line");
  };
  // Charts keep the colours they were drawn with: a change of medium draws them again.
  var retheme = function (print) {
    Object.keys(Chart.instances).forEach(function (key) { Chart.instances[key].destroy(); });
    theme(print);
    drawAll();
  };
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  var draw = function (id, config) {
    var canvas = document.getElementById(id);
    if (canvas) new Chart(canvas, config);
  };
  var drawAll = function () {
    var kindColor = { "LLM calls": color("llm"), tools: color("tool") };

    if (view.distribution.length > 0) {
      draw("chart-distribution", {
        type: "bar",
        data: {
          labels: ["wall time"],
          datasets: view.distribution.map(function (d) {
            return { label: d.label + " " + d.percentText, data: [d.percent], backgroundColor: kindColor[d.label] || color("other"), ms: d.ms };
          }),
        },
        options: {
          indexAxis: "y",
          scales: { x: { stacked: true, max: 100, ticks: { callback: function (v) { return v + " %"; } } }, y: { stacked: true, display: false } },
          plugins: { legend: { position: "bottom" }, tooltip: { callbacks: { label: function (c) { return c.dataset.label + " (" + fmtMs(c.dataset.ms) + ")"; } } } },
        },
      });
    }

    if (view.steps.length > 0) {
      var workflows = view.steps.map(function (s) { return s.workflow; }).filter(function (w, i, all) { return all.indexOf(w) === i; });
      draw("chart-steps", {
        data: {
          labels: view.steps.map(function (s) { return s.label; }),
          datasets: [
            {
              type: "bar", label: "mean duration (ms)", yAxisID: "ms",
              data: view.steps.map(function (s) { return s.meanMs; }),
              backgroundColor: view.steps.map(function (s) { return s.timeouts > 0 ? color("bad") : s.retries > 0 ? color("warn") : color("step"); }),
            },
          ].concat(workflows.map(function (w, i) {
            // One line per workflow: input tokens grow within a run, not from one run to the next.
            return {
              type: "line", label: i === 0 ? "mean input tokens" : "", yAxisID: "tokens",
              data: view.steps.map(function (s) { return s.workflow === w ? s.meanInputTokens : null; }),
              borderColor: color("tokens"), backgroundColor: color("tokens"), pointRadius: 4, spanGaps: false,
            };
          })),
        },
        options: {
          scales: {
            x: { ticks: { autoSkip: false, font: { size: 11 } } },
            ms: { position: "left", beginAtZero: true, title: { display: true, text: "ms" } },
            tokens: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: "input tokens" } },
          },
          plugins: { legend: { labels: { filter: function (item) { return item.text !== ""; } } }, tooltip: { callbacks: { title: function (items) {
            var s = view.steps[items[0].dataIndex];
            return (s.workflow ? s.workflow + ": " : "") + s.label;
          }, afterBody: function (items) {
            var s = view.steps[items[0].dataIndex];
            return s.retries + s.timeouts > 0 ? s.retries + " retries, " + s.timeouts + " timeouts" : "";
          } } } },
        },
      });
    }

    if (view.models.length > 0) {
      var labels = view.models.map(function (m) { return m.label; });
      draw("chart-tokens", {
        type: "bar",
        data: {
          labels: labels,
          datasets: [
            { label: "input (uncached)", data: view.models.map(function (m) { return m.uncachedInput; }), backgroundColor: color("llm") },
            { label: "input (cached)", data: view.models.map(function (m) { return m.cachedInput; }), backgroundColor: color("cached") },
            { label: "output", data: view.models.map(function (m) { return m.output; }), backgroundColor: color("tokens") },
          ],
        },
        options: { indexAxis: "y", scales: { x: { stacked: true, title: { display: true, text: "tokens" } }, y: { stacked: true } } },
      });
      draw("chart-cost", {
        type: "bar",
        data: { labels: labels, datasets: [{ label: "cost (USD)", data: view.models.map(function (m) { return m.costUsd; }), backgroundColor: color("tool") }] },
        options: { indexAxis: "y", scales: { x: { title: { display: true, text: "USD" } } }, plugins: { legend: { display: false } } },
      });
    }

    var treemap = function (id, key, title) {
      var tree = view.operations.filter(function (o) { return o[key] > 0; });
      if (tree.length === 0) return;
      draw(id, {
        type: "treemap",
        data: { datasets: [{
          tree: tree, key: key, borderWidth: 1, borderColor: color("bg"), spacing: 1,
          backgroundColor: function (c) { var d = c.raw && c.raw._data; return d && d.transport ? color("llm") : color("step"); },
          labels: { display: true, color: "#ffffff", overflow: "hidden", formatter: function (c) { var d = c.raw._data; return [d.label, fmtMs(d[key])]; } },
        }] },
        options: {
          plugins: {
            title: { display: true, text: title },
            legend: { display: false },
            tooltip: { callbacks: { title: function (items) { return items[0].raw._data.label; }, label: function (c) { return fmtMs(c.raw._data[key]); } } },
          },
        },
      });
    };
    treemap("chart-self", "selfMs", "self time");
    treemap("chart-critical", "criticalMs", "critical-path time");

    var w = view.waterfall;
    var box = document.getElementById("chart-waterfall-box");
    if (w && w.spans.length > 0) {
      box.style.setProperty("--waterfall-height", Math.max(160, 40 + 18 * w.spans.length) + "px");
      var spanColor = { llm: color("llm"), "llm-transport": color("cached"), tool: color("tool"), step: color("step"), workflow: color("workflow"), other: color("other") };
      draw("chart-waterfall", {
        type: "bar",
        data: {
          labels: w.spans.map(function (s) { return s.label; }),
          datasets: [{
            label: "trace " + w.traceId,
            data: w.spans.map(function (s) { return [s.startMs, Math.max(s.endMs, s.startMs + 0.001)]; }),
            backgroundColor: w.spans.map(function (s) { return s.error ? color("bad") : spanColor[s.kind] || color("other"); }),
            barPercentage: 0.9, categoryPercentage: 1, minBarLength: 2,
          }],
        },
        options: {
          indexAxis: "y",
          scales: { x: { title: { display: true, text: "ms from the trace's start" } }, y: { ticks: { autoSkip: false, align: "start", crossAlign: "far" } } },
          plugins: {
            legend: { display: false },
            title: { display: w.omitted > 0, text: w.omitted + " more spans not drawn" },
            tooltip: { callbacks: { label: function (c) { return w.spans[c.dataIndex].text; } } },
          },
        },
      });
    } else if (box) {
      box.remove();
    }
  };
  theme(false);
  drawAll();
  window.addEventListener("beforeprint", function () { retheme(true); });
  window.addEventListener("afterprint", function () { retheme(false); });
  matchMedia("print").addEventListener("change", function (event) { retheme(event.matches); });
})();
`;
