// The workspace in the sidebar: a tree of .http files (folders collapsible),
// a search box filtering it, an environment picker; opening a request fills
// the composer with its text, {{variables}} and all.  The server resolves
// them (the environments stay there): the strip under the URL shows each
// {{var}} with its value on hover, unknown ones block Send.  "Save to file"
// writes the request back if the file has not changed on disk since it was
// opened (a 409 otherwise); the file is re-checked every few seconds and on
// focus, so an edit made outside is shown, never overwritten.
import { api } from "./api.js";

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...kids) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids);
  return e;
};
const POLL_MS = 3000;
const SHOWN = 300; // search results rendered at once

export class WorkspacePanel {
  constructor(composer, hooks) {
    this.composer = composer;
    this.hooks = hooks; // { blocked(list), refreshCode() }
    this.items = [];
    this.current = null; // { ref, path, version }
    this.unknown = [];
    this.quiet = false; // filling the composer is not an edit
    this.seq = 0;
    this.timer = null;
  }

  active() { return this.current !== null; }
  env() { return $("ws-env").value || null; }

  async start() {
    const tree = await api("GET", "/api/workspace").catch(() => ({ enabled: false }));
    if (!tree.enabled) return;
    $("ws").hidden = false;
    const all = this.runButton("the whole workspace", "");
    all.classList.add("link");
    $("ws").querySelector("h2").append(all);
    const env = $("ws-env");
    env.append(...tree.environments.map((n) => el("option", { value: n, textContent: n })));
    const saved = localStorage.getItem("reqlab.env");
    if (saved && tree.environments.includes(saved)) env.value = saved;
    else if (tree.environments.length) env.value = tree.environments[0];
    env.addEventListener("change", () => { localStorage.setItem("reqlab.env", env.value); this.preview(); this.hooks.refreshCode(); });
    let t;
    $("ws-search").addEventListener("input", () => { clearTimeout(t); t = setTimeout(() => this.filter(), 50); });
    $("ws-save").addEventListener("click", () => this.save());
    $("ws-reload").addEventListener("click", () => this.open(this.current.ref));
    $("ws-close").addEventListener("click", () => this.close());
    $("ws-inline").addEventListener("change", () => this.hooks.refreshCode());
    window.addEventListener("focus", () => this.checkDisk());
    setInterval(() => this.checkDisk(), POLL_MS);
    this.load(tree);
  }

  // -------------------------------------------------------------- the tree
  load(tree) {
    this.items = [];
    for (const f of tree.files) {
      f.requests = f.requests.map(([name, method, url]) => {
        const ref = `${f.path}#${name}`;
        const r = { ref, name, method, url, path: f.path, hay: `${method} ${url} ${name} ${ref}`.toLowerCase() };
        this.items.push(r);
        return r;
      });
    }
    $("ws-errors").replaceChildren(...tree.errors.map((e) => el("div", { className: "err", textContent: e })));
    const root = { dirs: new Map(), files: [] };
    // .hurl files have no requests to open, but they run (the Run button).
    const all = [...tree.files, ...(tree.hurl || []).map((path) => ({ path, requests: [] }))];
    for (const f of all) {
      const parts = f.path.split("/");
      let node = root;
      for (const [i, d] of parts.slice(0, -1).entries()) {
        if (!node.dirs.has(d)) node.dirs.set(d, { dirs: new Map(), files: [], path: parts.slice(0, i + 1).join("/") });
        node = node.dirs.get(d);
      }
      node.files.push({ name: parts[parts.length - 1], requests: f.requests, path: f.path });
    }
    const open = this.items.length <= 200;
    this.treeNode = el("div", { className: "tree-root" }, ...this.renderDir(root, open));
    this.filter();
    document.body.dataset.wsItems = String(this.items.length);
  }

  renderDir(node, open) {
    // A closed folder or file gets its children when first opened, so a
    // workspace of thousands of requests costs a few dozen elements at first.
    const lazy = (details, fill) => {
      if (open) { details.append(...fill()); return details; }
      details.addEventListener("toggle", () => { if (details.open && !details.dataset.filled) { details.dataset.filled = "1"; details.append(...fill()); } });
      return details;
    };
    const out = [];
    for (const [name, sub] of node.dirs) {
      out.push(lazy(el("details", { className: "folder", open }, this.summary(name, sub.path)), () => this.renderDir(sub, open)));
    }
    for (const f of node.files) {
      out.push(lazy(el("details", { className: "file", open }, this.summary(f.name, f.path)),
        () => [el("ul", { className: "reqs" }, ...f.requests.map((r) => this.item(r)))]));
    }
    return out;
  }

