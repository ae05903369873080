/* The campaign graph: reports and the indicators they name, drawn by Cytoscape.js.
 *
 * The page passes the campaign id in data-campaign-id (no inline script: the CSP forbids it);
 * the graph comes from GET /api/v1/campaigns/{id}/graph. When drawn, the container gets
 * data-state="ready" and data-nodes/data-edges, and window.tiplineGraph holds the figures
 * (nodes, edges, layout, milliseconds), which the browser test and the benchmark read.
 * Labels are drawn on a canvas and picked details are set as text: nothing becomes HTML.
 */
(function () {
  "use strict";

  // cose (force-directed) reads best but its cost grows with the square of the nodes (about
  // 15 s at 1,000 nodes in Chromium even with 250 iterations): bounded iterations up to
  // COSE_LIMIT nodes, beyond it a concentric layout (linear: indicators named by the most reports
  // in the middle, reports around), about 1 s at 1,000 nodes (bench/campaigns.py --graph-nodes).
  var COSE_LIMIT = 200;

  function layoutFor(count) {
    if (count <= COSE_LIMIT) {
      return {
        name: "cose", animate: false, randomize: true, fit: true, padding: 20,
        numIter: count > 100 ? 500 : 1000, nodeDimensionsIncludeLabels: false,
        idealEdgeLength: function () { return 40; }, nodeRepulsion: function () { return 6000; },
      };
    }
    return {
      name: "concentric", animate: false, fit: true, padding: 20, minNodeSpacing: 4,
      concentric: function (node) { return node.data("kind") === "indicator" ? node.degree() + 1000 : 1; },
      levelWidth: function () { return 1; },
    };
  }

  var STYLE = [
    { selector: "node", style: {
      "label": "data(label)", "font-size": 9, "color": "#222", "text-valign": "bottom",
      "text-margin-y": 2, "width": 14, "height": 14, "min-zoomed-font-size": 7 } },
    { selector: "node[kind = 'report']", style: { "background-color": "#1f5fa8", "shape": "ellipse" } },
    { selector: "node[kind = 'indicator']", style: {
      "background-color": "#e08a00", "shape": "diamond", "width": 18, "height": 18 } },
    { selector: "node[?hub]", style: {
      "background-color": "#b00020", "border-width": 2, "border-style": "dashed",
      "border-color": "#500" } },
    { selector: "edge", style: { "width": 1, "line-color": "#9aa7b5", "curve-style": "haystack" } },
    { selector: "node:selected", style: { "border-width": 3, "border-color": "#000" } },
  ];

  function say(note, text) {
    if (note) { note.textContent = text; }
  }

  function describe(node) {
    var data = node.data();
    if (data.kind === "report") {
      return data.label + " · " + (data.category || "") + " · " + (data.excerpt || "");
    }
    return (data.indicator_kind || "") + " " + data.label + " · " + data.reports;
  }

  function draw(container, graph) {
    var note = document.getElementById("campaign-graph-note");
    var picked = document.getElementById("campaign-graph-picked");
    var elements = graph.nodes.map(function (node) { return { group: "nodes", data: node }; })
      .concat(graph.edges.map(function (edge) { return { group: "edges", data: edge }; }));
    var started = performance.now();
    var layout = layoutFor(graph.nodes.length);
    var cy = window.cytoscape({
      container: container, elements: elements, style: STYLE, layout: layout,
      minZoom: 0.05, maxZoom: 2.5, wheelSensitivity: 0.3, textureOnViewport: true, hideEdgesOnViewport: graph.edges.length > 2000,
    });
    var elapsed = performance.now() - started;
    cy.on("tap", "node", function (event) { say(picked, describe(event.target)); });
    cy.on("dbltap", "node[kind = 'report']", function (event) {
      window.location.assign(event.target.data("href"));
    });
    window.tiplineGraph = {
      cy: cy, nodes: cy.nodes().length, edges: cy.edges().length, layout: layout.name,
      ms: elapsed, readyAt: performance.now(), truncated: graph.truncated,
      totalNodes: graph.total_nodes,
    };
    container.dataset.nodes = String(cy.nodes().length);
    container.dataset.edges = String(cy.edges().length);
    container.dataset.state = "ready";
    var text = container.dataset.readyText || "";
    if (graph.truncated) {
      text = (container.dataset.truncatedText || "")
        .replace("{shown}", String(graph.nodes.length)).replace("{total}", String(graph.total_nodes));
    }
    say(note, text);
  }

  function fail(container) {
    container.dataset.state = "failed";
    say(document.getElementById("campaign-graph-note"), container.dataset.failedText || "");
  }

  function start() {
    var container = document.getElementById("campaign-graph");
    if (!container || typeof window.cytoscape !== "function") {
      if (container) { fail(container); }
      return;
    }
    var id = encodeURIComponent(container.dataset.campaignId || "");
    fetch("/api/v1/campaigns/" + id + "/graph", {
      credentials: "same-origin", headers: { "Accept": "application/json" },
    })
      .then(function (answer) {
        if (!answer.ok) { throw new Error("graph: HTTP " + answer.status); }
        return answer.json();
      })
      .then(function (graph) { draw(container, graph); })
      .catch(function () { fail(container); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
