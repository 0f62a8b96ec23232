// The live Server-Sent Events list of a streamed send: one row per event
// (time, type, id, retry in effect, data) or comment, as the workbench
// parses them (POST /api/send/stream with rows in its chunk records).  The
// list is a VirtualLog (vlog.js, as the WebSocket tab's frames), so 100,000
// events stay cheap to filter, search and scroll.
import { VirtualLog, clock, el } from "./vlog.js";

const $ = (id) => document.getElementById(id);
const KINDS = ["event", "comment", "event", "error"]; // row kind -> class (2: an event cut short)
const FIXED = { all: () => true, events: (e) => e.kind !== 1, comments: (e) => e.kind === 1 };

export class SseList {
  constructor(root) {
    this.root = root;
    this.types = new Set();
    const tools = el("div", { className: "sock-tools" },
      el("select", { id: "sse-filter", ariaLabel: "Filter events" },
        el("option", { value: "all", textContent: "All" }), el("option", { value: "events", textContent: "Events" }),
        el("option", { value: "comments", textContent: "Comments" })),
      el("input", { type: "search", id: "sse-search", ariaLabel: "Search events", placeholder: "Search type, id, data" }),
      el("label", {}, el("input", { type: "checkbox", id: "sse-follow", checked: true }), " Follow"),
      el("span", { id: "sse-count", className: "hint", ariaLabel: "Event count" }));
    const head = el("div", { className: "ssehead", ariaHidden: "true" }, ...["time", "type", "id", "retry", "data"]
      .map((k, i) => el("span", { className: ["tm", "op", "id", "rt", ""][i], textContent: k })));
    const log = el("div", { id: "sse-log", className: "wslog sselog", role: "log", ariaLabel: "Events", tabIndex: 0 });
    const detail = el("pre", { id: "sse-detail", className: "code sock-detail", ariaLabel: "Event detail" });
    root.replaceChildren(tools, head, log, detail);
    this.log = new VirtualLog({ log, follow: $("sse-follow"), count: $("sse-count"), noun: "events",
      root, paint: paintEvent, select: (i, e) => this.detail(e) });
    $("sse-filter").addEventListener("change", () => this.refilter());
    let t;
    $("sse-search").addEventListener("input", () => { clearTimeout(t); t = setTimeout(() => this.refilter(), 120); });
    this.refilter();
    window.reqlabSse = this; // the browser test reads the list through this
  }

  get events() { return this.log.items; }

  start(at) { this.startedAt = at; }

  // rows: [t (ms after the send began), type, id, data, retry, kind]
  add(rows) {
    const base = this.startedAt || Date.now();
    const filter = $("sse-filter");
    for (const [, type, , , , kind] of rows) {
      if (kind !== 1 && !this.types.has(type)) {
        this.types.add(type);
        filter.append(el("option", { value: `type:${type}`, textContent: `type: ${type}` }));
      }
    }
    this.log.add(rows.map(([t, type, id, data, retry, kind]) => ({ t: base + t, after: t, type, id, data, retry, kind })));
  }

  test() {
    const f = $("sse-filter").value;
    const kind = FIXED[f] || ((e) => e.kind !== 1 && e.type === f.slice(5));
    const q = $("sse-search").value.toLowerCase();
    if (!q) return kind;
    return (e) => kind(e) && (e.data.toLowerCase().includes(q) || e.type.toLowerCase() === q || e.id === q);
  }

  refilter() {
    this.log.refilter(this.test());
  }

  detail(e) {
    let text = e.data;
    try { text = JSON.stringify(JSON.parse(text), null, 2); } catch { /* not JSON: as it is */ }
    const what = e.kind === 1 ? "comment" : `event ${e.type}${e.id ? `, id ${e.id}` : ""}`;
    const retry = e.retry == null ? "" : `, retry ${e.retry} ms`;
    const cut = e.kind === 2 ? " (first 64 K characters shown)" : "";
    $("sse-detail").textContent = `${what}${retry}, ${clock(e.t)} (+${e.after} ms)${cut}\n\n${text}`;
  }
}

function paintEvent(row, e, i, selected) {
  row.className = `r ${KINDS[e.kind]}${selected ? " sel" : ""}`;
  row.replaceChildren(
    el("span", { className: "tm", textContent: clock(e.t) }),
    el("span", { className: "op", textContent: e.kind === 1 ? ":" : e.type }),
    el("span", { className: "id", textContent: e.id }),
    el("span", { className: "rt", textContent: e.retry == null ? "" : `${e.retry}` }),
    el("span", { textContent: e.data.slice(0, 300) }));
}
