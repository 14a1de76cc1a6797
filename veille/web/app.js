// Veille web page: map, timeline with brushing, filters, table and event panel.
// Plain JS, no dependencies, nothing fetched from outside this server. Data is only ever
// inserted with textContent / createElement / createTextNode: it is never parsed as markup.
"use strict";

const TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
const COLORS = {
  AGREE: "#2e9e5b", CONSULT: "#3c8dbc", SUPPORT: "#59b36b", CONCEDE: "#8cc084", COOPERATE: "#1f7a8c",
  AID: "#00a6a6", RETREAT: "#9b8fd1", REQUEST: "#c49a00", ACCUSE: "#e08e0b", REJECT: "#d9822b",
  THREATEN: "#d1495b", PROTEST: "#8e44ad", SANCTION: "#b5651d", MOBILIZE: "#7f8c8d", COERCE: "#c0392b",
  ASSAULT: "#a50f15",
};
const SVGNS = "http://www.w3.org/2000/svg";

// Robinson projection centred on 10°E, calibrated to the packaged world map (see veille/web/basemap.py).
const ROBINSON = [[1.0, 0.0], [0.9986, 0.062], [0.9954, 0.124], [0.99, 0.186], [0.9822, 0.248],
  [0.973, 0.31], [0.96, 0.372], [0.9427, 0.434], [0.9216, 0.4958], [0.8962, 0.5571], [0.8679, 0.6176],
  [0.835, 0.6769], [0.7986, 0.7346], [0.7597, 0.7903], [0.7186, 0.8435], [0.6732, 0.8936],
  [0.6213, 0.9394], [0.5722, 0.9761], [0.5322, 1.0]];
const AX = 516.74, BX = 1276.28, AY = -518.48, BY = 686.14, LON0 = 10.0;

function project(lon, lat) {
  lat = Math.max(-90, Math.min(90, lat));
  lon = ((((lon - LON0 + 180) % 360) + 360) % 360) - 180;
  const a = Math.abs(lat) / 5, i = Math.min(Math.floor(a), 17), f = a - i;
  const plen = ROBINSON[i][0] + (ROBINSON[i + 1][0] - ROBINSON[i][0]) * f;
  const pdfe = ROBINSON[i][1] + (ROBINSON[i + 1][1] - ROBINSON[i][1]) * f;
  const x = 0.8487 * plen * lon * Math.PI / 180;
  const y = 1.3523 * pdfe * Math.sign(lat);
  return [AX * x + BX, AY * y + BY];
}

const state = { events: [], selected: null, brush: null, days: [] };

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function svgEl(tag, attrs) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  return node;
}

function setStatus(text) { document.getElementById("status").textContent = text; }

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body && body.error ? body.error.message : response.statusText);
  return body;
}

function filterParams(includePeriod) {
  const form = document.getElementById("filters");
  const params = new URLSearchParams();
  for (const name of ["type", "country", "actor", "place", "q"]) {
    const value = form.elements[name].value.trim();
    if (value) params.set(name, value);
  }
  if (includePeriod) {
    const since = form.elements.since.value, until = form.elements.until.value;
    if (since) params.set("since", since);
    if (until) params.set("until", until);
  }
  return params;
}

function actorText(actor) {
  if (!actor) return "";
  const bits = [actor.name, [actor.country, actor.sector].filter(Boolean).join("/")].filter(Boolean);
  return bits.join(" · ");
}

// ---- map --------------------------------------------------------------------------------
function renderMap() {
  const layer = document.getElementById("markers");
  layer.replaceChildren();
  const placed = state.events.filter(e => e.location && e.location.lat !== null && e.location.lon !== null);
  placed.sort((a, b) => b.n_mentions - a.n_mentions);  // small markers drawn last, on top
  for (const ev of placed) {
    const [x, y] = project(ev.location.lon, ev.location.lat);
    const circle = svgEl("circle", {
      class: "marker", cx: x.toFixed(2), cy: y.toFixed(2), r: (5 + 4 * Math.sqrt(ev.n_mentions)).toFixed(1),
      fill: COLORS[ev.type] || "#555", "data-id": ev.id, "data-type": ev.type,
    });
    const title = svgEl("title");
    title.textContent = `${ev.type} — ${ev.location.name} — ${ev.date || "undated"} (${ev.n_mentions} mention(s))`;
    circle.appendChild(title);
    circle.addEventListener("click", () => selectEvent(ev.id));
    if (state.selected === ev.id) circle.classList.add("selected");
    layer.appendChild(circle);
  }
}

function renderLegend() {
  const legend = document.getElementById("legend");
  legend.replaceChildren();
  const present = [...new Set(state.events.map(e => e.type))].sort();
  for (const type of present) {
    const item = el("span");
    const dot = el("i");
    dot.style.background = COLORS[type] || "#555";
    item.append(dot, document.createTextNode(type));
    legend.appendChild(item);
  }
}

