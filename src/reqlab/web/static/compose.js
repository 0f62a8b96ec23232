// The request composer: reads the form into the API's request JSON and
// fills the form from one.  Params and the URL's query stay in sync.
import { KVEditor, fileBase64 } from "./kv.js";

const $ = (id) => document.getElementById(id);

export class Composer {
  constructor(onChange) {
    this.onChange = onChange;
    this.bytesBody = null;
    this.params = new KVEditor($("params"), { onChange: (p) => { this.paramsToUrl(p); this.changed(); } });
    this.headers = new KVEditor($("headers"), { onChange: () => this.changed() });
    this.form = new KVEditor($("body-form"), { onChange: () => this.changed() });
    this.multipart = new KVEditor($("body-multipart"), { files: true, onChange: () => this.changed() });
    $("url").addEventListener("input", () => { this.urlToParams(); this.changed(); });
    for (const id of ["method", "version", "keep-alive", "timeout", "follow", "verify", "auth-scheme",
      "auth-user", "auth-pass", "auth-token", "body-json", "body-text", "gql-query", "gql-variables", "gql-operation"]) {
      $(id).addEventListener("input", () => this.changed());
      $(id).addEventListener("change", () => this.changed());
    }
    for (const radio of document.querySelectorAll('input[name="body-kind"]')) {
      radio.addEventListener("change", () => {
        // a GraphQL operation is a POST (the user may still pick another method after)
        if (radio.value === "graphql" && $("method").value.trim().toUpperCase() === "GET") $("method").value = "POST";
        this.showBody();
        this.changed();
      });
    }
    $("auth-scheme").addEventListener("change", () => this.showAuth());
    $("body-json").addEventListener("input", () => this.checkJSON());
    $("gql-variables").addEventListener("input", () => this.checkVariables());
    $("body-file").addEventListener("change", async () => {
      const f = $("body-file").files[0];
      this.bytesBody = f ? await fileBase64(f) : null;
      $("body-file-info").textContent = f ? `${f.name}, ${f.size} bytes` : "";
      this.changed();
    });
    this.showBody();
    this.showAuth();
  }

  changed() {
    this.onChange();
  }

  bodyKind() {
    return document.querySelector('input[name="body-kind"]:checked').value;
  }

  showBody() {
    const kind = this.bodyKind();
    for (const el of document.querySelectorAll("[data-body]")) el.hidden = el.dataset.body !== kind;
    if (kind === "graphql") this.graphql();
  }

  // The GraphQL editor (schema, completion) is loaded when first needed.
  async graphql() {
    if (this.gql || this.loading) return;
    this.loading = true;
    const { GraphQLEditor } = await import("./gqledit.js");
    this.gql = new GraphQLEditor({ request: () => this.get(), changed: () => this.changed() });
  }

