// The WebSocket tab, loaded when first opened.  The page talks to the
// workbench over /api/ws/relay (session cookie + CSRF token in the query);
// the workbench opens the real connection (reqlab.ws), so the handshake can
// carry any header and is timed phase by phase, and ping/pong and close
// frames are seen.  Frames arrive in batches; the log is a VirtualLog
// (vlog.js, shared with the SSE event list: only the rows in view exist in
// the DOM), so 100,000 frames stay cheap to filter, search and scroll.
import { csrf } from "./api.js";
import { VirtualLog, clock, el } from "./vlog.js";

const $ = (id) => document.getElementById(id);
const CONTROL = new Set(["ping", "pong", "close", "closed"]);
const FILTERS = {
  all: () => true,
  in: (f) => f.dir === "in",
  out: (f) => f.dir === "out",
  data: (f) => !CONTROL.has(f.op),
  control: (f) => CONTROL.has(f.op),
};

export function size(n) {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(2)} MB`;
}

function b64(buffer) {
  const bytes = new Uint8Array(buffer);
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export class WsTab {
  constructor(root) {
    this.root = root;
    this.openedAt = 0;
    this.build();
    this.relay();
    window.reqlabWs = this; // the browser test drives the log through this
  }

  build() {
    const line = el("div", { className: "line" },
      el("input", { id: "sock-url", ariaLabel: "WebSocket URL", placeholder: "ws://127.0.0.1:8081/ws", spellcheck: false }),
      el("button", { type: "button", id: "sock-connect", className: "primary", textContent: "Connect" }),
      el("button", { type: "button", id: "sock-disconnect", textContent: "Disconnect", disabled: true }),
      el("span", { id: "sock-state", className: "sock-state", role: "status", textContent: "not connected" }));
    const opts = el("details", {}, el("summary", { textContent: "Handshake headers and subprotocols" }),
      el("div", { className: "grid" },
        el("textarea", { id: "sock-headers", ariaLabel: "Handshake headers", rows: 3, placeholder: "Name: value (one a line)", spellcheck: false }),
        el("input", { id: "sock-protocols", ariaLabel: "Subprotocols", placeholder: "subprotocols, comma-separated" })));
    const compose = el("div", { className: "sock-compose" },
      el("div", { className: "col" },
        el("select", { id: "sock-kind", ariaLabel: "Message type" },
          el("option", { value: "text", textContent: "Text" }), el("option", { value: "json", textContent: "JSON" }),
          el("option", { value: "binary", textContent: "Binary file" }))),
      el("textarea", { id: "sock-message", ariaLabel: "Message", rows: 3, spellcheck: false, placeholder: "Message (Ctrl+Enter sends)" }),
      el("input", { type: "file", id: "sock-file", ariaLabel: "Binary message file", hidden: true }),
      el("div", { className: "col" },
        el("button", { type: "button", id: "sock-send", textContent: "Send message", disabled: true }),
        el("button", { type: "button", id: "sock-ping", textContent: "Ping", disabled: true })),
      el("div", { className: "col" },
        el("input", { id: "sock-close-code", ariaLabel: "Close code", title: "Close code (Disconnect sends it)", value: "1000", className: "num", size: 5 }),
        el("input", { id: "sock-close-reason", ariaLabel: "Close reason", title: "Close reason (Disconnect sends it)", placeholder: "close reason", size: 10 })));
    const info = el("div", { className: "grid" },
      el("details", { id: "sock-hs-box" }, el("summary", { textContent: "Handshake request and response" }),
        el("pre", { id: "sock-handshake", className: "code", ariaLabel: "Handshake" })),
      el("div", {}, el("div", { id: "sock-timing", className: "sock-timing", ariaLabel: "Connection timings" }),
        el("div", { id: "sock-closeinfo", className: "hint", role: "status" })));
    const tools = el("div", { className: "sock-tools" },
      el("select", { id: "sock-filter", ariaLabel: "Filter frames" },
        ...Object.entries({ all: "All frames", in: "Received", out: "Sent", data: "Messages", control: "Ping/pong/close" })
          .map(([value, textContent]) => el("option", { value, textContent }))),
      el("input", { type: "search", id: "sock-search", ariaLabel: "Search frames", placeholder: "Search messages" }),
      el("label", {}, el("input", { type: "checkbox", id: "sock-follow", checked: true }), " Follow"),
      el("span", { id: "sock-count", className: "hint", ariaLabel: "Frame count" }),
      el("button", { type: "button", id: "sock-clear", className: "link", textContent: "Clear" }));
    const log = el("div", { id: "sock-log", className: "wslog", role: "log", ariaLabel: "Frames", tabIndex: 0 });
    const detail = el("pre", { id: "sock-detail", className: "code sock-detail", ariaLabel: "Frame detail" });
    this.root.replaceChildren(el("h2", { className: "visually-hidden", textContent: "WebSocket" }),
      line, opts, compose, info, tools, log, detail);
    // frames: {dir, op, size, t (ms, wall clock), text, enc, cut}
    this.log = new VirtualLog({ log, follow: $("sock-follow"), count: $("sock-count"), noun: "frames",
      root: this.root, paint: paintFrame, select: (i, f) => this.detail(f) });

    $("sock-connect").addEventListener("click", () => this.connect());
    $("sock-url").addEventListener("keydown", (e) => { if (e.key === "Enter") this.connect(); });
    $("sock-disconnect").addEventListener("click", () => this.say({
      type: "close", code: Number($("sock-close-code").value) || 1000, reason: $("sock-close-reason").value }));
    $("sock-send").addEventListener("click", () => this.sendMessage());
    $("sock-message").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.sendMessage(); } });
    $("sock-ping").addEventListener("click", () => this.say({ type: "ping", text: "" }));
    $("sock-kind").addEventListener("change", () => {
      const bin = $("sock-kind").value === "binary";
      $("sock-message").hidden = bin;
      $("sock-file").hidden = !bin;
    });
    $("sock-filter").addEventListener("change", () => this.refilter());
    let t;
    $("sock-search").addEventListener("input", () => { clearTimeout(t); t = setTimeout(() => this.refilter(), 120); });
    $("sock-clear").addEventListener("click", () => this.log.clear());
    this.refilter();
  }

  get frames() { return this.log.items; } // the browser test reads the log through this

  // ------------------------------------------------------------ the relay
  relay() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.sock = new WebSocket(`${scheme}://${location.host}/api/ws/relay?csrf=${encodeURIComponent(csrf())}`);
    this.ready = new Promise((resolve) => this.sock.addEventListener("open", resolve, { once: true }));
    this.sock.addEventListener("message", (e) => this.receive(JSON.parse(e.data)));
    this.sock.addEventListener("close", () => { this.state("workbench connection lost; Connect opens it again", "closed"); this.connected(false); });
  }

  async say(message) {
    if (this.sock.readyState > WebSocket.OPEN) this.relay(); // the workbench restarted or the page slept
    await this.ready;
    this.sock.send(JSON.stringify(message));
  }

  state(text, cls = "") {
    const s = $("sock-state");
    s.textContent = text;
    s.className = `sock-state ${cls}`;
  }

  connected(on) {
    for (const id of ["sock-send", "sock-ping", "sock-disconnect"]) $(id).disabled = !on;
    $("sock-connect").textContent = on ? "Reconnect" : "Connect";
  }

  connect() {
    const url = $("sock-url").value.trim();
    if (!url) { this.state("enter a ws:// or wss:// URL", "closed"); return; }
    const headers = $("sock-headers").value.split("\n").map((l) => l.trim()).filter(Boolean).map((l) => {
      const i = l.indexOf(":");
      return i > 0 ? [l.slice(0, i).trim(), l.slice(i + 1).trim()] : [l, ""];
    });
    const subprotocols = $("sock-protocols").value.split(",").map((s) => s.trim()).filter(Boolean);
    this.state("connecting…");
    this.say({ type: "connect", url, headers, subprotocols });
  }

  async sendMessage() {
    const kind = $("sock-kind").value;
    if (kind === "binary") {
      const file = $("sock-file").files[0];
      if (!file) { this.state("choose a file to send", "closed"); return; }
      this.say({ type: "send", base64: b64(await file.arrayBuffer()) });
      return;
    }
    const text = $("sock-message").value;
    if (kind === "json") {
      try { JSON.parse(text); } catch (e) { this.state(`not JSON: ${e.message}`, "closed"); return; }
    }
    this.say({ type: "send", text });
  }

  receive(m) {
    if (m.type === "frames") this.addFrames(m.frames);
    else if (m.type === "handshake") this.handshake(m);
    else if (m.type === "closed") this.closed(m);
    else if (m.type === "error") this.state(m.message, "closed");
  }

  handshake(h) {
    this.openedAt = Date.now();
    this.connected(true);
    const sub = h.subprotocol ? `, subprotocol ${h.subprotocol}` : "";
    this.state(`connected (${h.connection.http_version}${sub}${h.extensions.length ? ", " + h.extensions.join(", ") : ""})`, "open");
    const req = h.request_headers.map(([n, v]) => `${n}: ${v}`).join("\n");
    const res = h.response_headers.map(([n, v]) => `${n}: ${v}`).join("\n");
    $("sock-handshake").textContent = `GET ${h.url}\n${req}\n\nHTTP ${h.status}\n${res}`;
    const t = h.timings;
    $("sock-timing").replaceChildren(...["dns", "connect", "tls", "upgrade"].map((k) =>
      el("span", { textContent: `${k} ${t[k].toFixed(1)} ms` })),
      el("span", { textContent: `${h.connection.local} → ${h.connection.remote}` }));
    $("sock-closeinfo").textContent = "";
  }

  closed(c) {
    this.connected(false);
    const who = { client: "closed by you", server: "closed by the server", transport: "connection dropped (no close frame)" }[c.by] || c.by;
    const text = `${c.code}${c.reason ? " " + c.reason : ""} (${who})`;
    this.state(`closed ${text}`, "closed");
    $("sock-closeinfo").textContent = `Close: code ${text}`;
    this.addFrames([{ direction: c.by === "client" ? "out" : "in", opcode: "closed", size: 0, t: null, message: text, note: true }]);
  }

  // -------------------------------------------------------------- the log
  addFrames(batch) {
    const base = this.openedAt || Date.now();
    this.log.add(batch.map((f) => ({ dir: f.direction, op: f.opcode, size: f.size,
      t: f.t == null ? Date.now() : base + f.t, text: f.message ?? "", enc: f.encoding, cut: f.truncated })));
  }

  test() {
    const kind = FILTERS[$("sock-filter").value] || FILTERS.all;
    const q = $("sock-search").value.toLowerCase();
    if (!q) return kind;
    return (f) => kind(f) && (f.text.toLowerCase().includes(q) || f.op === q);
  }

  refilter() {
    this.log.refilter(this.test());
  }

  detail(f) {
    let text = f.text;
    if (f.enc === "base64") {
      const bin = atob(f.text);
      text = Array.from(bin.slice(0, 4096), (c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join(" ");
    } else {
      try { text = JSON.stringify(JSON.parse(text), null, 2); } catch { /* not JSON: as it is */ }
    }
    const head = `${f.dir === "in" ? "received" : "sent"} ${f.op}, ${size(f.size)}, ${clock(f.t)}${f.cut ? " (first 64 KB shown)" : ""}`;
    $("sock-detail").textContent = `${head}\n\n${text}`;
  }
}

function paintFrame(row, f, i, selected) {
  row.className = `r ${f.dir}${CONTROL.has(f.op) ? " ctl" : ""}${selected ? " sel" : ""}`;
  const shownText = f.enc === "base64" ? `[binary] ${f.text.slice(0, 80)}` : f.text.slice(0, 300);
  row.replaceChildren(
    el("span", { className: "d", textContent: f.dir === "in" ? "↓" : "↑" }),
    el("span", { className: "tm", textContent: clock(f.t) }),
    el("span", { className: f.op === "closed" ? "op end" : "op", textContent: f.op }),
    el("span", { className: "sz", textContent: f.op === "closed" ? "" : size(f.size) }),
    el("span", { textContent: shownText }));
}