  // A folder's or file's line, with its Run button (the results module is
  // loaded on the first run).
  summary(name, path) {
    return el("summary", {}, el("span", { className: "name", textContent: name }), this.runButton(path, path));
  }

  runButton(shown, path) {
    const run = el("button", { type: "button", className: "run", textContent: "Run", title: `Run ${shown} (reqlab run)` });
    run.setAttribute("aria-label", `Run ${shown}`);
    run.addEventListener("click", async (e) => {
      e.preventDefault(); // not a toggle of the folder
      const { run: start } = await import("./runview.js");
      start(path, this.env());
    });
    return run;
  }

  item(r, hint = "") {
    const b = el("button", { type: "button", className: "req", title: `${r.method} ${r.url}` },
      el("span", { className: `m m-${r.method}`, textContent: r.method }),
      el("span", { className: "rname", textContent: r.name }));
    if (hint) b.append(el("span", { className: "where", textContent: hint }));
    b.dataset.ref = r.ref;
    b.addEventListener("click", () => this.open(r.ref));
    return el("li", {}, b);
  }

  filter() {
    const words = $("ws-search").value.toLowerCase().split(/\s+/).filter(Boolean);
    const box = $("ws-tree");
    if (!words.length) { box.replaceChildren(this.treeNode); box.dataset.matches = String(this.items.length); return; }
    const found = this.items.filter((it) => words.every((w) => it.hay.includes(w)));
    const list = el("ul", { className: "reqs results" }, ...found.slice(0, SHOWN).map((r) => this.item(r, r.path)));
    if (found.length > SHOWN) list.append(el("li", { className: "hint", textContent: `${found.length - SHOWN} more: refine the search` }));
    if (!found.length) list.append(el("li", { className: "hint", textContent: "No request matches." }));
    box.replaceChildren(list);
    box.dataset.matches = String(found.length);
  }

  async reloadTree() {
    const tree = await api("GET", "/api/workspace").catch(() => null);
    if (tree?.enabled) this.load(tree);
  }

  // ---------------------------------------------------------- one request
  async open(ref) {
    try {
      const r = await api("GET", `/api/workspace/request?ref=${encodeURIComponent(ref)}`);
      this.current = { ref: r.ref, path: r.path, version: r.version };
      this.quiet = true;
      this.composer.set(r.request);
      this.quiet = false;
      $("ws-bar").hidden = false;
      $("ws-ref").textContent = r.ref;
      $("ws-reload").hidden = true;
      this.status("");
      $("raw").readOnly = true;
      for (const b of document.querySelectorAll("#ws-tree .req")) b.classList.toggle("sel", b.dataset.ref === r.ref);
      document.body.classList.remove("side-open");
      await this.preview();
      this.hooks.refreshCode();
    } catch (err) {
      this.status(err.message, true);
    }
  }

  close() {
    this.current = null;
    $("ws-bar").hidden = true;
    $("ws-vars").hidden = true;
    for (const e of document.querySelectorAll("#url, #body-json, #body-text, #headers input")) e.title = "";
    $("raw").readOnly = false;
    this.unknown = [];
    this.hooks.blocked([]);
  }

  status(text, bad = false) {
    const s = $("ws-status");
    s.textContent = text;
    s.classList.toggle("bad", bad);
  }

