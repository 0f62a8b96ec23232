// Wiring: send, paste/convert, raw sync, codegen, history, saved, share,
// import/export, keyboard.  Every server call goes through api.js.
import { api } from "./api.js";
import { Composer } from "./compose.js";
import { showExchange, selectTab } from "./response.js";
import { runProbe, runBench, runVersions } from "./measure.js";
import { WorkspacePanel } from "./workspace.js";
import { streamSend } from "./stream.js";
import { TlsSettings } from "./tls.js";
import { AuthTab } from "./authtab.js";

const $ = (id) => document.getElementById(id);
const debounce = (fn, wait) => {
  let t;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), wait); };
};

let rawEditing = false;
const tls = new TlsSettings($("tls-slot"));
let ws = null;
const composer = new Composer(() => { refreshCode(); if (!rawEditing) refreshRaw(); ws?.changed(); });
// A workspace request is resolved, sent, turned into code and shared by the
// server (its environments stay there); unknown variables block Send.
let blockedBy = [];
ws = new WorkspacePanel(composer, {
  blocked(names) { blockedBy = names; if (!sending) $("send").disabled = readOnly || names.length > 0; },
  refreshCode: () => refreshCode(),
});
const authTab = new AuthTab(composer, ws); // API key, SigV4, OAuth 2.0, inherit (authtab.js)

function showError(err) {
  const box = $("error");
  if (!err) { box.hidden = true; box.textContent = ""; return; }
  box.hidden = false;
  box.textContent = err.field ? `${err.message}` : String(err.message || err);
}

// ---------------------------------------------------------------- send
let sending = false;
async function send() {
  if (sending || $("send").disabled) return;
  if (ws.active() && blockedBy.length) { showError({ message: `Unknown variable(s): ${blockedBy.join(", ")}` }); return; }
  const problem = composer.problem();
  if (problem) { showError({ message: problem }); return; }
  sending = true;
  $("send").disabled = true;
  $("send").textContent = "Sending…";
  showError(null);
  try {
    const material = tls.material();
    const x = ws.active() ? await ws.send()
      : $("stream").checked || $("sse").checked ? await streamSend(composer.get(), material, $("sse").checked)
      : await api("POST", "/api/send", material ? { request: composer.get(), tls: material } : { request: composer.get() });
    await showExchange(x);
    authTab.afterSend(x);
    loadHistory();
  } catch (err) {
    showError(err);
    loadHistory();
  } finally {
    sending = false;
    $("send").disabled = readOnly || (ws.active() && blockedBy.length > 0);
    $("send").textContent = "Send";
  }
}

$("request-form").addEventListener("submit", (e) => { e.preventDefault(); send(); });
document.addEventListener("keydown", (e) => {
  if (document.body.classList.contains("ws-on")) return; // the WebSocket tab has its own keys
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); send(); }
});

// ------------------------------------------------ the WebSocket tab (on demand)
let wsTab = null;
let echoUrl = "";
$("mode-ws").addEventListener("click", async () => {
  const on = document.body.classList.toggle("ws-on");
  $("mode-ws").setAttribute("aria-pressed", String(on));
  if (on && !wsTab) {
    const { WsTab } = await import("./wstab.js");
    wsTab = new WsTab($("wsmode"));
    if (echoUrl) $("sock-url").value = `${echoUrl.replace(/^http/, "ws")}ws`;
  }
});

$("probe").addEventListener("click", () => runProbe(composer.get()));
$("bench").addEventListener("click", () => runBench(composer.get()));
$("versions-run").addEventListener("click", () => runVersions(composer.get()));

// ------------------------------------------- paste curl / raw HTTP in the URL box
const LOOKS_LIKE_TEXT = /^\s*(curl\s|[A-Z][A-Z-]*\s+\S+\s+HTTP\/\d)/;
async function importText(text, from = "auto") {
  try {
    const out = await api("POST", "/api/convert", { text, from, to: ["http"] });
    ws.close();
    composer.set(out.request);
    showError(out.warnings.length ? { message: `Imported ${out.from}: ${out.warnings.join("; ")}` } : null);
    return true;
  } catch (err) {
    showError(err);
    return false;
  }
}
$("url").addEventListener("paste", (e) => {
  const text = e.clipboardData?.getData("text") || "";
  if (LOOKS_LIKE_TEXT.test(text)) { e.preventDefault(); importText(text); }
});
$("url").addEventListener("change", () => {
  const v = $("url").value;
  if (LOOKS_LIKE_TEXT.test(v)) importText(v);
});

