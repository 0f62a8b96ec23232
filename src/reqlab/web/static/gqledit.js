// The GraphQL body's editor: "Fetch schema" (introspection through the
// workbench, POST /api/graphql/schema) lists the types and their fields,
// and the query box completes from it: the fields of the type of the
// selection set the caret is in (root Query / Mutation / Subscription
// fields at the top of an operation, `... on Type` and fragments followed),
// argument names inside a field's parentheses, enum values after an
// argument's colon, type names after `on`.  Loaded when the GraphQL body
// type is first chosen.
import { api } from "./api.js";

const $ = (id) => document.getElementById(id);
const NAME = /[_A-Za-z0-9]/;
const TOKEN = /\s+|,|#[^\n]*|"""[\s\S]*?(?:"""|$)|"(?:[^"\\\n]|\\.)*(?:"|$)|\.\.\.|[_A-Za-z][_0-9A-Za-z]*|-?\d[\d.eE+-]*|[{}()[\]:!$@=|&]/gy;
const KEYWORDS = ["query", "mutation", "subscription", "fragment"];

export const baseType = (t) => (t || "").replace(/[[\]!]/g, "");

function tokens(text) {
  const out = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) { TOKEN.lastIndex = at + 1; continue; } // a character GraphQL does not know
    const t = m[0];
    if (/^\s|^,|^#/.test(t)) continue;
    out.push(t[0] === '"' ? '"str"' : t);
  }
  return out;
}

// Where the caret is: which completions apply.  schema: the summary the
// workbench answers ({queryType, mutationType, subscriptionType, types}).
export function complete(schema, text) {
  const m = /[_A-Za-z][_0-9A-Za-z]*$/.exec(text);
  const prefix = m ? m[0] : "";
  const toks = tokens(text.slice(0, text.length - prefix.length));
  const types = new Map((schema?.types || []).map((t) => [t.name, t]));
  const fieldOf = (type, name) => types.get(type)?.fields?.find((f) => f.name === name) || null;
  const stack = []; // the type of each open selection set
  const given = new Set(); // the arguments already written in the open parentheses
  let op = "query", typeCond = null, field = null, args = null, paren = 0, value = 0, directive = false;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i], prev = toks[i - 1];
    if (paren > 0) { // arguments (or variable definitions) : values may nest
      if (value === 0 && paren === 1 && toks[i + 1] === ":" && /^[_A-Za-z]/.test(t)) given.add(t);
      if (t === "(") paren++;
      else if (t === ")") { if (--paren === 0) args = null; }
      else if (t === "{" || t === "[") value++;
      else if (t === "}" || t === "]") value--;
      continue;
    }
    if (t === "(") { paren = 1; value = 0; given.clear(); args = stack.length && !directive ? field : null; directive = false; continue; }
    if (t === "{") {
      const root = { query: schema?.queryType, mutation: schema?.mutationType, subscription: schema?.subscriptionType }[op];
      stack.push(typeCond || (stack.length ? baseType(field?.type) : root) || null);
      typeCond = null; field = null;
      continue;
    }
    if (t === "}") { stack.pop(); field = null; if (!stack.length) op = "query"; continue; }
    if (!/^[_A-Za-z]/.test(t)) continue;
    if (prev === "on") { typeCond = t; continue; }
    if (!stack.length) { if (KEYWORDS.includes(t) && t !== "fragment") op = t; continue; }
    if (prev === "@") { directive = true; continue; } // its arguments are not the field's
    if (t === "on" || prev === "..." || prev === "$") continue;
    if (toks[i + 1] === ":") continue; // an alias: the field's name comes after the colon
    field = fieldOf(stack[stack.length - 1], t);
  }
  const last = toks[toks.length - 1];
  let items = [];
  if (paren > 0) {
    if (!args || value > 0) items = [];
    else if (last === ":") { // an argument's value: an enum's values
      const arg = args.args?.find((a) => a.name === toks[toks.length - 2]);
      items = (types.get(baseType(arg?.type))?.enumValues || []).map((v) => ({ label: v, detail: baseType(arg.type), insert: v }));
    } else {
      items = (args.args || []).filter((a) => !given.has(a.name))
        .map((a) => ({ label: a.name, detail: a.type, insert: `${a.name}: ` }));
    }
  } else if (last === "on") {
    items = [...types.values()].filter((t) => ["OBJECT", "INTERFACE", "UNION"].includes(t.kind))
      .map((t) => ({ label: t.name, detail: t.kind.toLowerCase(), insert: t.name }));
  } else if (!stack.length) {
    items = KEYWORDS.map((k) => ({ label: k, detail: "keyword", insert: k }));
  } else {
    const type = types.get(stack[stack.length - 1]);
    items = (type?.fields || []).map((f) => ({
      label: f.name,
      detail: `${f.args ? `(${f.args.map((a) => `${a.name}: ${a.type}`).join(", ")})` : ""}: ${f.type}`,
      insert: f.name,
    }));
    if (type) items.push({ label: "__typename", detail: ": String!", insert: "__typename" });
  }
  const p = prefix.toLowerCase();
  return { prefix, items: items.filter((it) => it.label.toLowerCase().startsWith(p)) };
}