  changed() {
    if (!this.current || this.quiet) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.preview(), 250);
  }

  body(extra = {}) {
    return { ref: this.current.ref, env: this.env(), request: this.composer.get(), ...extra };
  }

  // ----------------------------------------------- variables and their values
  async preview() {
    if (!this.current) return;
    const mine = ++this.seq;
    try {
      const out = await api("POST", "/api/workspace/resolve", this.body());
      if (mine !== this.seq) return;
      this.unknown = out.unknown;
      this.showVars(out.variables);
      this.hooks.blocked(out.unknown);
    } catch (err) {
      if (mine === this.seq) this.status(err.message, true);
    }
  }

  showVars(vars) {
    const req = this.composer.get();
    const texts = { url: req.url, body: req.body?.text ?? "" };
    for (const [n, v] of req.headers) texts[`header:${n}`] = v;
    const rows = [];
    const places = [...new Set(vars.map((v) => v.where))];
    for (const where of places) {
      const text = texts[where] ?? "";
      const mine = vars.filter((v) => v.where === where);
      const label = where === "url" ? "URL" : where === "body" ? "Body" : where.slice(7);
      rows.push(el("div", { className: "var-row" }, el("span", { className: "var-where", textContent: label }), this.marked(text, mine, where === "body")));
      if (where === "url") $("url").title = this.substituted(text, mine);
    }
    // The inputs themselves: their resolved text on hover.
    for (const row of document.querySelectorAll("#headers .row")) {
      const [name, value] = row.querySelectorAll("input");
      const mine = vars.filter((v) => v.where === `header:${name?.value.trim()}`);
      if (value) value.title = mine.length ? this.substituted(value.value, mine) : "";
    }
    const inBody = vars.filter((v) => v.where === "body");
    for (const id of ["body-json", "body-text"]) $(id).title = inBody.length ? this.substituted(texts.body, inBody) : "";
    const box = $("ws-vars");
    if (this.unknown.length) {
      rows.unshift(el("div", { className: "err", textContent: `Unknown variable${this.unknown.length > 1 ? "s" : ""}: ${this.unknown.join(", ")} - define ${this.unknown.length > 1 ? "them" : "it"} in the environment or the file before sending.` }));
    }
    box.replaceChildren(...rows);
    box.hidden = rows.length === 0;
  }

  marked(text, vars, body) {
    if (!body) return this.markLine(text, vars, 0);
    // A body: only its lines that hold variables, each with its marks.
    const out = el("span", { className: "var-text" });
    let start = 0;
    for (const line of text.split("\n")) {
      const end = start + line.length;
      const here = vars.filter((v) => v.offset >= start && v.offset < end);
      if (here.length) {
        if (out.childNodes.length) out.append("\n");
        out.append(this.markLine(line, here, start));
      }
      start = end + 1;
    }
    return out;
  }

  markLine(text, vars, base) {
    const out = el("span", { className: "var-text" });
    let at = 0;
    for (const v of vars) {
      const from = v.offset - base;
      const end = text.indexOf("}}", from) + 2;
      if (end < 2) continue;
      out.append(text.slice(at, from));
      const note = v.state === "secret" ? " (secret)" : v.state === "dynamic" ? " (new on every send)" : "";
      const title = v.state === "unknown" ? `${v.name}: ${v.message}`
        : v.state === "pending" ? `${v.name}: that request is sent first, then quoted` : `${v.name} = ${v.value}${note}`;
      out.append(el("mark", { className: `var v-${v.state}`, title, textContent: text.slice(from, end) }));
      at = end;
    }
    out.append(text.slice(at));
    return out;
  }

  substituted(text, vars) {
    let out = "";
    let at = 0;
    for (const v of vars) {
      const end = text.indexOf("}}", v.offset) + 2;
      out += text.slice(at, v.offset) + (v.value ?? text.slice(v.offset, end));
      at = end;
    }
    return out + text.slice(at);
  }

  // --------------------------------------------------------------- saving
  async save() {
    if (!this.current) return;
    try {
      const out = await api("POST", "/api/workspace/save", { ref: this.current.ref, version: this.current.version, request: this.composer.get() });
      this.current.version = out.version;
      this.current.ref = out.ref;
      $("ws-ref").textContent = out.ref;
      $("ws-reload").hidden = true;
      this.status(`Saved to ${this.current.path}.`);
      this.reloadTree();
    } catch (err) {
      this.status(err.message, true);
      if (err.status === 409) $("ws-reload").hidden = false;
    }
  }

  async checkDisk() {
    const cur = this.current;
    if (!cur || document.hidden) return;
    try {
      const out = await api("GET", `/api/workspace/version?path=${encodeURIComponent(cur.path)}`);
      if (cur !== this.current || out.version === cur.version) return;
      this.status(`${cur.path} was changed on disk outside reqlab. Reload to see it; Save will not overwrite it.`, true);
      $("ws-reload").hidden = false;
      this.reloadTree();
    } catch (err) {
      if (err.status === 404 && cur === this.current) this.status(`${cur.path} is gone from the disk.`, true);
    }
  }

  // ------------------------------------- send, code, export, share (server side)
  send() { return api("POST", "/api/workspace/send", this.body()); }
  codegen(target, style) { return api("POST", "/api/workspace/codegen", this.body({ target, style, inline_secrets: $("ws-inline").checked })); }
  export(fmt) { return api("POST", "/api/workspace/export", this.body({ to: [fmt], inline_secrets: $("ws-inline").checked })); }
  share(name) { return api("POST", "/api/workspace/share", this.body({ name })); }
}
