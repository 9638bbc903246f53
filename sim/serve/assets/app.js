// The workshop app: presets, controls, runs with progress, charts (Chart.js from Debian, served by
// redes itself), paired comparisons and exports. Every text comes from /i18n/<lang>.json.
"use strict";
const state = { lang: "es", msg: {}, info: null, params: {}, runs: [], current: null, compare: null, charts: {}, view: "truth", preset: null };
const ROUTES = ["hunting", "fishing", "trusted_contact"];
const AGES = ["child", "adolescent", "young_adult", "adult"];
const COLORS = ["#c0392b", "#2e86c1", "#27ae60", "#8e44ad", "#d68910"];

function t(key, vars) {
  let s = state.msg[key];
  if (s === undefined) { console.warn("missing message " + key); s = key; }
  for (const [k, v] of Object.entries(vars || {})) s = s.split("{" + k + "}").join(String(v));
  return s;
}
function fmt(x, digits) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  return Number(x).toLocaleString(state.lang === "es" ? "es-PY" : "en-GB", { maximumFractionDigits: digits === undefined ? 0 : digits, minimumFractionDigits: 0 });
}
async function getJSON(url, options) {
  const res = await fetch(url, options);
  const body = await res.json();
  return { status: res.status, body };
}

async function loadLang(lang) {
  state.lang = lang;
  state.msg = (await getJSON("/i18n/" + lang + ".json")).body;
  document.documentElement.lang = lang;
  document.getElementById("lang").value = lang;
  try { localStorage.setItem("redes-lang", lang); } catch (e) { /* private mode */ }
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  document.title = t("app.title");
  buildPresets();
  buildControls();
  drawAll();
}

function buildPresets() {
  const box = document.getElementById("presets");
  box.replaceChildren();
  for (const p of state.info.presets) {
    const b = document.createElement("button");
    b.textContent = t("preset." + p.name);
    b.dataset.preset = p.name;
    if (state.preset === p.name) b.classList.add("active");
    b.addEventListener("click", () => applyPreset(p));
    box.appendChild(b);
  }
}

function applyPreset(p) {
  state.preset = p.name;
  for (const c of state.info.controls) if (!["persons", "replicates", "seed"].includes(c.key)) state.params[c.key] = c.value;
  Object.assign(state.params, p.params);
  buildPresets();
  buildControls();
}

function buildControls() {
  const box = document.getElementById("controls");
  box.replaceChildren();
  for (const c of state.info.controls) {
    const div = document.createElement("div");
    div.className = "control";
    div.id = "control-" + c.key;
    const label = document.createElement("label");
    const name = document.createElement("span");
    name.textContent = t("control." + c.key + ".label");
    label.appendChild(name);
    let input;
    const value = state.params[c.key];
    if (c.kind === "switch") {
      input = document.createElement("input");
      input.type = "checkbox";
      input.checked = !!value;
      input.addEventListener("change", () => { state.params[c.key] = input.checked; state.preset = null; buildPresets(); buildControls(); });
      label.appendChild(input);
    } else {
      const shown = document.createElement("output");
      shown.textContent = fmt(value, 2);
      label.appendChild(shown);
      input = document.createElement("input");
      input.type = c.kind === "slider" ? "range" : "number";
      input.min = c.min; input.max = c.max; input.step = c.step; input.value = value;
      input.addEventListener("input", () => { state.params[c.key] = Number(input.value); shown.textContent = fmt(Number(input.value), 2); });
      input.addEventListener("change", () => { state.preset = null; buildPresets(); });
    }
    input.id = "in-" + c.key;
    input.setAttribute("aria-label", t("control." + c.key + ".label"));
    div.appendChild(label);
    if (c.kind !== "switch") div.appendChild(input);
    const help = document.createElement("p");
    help.className = "help";
    help.textContent = t("control." + c.key + ".help") + " (" + t("control." + c.key + ".unit") + ")";
    div.appendChild(help);
    if (c.requires && !state.params[c.requires]) div.classList.add("off");
    box.appendChild(div);
  }
}

function setStatus(text, error) {
  const s = document.getElementById("status");
  s.textContent = text;
  s.classList.toggle("error", !!error);
}
function setBar(frac) { document.getElementById("bar").style.width = Math.round(100 * frac) + "%"; }

async function run() {
  const button = document.getElementById("run");
  button.disabled = true;
  setBar(0);
  try {
    let { status, body } = await getJSON("/api/run", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(state.params) });
    const cached = status === 200;
    while (status === 202 || (status === 200 && body.status && body.status !== "done" && body.status !== "failed")) {
      setStatus(body.status === "queued" ? t("run.queued", { ahead: body.ahead || 0 }) : t("run.running", { pct: Math.round(100 * body.progress) }));
      setBar(body.progress || 0);
      await new Promise((r) => setTimeout(r, 300));
      ({ status, body } = await getJSON("/api/jobs/" + body.job));
    }
    if (status !== 200 || body.status === "failed") { setStatus(t("run.failed", { error: body.error }), true); return; }
    setBar(1);
    setStatus(cached ? t("run.cached") : t("run.done", { seconds: fmt(body.result.seconds, 1) }));
    addRun(body.result);
  } catch (e) {
    setStatus(t("run.network"), true);
  } finally {
    button.disabled = false;
  }
}

