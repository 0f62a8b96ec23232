// Showing one exchange: status, time, size, protocol, connection badge,
// lint, body (pretty via the worker, raw, preview), headers, waterfall.
import { csrf } from "./api.js";

const $ = (id) => document.getElementById(id);
const worker = new Worker("/static/worker.js", { type: "module" });
let seq = 0;
const pending = new Map();
worker.onmessage = (e) => {
  const resolve = pending.get(e.data.id);
  pending.delete(e.data.id);
  if (resolve) resolve(e.data);
};

function format(body) {
  const id = ++seq;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    worker.postMessage({ id, kind: body.kind, text: body.text, base64: body.base64 });
  });
}

export function formatBytes(n) {
  if (n == null) return "";
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

// Text put into the page at once: a few hundred KB lays out in a blink,
// megabytes of wrapped text would stall the page for seconds.
const CHUNK = 256 * 1024;

function fillText(el, text) {
  const old = el.nextElementSibling;
  if (old?.classList.contains("more")) old.remove();
  el.textContent = text.slice(0, CHUNK);
  if (text.length <= CHUNK) return;
  let shown = CHUNK;
  const more = Object.assign(document.createElement("button"), { type: "button", className: "more" });
  const label = () => { more.textContent = `Show more (${formatBytes(text.length - shown)} left)`; };
  label();
  more.addEventListener("click", () => {
    el.append(text.slice(shown, shown + CHUNK));
    shown += CHUNK;
    if (shown >= text.length) more.remove();
    else label();
  });
  el.after(more);
}

// HTTP/3: what QUIC negotiated, beside the connection badge.
function quicBadge(q) {
  const el = $("quic");
  el.hidden = !q;
  if (!q) { el.textContent = ""; el.title = ""; return; }
  const t = q.idle_timeout;
  const secs = (v) => (v == null ? "none" : `${v} s`);
  const zero = q.zero_rtt ? "0-RTT accepted" : (q.zero_rtt_note || "no 0-RTT");
  el.textContent = [
    q.version,
    `idle ours ${secs(t.ours)} / peer ${secs(t.peer)} → ${secs(t.effective)}`,
    `rtt ${q.rtt_ms} ms`,
    q.zero_rtt ? "0-RTT" : "1-RTT",
    `cid ${q.connection_ids.local} → ${q.connection_ids.peer}`,
  ].join(" · ");
  el.title = `${zero}${q.resumed ? ", session resumed" : ""}; ${q.max_streams} streams allowed; ` +
    `${q.datagrams.sent} datagrams sent, ${q.datagrams.received} received` +
    (q.packets ? `; packets lost ${q.packets.lost}, retransmitted ${q.packets.retransmitted}` : "");
}

const ms = (v) => `${(v ?? 0).toFixed(v >= 100 ? 0 : 2)} ms`;
let current = 0;

export async function showExchange(x) {
  const mine = ++current;
  const res = x.response;
  $("response").hidden = false;
  const st = $("status");
  st.textContent = `${res.status} ${res.reason || ""}`.trim();
  st.className = `status s${String(res.status)[0]}`;
  $("time").textContent = ms(x.timings.total);
  const size = formatBytes(res.body_size ?? res.body.size);
  $("size").textContent = res.content_encoding
    ? `${size} (${formatBytes(res.wire_size)} ${res.content_encoding} on the wire)` : size;
  $("protocol").textContent = res.version || x.request.version || "";
  const c = x.connection;
  const conn = $("conn");
  if (c) {
    conn.textContent = c.reused ? `connection #${c.id} reused` : `new connection #${c.id}`;
    conn.className = c.reused ? "badge" : "badge new";
    conn.title = `${c.local} → ${c.remote}, ${c.requests} request(s) on it`;
  } else conn.textContent = "";
  quicBadge(c?.quic);
  const tls = c?.tls;
  $("tls").textContent = tls ? [tls.version, tls.alpn, tls.verified ? "verified" : "not verified"].filter(Boolean).join(" · ") : "";
  $("tls").title = tls?.peer_cert ? `${tls.peer_cert.subject || ""}\nissued by ${tls.peer_cert.issuer || "?"}\nvalid until ${tls.peer_cert.not_after || "?"}` : "";

  const lint = [...(x.lint || []).map((l) => l.message), ...(x.warnings || [])];
  $("lint").replaceChildren(...lint.map((m) => Object.assign(document.createElement("li"), { textContent: m })));

  const table = $("rheaders");
  table.replaceChildren(...res.headers.map(([n, v]) => {
    const tr = document.createElement("tr");
    tr.append(Object.assign(document.createElement("td"), { textContent: n }),
      Object.assign(document.createElement("td"), { textContent: v }));
    return tr;
  }));
  $("redirects").replaceChildren(...(x.redirects || []).map((r) => Object.assign(
    document.createElement("li"), { textContent: `${r.status ?? ""} ${r.method ?? ""} ${r.url ?? ""} → ${r.location ?? ""}` })));
  waterfall(x.timings);
  $("sent").textContent = x.request.raw ?? (x.request.headers || []).map(([n, v]) => `${n}: ${v}`).join("\n");

  const body = res.body;
  const note = $("truncated");
  const link = `${body.download}?csrf=${encodeURIComponent(csrf())}`;
  if (body.truncated) {
    note.hidden = false;
    note.replaceChildren(`Showing the first ${formatBytes(body.shown)} of ${formatBytes(body.size)}. `,
      body.download
        ? Object.assign(document.createElement("a"), { href: link, textContent: "Download the full body", download: "response-body" })
        : "(The full body is over this server's keep limit, so it was not kept.)");
  } else note.hidden = true;

  fillText($("rawbody"), body.kind === "binary" || body.kind === "image" ? `(${body.kind} body, ${formatBytes(body.size)})` : body.text);
  const preview = $("preview");
  preview.replaceChildren();
  if (body.kind === "image" && body.base64) {
    preview.append(Object.assign(document.createElement("img"), { src: `data:${body.media_type};base64,${body.base64}`, alt: "response image" }));
  } else if (body.kind === "html") {
    // Never live in this origin: an iframe with an empty sandbox (no
    // scripts, no same-origin, no forms, no navigation) fed by srcdoc.
    const frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "");
    frame.setAttribute("title", "HTML preview (sandboxed)");
    frame.srcdoc = body.text;
    preview.append(frame);
  } else {
    preview.textContent = "No preview for this content type.";
  }
  const pretty = $("pretty");
  if (body.kind === "image") {
    fillText(pretty, "(image: see Preview)");
    selectTab("res", "preview");
    return;
  }
  fillText(pretty, body.text && body.text.length > 100000 ? "Formatting…" : "");
  const out = await format(body);
  if (mine !== current) return; // a newer response arrived meanwhile
  if (out.html !== null) pretty.innerHTML = out.html; // highlight.js escaped all content
  else fillText(pretty, out.plain);
}

