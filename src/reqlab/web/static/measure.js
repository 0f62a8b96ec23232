// The Probe and Bench buttons: run `reqlab probe` / `reqlab bench` on the
// server for the current request and show the report and a small chart.
import { api } from "./api.js";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function start(title) {
  $("measure").hidden = false;
  $("measure-title").textContent = title;
  $("probe-checks").replaceChildren();
  $("probe-notes").replaceChildren();
  $("bench-chart").replaceChildren();
  for (const id of ["probe", "bench"]) $(id).disabled = true;
}

function done() {
  for (const id of ["probe", "bench"]) $(id).disabled = false;
}

export async function runProbe(request) {
  start(`Keep-alive probe of ${request.url}`);
  $("measure-status").textContent = "Probing… (bounded: 10 s idle, 200 requests)";
  try {
    const r = await api("POST", "/api/probe", { request, max_idle: 10, max_requests: 200 });
    $("measure-status").textContent = `${r.requests_used} requests in ${r.elapsed.toFixed(1)} s`;
    $("probe-checks").replaceChildren(...r.checks.map((c) => el("tr", {},
      el("td", {}, el("span", { className: `v v-${c.verdict}`, textContent: c.verdict })),
      el("td", { textContent: c.name }), el("td", { textContent: c.summary }))));
    const rec = r.recommendation || { notes: [] };
    $("probe-notes").replaceChildren(...rec.notes.map((n) => el("li", { textContent: `Recommended: ${n}` })));
  } catch (err) {
    $("measure-status").textContent = err.message;
  } finally {
    done();
  }
}

export async function runBench(request) {
  start(`Reuse vs. new connections: ${request.url}`);
  $("measure-status").textContent = "Benchmarking… (200 requests each way, 4 at a time)";
  try {
    const r = await api("POST", "/api/bench", { request, requests: 200, concurrency: 4 });
    const s = r.saving;
    $("measure-status").textContent =
      `reuse: ${r.reuse.throughput_rps} req/s over ${r.reuse.connections_opened} connections; ` +
      `no reuse: ${r.no_reuse.throughput_rps} req/s over ${r.no_reuse.connections_opened}; ` +
      `p50 ${s.p50_latency_ratio ?? "?"}× faster, ${s.connections_saved} connections saved`;
    $("bench-chart").replaceChildren(chart(r));
  } catch (err) {
    $("measure-status").textContent = err.message;
  } finally {
    done();
  }
}

function chart(r) {
  const keys = ["p50", "p90", "p99"];
  const max = Math.max(...keys.flatMap((k) => [r.reuse.latency_ms[k] || 0, r.no_reuse.latency_ms[k] || 0]), 0.001);
  const width = 600;
  const row = 34;
  const left = 40;
  const root = svg("svg", { viewBox: `0 0 ${width} ${keys.length * row + 24}`, role: "img",
    "aria-label": "Latency with and without connection reuse" });
  keys.forEach((k, i) => {
    const y = i * row;
    root.append(svg("text", { x: 0, y: y + 18 }, k));
    for (const [j, mode, cls] of [[0, "reuse", "reuse"], [1, "no_reuse", "fresh"]]) {
      const v = r[mode].latency_ms[k] || 0;
      const w = ((width - left - 90) * v) / max;
      root.append(svg("rect", { x: left, y: y + j * 14, width: Math.max(w, 1), height: 12, class: cls }));
      root.append(svg("text", { x: left + w + 4, y: y + j * 14 + 10 }, `${v.toFixed(2)} ms`));
    }
  });
  const ly = keys.length * row + 12;
  root.append(svg("rect", { x: left, y: ly - 9, width: 10, height: 10, class: "reuse" }),
    svg("text", { x: left + 14, y: ly }, "reuse"),
    svg("rect", { x: left + 70, y: ly - 9, width: 10, height: 10, class: "fresh" }),
    svg("text", { x: left + 84, y: ly }, "new connection each time"));
  return root;
}

// The Versions button: the seed's keep-alive table (HTTP/1.0, 1.1, 2, 3),
// each rule beside what this server was seen to do.
export async function runVersions(request) {
  $("versions").hidden = false;
  $("versions-title").textContent = `Keep-alive by HTTP version: ${request.url}`;
  $("versions-status").textContent = "Checking each version… (bounded: 10 s idle, 200 requests)";
  const body = $("versions-table").tBodies[0];
  body.replaceChildren();
  $("versions-run").disabled = true;
  try {
    const r = await api("POST", "/api/versions", { request, max_idle: 10, max_requests: 200 });
    $("versions-status").textContent = `${r.requests_used} requests in ${r.elapsed.toFixed(1)} s`;
    const cell = (seen, rule) => el("td", {}, el("span", { textContent: seen || "—" }),
      el("span", { className: "rule", textContent: `rule: ${rule}` }));
    body.replaceChildren(...r.rows.map((row) => el("tr", { className: row.speaks ? "" : "no" },
      el("th", { scope: "row", textContent: row.speaks === false ? `${row.version} (not spoken)` : row.version }),
      cell(row.kept, row.rule_kept), cell(row.how_long, row.rule_how_long), cell(row.ends, row.rule_ends))));
  } catch (err) {
    $("versions-status").textContent = err.message;
  } finally {
    $("versions-run").disabled = false;
  }
}