function runLabel(r) { return t("runs.run", { n: r.n }) + (r.preset ? " · " + t("preset." + r.preset).replace(/:.*/, "") : ""); }
function paired(a, b) { return a.seed === b.seed && a.replicates === b.replicates && a.persons === b.persons; }

function addRun(result) {
  const previous = state.current;
  const r = Object.assign({ n: state.runs.length ? state.runs[state.runs.length - 1].n + 1 : 1, preset: state.preset }, result);
  state.runs.push(r);
  if (state.runs.length > 6) state.runs.shift();
  state.current = r;
  for (const id of ["dl-h5", "dl-csv"]) document.getElementById(id).classList.remove("disabled");
  document.getElementById("dl-h5").href = "/api/jobs/" + r.job + "/run.h5";
  document.getElementById("dl-csv").href = "/api/jobs/" + r.job + "/run.csv";
  document.getElementById("dl-report").disabled = false;
  drawAll();
  if (previous && paired(previous, r)) {
    document.getElementById("base").value = String(previous.n);
    document.getElementById("other").value = String(r.n);
    compare();
  }
}

async function compare() {
  const out = document.getElementById("compare-out");
  const a = state.runs.find((r) => String(r.n) === document.getElementById("base").value);
  const b = state.runs.find((r) => String(r.n) === document.getElementById("other").value);
  if (!a || !b || a === b) { out.textContent = t("compare.need_two"); return; }
  if (!paired(a, b)) { out.textContent = t("compare.unpaired"); return; }
  const { status, body } = await getJSON("/api/compare", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ base: a.job, other: b.job }) });
  if (status !== 200) { out.textContent = body.error; return; }
  state.compare = { base: a, other: b, result: body };
  drawCompare();
}

function chart(id, config) {
  if (state.charts[id]) state.charts[id].destroy();
  config.options = Object.assign({ responsive: true, animation: false, maintainAspectRatio: true, aspectRatio: 2 }, config.options || {});
  state.charts[id] = new Chart(document.getElementById(id), config);
}

function drawAll() {
  drawRuns();
  const r = state.current;
  const head = document.getElementById("headline");
  const truth = state.view === "truth";
  document.getElementById("cap-time").textContent = t(truth ? "chart.time_truth" : "chart.time_recorded");
  if (!r) { head.textContent = ""; return; }
  const s = truth ? r.victims : r.recorded;
  head.replaceChildren();
  const line = document.createElement("div");
  line.textContent = t(truth ? "headline.truth" : "headline.recorded", { median: fmt(s.median), lo: fmt(s.lo), hi: fmt(s.hi) });
  const hidden = document.createElement("div");
  hidden.className = "muted";
  hidden.textContent = t("headline.hidden", { ratio: fmt(r.hidden_ratio.median, 1) });
  head.append(line, hidden);
  if (truth) {
    chart("chart-time", { type: "line", data: { labels: r.months, datasets: ROUTES.map((k, i) => ({ label: t("route." + k), data: r.monthly_by_route[k], borderColor: COLORS[i], backgroundColor: COLORS[i], pointRadius: 0, tension: 0.2 })) } });
  } else {
    chart("chart-time", { type: "bar", data: { labels: r.years, datasets: [{ label: t("series.recorded"), data: r.recorded_by_year, backgroundColor: COLORS[1] }] } });
  }
  chart("chart-recorded", { type: "bar", data: { labels: r.years, datasets: [
    { label: t("series.true"), data: r.true_by_year, backgroundColor: COLORS[0] },
    { label: t("series.recorded"), data: r.recorded_by_year, backgroundColor: COLORS[1] }] } });
  const none = r.reach.length === 0;
  document.getElementById("reach-empty").style.display = none ? "" : "none";
  // Hide the box, not the canvas: Chart.js sizes a hidden canvas to nothing.
  document.getElementById("reach-box").style.display = none ? "none" : "";
  chart("chart-reach", { type: "bar", data: { labels: r.reach.map((x) => x.name), datasets: [{ label: t("series.reached"), data: r.reach.map((x) => x.persons_reached), backgroundColor: COLORS[2] }] }, options: { indexAxis: "y", aspectRatio: 3 } });
  drawCompare();
}

function settingsText(r) {
  const on = ["literacy", "moderation", "reporting", "pandemic", "displacement"].filter((k) => r.params[k]).map((k) => t("control." + k + ".label"));
  return on.length ? on.join(", ") : t("runs.none");
}

