/* InnoGraph explorer: vis-network over the InnoGraph HTTP API (or over data written into a
   standalone page). Positions come from the server (physics stays off); expanding places new
   nodes beside their parent and leaves every other node where it is. */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("explorer-config").textContent);
  const embedded = JSON.parse(document.getElementById("explorer-data").textContent);
  const STANDALONE = !!config.standalone;
  const API = config.api || "";
  const $ = (id) => document.getElementById(id);

  const state = {
    view: null,          // the last view payload from the API
    style: embedded ? embedded.style : null,
    mode: "focus",
    hidden: new Set(),   // node ids hidden by the user
    hiddenLabels: new Set(),
    hiddenTypes: new Set(),
    minConfidence: 0,
    dates: [],           // sorted distinct evidence dates of the view
    dateFrom: 0,
    dateTo: 0,
    sizeBy: "degree",
    undo: [],
    expanded: [],
    highlight: { nodes: [], edges: [] },
    selectedPath: 0,
    readyAt: null,
    lastExpandMs: null,
  };

  const nodes = new vis.DataSet();
  const edges = new vis.DataSet();
  const nodeView = new vis.DataView(nodes, { filter: (n) => nodeVisible(n) });
  const edgeView = new vis.DataView(edges, { filter: (e) => edgeVisible(e) });
  // While a new view is written into the DataSets the network watches these empty ones, so
  // it takes the whole view in one batch instead of item by item.
  const detachedNodes = new vis.DataSet();
  const detachedEdges = new vis.DataSet();
  let network = null;

  // ---- helpers ------------------------------------------------------------------------

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  function apiUrl(path, params) {
    const url = new URL(API + path, window.location.origin);
    for (const [k, v] of Object.entries(params || {})) {
      if (v == null || v === "") continue;
      if (Array.isArray(v)) v.forEach((x) => url.searchParams.append(k, x));
      else url.searchParams.set(k, v);
    }
    return url.toString();
  }

  async function api(path, params, body) {
    return fetchJson(apiUrl(path, params), body);
  }

  async function fetchJson(url, post) {
    const res = await fetch(url, post === undefined ? undefined : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(post) });
    const body = await res.json();
    if (!res.ok) {
      const err = body && body.error ? body.error : { message: res.statusText };
      const e = new Error(err.message);
      e.candidates = err.candidates || [];
      throw e;
    }
    return body;
  }

  // A compact view (format=compact) has nodes and edges as rows of node_fields /
  // edge_fields; the rest of the page reads objects.
  function decode(v) {
    if (!v.node_fields) return v;
    const nf = v.node_fields, ef = v.edge_fields;
    v.nodes = v.nodes.map((row) => { const n = {}; for (let i = 0; i < nf.length; i++) n[nf[i]] = row[i]; return n; });
    v.edges = v.edges.map((row) => {
      const e = {}; for (let i = 0; i < ef.length; i++) e[ef[i]] = row[i];
      e.symmetric = !!e.symmetric;
      e.id = e.source + "|" + e.type + "|" + e.target;
      return e;
    });
    return v;
  }

  // Shapes that hold their label (box, ellipse) are as wide as it: in a big view, where
  // labels wait for zooming in, they are drawn as dots (their colour still tells them).
  function shapeOf(st) {
    return state.big && (st.shape === "box" || st.shape === "ellipse") ? "dot" : st.shape;
  }

  function nodeStyle(label) {
    return (state.style && state.style.nodes[label]) || { color: "#bbbbbb", shape: "dot", label_zh: label };
  }
  function edgeStyle(type) {
    return (state.style && state.style.edges[type]) || { color: "#bbbbbb", dashes: true, arrows: true };
  }

  function showMessage(text) {
    const m = $("message");
    m.textContent = text || "";
    m.hidden = !text;
  }

  // ---- vis items ----------------------------------------------------------------------

  function nodeValue(n) {
    if (state.sizeBy === "score" || state.mode === "connectors") return 1 + 40 * (n.score || 0);
    return 1 + Math.sqrt(n.degree || 0);
  }

  // Small views give vis-network a value and let it scale sizes and labels; a big view
  // gets the same sizes computed here (vis-network's rescaling of every node and label on
  // each change of the data is a tenth of the drawing of a 2,000-node view).
  const SIZE_MIN = 6, SIZE_MAX = 30;
  let valueRange = [0, 1];
  function setValueRange(list) {
    let lo = Infinity, hi = -Infinity;
    for (const n of list) { const x = nodeValue(n); if (x < lo) lo = x; if (x > hi) hi = x; }
    valueRange = lo === Infinity ? [0, 1] : [lo, hi];
  }
  function sizeProps(n) {
    const value = nodeValue(n);
    if (!state.big) return { value };
    const [lo, hi] = valueRange;
    const t = hi > lo ? Math.min(1, Math.max(0, (value - lo) / (hi - lo))) : 0.5;
    const out = { size: SIZE_MIN + t * (SIZE_MAX - SIZE_MIN) };
    if (hubs.has(n.id)) out.font = { size: HUB_FONT };
    return out;
  }

  function tooltip(n) {
    const aliases = (n.aliases || []).slice(0, 8).join(", ");
    return `${n.name}\n${n.label}${aliases ? "\n" + aliases : ""}\n${n.degree} connections`;
  }

  function visNode(n, extra) {
    const st = nodeStyle(n.label);
    const item = {
      id: n.id,
      label: n.name,
      group: n.label,
      title: tooltip(n),
      raw: n,
    };
    Object.assign(item, sizeProps(n));
    if (!(state.style && state.style.nodes[n.label])) item.shape = shapeOf(st);
    Object.assign(item, highlightNode(n.id));
    if (n.x != null && n.y != null) { item.x = n.x; item.y = n.y; }
    if (state.mode === "connectors" && state.style) {
      // Sector colours replace label colours here; a group would win over them.
      const c = state.style.sectors[n.sector || ""] || "#bbbbbb";
      delete item.group;
      item.shape = shapeOf(st);
      item.color = { background: c, border: "#33333366", highlight: { background: c, border: "#d62728" }, hover: { background: c, border: "#d62728" } };
    }
    return Object.assign(item, extra || {});
  }

  // Highlight (paths, introducers) as item properties, so drawing a view is one pass.
  let hlNodes = new Set(), hlEdges = new Set(), hlAny = false;
  function setHighlightSets() {
    hlNodes = new Set(state.highlight.nodes);
    hlEdges = new Set(state.highlight.edges);
    hlAny = hlNodes.size > 0 && state.mode !== "focus" && state.mode !== "all";
  }
  function highlightNode(id) {
    if (!hlAny) return {};
    const on = hlNodes.has(id);
    return { borderWidth: on ? 4 : 1, opacity: on ? 1 : 0.45, font: { size: on ? 18 : 14 } };
  }
  function edgeColor(e, st) {
    const on = hlAny && hlEdges.has(e.id);
    return { color: on ? "#d62728" : hlAny ? st.color + "66" : st.color, highlight: "#d62728", hover: "#d62728" };
  }

  function visEdge(e) {
    const st = edgeStyle(e.type);
    const on = hlAny && hlEdges.has(e.id);
    const item = {
      id: e.id,
      from: e.source,
      to: e.target,
      color: edgeColor(e, st),
      dashes: !!st.dashes && !state.big,
      width: on ? 5 : 1 + 2 * (e.confidence || 0),
      raw: e,
    };
    // A big view draws no arrow heads (each costs a border intersection per frame, half
    // of a 2,000-node view's drawing) nor dashes (a third of the rest; colour still tells
    // the type) and builds no tooltip per edge (clicking an edge shows all of it).
    if (!state.big) {
      item.arrows = e.symmetric ? "" : "to";
      item.title = edgeTitle(e);
    }
    return item;
  }

  function edgeTitle(e) {
    return `${e.type}\nconfidence ${(e.confidence || 0).toFixed(2)} · ${e.evidence_count} sentence(s)` + (e.date_min ? `\n${e.date_min}${e.date_max !== e.date_min ? " – " + e.date_max : ""}` : "");
  }

  // ---- filtering ----------------------------------------------------------------------

  let visibleEdgeCount = null; // node id -> visible edges, when edge filters are narrowing

  function dateActive() {
    return state.dates.length > 0 && (state.dateFrom > 0 || state.dateTo < state.dates.length - 1);
  }

  function edgePasses(e) {
    const r = e.raw;
    if (state.hiddenTypes.has(r.type)) return false;
    if ((r.confidence || 0) < state.minConfidence) return false;
    if (dateActive()) {
      // A relation belongs to the period in which it was first reported; one without a
      // dated document cannot be placed in any period, so a narrowed range leaves it out.
      if (!r.date_min) return false;
      if (r.date_min < state.dates[state.dateFrom] || r.date_min > state.dates[state.dateTo]) return false;
    }
    return true;
  }

  // Nothing hidden and no filter narrowing: every item passes (vis-network runs the
  // filters over every edge on each change of the data).
  function unfiltered() {
    return !visibleEdgeCount && state.hidden.size === 0 && state.hiddenLabels.size === 0 && state.hiddenTypes.size === 0 && state.minConfidence <= 0 && !dateActive();
  }

  function nodeVisible(n) {
    if (state.hidden.has(n.id) || state.hiddenLabels.has(n.raw.label)) return false;
    if (visibleEdgeCount && visibleEdgeCount.total.has(n.id) && !visibleEdgeCount.kept.has(n.id)) {
      return isAnchor(n.id);
    }
    return true;
  }

  function edgeVisible(e) {
    if (unfiltered()) return true;
    if (!edgePasses(e)) return false;
    const a = nodes.get(e.from), b = nodes.get(e.to);
    return !!a && !!b && nodeVisible(a) && nodeVisible(b);
  }

  function isAnchor(id) {
    return (state.view && (state.view.focus || []).includes(id)) || state.highlight.nodes.includes(id);
  }

  function refreshFilters() {
    computeNarrowing();
    nodeView.refresh();
    edgeView.refresh();
    updateStatus();
    renderLegend();
  }

  function computeNarrowing() {
    const narrowing = state.hiddenTypes.size > 0 || state.minConfidence > 0 || dateActive();
    if (narrowing) {
      // A node whose every relation is filtered out leaves the picture too (that is how a
      // date range shows the network growing); nodes that had no relation in view stay.
      const total = new Set(), kept = new Set();
      edges.forEach((e) => {
        total.add(e.from); total.add(e.to);
        if (edgePasses(e)) { kept.add(e.from); kept.add(e.to); }
      });
      visibleEdgeCount = { total, kept };
    } else {
      visibleEdgeCount = null;
    }
  }

  // ---- status and legend --------------------------------------------------------------

  function updateStatus() {
    const v = state.view;
    const s = $("status");
    if (!v) { s.textContent = ""; return; }
    const shown = nodeView.length;
    const total = Math.max(v.total_nodes, nodes.length);
    let text = `showing ${shown} of ${total} nodes · ${edgeView.length} edges`;
    if (shown < nodes.length) text += ` (${nodes.length - shown} filtered or hidden)`;
    if (v.truncated) text += ` · capped at ${v.limit}: narrow with a type filter, fewer hops or top-N`;
    if (v.layout && v.layout.algorithm !== "none") text += ` · layout ${v.layout.ms} ms${v.layout.cached ? " (cached)" : ""}`;
    s.textContent = text;
    s.classList.toggle("truncated", !!v.truncated);
    s.dataset.shown = shown;
    s.dataset.total = total;
  }

  function shapeSvg(shape, color, size) {
    const s = size || 14, h = s / 2;
    const attrs = `fill="${color}" stroke="#333" stroke-width="0.6"`;
    switch (shape) {
      case "square": case "box": return `<svg width="${s}" height="${s}"><rect x="1" y="${shape === "box" ? 3 : 1}" width="${s - 2}" height="${shape === "box" ? s - 6 : s - 2}" ${attrs}/></svg>`;
      case "diamond": return `<svg width="${s}" height="${s}"><polygon points="${h},1 ${s - 1},${h} ${h},${s - 1} 1,${h}" ${attrs}/></svg>`;
      case "triangle": return `<svg width="${s}" height="${s}"><polygon points="${h},1 ${s - 1},${s - 1} 1,${s - 1}" ${attrs}/></svg>`;
      case "triangleDown": return `<svg width="${s}" height="${s}"><polygon points="1,1 ${s - 1},1 ${h},${s - 1}" ${attrs}/></svg>`;
      case "star": return `<svg width="${s}" height="${s}" viewBox="0 0 24 24"><polygon points="12,1 15,9 23,9 17,14 19,23 12,18 5,23 7,14 1,9 9,9" ${attrs}/></svg>`;
      case "hexagon": return `<svg width="${s}" height="${s}" viewBox="0 0 24 24"><polygon points="6,2 18,2 23,12 18,22 6,22 1,12" ${attrs}/></svg>`;
      case "ellipse": return `<svg width="${s}" height="${s}"><ellipse cx="${h}" cy="${h}" rx="${h - 1}" ry="${h / 1.6}" ${attrs}/></svg>`;
      default: return `<svg width="${s}" height="${s}"><circle cx="${h}" cy="${h}" r="${h - 1}" ${attrs}/></svg>`;
    }
  }

  function renderLegend() {
    if (!state.style) return;
    const counts = {}, types = {};
    nodes.forEach((n) => { counts[n.raw.label] = (counts[n.raw.label] || 0) + 1; });
    edges.forEach((e) => { types[e.raw.type] = (types[e.raw.type] || 0) + 1; });
    const ln = $("legend-nodes");
    ln.innerHTML = Object.entries(state.style.nodes).filter(([label]) => counts[label]).map(([label, st]) => {
      const color = state.mode === "connectors" ? null : st.color;
      return `<div class="legend-item${state.hiddenLabels.has(label) ? " off" : ""}" data-label="${esc(label)}" title="click: show/hide ${esc(label)}">${shapeSvg(shapeOf(st), color || "#ddd")}<span>${esc(st.label_zh)} ${esc(label)}</span><span class="count">${counts[label]}</span></div>`;
    }).join("") + (state.mode === "connectors" ? Object.entries(state.style.sectors).filter(([k]) => k).map(([k, c]) => `<div class="legend-item">${shapeSvg("dot", c)}<span>sector: ${esc(k)}</span></div>`).join("") : "");
    const le = $("legend-edges");
    le.innerHTML = Object.entries(state.style.edges).filter(([type]) => types[type]).map(([type, st]) =>
      `<div class="legend-item${state.hiddenTypes.has(type) ? " off" : ""}" data-type="${esc(type)}" title="click: show/hide ${esc(type)}"><svg width="26" height="10"><line x1="1" y1="5" x2="25" y2="5" stroke="${st.color}" stroke-width="2" ${st.dashes && !state.big ? 'stroke-dasharray="4,3"' : ""}/></svg><span>${esc(type)}</span><span class="count">${types[type]}</span></div>`
    ).join("");
  }

  $("legend-nodes").addEventListener("click", (ev) => {
    const item = ev.target.closest("[data-label]");
    if (!item) return;
    const label = item.dataset.label;
    toggleSet(state.hiddenLabels, label);
    state.undo.push({ kind: "label", label });
    syncUndo();
    refreshFilters();
  });
  $("legend-edges").addEventListener("click", (ev) => {
    const item = ev.target.closest("[data-type]");
    if (!item) return;
    const type = item.dataset.type;
    toggleSet(state.hiddenTypes, type);
    state.undo.push({ kind: "type", type });
    syncUndo();
    refreshFilters();
  });

  function toggleSet(set, x) { if (set.has(x)) set.delete(x); else set.add(x); }

  // ---- drawing a view -----------------------------------------------------------------

  // Views from this size are drawn for speed: no arrows, no per-edge tooltip, no hover
  // highlighting, edges hidden while dragging or zooming, fewer labels when zoomed out.
  const BIG_NODES = 1000, BIG_EDGES = 2500;
  function isBig(nodeCount, edgeCount) { return nodeCount > BIG_NODES || edgeCount > BIG_EDGES; }

  function networkOptions() {
    const big = state.big;
    const groups = {};
    if (state.style) {
      for (const [label, st] of Object.entries(state.style.nodes)) {
        groups[label] = { shape: shapeOf(st), color: { background: st.color, border: "#33333366", highlight: { background: st.color, border: "#d62728" }, hover: { background: st.color, border: "#d62728" } } };
      }
    }
    const face = (state.style && state.style.font) || "sans-serif";
    return {
      autoResize: true,
      physics: false,
      layout: { improvedLayout: false, randomSeed: 1 },
      groups,
      nodes: {
        borderWidth: 1,
        font: { face, size: 14, color: "#1d2939", strokeWidth: 3, strokeColor: "#ffffff" },
        scaling: { min: SIZE_MIN, max: SIZE_MAX, label: { enabled: true, min: 11, max: 22, drawThreshold: big ? labelThreshold : 5 } },
        shapeProperties: { interpolation: false },
      },
      edges: {
        smooth: false,
        selectionWidth: 2,
        hoverWidth: 0.5,
        arrows: { to: { enabled: false, scaleFactor: 0.5 } },
        font: { face, size: 11, align: "middle" },
      },
      interaction: { hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: true, navigationButtons: false, keyboard: false },
    };
  }

  function ensureNetwork() {
    if (network) { network.setOptions(networkOptions()); return; }
    network = new vis.Network($("network"), { nodes: nodeView, edges: edgeView }, networkOptions());
    network.on("click", onClick);
    network.on("doubleClick", (p) => { if (p.nodes.length) expand(p.nodes[0]); });
  }

  function drawView(v) {
    state.view = v;
    state.style = v.style;
    state.hidden.clear(); state.hiddenLabels.clear(); state.hiddenTypes.clear();
    state.undo = []; state.expanded = [];
    state.minConfidence = 0; $("f-conf").value = 0; $("f-conf-out").textContent = "0";
    state.highlight = { nodes: v.highlight_nodes || [], edges: v.highlight_edges || [] };
    state.selectedPath = 0;
    setupDates(v.edges);
    const t0 = performance.now();
    const T = (k) => { state.timings[k] = Math.round(performance.now() - t0); };
    state.timings = {};
    setHighlightSets();
    state.big = isBig(v.nodes.length, v.edges.length);
    if (state.big) { setValueRange(v.nodes); setLabelPolicy(v.nodes); } else hubs = new Set();
    // vis-network redraws synchronously on every change of its data (once for the nodes,
    // once for the edges) and again to fit: blocked here, the view is drawn once, already
    // fitted.
    const body = network && network.body;
    if (body) body.emitter.emit("_blockRedraw");
    nodeView.setData(detachedNodes);
    edgeView.setData(detachedEdges);
    nodes.clear(); edges.clear();
    T("clear");
    nodes.add(v.nodes.map((n) => visNode(n)));
    edges.add(v.edges.map(visEdge));
    T("items");
    showDates();
    computeNarrowing();
    ensureNetwork();
    network.body.emitter.emit("_blockRedraw");
    T("network");
    nodeView.setData(nodes);
    T("nodes");
    edgeView.setData(edges);
    T("attached");
    updateStatus();
    renderLegend();
    T("legend");
    showMessage(v.message);
    syncUndo();
    return new Promise((resolve) => {
      network.once("afterDrawing", () => {
        state.readyAt = performance.now();
        T("drawn");
        state.lastDrawMs = state.readyAt - t0;
        document.body.dataset.ready = String((Number(document.body.dataset.ready) || 0) + 1);
        resolve();
        if (v.dates_pending && v.token && !STANDALONE) loadDates(v);
      });
      network.redraw(); // sizes the canvas to the page (the drawing itself is blocked)
      fitTo(v.nodes);
      network.body.emitter.emit("_allowRedraw");
      network.redraw();
    });
  }

  // The view that shows every node, from the server's positions (vis-network's own fit
  // needs every node measured, that is a drawing pass of its own).
  function fitView(list) {
    const el = $("network");
    const w = el.clientWidth || 800, h = el.clientHeight || 600;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const n of list) {
      if (n.x == null) continue;
      if (n.x < x0) x0 = n.x; if (n.x > x1) x1 = n.x;
      if (n.y < y0) y0 = n.y; if (n.y > y1) y1 = n.y;
    }
    if (x0 === Infinity) return null;
    const pad = 40; // a node's half size and its label
    const scale = Math.min(1, 0.95 * Math.min(w / (x1 - x0 + 2 * pad), h / (y1 - y0 + 2 * pad)));
    return { position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale };
  }

  function fitTo(list) {
    const fit = fitView(list);
    if (!fit) { network.fit({ animation: false }); return; }
    network.moveTo({ position: fit.position, scale: fit.scale, animation: false });
  }

  // A big view names only its hubs until the user zooms in: 2,000 overlapping labels are
  // unreadable (and slow). Labels show from a quarter more zoom than the fitted view; the
  // HUB_LABELS biggest nodes get a larger font that shows at once.
  const HUB_LABELS = 12, HUB_FONT = 20;
  let labelThreshold = 9, hubs = new Set();
  function setLabelPolicy(list) {
    const fit = fitView(list);
    labelThreshold = fit ? Math.max(5, 14 * fit.scale * 1.25 + 1) : 9;
    const ranked = list.map((n) => [nodeValue(n), n.id]).sort((a, b) => b[0] - a[0]);
    hubs = new Set(ranked.slice(0, HUB_LABELS).map((x) => x[1]));
  }

  async function loadDates(v) {
    let got;
    try { got = await api("/view/dates/" + encodeURIComponent(v.token)); } catch (e) { return; }
    if (state.view !== v) return;
    for (const [key, [a, b]] of Object.entries(got.dates || {})) {
      const e = edges.get(key);
      if (e) { e.raw.date_min = a; e.raw.date_max = b; }
    }
    v.dates_pending = false;
    setupDatesKeep();
    document.body.dataset.dates = "1";
  }

  function applyHighlight() {
    // A later change of highlight (another path picked): restyle every item once.
    const wasAny = hlAny;
    setHighlightSets();
    if (!hlAny && !wasAny) return;
    const nodeUpdates = [], edgeUpdates = [];
    nodes.forEach((n) => {
      const on = hlNodes.has(n.id);
      nodeUpdates.push({ id: n.id, borderWidth: on && hlAny ? 4 : 1, opacity: hlAny && !on ? 0.45 : 1, font: { size: on && hlAny ? 18 : 14 } });
    });
    edges.forEach((e) => {
      const on = hlAny && hlEdges.has(e.id);
      edgeUpdates.push({ id: e.id, width: on ? 5 : 1 + 2 * (e.raw.confidence || 0), color: edgeColor(e.raw, edgeStyle(e.raw.type)) });
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
  }

  function setupDates(list) {
    const set = new Set();
    list.forEach((e) => { if (e.date_min) set.add(e.date_min); if (e.date_max) set.add(e.date_max); });
    state.dates = Array.from(set).sort();
    const last = Math.max(0, state.dates.length - 1);
    state.dateFrom = 0; state.dateTo = last;
    for (const id of ["f-date-from", "f-date-to"]) { $(id).max = last; $(id).disabled = state.dates.length < 2; }
    $("f-date-from").value = 0; $("f-date-to").value = last;
    showDates();
  }
  function showDates() {
    let undated = 0;
    edges.forEach((e) => { if (!e.raw.date_min) undated++; });
    $("f-date-out").textContent = state.dates.length
      ? `first reported ${state.dates[state.dateFrom]} – ${state.dates[state.dateTo]}` + (undated ? ` (${undated} undated relation(s) ${dateActive() ? "hidden" : "shown"})` : "")
      : "(no dated evidence)";
  }

  // ---- loading views, the URL ---------------------------------------------------------

  function viewParams(v) {
    const p = new URLSearchParams();
    const q = v.params;
    const names = (v.query_names || q.names || []);
    if (v.mode === "focus") {
      p.set("focus", names.join(","));
      if (q.hops !== 1) p.set("hops", q.hops);
    } else if (v.mode === "path") {
      p.set("path", names.join(","));
      if (q.k !== 3) p.set("k", q.k);
      if (q.max_hops !== 6) p.set("max_hops", q.max_hops);
      if (q.via && q.via.length) p.set("via", q.via.join(","));
      if (q.avoid && q.avoid.length) p.set("avoid", (v.query_avoid || q.avoid).join(","));
    } else if (v.mode === "introduce") {
      p.set("introduce", names.join(","));
      if (q.top !== 10) p.set("top", q.top);
    } else if (v.mode === "connectors") {
      p.set("connectors", q.top);
      if (q.between && q.between.length) p.set("between", q.between.join(","));
    } else if (v.mode === "all") {
      p.set("overview", q.limit);
    }
    if (q.labels && q.labels.length) p.set("label", q.labels.join(","));
    if (q.limit && q.limit !== config.viewLimit && v.mode !== "all") p.set("limit", q.limit);
    if (state.sizeBy !== "degree") p.set("size", state.sizeBy);
    if (q.seed) p.set("seed", q.seed);
    if (state.expanded.length) p.set("expand", state.expanded.join(","));
    return p;
  }

  function syncUrl(push) {
    if (STANDALONE || !state.view) return;
    const url = "/explore?" + viewParams(state.view).toString();
    if (url === location.pathname + location.search) return;
    if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
  }

  function split(s) { return (s || "").split(",").map((x) => x.trim()).filter(Boolean); }

  function requestFromUrl() {
    const u = new URLSearchParams(location.search);
    const common = { label: split(u.get("label")), limit: u.get("limit") || undefined, size_by: u.get("size") || undefined, seed: u.get("seed") || undefined };
    state.sizeBy = u.get("size") === "score" ? "score" : "degree";
    $("size-by").value = state.sizeBy;
    if (u.get("path")) {
      const [a, b] = split(u.get("path"));
      return { mode: "path", name: [a, b], k: u.get("k") || 3, max_hops: u.get("max_hops") || 6, via: split(u.get("via")), avoid: split(u.get("avoid")), ...common };
    }
    if (u.get("introduce")) return { mode: "introduce", name: split(u.get("introduce")).slice(0, 2), top: u.get("top") || 10, ...common };
    if (u.has("connectors")) return { mode: "connectors", top: u.get("connectors") || 20, between: split(u.get("between")), ...common };
    if (u.get("focus")) return { mode: "focus", name: split(u.get("focus")), hops: u.get("hops") || 1, ...common, expand: split(u.get("expand")) };
    if (u.has("overview")) return { mode: "all", limit: u.get("overview") || undefined, label: common.label, size_by: common.size_by, seed: common.seed };
    return null;
  }

  function fillForms(req) {
    const names = req.name || [];
    if (req.mode === "focus") { $("search").value = names.join(", "); $("hops").value = String(req.hops || 1); }
    if (req.mode === "path") {
      $("path-a").value = names[0] || ""; $("path-b").value = names[1] || "";
      $("path-k").value = req.k || 3; $("path-max").value = req.max_hops || 6;
      $("path-via").value = (req.via || [])[0] || ""; $("path-avoid").value = (req.avoid || []).join(", ");
    }
    if (req.mode === "introduce") { $("intro-a").value = names[0] || ""; $("intro-b").value = names[1] || ""; $("intro-top").value = req.top || 10; }
    if (req.mode === "connectors") { $("conn-top").value = req.top || 20; $("conn-between").value = (req.between || []).join(","); }
  }

  function sameRequest(a, b) {
    if (!a) return false;
    const canon = (x) => { const u = new URL(x, window.location.origin); u.searchParams.sort(); return u.pathname + "?" + u.searchParams.toString(); };
    return canon(a) === canon(b);
  }

  let firstLoad = true;
  async function load(req, push) {
    const first = firstLoad;
    firstLoad = false;
    setMode(req.mode === "all" ? "focus" : req.mode, false);
    fillForms(req);
    const params = Object.assign({}, req);
    delete params.expand;
    if (state.sizeBy === "score") params.size_by = "score";
    showMessage("");
    $("status").textContent = "loading…";
    let v;
    try {
      params.format = "compact";
      const url = apiUrl("/view", params);
      // The server asked the browser to fetch the first view (<link rel="preload">) while
      // the scripts load; the same URL takes that answer.
      v = decode(await fetchJson(first && sameRequest(config.initial, url) ? config.initial : url));
    } catch (e) {
      $("status").textContent = "";
      const cands = (e.candidates || []).slice(0, 6).map((c) => `${c.name} (${c.label})`).join(", ");
      showMessage(e.message + (cands ? " — did you mean: " + cands : ""));
      return;
    }
    v.query_names = req.name || [];
    v.query_avoid = req.avoid || [];
    await drawView(v);
    // A link may name entities by id: show their names in the search box.
    if (v.mode === "focus") $("search").value = (v.focus || []).map(nameOf).join(", ");
    renderModePanel();
    for (const id of req.expand || []) await expand(id, false);
    syncUrl(push);
  }

  window.addEventListener("popstate", () => { const r = requestFromUrl(); if (r) load(r, false); });

  // ---- expand, hide, undo -------------------------------------------------------------

  function placeAround(parent, count) {
    // New nodes go on arcs around the parent, opening away from the rest of the picture.
    const pos = network.getPositions([parent])[parent] || { x: 0, y: 0 };
    let cx = 0, cy = 0, k = 0;
    const all = network.getPositions();
    for (const [id, p] of Object.entries(all)) { if (id !== parent) { cx += p.x; cy += p.y; k++; } }
    let dir = 0;
    if (k) { cx /= k; cy /= k; if (Math.hypot(pos.x - cx, pos.y - cy) > 1) dir = Math.atan2(pos.y - cy, pos.x - cx); }
    const spread = k ? (4 * Math.PI) / 3 : 2 * Math.PI;
    const out = [];
    let placed = 0, ring = 1;
    while (placed < count) {
      const r = 110 * ring;
      const capacity = Math.max(6, Math.floor((spread * r) / 60));
      const here = Math.min(capacity, count - placed);
      for (let i = 0; i < here; i++) {
        const a = dir - spread / 2 + (spread * (i + 0.5)) / here;
        out.push({ x: pos.x + r * Math.cos(a), y: pos.y + r * Math.sin(a) });
      }
      placed += here; ring++;
    }
    return out;
  }

  async function expand(id, record) {
    if (STANDALONE) { showMessage("expanding needs the server (this is a standalone export)"); return null; }
    const t0 = performance.now();
    let v;
    try {
      v = decode(await api("/view/expand/" + encodeURIComponent(id), { limit: 200, format: "compact" }, { shown: nodes.getIds() }));
    } catch (e) { showMessage(e.message); return null; }
    const tFetched = performance.now();
    const fresh = v.nodes.filter((n) => !nodes.get(n.id));
    const spots = placeAround(id, fresh.length);
    fresh.forEach((n, i) => { n.x = spots[i].x; n.y = spots[i].y; });
    const freshEdges = v.edges.filter((e) => !edges.get(e.id));
    // One drawing for the whole change (vis-network would draw after each add).
    network.body.emitter.emit("_blockRedraw");
    try {
      nodes.add(fresh.map((n) => visNode(n)));
      edges.add(freshEdges.map(visEdge));
    } finally {
      network.body.emitter.emit("_allowRedraw");
    }
    if (state.view) state.view.total_nodes = Math.max(state.view.total_nodes, nodes.length);
    state.undo.push({ kind: "expand", id, nodes: fresh.map((n) => n.id), edges: freshEdges.map((e) => e.id) });
    if (record !== false) state.expanded.push(id);
    setupDatesKeep();
    // The DataViews take the added items by themselves; a full refresh is needed only when
    // a narrowing filter may now apply differently to nodes already drawn.
    if (visibleEdgeCount) refreshFilters(); else { updateStatus(); renderLegend(); }
    syncUndo();
    const tAdded = performance.now();
    await new Promise((resolve) => { network.once("afterDrawing", resolve); network.redraw(); });
    state.lastExpandMs = performance.now() - t0;
    state.expandTimings = { fetch: Math.round(tFetched - t0), add: Math.round(tAdded - tFetched), draw: Math.round(performance.now() - tAdded) };
    if (record !== false) syncUrl(false);
    return { nodes: fresh.map((n) => n.id), edges: freshEdges.map((e) => e.id), ms: state.lastExpandMs };
  }

  function setupDatesKeep() {
    const all = []; edges.forEach((e) => all.push(e.raw));
    const before = state.dates.slice();
    const from = before[state.dateFrom], to = before[state.dateTo];
    setupDates(all);
    if (before.length > 1 && (state.dateFrom !== 0 || to !== before[before.length - 1])) {
      state.dateFrom = Math.max(0, state.dates.indexOf(from));
      state.dateTo = Math.max(0, state.dates.indexOf(to));
      $("f-date-from").value = state.dateFrom; $("f-date-to").value = state.dateTo; showDates();
    }
  }

  function hide(ids) {
    const fresh = ids.filter((id) => !state.hidden.has(id));
    fresh.forEach((id) => state.hidden.add(id));
    state.undo.push({ kind: "hide", ids: fresh });
    syncUndo();
    refreshFilters();
  }

  function onlyType(label) {
    const ids = [];
    nodes.forEach((n) => { if (n.raw.label !== label && !state.hidden.has(n.id)) ids.push(n.id); });
    hide(ids);
  }

  function undo() {
    const op = state.undo.pop();
    if (!op) return;
    if (op.kind === "hide") op.ids.forEach((id) => state.hidden.delete(id));
    if (op.kind === "label") toggleSet(state.hiddenLabels, op.label);
    if (op.kind === "type") toggleSet(state.hiddenTypes, op.type);
    if (op.kind === "expand") {
      network.body.emitter.emit("_blockRedraw");
      try { edges.remove(op.edges); nodes.remove(op.nodes); } finally { network.body.emitter.emit("_allowRedraw"); }
      const k = state.expanded.lastIndexOf(op.id);
      if (k >= 0) state.expanded.splice(k, 1);
      syncUrl(false);
      syncUndo();
      if (visibleEdgeCount) refreshFilters(); else { updateStatus(); renderLegend(); }
      network.redraw();
      return;
    }
    syncUndo();
    refreshFilters();
  }

  function syncUndo() { $("undo").disabled = state.undo.length === 0; }

  $("undo").addEventListener("click", undo);
  $("show-all").addEventListener("click", () => {
    const ids = Array.from(state.hidden);
    state.hidden.clear(); state.hiddenLabels.clear(); state.hiddenTypes.clear();
    if (ids.length) state.undo.push({ kind: "unhide", ids });
    refreshFilters();
  });
  $("fit").addEventListener("click", () => network && network.fit({ animation: false }));
  $("relayout").addEventListener("click", () => {
    if (STANDALONE || !state.view) return;
    const r = requestFromUrl() || { mode: "all" };
    r.seed = (Number(state.view.params.seed) || 0) + 1;
    load(r, true);
  });
  $("f-conf").addEventListener("input", (ev) => { state.minConfidence = Number(ev.target.value); $("f-conf-out").textContent = ev.target.value; refreshFilters(); });
  for (const id of ["f-date-from", "f-date-to"]) {
    $(id).addEventListener("input", () => {
      let a = Number($("f-date-from").value), b = Number($("f-date-to").value);
      if (a > b) { if (id === "f-date-from") b = a; else a = b; }
      state.dateFrom = a; state.dateTo = b;
      $("f-date-from").value = a; $("f-date-to").value = b;
      showDates(); refreshFilters();
    });
  }
  $("size-by").addEventListener("change", async (ev) => {
    state.sizeBy = ev.target.value;
    const missing = state.sizeBy === "score" && nodes.get().some((n) => n.raw.score == null);
    if (missing && !STANDALONE && state.view) {
      const r = requestFromUrl() || {};
      r.size_by = "score";
      await load(r, false);
      return;
    }
    if (state.big) setValueRange(nodes.get().map((n) => n.raw));
    nodes.update(nodes.get().map((n) => Object.assign({ id: n.id }, sizeProps(n.raw))));
    syncUrl(false);
  });

  // ---- side panel ---------------------------------------------------------------------

  function panel(html) { $("panel").innerHTML = html; }

  function badge(label) { const st = nodeStyle(label); return `<span class="badge" style="background:${st.color}">${esc(label)}</span>`; }

  function nameOf(id) { const n = nodes.get(id); return n ? n.raw.name : id; }

  function onClick(p) {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
  }

  async function showNode(id) {
    const n = nodes.get(id);
    const raw = n ? n.raw : { id, name: id, label: "", aliases: [] };
    const head = `<h2>${esc(raw.name)}</h2><div>${badge(raw.label)} <span class="meta">${esc(id)} · ${raw.degree != null ? raw.degree + " connections" : ""}${raw.score != null ? " · connector score " + raw.score.toFixed(3) : ""}</span></div>
      <div class="actions">${STANDALONE ? "" : '<button data-act="expand">展开 Expand</button>'}<button data-act="hide">隐藏 Hide</button><button data-act="only">只看此类 Only ${esc(raw.label)}</button>${STANDALONE ? "" : '<button data-act="focus">聚焦 Focus</button><button data-act="path-from">Path from here</button>'}</div>`;
    panel(head + `<div id="node-body" class="meta">loading…</div>`);
    $("panel").querySelector(".actions").addEventListener("click", (ev) => {
      const act = ev.target.dataset.act;
      if (act === "expand") expand(id);
      if (act === "hide") hide([id]);
      if (act === "only") onlyType(raw.label);
      if (act === "focus") load({ mode: "focus", name: [id], hops: Number($("hops").value) }, true);
      if (act === "path-from") { setMode("path"); $("path-a").value = raw.name; $("path-b").focus(); }
    });
    let detail, merges = [];
    if (STANDALONE) {
      detail = (embedded.details || {})[id] || { aliases: raw.aliases, relations: [], doc_ids: [] };
    } else {
      try {
        detail = await api("/entities/" + encodeURIComponent(id), { limit: 200 });
        merges = (await api("/entities/" + encodeURIComponent(id) + "/merges")).merges || [];
      } catch (e) { $("node-body").textContent = e.message; return; }
    }
    const body = $("node-body");
    if (!body) return;
    const groups = {};
    for (const r of detail.relations || []) (groups[r.type] = groups[r.type] || []).push(r);
    const docs = new Map();
    for (const r of detail.relations || []) for (const ev of r.evidence || []) docs.set(ev.document_id, ev);
    let html = "";
    html += `<h3>名称 Names</h3><ul><li><b>${esc(raw.name)}</b></li>${(detail.aliases || []).map((a) => `<li>${esc(a)}</li>`).join("")}</ul>`;
    if (merges.length) {
      html += `<h3>合并 Merges (${merges.length})</h3><ul>${merges.map((m) => `<li>${esc(m.name)} <span class="meta">${esc(m.reason)} · ${esc(m.document_title || m.document)}${m.undone ? " · undone" : ""}</span></li>`).join("")}</ul>`;
    }
    html += `<h3>关系 Relationships (${(detail.relations || []).length})</h3>`;
    for (const [type, rels] of Object.entries(groups)) {
      html += `<div><b>${esc(type)}</b><ul>${rels.map((r) => {
        const out = r.source === id;
        const other = out ? r.target : r.source;
        const otherName = (out ? r.target_name : r.source_name) || nameOf(other);
        const key = `${r.source}|${r.type}|${r.target}`;
        return `<li>${out ? "→" : "←"} <a class="link" data-edge="${esc(key)}" data-other="${esc(other)}">${esc(otherName)}</a> <span class="meta">${r.evidence_count} sentence(s), conf ${(r.confidence || 0).toFixed(2)}</span></li>`;
      }).join("")}</ul></div>`;
    }
    html += `<h3>文档 Documents (${Math.max(docs.size, (detail.doc_ids || []).length)})</h3><ul>${Array.from(docs.values()).map((ev) => `<li>${esc(ev.document_title || ev.document_id)} <span class="meta">${esc(ev.document_date || "")} · ${esc(ev.document_path || "")}</span></li>`).join("")}${(detail.doc_ids || []).filter((d) => !docs.has(d)).map((d) => `<li class="meta">${esc(d)}</li>`).join("")}</ul>`;
    body.className = "";
    body.innerHTML = html;
    body.addEventListener("click", (ev) => {
      const a = ev.target.closest("[data-edge]");
      if (!a) return;
      if (edges.get(a.dataset.edge)) { network.selectEdges([a.dataset.edge]); showEdge(a.dataset.edge); }
      else showEdge(a.dataset.edge);
    });
  }

  function markSentence(ev, names) {
    // The evidence span is [start, end) of the document; the sentence holds it. When the
    // sentence is exactly the span, all of it is marked; the entity names inside are
    // marked more strongly either way.
    let s = esc(ev.sentence);
    for (const name of names.filter(Boolean).sort((a, b) => b.length - a.length)) {
      const e = esc(name);
      if (e.length > 1 && s.includes(e)) s = s.split(e).join(`<mark class="entity">${e}</mark>`);
    }
    const whole = ev.end - ev.start === ev.sentence.length;
    return whole ? `<mark>${s}</mark>` : s;
  }

  function evidenceHtml(ev, names) {
    return `<div class="evidence"><div class="sentence">${markSentence(ev, names)}</div>
      <div class="doc">${esc(ev.document_title || ev.document_id)}${ev.document_date ? " · " + esc(ev.document_date) : ""}${ev.document_path ? " · " + esc(ev.document_path) : ""} · chars ${ev.start}–${ev.end} · ${esc(ev.extractor)} ${(ev.confidence || 0).toFixed(2)}</div></div>`;
  }

  function namesFor(id) {
    const n = nodes.get(id);
    return n ? [n.raw.name, ...(n.raw.aliases || [])] : [];
  }

  async function showEdge(key) {
    const [src, type, tgt] = key.split("|");
    panel(`<h2>${esc(nameOf(src))} <span class="meta">—${esc(type)}→</span> ${esc(nameOf(tgt))}</h2><div id="edge-body" class="meta">loading…</div>`);
    let list;
    if (STANDALONE) list = (embedded.evidence || {})[key] || [];
    else {
      try { list = (await api("/relations/evidence", { key })).evidence; } catch (e) { $("edge-body").textContent = e.message; return; }
    }
    const names = [...namesFor(src), ...namesFor(tgt)];
    const body = $("edge-body");
    if (!body) return;
    body.className = "";
    body.innerHTML = `<h3>证据 Evidence (${list.length})</h3>` + (list.length ? list.map((ev) => evidenceHtml(ev, names)).join("") : '<p class="meta">no sentence stored</p>');
  }

  // ---- modes and their panels ---------------------------------------------------------

  function setMode(mode, clear) {
    state.mode = mode;
    document.querySelectorAll("#modes button").forEach((b) => b.classList.toggle("active", b.dataset.mode === mode));
    document.querySelectorAll("#bar .form").forEach((f) => { f.hidden = f.dataset.form !== mode; });
    if (clear !== false && mode === "connectors") $("conn-go").focus();
  }
  document.querySelectorAll("#modes button").forEach((b) => b.addEventListener("click", () => setMode(b.dataset.mode)));

  function hopsHtml(hops) {
    return hops.map((h) => {
      const arrow = h.direction === "backward" ? "←" : h.direction === "undirected" ? "—" : "→";
      const names = [h.source_name, h.target_name, ...namesFor(h.source), ...namesFor(h.target)];
      return `<div class="hop"><b>${esc(h.source_name)}</b> ${arrow}${esc(h.type)}${arrow === "←" ? "" : ""} <b>${esc(h.target_name)}</b>${h.evidence ? evidenceHtml(h.evidence, names) : '<div class="meta">no evidence sentence</div>'}</div>`;
    }).join("");
  }

  function selectPath(i) {
    const v = state.view;
    const p = v.paths[i];
    if (!p) return;
    state.selectedPath = i;
    state.highlight = { nodes: p.nodes.map((n) => n.id), edges: p.hops.map((h) => h.relation_key) };
    applyHighlight();
    document.querySelectorAll("#panel .result").forEach((el) => el.classList.toggle("active", Number(el.dataset.index) === i));
  }

  function renderModePanel() {
    const v = state.view;
    if (!v) return;
    if (v.mode === "path") {
      if (!v.paths.length) { panel(`<h2>路径 Paths</h2><p>${esc(v.message || "no path")}</p>`); return; }
      panel(`<h2>路径 Paths (${v.paths.length})</h2><p class="meta">${esc(nameOf(v.focus[0]))} → ${esc(nameOf(v.focus[1]))}; click a path to highlight it.</p>` +
        v.paths.map((p, i) => `<div class="result${i === state.selectedPath ? " active" : ""}" data-index="${i}"><b>#${i + 1}</b> ${p.length} hop(s) · strength ${p.strength.toFixed(3)}<div class="meta">${p.nodes.map((n) => esc(n.name)).join(" → ")}</div>${hopsHtml(p.hops)}</div>`).join(""));
      $("panel").querySelectorAll(".result").forEach((el) => el.addEventListener("click", () => selectPath(Number(el.dataset.index))));
    } else if (v.mode === "introduce") {
      if (!v.introducers.length) { panel(`<h2>引荐 Introducers</h2><p>${esc(v.message || "nobody found")}</p>`); return; }
      panel(`<h2>引荐 Who can introduce ${esc(nameOf(v.focus[0]))} to ${esc(nameOf(v.focus[1]))}</h2>` +
        v.introducers.map((it, i) => `<div class="result${i === 0 ? " active" : ""}" data-index="${i}" data-id="${esc(it.entity.id)}"><b>#${i + 1} ${esc(it.entity.name)}</b> ${badge(it.entity.label)} <span class="meta">score ${it.score.toFixed(3)}</span><div class="why">${esc(it.reason)}</div>${hopsHtml(it.evidence)}</div>`).join(""));
      $("panel").querySelectorAll(".result").forEach((el) => el.addEventListener("click", () => {
        state.highlight = { nodes: [el.dataset.id], edges: [] };
        applyHighlight();
        network.selectNodes([el.dataset.id]);
        $("panel").querySelectorAll(".result").forEach((x) => x.classList.toggle("active", x === el));
      }));
    } else if (v.mode === "connectors") {
      panel(`<h2>连接者 Top connectors (${v.connectors.length})</h2><p class="meta">sized by score, coloured by sector${v.params.between && v.params.between.length ? "; between " + esc(v.params.between.join(" and ")) : ""}</p>` +
        v.connectors.map((c, i) => `<div class="result${i === 0 ? " active" : ""}" data-id="${esc(c.entity.id)}"><b>#${i + 1} ${esc(c.entity.name)}</b> ${badge(c.entity.label)} <span class="meta">score ${c.score.toFixed(3)} · ${c.degree} links · brokers ${esc(c.brokerage_pair.join("–"))}</span><div class="why">${esc(c.why)}</div></div>`).join(""));
      $("panel").querySelectorAll(".result").forEach((el) => el.addEventListener("click", () => { network.selectNodes([el.dataset.id]); network.focus(el.dataset.id, { scale: 1.2, animation: false }); showNode(el.dataset.id); }));
    } else if (v.focus && v.focus.length === 1) {
      showNode(v.focus[0]);
    } else {
      panel(`<div class="hint">Click a node or an edge. Double-click a node to expand it.</div>`);
    }
  }

  // ---- search with suggestions --------------------------------------------------------

  function localSearch(q) {
    const key = q.trim().toLowerCase();
    const out = [];
    nodes.forEach((n) => {
      const names = [n.raw.name, ...(n.raw.aliases || [])];
      const hit = names.find((x) => x.toLowerCase().includes(key));
      if (hit) out.push({ id: n.id, name: n.raw.name, label: n.raw.label, aliases: n.raw.aliases || [], matched: hit });
    });
    return out.slice(0, 10);
  }

  function attachSuggest(input, onPick) {
    const box = document.createElement("div");
    box.className = "suggestions"; box.hidden = true;
    input.parentNode.appendChild(box);
    let items = [], active = -1, seq = 0, timer = null;
    function render() {
      box.innerHTML = items.map((it, i) => `<div class="${i === active ? "active" : ""}" data-i="${i}" data-id="${esc(it.id)}">${badge(it.label)} ${esc(it.name)}${it.matched && it.matched !== it.name ? `<small>${esc(it.matched)}</small>` : ""}<small>${esc((it.aliases || []).filter((a) => a !== it.matched).slice(0, 3).join(" · "))}</small></div>`).join("");
      box.hidden = items.length === 0;
    }
    async function query() {
      const q = input.value.trim();
      const my = ++seq;
      if (!q) { items = []; render(); return; }
      let found;
      if (STANDALONE) found = localSearch(q);
      else {
        try { found = (await api("/entities", { q, limit: 10 })).items; } catch (e) { found = []; }
        const k = q.toLowerCase();
        found.forEach((it) => { it.matched = [it.name, ...(it.aliases || [])].find((x) => x.toLowerCase().includes(k)) || ""; });
      }
      if (my !== seq) return;
      items = found; active = items.length ? 0 : -1; render();
    }
    function pick(i) { const it = items[i]; if (!it) return; input.value = it.name; items = []; render(); onPick(it); }
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(query, 120); });
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "ArrowDown") { active = Math.min(items.length - 1, active + 1); render(); ev.preventDefault(); }
      else if (ev.key === "ArrowUp") { active = Math.max(0, active - 1); render(); ev.preventDefault(); }
      else if (ev.key === "Enter") { if (items.length) pick(Math.max(0, active)); else if (input.dataset.enter) input.dispatchEvent(new CustomEvent("submit-free")); ev.preventDefault(); }
      else if (ev.key === "Escape") { items = []; render(); }
    });
    box.addEventListener("mousedown", (ev) => { const el = ev.target.closest("[data-i]"); if (el) { ev.preventDefault(); pick(Number(el.dataset.i)); } });
    input.addEventListener("blur", () => setTimeout(() => { items = []; render(); }, 150));
  }

  attachSuggest($("search"), (it) => {
    if (STANDALONE) { network.selectNodes([it.id]); network.focus(it.id, { scale: 1.2, animation: false }); showNode(it.id); return; }
    load({ mode: "focus", name: [it.id], hops: Number($("hops").value) }, true);
  });
  for (const id of ["path-a", "path-b", "intro-a", "intro-b"]) attachSuggest($(id), (it) => { $(id).dataset.id = it.id; });
  for (const id of ["path-a", "path-b", "intro-a", "intro-b"]) $(id).addEventListener("input", () => { delete $(id).dataset.id; });

  function pickedName(id) { return $(id).dataset.id || $(id).value.trim(); }

  $("path-go").addEventListener("click", () => {
    const a = pickedName("path-a"), b = pickedName("path-b");
    if (!a || !b) { showMessage("choose two entities"); return; }
    const via = $("path-via").value;
    load({ mode: "path", name: [a, b], k: $("path-k").value, max_hops: $("path-max").value, via: via ? [via] : [], avoid: split($("path-avoid").value) }, true);
  });
  $("intro-go").addEventListener("click", () => {
    const a = pickedName("intro-a"), b = pickedName("intro-b");
    if (!a || !b) { showMessage("choose two entities"); return; }
    load({ mode: "introduce", name: [a, b], top: $("intro-top").value }, true);
  });
  $("conn-go").addEventListener("click", () => load({ mode: "connectors", top: $("conn-top").value, between: split($("conn-between").value) }, true));
  $("conn-between").addEventListener("change", () => $("conn-go").click());
  $("overview").addEventListener("click", () => load({ mode: "all" }, true));
  $("hops").addEventListener("change", () => {
    if (state.view && state.view.mode === "focus") load({ mode: "focus", name: state.view.query_names, hops: Number($("hops").value) }, true);
  });

  // ---- export -------------------------------------------------------------------------

  function shown() {
    const ns = nodeView.get().map((n) => n.raw);
    const pos = network ? network.getPositions(ns.map((n) => n.id)) : {};
    ns.forEach((n) => { if (pos[n.id]) { n.x = Math.round(pos[n.id].x * 10) / 10; n.y = Math.round(pos[n.id].y * 10) / 10; } });
    return { nodes: ns, edges: edgeView.get().map((e) => e.raw) };
  }

  function xml(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" }[c])); }

  function toGraphML(g) {
    const nk = [["name", "string"], ["label", "string"], ["aliases", "string"], ["degree", "int"], ["x", "double"], ["y", "double"]];
    const ek = [["type", "string"], ["confidence", "double"], ["evidence_count", "int"], ["date_min", "string"], ["date_max", "string"]];
    let out = '<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n';
    nk.forEach(([k, t]) => { out += `  <key id="${k}" for="node" attr.name="${k}" attr.type="${t}"/>\n`; });
    ek.forEach(([k, t]) => { out += `  <key id="e_${k}" for="edge" attr.name="${k}" attr.type="${t}"/>\n`; });
    out += '  <graph id="innograph" edgedefault="directed">\n';
    for (const n of g.nodes) {
      out += `    <node id="${xml(n.id)}">` + nk.map(([k]) => `<data key="${k}">${xml(k === "aliases" ? (n.aliases || []).join("|") : n[k])}</data>`).join("") + "</node>\n";
    }
    for (const e of g.edges) {
      out += `    <edge id="${xml(e.id)}" source="${xml(e.source)}" target="${xml(e.target)}">` + ek.map(([k]) => `<data key="e_${k}">${xml(e[k])}</data>`).join("") + "</edge>\n";
    }
    return out + "  </graph>\n</graphml>\n";
  }

  function toGEXF(g) {
    let out = '<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">\n  <graph defaultedgetype="directed" mode="static">\n';
    out += '    <attributes class="node"><attribute id="label" title="label" type="string"/><attribute id="aliases" title="aliases" type="string"/><attribute id="degree" title="degree" type="integer"/></attributes>\n';
    out += '    <attributes class="edge"><attribute id="type" title="type" type="string"/><attribute id="confidence" title="confidence" type="double"/><attribute id="evidence_count" title="evidence_count" type="integer"/><attribute id="date_min" title="date_min" type="string"/></attributes>\n    <nodes>\n';
    for (const n of g.nodes) {
      const c = nodeStyle(n.label).color.replace("#", "");
      const rgb = [0, 2, 4].map((i) => parseInt(c.slice(i, i + 2), 16));
      out += `      <node id="${xml(n.id)}" label="${xml(n.name)}"><attvalues><attvalue for="label" value="${xml(n.label)}"/><attvalue for="aliases" value="${xml((n.aliases || []).join("|"))}"/><attvalue for="degree" value="${n.degree || 0}"/></attvalues><viz:color r="${rgb[0]}" g="${rgb[1]}" b="${rgb[2]}"/>${n.x != null ? `<viz:position x="${n.x}" y="${-n.y}" z="0"/>` : ""}</node>\n`;
    }
    out += "    </nodes>\n    <edges>\n";
    g.edges.forEach((e, i) => {
      out += `      <edge id="${i}" source="${xml(e.source)}" target="${xml(e.target)}" label="${xml(e.type)}"${e.symmetric ? ' type="undirected"' : ""}><attvalues><attvalue for="type" value="${xml(e.type)}"/><attvalue for="confidence" value="${e.confidence}"/><attvalue for="evidence_count" value="${e.evidence_count}"/><attvalue for="date_min" value="${xml(e.date_min)}"/></attvalues></edge>\n`;
    });
    return out + "    </edges>\n  </graph>\n</gexf>\n";
  }

  function download(name, blobOrUrl) {
    const a = document.createElement("a");
    a.download = name;
    a.href = typeof blobOrUrl === "string" ? blobOrUrl : URL.createObjectURL(blobOrUrl);
    document.body.appendChild(a); a.click(); a.remove();
  }

  function exportAs(kind) {
    const stem = "innograph-" + ((state.view && state.view.mode) || "view");
    if (kind === "png") {
      const canvas = $("network").querySelector("canvas");
      // vis-network's canvas is transparent: paint it on white first.
      const c = document.createElement("canvas");
      c.width = canvas.width; c.height = canvas.height;
      const ctx = c.getContext("2d");
      ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, c.width, c.height); ctx.drawImage(canvas, 0, 0);
      download(stem + ".png", c.toDataURL("image/png"));
      return;
    }
    const g = shown();
    if (kind === "json") download(stem + ".json", new Blob([JSON.stringify({ mode: state.view && state.view.mode, params: state.view && state.view.params, ...g }, null, 1)], { type: "application/json" }));
    if (kind === "graphml") download(stem + ".graphml", new Blob([toGraphML(g)], { type: "application/xml" }));
    if (kind === "gexf") download(stem + ".gexf", new Blob([toGEXF(g)], { type: "application/xml" }));
  }

  $("export-btn").addEventListener("click", () => { $("export-menu").hidden = !$("export-menu").hidden; });
  $("export-menu").addEventListener("click", (ev) => { const k = ev.target.dataset.export; if (k) { $("export-menu").hidden = true; exportAs(k); } });

  // ---- start --------------------------------------------------------------------------

  function fillVia() {
    const labels = ["Academician", "Person", "Institute", "Firm", "Park", "Technology", "Event", "Organization", "Place"];
    $("path-via").innerHTML = '<option value="">(any)</option>' + labels.map((l) => `<option>${l}</option>`).join("");
  }
  fillVia();

  window.explorer = {
    nodes, edges, nodeView, edgeView, state,
    get network() { return network; },
    load, expand, hide, undo, onlyType, exportAs, toGraphML, toGEXF, shown, selectPath, showNode, showEdge,
  };

  async function start() {
    if (STANDALONE) {
      document.body.classList.add("standalone");
      document.querySelectorAll('#modes button:not([data-mode="focus"]), #overview, #hops').forEach((b) => { b.disabled = true; b.title = "needs the server"; });
      state.mode = embedded.mode === "all" ? "focus" : embedded.mode;
      setMode(state.mode, false);
      embedded.query_names = embedded.params.names || [];
      await drawView(embedded);
      renderModePanel();
      return;
    }
    const req = requestFromUrl();
    if (req) await load(req, false);
    else await load({ mode: "all" }, false);
  }
  start();
})();