function waterfall(t) {
  const phases = ["dns", "connect", "tls", "send", "wait", "receive"];
  const total = Math.max(t.total || 0, phases.reduce((s, p) => s + (t[p] || 0), 0)) || 1;
  let offset = 0;
  const rows = phases.map((p) => {
    const row = document.createElement("div");
    row.className = "wf";
    const track = Object.assign(document.createElement("div"), { className: "track" });
    const bar = Object.assign(document.createElement("div"), { className: `bar b-${p}` });
    bar.style.left = `${(offset / total) * 100}%`;
    bar.style.width = `${((t[p] || 0) / total) * 100}%`;
    offset += t[p] || 0;
    track.append(bar);
    row.append(Object.assign(document.createElement("span"), { textContent: p.toUpperCase() }), track,
      Object.assign(document.createElement("span"), { className: "ms", textContent: ms(t[p]) }));
    return row;
  });
  const totalRow = Object.assign(document.createElement("div"), { className: "wf" });
  totalRow.append(Object.assign(document.createElement("strong"), { textContent: "TOTAL" }), document.createElement("span"),
    Object.assign(document.createElement("strong"), { className: "ms", textContent: ms(t.total) }));
  $("waterfall").replaceChildren(...rows, totalRow);
}

export function selectTab(group, name) {
  const bar = document.querySelector(`.tabs[data-group="${group}"]`);
  for (const b of bar.querySelectorAll("[role=tab]")) b.setAttribute("aria-selected", String(b.dataset.tab === name));
  const scope = bar.parentElement;
  for (const p of scope.querySelectorAll(":scope > .panel")) {
    if (p.dataset.panel && bar.querySelector(`[data-tab="${p.dataset.panel}"]`)) p.hidden = p.dataset.panel !== name;
  }
}