function enableZoom() {
  const map = document.getElementById("map");
  let view = [0, 0, 2475, 1388], drag = null;
  const apply = () => map.setAttribute("viewBox", view.map(v => v.toFixed(1)).join(" "));
  map.addEventListener("wheel", (event) => {
    event.preventDefault();
    const rect = map.getBoundingClientRect();
    const fx = (event.clientX - rect.left) / rect.width, fy = (event.clientY - rect.top) / rect.height;
    const k = event.deltaY < 0 ? 0.8 : 1.25;
    const w = Math.min(2475, Math.max(60, view[2] * k)), h = w * 1388 / 2475;
    view = [view[0] + (view[2] - w) * fx, view[1] + (view[3] - h) * fy, w, h];
    apply();
  }, { passive: false });
  map.addEventListener("mousedown", (event) => { drag = [event.clientX, event.clientY, view[0], view[1]]; });
  window.addEventListener("mouseup", () => { drag = null; });
  map.addEventListener("mousemove", (event) => {
    if (!drag) return;
    const rect = map.getBoundingClientRect(), s = view[2] / rect.width;
    view = [drag[2] - (event.clientX - drag[0]) * s, drag[3] - (event.clientY - drag[1]) * s, view[2], view[3]];
    apply();
  });
}

// ---- timeline ---------------------------------------------------------------------------
function dayNumber(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / 86400000); }
function isoDay(n) { return new Date(n * 86400000).toISOString().slice(0, 10); }

function renderTimeline() {
  const svg = document.getElementById("timeline");
  svg.replaceChildren();
  const width = Math.round(svg.getBoundingClientRect().width) || 800, height = 90, pad = 18;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  if (!state.days.length) return;
  const first = dayNumber(state.days[0].day) - 1, last = dayNumber(state.days[state.days.length - 1].day) + 1;
  const span = Math.max(1, last - first + 1), max = Math.max(...state.days.map(d => d.count));
  const x = (n) => pad + (n - first) * (width - 2 * pad) / span;
  state.timeScale = { first, span, width, pad };
  const barWidth = Math.max(2, (width - 2 * pad) / span - 1);
  for (const d of state.days) {
    const h = (height - 30) * d.count / max;
    const bar = svgEl("rect", { class: "bar", x: x(dayNumber(d.day)).toFixed(1), y: (height - 16 - h).toFixed(1),
      width: barWidth.toFixed(1), height: h.toFixed(1), "data-day": d.day });
    const title = svgEl("title");
    title.textContent = `${d.day}: ${d.count}`;
    bar.appendChild(title);
    svg.appendChild(bar);
  }
  for (const [n, anchor] of [[first + 1, "start"], [last - 1, "end"]]) {
    const label = svgEl("text", { x: x(n).toFixed(1), y: height - 3, "text-anchor": anchor });
    label.textContent = isoDay(n);
    svg.appendChild(label);
  }
  if (state.brush) {
    const [a, b] = state.brush.map(dayNumber);
    svg.appendChild(svgEl("rect", { class: "brush", x: x(a).toFixed(1), y: 2, width: Math.max(2, x(b + 1) - x(a)).toFixed(1),
      height: height - 18 }));
  }
}

function enableBrush() {
  const svg = document.getElementById("timeline");
  let start = null, rect = null;
  const toDay = (clientX) => {
    const box = svg.getBoundingClientRect(), s = state.timeScale;
    if (!s) return null;
    const px = (clientX - box.left) * s.width / box.width;
    return Math.floor(s.first + (px - s.pad) * s.span / (s.width - 2 * s.pad));
  };
  svg.addEventListener("mousedown", (event) => {
    start = event.clientX;
    rect = svgEl("rect", { class: "brush", x: 0, y: 2, width: 0, height: 72 });
    svg.appendChild(rect);
  });
  svg.addEventListener("mousemove", (event) => {
    if (start === null) return;
    const box = svg.getBoundingClientRect(), k = (state.timeScale ? state.timeScale.width : box.width) / box.width;
    const a = Math.min(start, event.clientX) - box.left, b = Math.max(start, event.clientX) - box.left;
    rect.setAttribute("x", (a * k).toFixed(1));
    rect.setAttribute("width", ((b - a) * k).toFixed(1));
  });
  svg.addEventListener("mouseup", (event) => {
    if (start === null) return;
    const a = toDay(Math.min(start, event.clientX)), b = toDay(Math.max(start, event.clientX));
    start = null;
    if (a === null || b === null) return;
    setPeriod(isoDay(a), isoDay(b));
  });
}

function setPeriod(since, until) {
  const form = document.getElementById("filters");
  form.elements.since.value = since || "";
  form.elements.until.value = until || "";
  state.brush = since && until ? [since, until] : null;
  loadEvents();
}

// ---- table ------------------------------------------------------------------------------
function renderTable() {
  const body = document.querySelector("#events-table tbody");
  body.replaceChildren();
  for (const ev of state.events) {
    const row = el("tr", { "data-id": ev.id });
    row.append(el("td", {}, ev.date || ""), el("td", {}, ev.type + (ev.mode ? ` (${ev.mode})` : "")),
      el("td", {}, actorText(ev.actor)), el("td", {}, actorText(ev.target)),
      el("td", {}, ev.location ? ev.location.name : ""), el("td", {}, ev.n_mentions));
    if (state.selected === ev.id) row.classList.add("selected");
    row.addEventListener("click", () => selectEvent(ev.id));
    body.appendChild(row);
  }
}