function drawRuns() {
  const box = document.getElementById("runs");
  box.replaceChildren();
  for (const id of ["base", "other"]) {
    const sel = document.getElementById(id);
    const keep = sel.value;
    sel.replaceChildren();
    for (const r of state.runs) { const o = document.createElement("option"); o.value = String(r.n); o.textContent = runLabel(r); sel.appendChild(o); }
    if (keep) sel.value = keep;
  }
  for (const r of state.runs.slice().reverse()) {
    const c = document.createElement("div");
    c.className = "card" + (r === state.current ? " current" : "");
    const h = document.createElement("h3");
    h.textContent = runLabel(r);
    const p = document.createElement("div");
    p.textContent = t("runs.victims") + ": " + fmt(r.victims.median) + " (" + fmt(r.victims.lo) + "–" + fmt(r.victims.hi) + ") · " +
      t("runs.recorded") + ": " + fmt(r.recorded.median);
    const q = document.createElement("div");
    q.className = "muted";
    q.textContent = settingsText(r);
    c.append(h, p, q);
    c.addEventListener("click", () => { state.current = r; drawAll(); });
    box.appendChild(c);
  }
}

function drawCompare() {
  const out = document.getElementById("compare-out");
  const c = state.compare;
  if (!c) { out.textContent = ""; chart("chart-averted", { type: "bar", data: { labels: AGES.map((a) => t("age." + a)), datasets: [] } }); return; }
  const a = c.result.averted, s = c.result.share_averted;
  out.textContent = t("compare.result", { base: runLabel(c.base), other: runLabel(c.other), mean: fmt(a.mean, 1), lo: fmt(a.lo, 1), hi: fmt(a.hi, 1), share: fmt(100 * s.mean, 1) });
  const by = c.result.averted_by.age_group;
  chart("chart-averted", { type: "bar", data: { labels: AGES.map((k) => t("age." + k)), datasets: [
    { label: t("series.averted") + " (95 %)", data: AGES.map((k) => [by[k].lo, by[k].hi]), backgroundColor: "rgba(39,174,96,0.45)", borderColor: COLORS[2], borderWidth: 1 },
    { type: "line", label: t("series.averted"), data: AGES.map((k) => by[k].mean), showLine: false, pointRadius: 5, borderColor: "#1d2630", backgroundColor: "#1d2630" }] } });
}

function exportReport() {
  const r = state.current;
  if (!r) return;
  const esc = (s) => String(s).replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch]);
  const img = (id, cap) => state.charts[id] && document.getElementById(id).offsetHeight > 0 ? "<figure><figcaption>" + esc(cap) + "</figcaption><img alt='' src='" + state.charts[id].toBase64Image() + "'></figure>" : "";
  const rows = state.info.controls.map((c) => "<tr><td>" + esc(t("control." + c.key + ".label")) + "</td><td>" + esc(String(r.params[c.key])) + "</td></tr>").join("");
  const html = "<!DOCTYPE html><html lang='" + state.lang + "'><head><meta charset='utf-8'><title>" + esc(t("report.title")) + "</title>" +
    "<style>body{font-family:sans-serif;max-width:900px;margin:auto;padding:1rem}img{max-width:100%}.notice{background:#fff4d6;padding:.5rem}td{padding:.2rem .6rem}</style></head><body>" +
    "<h1>" + esc(t("report.title")) + "</h1><p class='notice'>" + esc(t("app.notice")) + "</p>" +
    "<h2>" + esc(runLabel(r)) + "</h2><p>" + esc(t("headline.truth", { median: fmt(r.victims.median), lo: fmt(r.victims.lo), hi: fmt(r.victims.hi) })) + "</p>" +
    "<p>" + esc(t("headline.recorded", { median: fmt(r.recorded.median), lo: fmt(r.recorded.lo), hi: fmt(r.recorded.hi) })) + "</p>" +
    "<p>" + esc(document.getElementById("compare-out").textContent) + "</p>" +
    img("chart-time", document.getElementById("cap-time").textContent) + img("chart-recorded", t("chart.true_recorded")) +
    img("chart-reach", t("chart.reach")) + (state.compare ? img("chart-averted", t("chart.averted")) : "") +
    "<h2>" + esc(t("report.settings")) + "</h2><table>" + rows + "</table>" +
    "<p class='notice'>" + esc(t("app.notice_footer")) + " " + esc(t("report.made", { date: new Date().toISOString().slice(0, 10) })) + "</p></body></html>";
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([html], { type: "text/html" }));
  a.download = "redes-report-" + r.job + "-" + state.lang + ".html";
  document.body.appendChild(a);
  a.click();
  a.remove();
}

async function start() {
  state.info = (await getJSON("/api/info")).body;
  for (const c of state.info.controls) state.params[c.key] = c.value;
  let lang = new URLSearchParams(location.search).get("lang");
  try { lang = lang || localStorage.getItem("redes-lang"); } catch (e) { /* private mode */ }
  if (!state.info.languages.includes(lang)) lang = state.info.lang;
  document.getElementById("lang").addEventListener("change", (e) => loadLang(e.target.value));
  document.getElementById("run").addEventListener("click", run);
  document.getElementById("compare").addEventListener("click", compare);
  document.getElementById("dl-report").addEventListener("click", exportReport);
  for (const el of document.querySelectorAll("input[name=view]")) el.addEventListener("change", (e) => { state.view = e.target.value; drawAll(); });
  state.preset = state.info.presets[0].name;
  await loadLang(lang);
}
start();