// ------------------------------------------------------------ raw tab sync
let rawSeq = 0;
const refreshRaw = debounce(async () => {
  if (!$("url").value.trim()) { $("raw").value = ""; return; }
  const mine = ++rawSeq;
  try {
    const out = ws.active() ? await ws.export("http") : await api("POST", "/api/convert", { request: composer.get(), to: ["http"] });
    if (mine !== rawSeq) return; // a newer edit is on its way
    if (!rawEditing) $("raw").value = out.outputs.http ?? out.warnings.join("\n");
    $("raw-status").textContent = "";
  } catch (err) {
    $("raw-status").textContent = err.message;
  }
}, 250);
// While the user types in Raw, the tabs follow the text (never the other way
// round): a sync from the tabs that is still in flight must not overwrite it.
$("raw").addEventListener("input", () => { rawEditing = !ws.active(); });
$("raw").addEventListener("input", debounce(async () => {
  if (ws.active()) return; // a workspace request is edited in the tabs (its file is the truth)
  try {
    const out = await api("POST", "/api/convert", { text: $("raw").value, from: "http", to: [], drop_derived: true });
    composer.set(out.request);
    $("raw-status").textContent = "Applied to the other tabs.";
  } catch (err) {
    $("raw-status").textContent = err.message;
  } finally {
    rawEditing = false;
  }
}, 400));

// ---------------------------------------------------------------- codegen
async function loadTargets() {
  const targets = await api("GET", "/api/targets");
  $("target").replaceChildren(...targets.map((t) => {
    const o = Object.assign(document.createElement("option"), { value: t.id, textContent: `${t.language} - ${t.library}` });
    o.title = (t.limitations || []).join("; ");
    return o;
  }));
  const saved = localStorage.getItem("reqlab.target");
  const preferred = [saved, "python-requests", "shell-curl"].find((id) => id && targets.some((t) => t.id === id));
  if (preferred) $("target").value = preferred;
  $("code-style").value = localStorage.getItem("reqlab.codeStyle") === "exact" ? "exact" : "idiomatic";
  refreshCode();
}
let codeSeq = 0;
const refreshCode = debounce(async () => {
  const target = $("target").value;
  if (!target || !$("url").value.trim()) { $("code").textContent = ""; return; }
  const mine = ++codeSeq;
  try {
    const style = $("code-style").value;
    const out = ws.active() ? await ws.codegen(target, style) : await api("POST", "/api/codegen", { request: composer.get(), target, style });
    if (mine !== codeSeq) return; // answers can overtake each other
    $("code").textContent = out.code;
    $("code-warnings").replaceChildren(...out.warnings.map((w) => Object.assign(document.createElement("li"), { textContent: w })));
  } catch (err) {
    if (mine !== codeSeq) return;
    $("code").textContent = "";
    $("code-warnings").replaceChildren(Object.assign(document.createElement("li"), { textContent: err.message }));
  }
}, 300);
$("target").addEventListener("change", () => { localStorage.setItem("reqlab.target", $("target").value); refreshCode(); });
$("code-style").addEventListener("change", () => { localStorage.setItem("reqlab.codeStyle", $("code-style").value); refreshCode(); });
$("copy-code").addEventListener("click", async () => {
  const text = $("code").textContent;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = Object.assign(document.createElement("textarea"), { value: text });
    document.body.append(ta);
    ta.select();
    document.execCommand("copy");
    ta.remove();
  }
  $("copy-status").textContent = "Copied.";
  setTimeout(() => { $("copy-status").textContent = ""; }, 2000);
});

// ---------------------------------------------------------------- history
const historyLi = (h) => {
  const li = document.createElement("li");
  li.tabIndex = 0;
  li.title = `${h.method} ${h.url}`;
  const status = h.status ?? "ERR";
  li.append(Object.assign(document.createElement("span"), { className: "m", textContent: h.method }),
    Object.assign(document.createElement("span"), { className: "u", textContent: h.url }),
    Object.assign(document.createElement("span"), { className: `st s${String(status)[0]}`, textContent: status }),
    Object.assign(document.createElement("span"), { textContent: h.total_ms != null ? `${Math.round(h.total_ms)} ms` : "" }));
  const open = async () => { const e = await api("GET", `/api/history/${h.id}`); ws.close(); composer.set(e.request); };
  li.addEventListener("click", open);
  li.addEventListener("keydown", (e) => { if (e.key === "Enter") open(); });
  return li;
};
async function loadHistory() {
  const q = $("history-search").value;
  const rows = await api("GET", `/api/history?limit=100&q=${encodeURIComponent(q)}`);
  $("history-list").replaceChildren(...rows.map(historyLi));
}
$("history-search").addEventListener("input", debounce(loadHistory, 200));
$("clear-history").addEventListener("click", async () => {
  if (!confirm("Clear the whole history of this browser?")) return;
  await api("DELETE", "/api/history");
  loadHistory();
});