// ---- event panel ------------------------------------------------------------------------
function highlighted(text, spans, currentEventId) {
  // Build the article text as text nodes and <mark> elements: the selected event's evidence
  // in yellow, other events' evidence in blue. Never parses the text as HTML.
  const box = el("div", { class: "article-text" });
  const sorted = [...spans].sort((a, b) => a.start - b.start || (b.event_id === currentEventId) - (a.event_id === currentEventId));
  let pos = 0;
  for (const span of sorted) {
    if (span.start < pos || span.end > text.length || span.end <= span.start) continue;
    box.appendChild(document.createTextNode(text.slice(pos, span.start)));
    const mark = el("mark", { class: span.event_id === currentEventId ? "evidence" : "other", "data-event": span.event_id },
      text.slice(span.start, span.end));
    box.appendChild(mark);
    pos = span.end;
  }
  box.appendChild(document.createTextNode(text.slice(pos)));
  return box;
}

async function selectEvent(id) {
  state.selected = id;
  for (const node of document.querySelectorAll(".marker")) node.classList.toggle("selected", node.dataset.id === id);
  for (const node of document.querySelectorAll("#events-table tbody tr")) node.classList.toggle("selected", node.dataset.id === id);
  const panel = document.getElementById("event-panel");
  panel.replaceChildren(el("p", { class: "hint" }, "Loading…"));
  let ev;
  try { ev = await getJSON(`/events/${encodeURIComponent(id)}`); } catch (err) {
    panel.replaceChildren(el("p", { class: "error" }, err.message)); return;
  }
  const head = el("h2", {}, `${ev.type}${ev.mode ? " · " + ev.mode : ""}`);
  const facts = el("dl");
  const add = (k, v) => { if (v) facts.append(el("dt", {}, k), el("dd", {}, v)); };
  add("Date", ev.date ? `${ev.date} (${ev.date_precision})` : "unknown");
  add("Actor", actorText(ev.actor) || "unknown");
  add("Target", actorText(ev.target) || "unknown");
  add("Place", ev.location ? `${ev.location.name}${ev.location.admin1 ? ", " + ev.location.admin1 : ""} ${ev.location.country || ""}` : "unknown");
  add("Background", ev.background ? "yes (history/context)" : "no");
  add("Reports", `${ev.n_mentions} mention(s) in ${ev.n_articles} article(s), ${ev.n_sources} source(s)`);
  add("Confidence", ev.confidence);
  panel.replaceChildren(head, facts, el("h3", {}, "Mentions"));
  const articles = [...new Set(ev.mentions.map(m => m.article_id))];
  for (const articleId of articles) {
    let data;
    try { data = await getJSON(`/articles/${encodeURIComponent(articleId)}`); } catch (err) {
      panel.appendChild(el("p", { class: "error" }, err.message)); continue;
    }
    const section = el("div", { class: "mention", "data-article": articleId });
    section.appendChild(el("h4", {}, data.article.title || articleId));
    section.appendChild(el("p", { class: "hint" }, `${data.article.published || ""} · ${data.article.language || "?"} · ${data.article.sources.join(", ")}`));
    for (const m of ev.mentions.filter(x => x.article_id === articleId)) {
      section.appendChild(el("blockquote", { class: "sentence" }, m.sentence));
    }
    section.appendChild(highlighted(data.article.text, data.spans, ev.id));
    panel.appendChild(section);
    const first = section.querySelector("mark.evidence");
    if (first) first.scrollIntoView({ block: "nearest" });
  }
  panel.dataset.loaded = id;
}

// ---- loading ----------------------------------------------------------------------------
async function loadEvents() {
  setStatus("Loading…");
  try {
    const params = filterParams(true);
    params.set("limit", "500");
    const page = await getJSON(`/events?${params}`);
    state.events = page.events;
    const stats = await getJSON(`/stats?${filterParams(false)}`);
    state.days = stats.by_day;
    setStatus(`${page.total} event(s)${page.total > page.events.length ? `, showing ${page.events.length}` : ""}`);
  } catch (err) {
    setStatus(`Error: ${err.message}`);
    state.events = [];
  }
  renderMap();
  renderLegend();
  renderTimeline();
  renderTable();
  document.body.dataset.ready = "1";
}

function init() {
  const select = document.getElementById("f-type");
  for (const t of TYPES) select.appendChild(el("option", { value: t }, t));
  document.getElementById("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    state.brush = form.elements.since.value && form.elements.until.value ? [form.elements.since.value, form.elements.until.value] : null;
    loadEvents();
  });
  document.getElementById("f-clear").addEventListener("click", () => {
    document.getElementById("filters").reset();
    state.brush = null;
    loadEvents();
  });
  document.getElementById("brush-clear").addEventListener("click", () => setPeriod("", ""));
  enableZoom();
  enableBrush();
  window.addEventListener("resize", renderTimeline);
  loadEvents();
}

window.veille = { project, state, selectEvent, setPeriod };
document.addEventListener("DOMContentLoaded", init);
