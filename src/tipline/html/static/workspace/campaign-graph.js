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
    { selector: "node[?bridge]", style: {
      "background-color": "#6a1b9a", "border-width": 3, "border-color": "#2e0845", "width": 24,
      "height": 24, "font-weight": "bold" } },
    { selector: "node[kind = 'part']", style: {
      "background-color": "#eef3f8", "background-opacity": 0.6, "border-width": 1,
      "border-color": "#7a8a9a", "label": "data(label)", "text-valign": "top", "font-size": 11,
      "color": "#1b1f24", "shape": "round-rectangle", "padding": 12 } },
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

  // The parts a campaign falls into without its main bridges (the API's `part`): each drawn as a
  // box holding its reports and indicators, the bridges between the boxes. Only when there are
  // two parts or more; labelled from the container's data-part-text ("{n}" reports, "{k}").
  function partNodes(graph, container) {
    var sizes = {};
    graph.nodes.forEach(function (node) {
      if (node.part !== null && node.part !== undefined) {
        sizes[node.part] = (sizes[node.part] || 0) + (node.kind === "report" ? 1 : 0);
      }
    });
    var keys = Object.keys(sizes);
    if (keys.length < 2) { return []; }
    var text = container.dataset.partText || "{k}: {n}";
    graph.nodes.forEach(function (node) {
      if (node.part !== null && node.part !== undefined) { node.parent = "p" + node.part; }
    });
    return keys.map(function (key) {
      var label = text.replace("{k}", String(Number(key) + 1)).replace("{n}", String(sizes[key]));
      return { group: "nodes", data: { id: "p" + key, kind: "part", label: label } };
    });
  }

  // Large graphs with parts: each part laid out on its own (concentric: the indicators most of
  // its reports name in the middle), the parts packed in rows largest first, the bridges in a row
  // above them, so that what holds the campaign together stands out.
  function layoutParts(cy, parts) {
    var gap = 60, rowWidth = 1800, x = 0, y = 80, rowHeight = 0;
    parts.forEach(function (part) {
      var members = cy.getElementById(part.data.id).children();
      members.layout({
        name: "concentric", animate: false, fit: false, minNodeSpacing: 3,
        concentric: function (node) { return node.data("kind") === "indicator" ? node.degree() + 1000 : 1; },
        levelWidth: function () { return 1; },
      }).run();
      var box = members.boundingBox();
      if (x > 0 && x + box.w > rowWidth) { x = 0; y += rowHeight + gap; rowHeight = 0; }
      members.shift({ x: x - box.x1, y: y - box.y1 });
      x += box.w + gap;
      rowHeight = Math.max(rowHeight, box.h);
    });
    cy.nodes("[?bridge]").forEach(function (node, index) {
      node.position({ x: index * 60, y: 0 });
    });
    cy.fit(undefined, 20);
  }

  function draw(container, graph) {
    var note = document.getElementById("campaign-graph-note");
    var picked = document.getElementById("campaign-graph-picked");
    var parts = partNodes(graph, container);
    var elements = parts.concat(graph.nodes.map(function (node) { return { group: "nodes", data: node }; }))
      .concat(graph.edges.map(function (edge) { return { group: "edges", data: edge }; }));
    var started = performance.now();
    var grouped = parts.length > 1 && graph.nodes.length > COSE_LIMIT;
    var layout = grouped ? { name: "preset" } : layoutFor(graph.nodes.length);
    var cy = window.cytoscape({
      container: container, elements: elements, style: STYLE, layout: layout,
      minZoom: 0.05, maxZoom: 2.5, wheelSensitivity: 0.3, textureOnViewport: true, hideEdgesOnViewport: graph.edges.length > 2000,
    });
    if (grouped) { layoutParts(cy, parts); layout = { name: "parts" }; }
    var elapsed = performance.now() - started;
    cy.on("tap", "node[kind != 'part']", function (event) { say(picked, describe(event.target)); });
    cy.on("dbltap", "node[kind = 'report']", function (event) {
      window.location.assign(event.target.data("href"));
    });
    window.tiplineGraph = {
      cy: cy, nodes: cy.nodes("[kind != 'part']").length, edges: cy.edges().length, layout: layout.name,
      ms: elapsed, readyAt: performance.now(), truncated: graph.truncated,
      totalNodes: graph.total_nodes, parts: parts.length,
    };
    container.dataset.nodes = String(cy.nodes("[kind != 'part']").length);
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