// ------------------------------------------------------------ saved / share
async function loadSaved() {
  const rows = await api("GET", "/api/requests");
  $("saved-list").replaceChildren(...rows.map((s) => {
    const li = document.createElement("li");
    li.tabIndex = 0;
    li.append(Object.assign(document.createElement("span"), { className: "m", textContent: s.method }),
      Object.assign(document.createElement("span"), { className: "u", textContent: s.name }));
    const del = Object.assign(document.createElement("button"), { className: "del", textContent: "×", type: "button" });
    del.setAttribute("aria-label", `Delete ${s.name}`);
    del.addEventListener("click", async (e) => { e.stopPropagation(); await api("DELETE", `/api/requests/${s.id}`); loadSaved(); });
    li.append(del);
    li.addEventListener("click", async () => { ws.close(); composer.set((await api("GET", `/api/requests/${s.id}`)).request); showShare(s); });
    return li;
  }));
}
function showShare(s) {
  const a = $("share-link");
  a.href = s.share;
  a.textContent = `Share: ${location.origin}${s.share}`;
  a.hidden = false;
  const note = $("share-note");
  note.textContent = s.include_secrets
    ? "This link includes the saved passwords, tokens and credential headers."
    : "This link leaves out passwords, tokens, Authorization and Cookie headers.";
  note.hidden = false;
}
$("save").addEventListener("click", async () => {
  const name = $("save-name").value.trim() || `${$("method").value} ${$("url").value}`.slice(0, 200);
  try {
    const s = ws.active() ? await ws.share($("save-name").value.trim())
      : await api("POST", "/api/requests", { name, request: composer.get(), include_secrets: $("share-secrets").checked });
    showShare(s);
    showError(null);
    loadSaved();
  } catch (err) {
    showError(err);
  }
});

let readOnly = false;
async function openShared(id) {
  try {
    const s = await api("GET", `/api/requests/${id}`);
    composer.set(s.request);
    $("shared-name").textContent = s.name;
  } catch (err) {
    showError(err);
  }
  readOnly = true;
  $("shared-banner").hidden = false;
  composer.setReadOnly(true);
  $("send").disabled = true;
  $("probe").disabled = true;
  $("bench").disabled = true;
  $("versions-run").disabled = true;
  $("save").disabled = true;
}
$("copy-to-workbench").addEventListener("click", () => {
  readOnly = false;
  composer.setReadOnly(false);
  $("send").disabled = false;
  $("probe").disabled = false;
  $("bench").disabled = false;
  $("versions-run").disabled = false;
  $("save").disabled = false;
  $("shared-banner").hidden = true;
  history.replaceState(null, "", "/");
});

// ---------------------------------------------------------- import / export
$("import-file").addEventListener("change", async () => {
  const f = $("import-file").files[0];
  if (!f) return;
  await importText(await f.text());
  $("import-file").value = "";
});
$("export-format").addEventListener("change", async () => {
  const fmt = $("export-format").value;
  $("export-format").value = "";
  if (!fmt) return;
  try {
    const out = ws.active() ? await ws.export(fmt) : await api("POST", "/api/convert", { request: composer.get(), to: [fmt] });
    const ext = { har: "har", curl: "sh", http: "http" }[fmt];
    const blob = new Blob([out.outputs[fmt]], { type: "text/plain" });
    const a = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: `request.${ext}` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  } catch (err) {
    showError(err);
  }
});

// ------------------------------------------------------------------ tabs
for (const bar of document.querySelectorAll(".tabs")) {
  bar.addEventListener("click", (e) => {
    const tab = e.target.closest("[role=tab]");
    if (tab) selectTab(bar.dataset.group, tab.dataset.tab);
  });
}

// The sidebar is a toggle on a narrow screen.
$("side-toggle").addEventListener("click", () => {
  const open = document.body.classList.toggle("side-open");
  $("side-toggle").setAttribute("aria-expanded", String(open));
});

// ----------------------------------------------------------------- start
async function start() {
  const sidebar = ws.start().catch(showError); // first: the largest start-up answer
  const info = await api("GET", "/api/session");
  if (info.public) for (const id of ["probe", "bench", "versions-run"]) $(id).hidden = true;
  if (info.echo_url) {
    echoUrl = info.echo_url;
    const a = Object.assign(document.createElement("a"), { href: "#", textContent: `echo: ${info.echo_url}` });
    a.addEventListener("click", (e) => { e.preventDefault(); $("url").value = `${info.echo_url}anything`; composer.urlToParams(); composer.changed(); });
    $("echo-link").replaceChildren(a);
  }
  const shared = /^\/r\/([\w-]+)$/.exec(location.pathname);
  if (shared) await openShared(shared[1]);
  else if (!$("url").value && info.echo_url) { $("url").value = `${info.echo_url}get`; composer.changed(); }
  await Promise.all([loadTargets().catch(showError), loadHistory(), loadSaved(), sidebar]);
  document.body.dataset.ready = "1";
}
start().catch(showError);
