/*
 * evidence-kg graph view.
 *
 * Draws the view model found in <script type="application/json" id="kg-view-data">
 * with vis-network. Every string in that model comes from data (labels, quotes,
 * synonyms), so none is ever parsed as HTML: text goes into the page with
 * textContent / text nodes only, tooltips are DOM elements, and links are built
 * only from http(s) URLs or our own API paths with encoded parameters.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-view-data").textContent);
  var config = data.config || {};
  var api = config.api || null;

  // ---------------------------------------------------------------- DOM helpers
  /** An element with attributes and children; strings become text nodes, never HTML. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    var key;
    for (key in attrs || {}) {
      if (!Object.prototype.hasOwnProperty.call(attrs, key) || attrs[key] == null) continue;
      if (key === "class") node.className = attrs[key];
      else if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(parent, child) {
    if (child == null || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(parent, c); });
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /** The URL if it is http(s), else null: data must not smuggle javascript: or data: links. */
  function safeUrl(value) {
    if (typeof value !== "string") return null;
    try {
      var url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function externalLink(href, text) {
    var url = safeUrl(href);
    if (!url) return document.createTextNode(text);
    return el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, text);
  }

  function words(value) {
    return String(value == null ? "" : value).replace(/_/g, " ");
  }

  function shorten(text, limit) {
    return text.length <= limit ? text : text.slice(0, limit - 1) + "\u2026";
  }

  // ---------------------------------------------------------------- indexes
  var typeInfo = new Map();
  data.legend.forEach(function (entry) { typeInfo.set(entry.type, entry); });
  var fallbackType = { type: "unknown", label: "other", color: "#cccccc", shape: "dot", size: 8 };
  function styleOf(type) { return typeInfo.get(type) || fallbackType; }

  var nodesById = new Map();
  data.nodes.forEach(function (node) { nodesById.set(node.id, node); });
  var adjacency = new Map();
  data.edges.forEach(function (edge) {
    [[edge[0], edge[1]], [edge[1], edge[0]]].forEach(function (pair) {
      if (!adjacency.has(pair[0])) adjacency.set(pair[0], new Set());
      adjacency.get(pair[0]).add(pair[1]);
    });
  });
  var highlighted = new Set(data.highlighted || []);
  if (data.center) highlighted.add(data.center);

  // ---------------------------------------------------------------- tooltips
  function tooltip(node) {
    var style = styleOf(node.type);
    var box = el("div", { class: "kg-tip" },
      el("div", { class: "kg-tip-label" }, node.label),
      el("div", { class: "kg-tip-meta" }, style.label + " \u00b7 " + node.id));
    if (node.evidence_type) {
      box.appendChild(el("div", { class: "kg-tip-meta" }, words(node.evidence_type) + ", " + words(node.direction)));
    }
    return box;
  }

  // ---------------------------------------------------------------- vis data
  var large = !data.physics;
  var groups = {};
  data.legend.forEach(function (entry) {
    groups[entry.type] = {
      font: { size: entry.detail ? 12 : 16 },
      shape: entry.shape,
      size: entry.size,
      color: { background: entry.color, border: "#333333", highlight: { background: entry.color, border: "#000000" },
               hover: { background: entry.color, border: "#000000" } },
      // detail labels (statements, numbers) appear from zoom ~0.9; entity names from ~0.45
      scaling: { label: { drawThreshold: entry.detail ? 12 : 6 } },
    };
  });

  var visNodes = new vis.DataSet(data.nodes.map(function (node) {
    var item = { id: node.id, label: shorten(node.label, 42), group: node.type, title: tooltip(node) };
    if (!typeInfo.has(node.type)) {
      item.shape = fallbackType.shape;
      item.color = fallbackType.color;
    }
    if (node.x !== undefined) { item.x = node.x; item.y = node.y; }
    if (highlighted.has(node.id)) {
      item.borderWidth = 4;
      item.size = styleOf(node.type).size * 1.5;
      item.font = { size: 16, bold: true };
    }
    return item;
  }));
  var visEdges = new vis.DataSet(data.edges.map(function (edge, index) {
    return { id: index, from: edge[0], to: edge[1], label: data.predicates[edge[2]] || words(edge[2]), predicate: edge[2] };
  }));

  // ---------------------------------------------------------------- filters
  var hiddenTypes = new Set();
  var evidenceTypes = new Set();
  var directions = new Set();
  data.nodes.forEach(function (node) {
    if (node.evidence_type) { evidenceTypes.add(node.evidence_type); directions.add(node.direction); }
  });
  var allowedEvidenceTypes = new Set(evidenceTypes);
  var allowedDirections = new Set(directions);
  var focusSet = null;

  function evidenceAllowed(node) {
    return !node.evidence_type ||
      (allowedEvidenceTypes.has(node.evidence_type) && allowedDirections.has(node.direction));
  }

  function isVisible(item) {
    var node = nodesById.get(item.id);
    if (!node) return true;
    if (hiddenTypes.has(node.type)) return false;
    if (focusSet && !focusSet.has(node.id)) return false;
    if (!evidenceAllowed(node)) return false;
    if (node.evidence && nodesById.has(node.evidence) && !evidenceAllowed(nodesById.get(node.evidence))) return false;
    return true;
  }

  var nodeView = new vis.DataView(visNodes, { filter: isVisible });

  // ---------------------------------------------------------------- network
  var options = {
    autoResize: true,
    groups: groups,
    nodes: {
      font: { size: 12, color: "#1d2731", strokeWidth: 3, strokeColor: "#ffffff" },
      borderWidth: 1,
      scaling: { label: { drawThreshold: 6 } },
    },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.45 } },
      color: { color: "#9aa5b1", highlight: "#2b4c6f", hover: "#2b4c6f", inherit: false },
      font: { size: 9, color: "#5b6770", strokeWidth: 2, strokeColor: "#ffffff", align: "middle" },
      width: 1,
      smooth: large ? false : { enabled: true, type: "continuous", roundness: 0.3 },
      selectionWidth: 1.5,
    },
    interaction: {
      hover: true,
      tooltipDelay: 120,
      hideEdgesOnDrag: large,
      hideEdgesOnZoom: large,
      navigationButtons: false,
      keyboard: false,
      multiselect: false,
    },
    layout: { randomSeed: 7, improvedLayout: !large && data.nodes.length <= 100 },
    physics: large ? { enabled: false } : {
      enabled: true,
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -110, centralGravity: 0.015, springLength: 120, springConstant: 0.06,
                          damping: 0.5, avoidOverlap: 0.3 },
      maxVelocity: 60,
      minVelocity: 1,
      stabilization: { enabled: true, iterations: 250, updateInterval: 50, fit: true },
    },
  };

  var container = document.getElementById("kg-graph");
  var network = new vis.Network(container, { nodes: nodeView, edges: visEdges }, options);
  if (large) network.fit({ animation: false }); // before the first frame: drawing 5,000 labels at zoom 1 takes seconds

  var state = { ready: false };
  function markReady() {
    if (state.ready) return;
    state.ready = true;
    container.setAttribute("data-ready", "true");
  }
  if (large) {
    network.once("afterDrawing", function () { network.fit({ animation: false }); markReady(); });
  } else {
    // Bounded stabilisation, then physics off: the drawing stays still while the reader works.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit({ animation: false });
      markReady();
    });
  }

  /** Write drawn positions back to the DataSet, so nodes a filter hides come back where they were.
   *  (vis-network's storePositions() cannot be used: it fails on nodes a DataView filters out.) */
  function keepPositions() {
    var positions = network.getPositions();
    visNodes.update(Object.keys(positions).map(function (id) {
      return { id: id, x: positions[id].x, y: positions[id].y };
    }));
  }

  // Large views already carry their positions in the DataSet; only nodes a user drags move.
  network.on("dragEnd", function (params) {
    if (!large || !params.nodes.length) return;
    var moved = network.getPositions(params.nodes);
    visNodes.update(params.nodes.map(function (id) { return { id: id, x: moved[id].x, y: moved[id].y }; }));
  });

  function refresh() {
    if (state.ready && !large) keepPositions();
    nodeView.refresh();
    updateStatus();
  }

  // ---------------------------------------------------------------- status line
  var statusLine = document.getElementById("kg-status");
  function updateStatus() {
    var shown = nodeView.length;
    var visibleIds = new Set(nodeView.getIds());
    var edges = 0;
    data.edges.forEach(function (edge) { if (visibleIds.has(edge[0]) && visibleIds.has(edge[1])) edges++; });
    statusLine.textContent = shown.toLocaleString("en") + " nodes \u00b7 " + edges.toLocaleString("en") +
      " edges shown \u00b7 " + data.total_nodes.toLocaleString("en") + " nodes in the graph";
  }

  // ---------------------------------------------------------------- legend and type filter
  function swatch(entry) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "-10 -10 20 20");
    svg.setAttribute("class", "kg-swatch");
    svg.setAttribute("aria-hidden", "true");
    var shape;
    var points = {
      diamond: "0,-9 9,0 0,9 -9,0",
      triangle: "0,-9 9,7 -9,7",
      triangleDown: "0,9 9,-7 -9,-7",
      hexagon: "8,0 4,7 -4,7 -8,0 -4,-7 4,-7",
      star: "0,-9 2.6,-3 9,-3 4,1.5 6,8 0,4 -6,8 -4,1.5 -9,-3 -2.6,-3",
    }[entry.shape];
    if (points) {
      shape = document.createElementNS(ns, "polygon");
      shape.setAttribute("points", points);
    } else if (entry.shape === "square") {
      shape = document.createElementNS(ns, "rect");
      shape.setAttribute("x", "-7"); shape.setAttribute("y", "-7");
      shape.setAttribute("width", "14"); shape.setAttribute("height", "14");
    } else {
      shape = document.createElementNS(ns, "circle");
      shape.setAttribute("r", "7");
    }
    shape.setAttribute("fill", entry.color);
    shape.setAttribute("stroke", "#333333");
    svg.appendChild(shape);
    return svg;
  }

  var typeCounts = new Map();
  data.nodes.forEach(function (node) { typeCounts.set(node.type, (typeCounts.get(node.type) || 0) + 1); });
  var legendList = document.getElementById("kg-legend");
  data.legend.forEach(function (entry) {
    var count = typeCounts.get(entry.type);
    if (!count) return;
    var box = el("input", { type: "checkbox", "data-type": entry.type });
    box.checked = true;
    box.addEventListener("change", function () {
      if (box.checked) hiddenTypes.delete(entry.type); else hiddenTypes.add(entry.type);
      refresh();
    });
    legendList.appendChild(el("li", null, el("label", null, box, swatch(entry),
      el("span", { class: "kg-legend-label" }, entry.label), el("span", { class: "kg-count" }, String(count)))));
  });

  function checkList(listId, values, allowed) {
    var list = document.getElementById(listId);
    Array.from(values).sort().forEach(function (value) {
      var box = el("input", { type: "checkbox", "data-value": value });
      box.checked = true;
      box.addEventListener("change", function () {
        if (box.checked) allowed.add(value); else allowed.delete(value);
        refresh();
      });
      list.appendChild(el("li", null, el("label", null, box, el("span", null, words(value)))));
    });
  }
  if (evidenceTypes.size) {
    checkList("kg-filter-evidence-type", evidenceTypes, allowedEvidenceTypes);
    checkList("kg-filter-direction", directions, allowedDirections);
  } else {
    document.getElementById("kg-evidence-filters").hidden = true;
  }

  // ---------------------------------------------------------------- focus
  var heading = document.getElementById("kg-heading");
  var initialHeading = heading.textContent;
  var depthSelect = document.getElementById("kg-depth");
  var currentDepth = data.depth || 2;
  for (var d = 1; d <= (config.max_depth || 4); d++) {
    var option = el("option", { value: String(d) }, String(d));
    if (d === currentDepth) option.selected = true;
    depthSelect.appendChild(option);
  }
  var localCenter = null;

  /** Nodes within `depth` hops of `center` in the loaded graph (both directions, like kg.graph.neighbourhood). */
  function localNeighbourhood(center, depth) {
    var seen = new Map([[center, 0]]);
    var queue = [center];
    while (queue.length) {
      var node = queue.shift();
      var hops = seen.get(node);
      if (hops >= depth) continue;
      (adjacency.get(node) || new Set()).forEach(function (other) {
        if (!seen.has(other)) { seen.set(other, hops + 1); queue.push(other); }
      });
    }
    return new Set(seen.keys());
  }

  function focusLocally(id, depth) {
    localCenter = id;
    focusSet = localNeighbourhood(id, depth);
    refresh();
    var node = nodesById.get(id);
    heading.textContent = "Neighbourhood of " + node.label + " (" + depth + " hop" + (depth > 1 ? "s" : "") + ")";
    renderViews();
    network.fit({ nodes: Array.from(focusSet).filter(function (n) { return nodeView.get(n); }), animation: false });
    selectNode(id);
  }

  function unfocusLocally() {
    localCenter = null;
    focusSet = null;
    refresh();
    heading.textContent = initialHeading;
    renderViews();
    network.fit({ animation: false });
  }

  /** Go to an entity's neighbourhood: from the server when there is one (the whole graph), else within this page. */
  function focusOn(id, depth) {
    if (api && !config.standalone) {
      window.location.assign(api.graph + "?focus=" + encodeURIComponent(id) + "&depth=" + encodeURIComponent(depth));
    } else if (nodesById.has(id)) {
      focusLocally(id, depth);
    }
  }

  depthSelect.addEventListener("change", function () {
    currentDepth = parseInt(depthSelect.value, 10);
    if (localCenter) focusLocally(localCenter, currentDepth);
    else if (data.center && api && !config.standalone) focusOn(data.center, currentDepth);
  });

  var views = document.getElementById("kg-views");
  function renderViews() {
    clear(views);
    if (api && !config.standalone) {
      views.appendChild(el("a", { href: api.graph, class: data.mode === "default" ? "kg-current" : null }, "Seed question"));
      views.appendChild(el("a", { href: api.graph + "?full=1", class: data.mode === "full" ? "kg-current" : null }, "Full graph"));
    }
    if (localCenter) {
      var back = el("button", { type: "button", id: "kg-show-all" }, "Show all");
      back.addEventListener("click", unfocusLocally);
      views.appendChild(back);
    }
  }
  renderViews();

  // ---------------------------------------------------------------- search
  var wordForms = data.word_forms || {};
  /** Name tokens folded as kg.resolve.name_tokens does (the page's search must agree with the API's). */
  function tokens(text) {
    var folded = String(text).normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase();
    return folded.split(/[^0-9a-z]+/).filter(Boolean).map(function (token) {
      return Object.prototype.hasOwnProperty.call(wordForms, token) ? wordForms[token] : singular(token);
    });
  }
  function singular(token) {
    var n = token.length;
    if (n > 5 && (token.endsWith("omas") || token.endsWith("ias"))) return token.slice(0, -1);
    if (n <= 3 || token[n - 1] !== "s" || ["ss", "us", "is", "as", "os"].some(function (e) { return token.endsWith(e); })) {
      return token;
    }
    if (token.endsWith("ies") && n > 4) return token.slice(0, -3) + "y";
    return token.slice(0, -1);
  }

  /** Local autocomplete over the page's names: exact, prefix, word prefix, then substring matches. */
  function searchLocally(text, limit) {
    var query = tokens(text).join(" ");
    var raw = String(text).trim().toLowerCase();
    if (!query && !raw) return [];
    var found = new Map();
    var ranks = [
      function (key) { return key === query; },
      function (key) { return key.startsWith(query); },
      function (key) { return (" " + key).indexOf(" " + query) >= 0; },
      function (key, name) { return raw.length >= 2 && name.toLowerCase().indexOf(raw) >= 0; },
    ];
    if (nodesById.has(text.trim())) found.set(text.trim(), { id: text.trim(), name: null });
    ranks.forEach(function (test) {
      data.names.forEach(function (entry) {
        if (found.size >= limit || found.has(entry[2])) return;
        if (query && test(entry[0], entry[1])) found.set(entry[2], { id: entry[2], name: entry[1] });
        else if (!query && test === ranks[3] && test(entry[0], entry[1])) found.set(entry[2], { id: entry[2], name: entry[1] });
      });
    });
    return Array.from(found.values()).slice(0, limit).map(function (hit) {
      var node = nodesById.get(hit.id);
      return { id: hit.id, label: node.label, type: node.type, name: hit.name };
    });
  }

  var searchInput = document.getElementById("kg-search-input");
  var resultList = document.getElementById("kg-search-results");
  var results = [];
  var active = -1;
  var searchToken = 0;

  function renderResults() {
    clear(resultList);
    resultList.hidden = results.length === 0 && !searchInput.value.trim();
    if (!results.length) {
      if (searchInput.value.trim()) resultList.appendChild(el("li", { class: "kg-empty" }, "No entity found"));
      return;
    }
    results.forEach(function (hit, index) {
      var style = styleOf(hit.type);
      var item = el("li", { role: "option", class: index === active ? "kg-active" : null, "data-id": hit.id },
        swatch(style), el("span", { class: "kg-result-label" }, hit.label),
        el("span", { class: "kg-result-type" }, style.label),
        hit.name && hit.name !== hit.label ? el("span", { class: "kg-result-match" }, "matches \u201c" + hit.name + "\u201d") : null);
      item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(hit); });
      resultList.appendChild(item);
    });
  }

  function runSearch() {
    var text = searchInput.value;
    var mine = ++searchToken;
    active = -1;
    if (!text.trim()) { results = []; renderResults(); return; }
    if (config.standalone || !api) {
      results = searchLocally(text, 10);
      renderResults();
      return;
    }
    fetch(api.search + "?q=" + encodeURIComponent(text) + "&limit=10", { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (body) {
        if (mine !== searchToken) return;
        results = body.results || [];
        renderResults();
      })
      .catch(function () { if (mine === searchToken) { results = []; renderResults(); } });
  }

  function choose(hit) {
    resultList.hidden = true;
    searchInput.value = hit.label;
    focusOn(hit.id, currentDepth);
  }

  var searchTimer = null;
  searchInput.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, config.standalone ? 60 : 150);
  });
  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!results.length) return;
      active = (active + (event.key === "ArrowDown" ? 1 : results.length - 1)) % results.length;
      renderResults();
      event.preventDefault();
    } else if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(searchTimer);
      if (results.length) { choose(results[Math.max(active, 0)]); return; }
      var pending = searchInput.value;
      runSearch();
      // results of a server search arrive later: pick the first one when they do
      var wait = setInterval(function () {
        if (searchInput.value !== pending) { clearInterval(wait); return; }
        if (results.length) { clearInterval(wait); choose(results[0]); }
      }, 50);
      setTimeout(function () { clearInterval(wait); }, 3000);
    } else if (event.key === "Escape") {
      resultList.hidden = true;
    }
  });
  searchInput.addEventListener("blur", function () { setTimeout(function () { resultList.hidden = true; }, 100); });
  searchInput.addEventListener("focus", function () { if (results.length) resultList.hidden = false; });

  // ---------------------------------------------------------------- details panel
  var panel = document.getElementById("kg-details");
  var detailCache = new Map();

  function fetchDetails(id) {
    if (data.details && data.details[id]) return Promise.resolve(data.details[id]);
    if (detailCache.has(id)) return Promise.resolve(detailCache.get(id));
    if (!api || config.standalone) return Promise.resolve(null);
    return fetch(api.details + "?id=" + encodeURIComponent(id), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body) detailCache.set(id, body); return body; });
  }

  /** A reference to another node: selects it when drawn here, else (served page) focuses on it. */
  function refLink(ref) {
    if (!ref) return null;
    var link = el("a", { href: "#", class: "kg-ref", "data-id": ref.id }, ref.label || ref.id);
    link.addEventListener("click", function (event) {
      event.preventDefault();
      if (nodesById.has(ref.id) && nodeView.get(ref.id)) selectNode(ref.id);
      else if (api && !config.standalone) focusOn(ref.id, currentDepth);
      else if (nodesById.has(ref.id)) selectNode(ref.id);
    });
    return link;
  }

  function refList(refs) {
    var list = (refs || []).filter(Boolean);
    if (!list.length) return null;
    var span = el("span");
    list.forEach(function (ref, index) {
      if (index) span.appendChild(document.createTextNode(", "));
      span.appendChild(refLink(ref));
    });
    return span;
  }

  function facts(rows) {
    var dl = el("dl", { class: "kg-facts" });
    rows.forEach(function (row) {
      if (row[1] == null || row[1] === "" || (Array.isArray(row[1]) && !row[1].length)) return;
      dl.appendChild(el("dt", null, row[0]));
      dl.appendChild(el("dd", { "data-field": row[2] || null }, row[1]));
    });
    return dl.childNodes.length ? dl : null;
  }

  function section(title, content) {
    if (content == null || (Array.isArray(content) && !content.filter(Boolean).length)) return null;
    return el("section", { class: "kg-section" }, el("h3", null, title), content);
  }

  function ciText(outcome) {
    if (outcome.ci_lower == null || outcome.ci_upper == null) return null;
    return (outcome.ci_level != null ? outcome.ci_level + "% CI " : "CI ") + outcome.ci_lower + "\u2013" + outcome.ci_upper;
  }

  function outcomeItem(outcome) {
    return el("li", { class: "kg-outcome" },
      el("span", { class: "kg-outcome-text" }, outcome.text || ""),
      facts([
        ["of", outcome.label],
        ["CI", ciText(outcome), "ci"],
        ["p", outcome.p_value != null ? (outcome.p_comparator && outcome.p_comparator !== "=" ? outcome.p_comparator : "= ") + outcome.p_value : null],
        ["arm", outcome.arm ? refLink(outcome.arm) : null],
        ["vs", outcome.comparator_arm ? refLink(outcome.comparator_arm) : null],
        ["population", outcome.population ? refLink(outcome.population) : null],
        ["timepoint", outcome.timepoint],
        ["note", outcome.machine_extracted ? "extracted by a program from free text" : null],
      ]));
  }

  function sourceBlock(source) {
    if (!source) return null;
    var ids = [];
    if (source.doi) ids.push(externalLink("https://doi.org/" + source.doi, "doi:" + source.doi));
    if (source.pmid) ids.push(externalLink("https://pubmed.ncbi.nlm.nih.gov/" + encodeURIComponent(source.pmid) + "/", "PMID:" + source.pmid));
    if (source.url && (!source.doi || source.url !== "https://doi.org/" + source.doi)) ids.push(externalLink(source.url, source.url));
    var idSpan = null;
    if (ids.length) {
      idSpan = el("span");
      ids.forEach(function (link, index) { if (index) idSpan.appendChild(document.createTextNode(" \u00b7 ")); idSpan.appendChild(link); });
    }
    return el("div", { class: "kg-source" },
      el("div", { class: "kg-citation" }, source.citation || source.id),
      facts([
        ["title", source.title],
        ["journal", source.journal],
        ["year", source.year != null ? String(source.year) : null],
        ["ids", idSpan],
        ["registry", (source.registry_ids || []).join(", ")],
        ["reported in", source.reported_in ? refLink(source.reported_in) : null],
        ["ref. no.", (source.reference_numbers || []).join(", ")],
        ["note", source.curator_note],
      ]));
  }

  function evidenceLink(details) {
    var query = details.evidence_query;
    if (!query) return null;
    var path = "?" + encodeURIComponent(query.parameter) + "=" + encodeURIComponent(query.value);
    var count = details.evidence_count || 0;
    var text = count + " evidence item" + (count === 1 ? "" : "s") + " directly about it";
    if (api && api.evidence) {
      return [
        el("p", { class: "kg-evidence-link" }, text + ": ",
          el("a", { href: api.evidence + path, target: "_blank", rel: "noopener" }, "list them through the API")),
        synthesisLink(path, "Their reported outcomes side by side: "),
      ];
    }
    return el("p", { class: "kg-evidence-link" }, text + "; with the API running: ",
      el("code", null, "GET /evidence" + path));
  }

  /** A link to the synthesis (outcomes side by side, forest plots) of a question given as a query string. */
  function synthesisLink(path, text) {
    if (!api || !api.synthesis) return null;
    return el("p", { class: "kg-synthesis-link" }, text,
      el("a", { href: api.synthesis + path, target: "_blank", rel: "noopener" }, "synthesis (table and forest plots)"));
  }

  /** The synthesis of an evidence item's own claim: its therapy, alterations and disease. */
  function claimSynthesisLink(evidence) {
    var pairs = [];
    var most = 10;  // the API's bound on names per facet
    (evidence.therapy || []).concat(evidence.therapy_classes || []).slice(0, most).forEach(function (ref) { pairs.push(["therapy", ref.id]); });
    (evidence.alterations || []).slice(0, most).forEach(function (ref) { pairs.push(["alteration", ref.id]); });
    if (!(evidence.alterations || []).length) (evidence.genes || []).slice(0, most).forEach(function (ref) { pairs.push(["gene", ref.id]); });
    if (evidence.disease) pairs.push(["disease", evidence.disease.id]);
    if (!pairs.length) return null;
    var path = "?" + pairs.map(function (pair) { return encodeURIComponent(pair[0]) + "=" + encodeURIComponent(pair[1]); }).join("&");
    return synthesisLink(path, "Outcomes of the evidence on the same therapy, alteration and disease: ");
  }

  function renderEvidence(evidence) {
    var quote = evidence.quote || {};
    var spans = [quote.text].concat(quote.continuation || []).filter(Boolean);
    return [
      facts([
        ["type", words(evidence.evidence_type)],
        ["direction", words(evidence.direction)],
        ["significance", words(evidence.significance)],
        ["level", evidence.level ? evidence.level + (evidence.level_rationale ? " \u2014 " + evidence.level_rationale : "") : null],
        ["therapy", refList((evidence.therapy || []).concat(evidence.therapy_classes || []))],
        ["alterations", refList(evidence.alterations)],
        ["profile", evidence.molecular_profile ? refLink(evidence.molecular_profile) : null],
        ["genes", refList(evidence.genes)],
        ["disease", evidence.disease ? refLink(evidence.disease) : null],
        ["study", evidence.study ? refLink({ id: evidence.study.id, label: evidence.study.name }) : null],
        ["design", evidence.study ? words(evidence.study.design) + (evidence.study.sample_size ? ", n = " + evidence.study.sample_size : "") : null],
        ["population", evidence.population ? refLink({ id: evidence.population.id, label: evidence.population.label }) : null],
        ["CIViC", evidence.url ? externalLink(evidence.url, evidence.url) : null],
      ]),
      section("Outcomes", (evidence.outcomes || []).length ? el("ul", { class: "kg-outcomes" }, evidence.outcomes.map(outcomeItem)) : null),
      section("Quote", spans.length ? el("div", null,
        el("blockquote", { class: "kg-quote" }, spans.join(" \u2026 ")),
        facts([["section", words(quote.section)], ["where", quote.locator], ["reads as", quote.corrected]])) : null),
      section("Source", sourceBlock(quote.source)),
      section("Cites", (evidence.cites || []).length ? el("div", null, evidence.cites.map(sourceBlock)) : null),
      section("Curator notes", (evidence.curator_notes || []).length ? el("ul", null, evidence.curator_notes.map(function (note) { return el("li", null, note); })) : null),
      claimSynthesisLink(evidence),
    ];
  }

  function renderEntity(details) {
    var xrefs = (details.xrefs || []).map(function (xref) {
      return el("li", null, externalLink(xref.iri, xref.id), xref.status === "verified_secondary" ? " (secondary)" : null);
    });
    var study = details.study;
    return [
      details.description ? el("p", { class: "kg-description" }, details.description) : null,
      section("Synonyms", (details.synonyms || []).length ? el("ul", { class: "kg-synonyms" }, details.synonyms.map(function (name) { return el("li", null, name); })) : null),
      section("Identifiers", xrefs.length ? el("ul", { class: "kg-xrefs" }, xrefs) : null),
      facts([
        ["broader", refList(details.parents)],
        ["narrower", refList(details.children)],
      ]),
      study ? section("Study", facts([
        ["design", words(study.design)],
        ["phase", study.phase],
        ["patients", study.sample_size != null ? String(study.sample_size) : null],
        ["arms", refList((study.arms || []).map(function (arm) { return { id: arm.id, label: arm.label + " (" + arm.role + ")" }; }))],
        ["line", study.line_of_therapy],
        ["setting", study.setting],
        ["registry", (study.registry_ids || []).join(", ")],
        ["sources", refList(study.sources)],
      ])) : null,
      details.source ? section("Source", sourceBlock(details.source)) : null,
      details.curator_note ? section("Curator note", el("p", null, details.curator_note)) : null,
      evidenceLink(details),
    ];
  }

  function renderDetails(id, details) {
    clear(panel);
    var node = nodesById.get(id) || { id: id, label: id, type: "unknown" };
    var style = styleOf(details ? details.type : node.type);
    var close = el("button", { type: "button", class: "kg-close", "aria-label": "Close details" }, "\u00d7");
    close.addEventListener("click", function () { panel.hidden = true; network.unselectAll(); });
    panel.appendChild(el("header", { class: "kg-details-header" }, close,
      el("div", { class: "kg-type" }, swatch(style), " ", details && details.type_label ? details.type_label : style.label),
      details && details.evidence
        ? el("h2", { class: "kg-details-title kg-statement" }, details.evidence.statement)
        : el("h2", { class: "kg-details-title" }, details ? details.label : node.label),
      el("code", { class: "kg-id" }, id)));
    if (!details) {
      panel.appendChild(el("p", null, "No details available."));
    } else if (details.evidence) {
      append(panel, renderEvidence(details.evidence));
    } else if (details.outcome) {
      append(panel, [
        el("ul", { class: "kg-outcomes" }, outcomeItem(details.outcome)),
        facts([["evidence", details.of_evidence ? refLink(details.of_evidence) : null]]),
      ]);
    } else {
      append(panel, renderEntity(details));
    }
    var actions = el("p", { class: "kg-actions" });
    if (nodesById.has(id) && (!api || config.standalone)) {
      var focusButton = el("button", { type: "button", class: "kg-focus" }, "Show its neighbourhood");
      focusButton.addEventListener("click", function () { focusLocally(id, currentDepth); });
      actions.appendChild(focusButton);
    } else if (api && !config.standalone) {
      actions.appendChild(el("a", { class: "kg-focus", href: api.graph + "?focus=" + encodeURIComponent(id) + "&depth=" + currentDepth }, "Show its neighbourhood"));
    }
    panel.appendChild(actions);
  }

  var detailToken = 0;
  function showDetails(id) {
    var mine = ++detailToken;
    panel.hidden = false;
    clear(panel);
    panel.appendChild(el("p", { class: "kg-loading" }, "Loading\u2026"));
    fetchDetails(id).then(function (details) {
      if (mine === detailToken) { renderDetails(id, details); panel.setAttribute("data-node", id); }
    }, function () {
      if (mine === detailToken) renderDetails(id, null);
    });
  }

  function selectNode(id) {
    if (!nodeView.get(id)) return;
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
    showDetails(id);
  }

  network.on("click", function (params) {
    if (params.nodes.length) showDetails(params.nodes[0]);
  });

  // ---------------------------------------------------------------- start
  updateStatus();
  if (data.center && nodesById.has(data.center)) {
    network.once(large ? "afterDrawing" : "stabilizationIterationsDone", function () { selectNode(data.center); });
  }

  /** Handle for tests and the console: the vis objects and the page's actions. */
  window.kgView = {
    network: network,
    nodes: visNodes,
    edges: visEdges,
    view: nodeView,
    state: state,
    tokens: tokens,
    focus: focusOn,
    select: selectNode,
    drawnNodeCount: function () { return network.body.nodeIndices.length; },
  };
})();