  // The variables box: a JSON object or empty; null when it is neither.
  variables() {
    const text = $("gql-variables").value.trim();
    if (!text) return { value: undefined, error: "" };
    let value;
    try { value = JSON.parse(text); } catch (e) { return { value: null, error: `Variables: not valid JSON: ${e.message}` }; }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return { value: null, error: "Variables: must be a JSON object, like {\"id\": \"1\"}" };
    }
    return { value, error: "" };
  }

  checkVariables() {
    $("gql-var-error").textContent = this.variables().error;
  }

  // What stops a send before it leaves (shown as the page's one-line error).
  problem() {
    return this.bodyKind() === "graphql" ? this.variables().error || null : null;
  }

  showAuth() {
    const scheme = $("auth-scheme").value;
    document.querySelector('[data-auth="user"]').hidden = !(scheme === "basic" || scheme === "digest");
    document.querySelector('[data-auth="token"]').hidden = scheme !== "bearer";
  }

  checkJSON() {
    const text = $("body-json").value;
    let msg = "";
    if (text.trim()) {
      try { JSON.parse(text); } catch (e) { msg = `Not valid JSON: ${e.message}`; }
    }
    $("json-error").textContent = msg;
  }

  urlToParams() {
    const url = $("url").value;
    const q = url.indexOf("?");
    if (q < 0) { this.params.set([]); return; }
    const query = url.slice(q + 1).split("#")[0];
    const pairs = query.split("&").filter(Boolean).map((part) => {
      const eq = part.indexOf("=");
      const dec = (s) => { try { return decodeURIComponent(s.replace(/\+/g, " ")); } catch { return s; } };
      return eq < 0 ? [dec(part), ""] : [dec(part.slice(0, eq)), dec(part.slice(eq + 1))];
    });
    this.params.set(pairs);
  }

  paramsToUrl(pairs) {
    const url = $("url").value;
    const [base, hash] = url.split("#", 2);
    const path = base.split("?")[0];
    // {{variables}} (a workspace request) stay as they are written.
    const enc = (x) => encodeURIComponent(x).replace(/%7B%7B(.*?)%7D%7D/g, (_, name) => `{{${decodeURIComponent(name)}}}`);
    const query = pairs.map(([n, v]) => enc(n) + (v || n ? "=" + enc(v) : "")).join("&");
    $("url").value = path + (query ? "?" + query : "") + (hash !== undefined ? "#" + hash : "");
  }

  body() {
    switch (this.bodyKind()) {
      case "json": return { kind: "json", text: $("body-json").value || "null" };
      case "form": return { kind: "form", fields: this.form.get() };
      case "multipart": return { kind: "multipart", parts: this.multipart.get() };
      case "text": return { kind: "text", text: $("body-text").value };
      case "bytes": return { kind: "bytes", data_base64: this.bytesBody || "" };
      case "graphql": { // the standard JSON POST {query, variables, operationName}
        const value = { query: $("gql-query").value };
        const vars = this.variables().value;
        if (vars) value.variables = vars;
        const name = $("gql-operation").value.trim();
        if (name) value.operationName = name;
        // as text, as the JSON body type sends it; unchanged, exactly as it was
        // read (a workspace file keeps its own layout)
        const same = this.gqlRead && JSON.stringify(value) === this.gqlRead.json;
        return { kind: "json", text: same ? this.gqlRead.text : JSON.stringify(value, null, 2) };
      }
      default: return null;
    }
  }

  auth() {
    const scheme = $("auth-scheme").value;
    if (scheme === "bearer") return { scheme, token: $("auth-token").value };
    if (scheme === "basic" || scheme === "digest") {
      return { scheme, username: $("auth-user").value, password: $("auth-pass").value };
    }
    return null;
  }

  get() {
    const timeout = parseFloat($("timeout").value);
    return {
      method: $("method").value.trim() || "GET",
      url: $("url").value.trim(),
      headers: this.headers.get(),
      body: this.body(),
      auth: this.auth(),
      version: $("version").value || null,
      options: {
        timeout: timeout > 0 ? timeout : null,
        follow_redirects: $("follow").checked,
        verify: $("verify").checked,
        keep_alive: $("keep-alive").checked,
      },
    };
  }

  set(req) {
    $("method").value = req.method || "GET";
    $("url").value = req.url || "";
    this.urlToParams();
    this.headers.set(req.headers || []);
    $("version").value = req.version || "";
    const o = req.options || {};
    $("timeout").value = o.timeout ?? 30;
    $("follow").checked = !!o.follow_redirects;
    $("verify").checked = o.verify !== false;
    $("keep-alive").checked = o.keep_alive !== false;
    const b = req.body;
    let kind = b ? b.kind : "none";
    const gql = b?.kind === "json" ? graphqlDocument(b) : null;
    this.gqlRead = null;
    if (gql) {
      kind = "graphql";
      if (typeof b.text === "string") this.gqlRead = { text: b.text, json: JSON.stringify(gql) };
      $("gql-query").value = gql.query;
      $("gql-variables").value = gql.variables ? JSON.stringify(gql.variables, null, 2) : "";
      $("gql-operation").value = gql.operationName || "";
      this.checkVariables();
    }
    if (b?.kind === "json" && !gql) $("body-json").value = b.text ?? JSON.stringify(b.value, null, 2);
    if (b?.kind === "text") $("body-text").value = b.text;
    if (b?.kind === "form") this.form.set(b.fields || []);
    if (b?.kind === "multipart") this.multipart.set(b.parts || []);
    if (b?.kind === "bytes") {
      this.bytesBody = b.data_base64 || null;
      $("body-file-info").textContent = b.path ? `file on disk: ${b.path} (pick it to send)` : "";
    }
    if (!["none", "json", "form", "multipart", "text", "bytes", "graphql"].includes(kind)) kind = "none";
    document.querySelector(`input[name="body-kind"][value="${kind}"]`).checked = true;
    this.showBody();
    const a = req.auth;
    $("auth-scheme").value = a ? a.scheme : "none";
    $("auth-user").value = a?.username || "";
    $("auth-pass").value = a?.password || "";
    $("auth-token").value = a?.token || "";
    this.showAuth();
    this.changed();
  }

  setReadOnly(readOnly) {
    for (const el of document.querySelectorAll("#request-form input, #request-form select, #request-form textarea")) {
      if (el.type === "radio" || el.type === "checkbox" || el.tagName === "SELECT" || el.type === "file") el.disabled = readOnly;
      else el.readOnly = readOnly;
    }
    for (const ed of [this.params, this.headers, this.form, this.multipart]) {
      for (const b of ed.root.querySelectorAll("button")) b.disabled = readOnly;
    }
  }
}

// A JSON body that is a GraphQL request ({"query": "...", "variables"?:
// {...}, "operationName"?: "..."}, nothing else) opens in the GraphQL editor.
function graphqlDocument(body) {
  let v = body.value;
  if (v === undefined && typeof body.text === "string") {
    try { v = JSON.parse(body.text); } catch { return null; }
  }
  if (!v || typeof v !== "object" || Array.isArray(v) || typeof v.query !== "string") return null;
  if (Object.keys(v).some((k) => !["query", "variables", "operationName"].includes(k))) return null;
  if (v.variables != null && (typeof v.variables !== "object" || Array.isArray(v.variables))) return null;
  if (v.operationName != null && typeof v.operationName !== "string") return null;
  return v;
}