export class GraphQLEditor {
  constructor({ request, changed }) {
    this.request = request;
    this.changed = changed;
    this.schema = null;
    this.items = [];
    this.pick = 0;
    this.box = $("gql-query");
    this.list = $("gql-complete");
    this.box.addEventListener("input", (e) => {
      const typed = e.data || "";
      if (typed && (NAME.test(typed.slice(-1)) || typed === "{" || typed === "(")) this.open();
      else if (!typed || !NAME.test(typed)) this.close();
    });
    this.box.addEventListener("keydown", (e) => this.key(e));
    this.box.addEventListener("blur", () => setTimeout(() => this.close(), 150));
    this.list.addEventListener("mousedown", (e) => {
      const li = e.target.closest("li");
      if (li) { e.preventDefault(); this.accept(Number(li.dataset.k)); }
    });
    $("gql-fetch").addEventListener("click", () => this.fetchSchema());
    window.reqlabGql = this; // the browser test reads the schema and completions through this
  }

  async fetchSchema() {
    const status = $("gql-schema-status");
    status.textContent = "fetching…";
    status.className = "hint";
    try {
      const out = await api("POST", "/api/graphql/schema", { request: this.request() });
      this.schema = out.schema;
      const roots = [out.schema.queryType, out.schema.mutationType, out.schema.subscriptionType].filter(Boolean);
      status.textContent = `${out.schema.types.length} types (${roots.join(", ")}); Ctrl+Space completes`;
      this.showSchema();
    } catch (err) {
      status.textContent = err.message;
      status.className = "err";
    }
  }

  showSchema() {
    const s = this.schema;
    const roots = [s.queryType, s.mutationType, s.subscriptionType].filter(Boolean);
    const order = [...s.types].sort((a, b) => (roots.includes(b.name) - roots.includes(a.name)) || a.name.localeCompare(b.name));
    const el = (tag, props = {}, ...kids) => { const e = Object.assign(document.createElement(tag), props); e.append(...kids); return e; };
    $("gql-schema").replaceChildren(...order.slice(0, 500).map((t) => {
      const lines = t.fields || t.inputFields || [];
      const summary = el("summary", {}, el("strong", { textContent: t.name }),
        ` ${t.kind.toLowerCase()}${lines.length ? `, ${lines.length} fields` : ""}${t.enumValues ? `: ${t.enumValues.join(" | ")}` : ""}`);
      return el("details", { open: roots.includes(t.name) }, summary, el("ul", {}, ...lines.map((f) =>
        el("li", {}, el("code", { textContent: `${f.name}${f.args ? `(${f.args.map((a) => `${a.name}: ${a.type}`).join(", ")})` : ""}: ${f.type}` }),
          f.description ? el("span", { className: "hint", textContent: ` ${f.description}` }) : ""))));
    }));
  }

  open() {
    const text = this.box.value.slice(0, this.box.selectionStart);
    const { items } = complete(this.schema, text);
    this.items = items.slice(0, 100);
    this.pick = 0;
    if (!this.items.length) { this.close(); return; }
    this.render();
  }

  render() {
    this.list.replaceChildren(...this.items.map((it, k) => {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", String(k === this.pick));
      li.dataset.k = String(k);
      const name = document.createElement("b");
      name.textContent = it.label;
      const detail = document.createElement("span");
      detail.textContent = ` ${it.detail}`;
      li.append(name, detail);
      return li;
    }));
    this.list.hidden = false;
    this.list.children[this.pick]?.scrollIntoView({ block: "nearest" });
  }

  close() {
    this.list.hidden = true;
    this.items = [];
  }

  key(e) {
    if (e.key === " " && e.ctrlKey) { e.preventDefault(); this.open(); return; }
    if (this.list.hidden) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const n = this.items.length;
      this.pick = (this.pick + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
      this.render();
    } else if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault();
      e.stopPropagation(); // not the page's Ctrl+Enter send
      this.accept(this.pick);
    } else if (e.key === "Escape") {
      e.preventDefault();
      this.close();
    }
  }

  accept(k) {
    const it = this.items[k];
    if (!it) return;
    const box = this.box, at = box.selectionStart;
    const { prefix } = complete(this.schema, box.value.slice(0, at));
    box.setRangeText(it.insert, at - prefix.length, at, "end");
    this.close();
    box.focus();
    this.changed();
  }
}
