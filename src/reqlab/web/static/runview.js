// The sidebar's Run: runs a workspace file or folder on the server
// (reqlab.run) and shows each entry as it finishes - method, URL, status,
// every assert's verdict with expected and actual, timings, whether the
// connection was reused - then a summary line.  Loaded on the first Run.
// The results arrive as server-sent events over fetch (so the CSRF token
// travels in a header and an error answer can be read).
import { csrf } from "./api.js";

if (!document.querySelector('link[href="/static/tabs.css"]')) {
  document.head.append(Object.assign(document.createElement("link"), { rel: "stylesheet", href: "/static/tabs.css" }));
}

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...kids) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids);
  return e;
};
let current = null; // the AbortController of the run on screen

export async function run(path, env) {
  current?.abort();
  const stop = (current = new AbortController());
  const box = $("runs");
  const body = el("div", { id: "run-results", role: "log", ariaLabel: "Run log" });
  const stopBtn = el("button", { type: "button", textContent: "Stop" });
  const close = el("button", { type: "button", className: "link", textContent: "Close" });
  stopBtn.addEventListener("click", () => stop.abort());
  close.addEventListener("click", () => { stop.abort(); box.hidden = true; });
  const where = path || "the whole workspace";
  box.replaceChildren(el("h2", {}, `Run ${where}${env ? ` (${env})` : ""}`, stopBtn, close), body);
  box.hidden = false;
  box.dataset.state = "running";
  box.scrollIntoView({ block: "nearest" });
  const files = new Map();
  const query = new URLSearchParams({ path, ...(env ? { env } : {}) });
  try {
    const r = await fetch(`/api/workspace/run?${query}`, {
      headers: { "X-CSRF-Token": csrf() }, credentials: "same-origin", signal: stop.signal,
    });
    if (!r.ok) {
      const data = await r.json().catch(() => ({}));
      throw new Error(data?.error?.message || `HTTP ${r.status}`);
    }
    for await (const [kind, data] of events(r.body)) {
      if (kind === "entry") entry(body, files, data);
      else if (kind === "file") fileDone(body, files, data);
      else if (kind === "done") summary(body, data);
      else if (kind === "failure") body.append(el("div", { className: "fail summary-line", textContent: data.message }));
    }
    box.dataset.state = "done";
  } catch (e) {
    box.dataset.state = "failed";
    body.append(el("div", { className: "fail summary-line", textContent: stop.signal.aborted ? "Stopped." : String(e.message || e) }));
  } finally {
    stopBtn.disabled = true;
  }
}

async function* events(stream) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value;
    let end;
    while ((end = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, end);
      buf = buf.slice(end + 2);
      let kind = "message";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) kind = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      yield [kind, JSON.parse(data)];
    }
  }
}

function section(body, files, name) {
  let s = files.get(name);
  if (!s) {
    s = { head: el("div", { className: "run-file", textContent: name }), list: el("div") };
    files.set(name, s);
    body.append(s.head, s.list);
  }
  return s;
}

function entry(body, files, e) {
  const s = section(body, files, e.file);
  const mark = e.skipped ? "–" : e.ok ? "✓" : "✗";
  const conn = e.connection == null ? "" : e.reused ? ` · connection #${e.connection} reused` : ` · new connection #${e.connection}`;
  const time = e.timings ? ` · ${e.timings.total.toFixed(1)} ms (connect ${e.timings.connect.toFixed(1)}, wait ${e.timings.wait.toFixed(1)})` : "";
  const status = e.status == null ? "" : ` → ${e.status}`;
  const line = el("div", { className: `entry ${e.ok ? "pass" : "fail"}`, title: `${e.file}:${e.line}` },
    `${mark} ${e.method} ${e.url}${status}${time}${conn}`);
  line.dataset.status = String(e.status ?? "");
  const asserts = el("ul", { className: "asserts" });
  for (const a of e.asserts) {
    if (a.implicit && a.ok) continue; // "HTTP 200" is the status shown above
    const li = el("li", { className: a.ok ? "pass" : "fail", textContent: `${a.ok ? "✓" : "✗"} ${a.text}` });
    if (!a.ok) {
      li.append(el("div", { className: "xa", textContent: `expected: ${a.expected}` }),
        el("div", { className: "xa", textContent: `actual:   ${a.error || a.actual}` }));
    }
    asserts.append(li);
  }
  if (e.error) asserts.append(el("li", { className: "fail", textContent: `✗ ${e.error} (line ${e.error_pos || e.line})` }));
  s.list.append(line, asserts);
}

function fileDone(body, files, f) {
  const s = section(body, files, f.file);
  const verdict = f.ok ? "PASS" : "FAIL";
  s.head.className = `run-file ${f.ok ? "pass" : "fail"}`;
  s.head.textContent = `${verdict} ${f.file}  ${f.requests} requests, ${f.reused} reused on ${f.connections} connection${f.connections === 1 ? "" : "s"}, ${f.time_ms.toFixed(1)} ms`;
  if (f.parse_error) s.list.append(el("div", { className: "entry fail", textContent: f.parse_error }));
}

function summary(body, d) {
  body.append(el("div", { id: "run-summary", className: `summary-line ${d.ok ? "pass" : "fail"}`,
    textContent: `${d.files} file${d.files === 1 ? "" : "s"}: ${d.passed} passed, ${d.failed} failed · ${d.requests} requests, ${d.reused} on a reused connection · ${d.time_ms.toFixed(0)} ms` }));
}
