// The Authorization tab beyond Basic/Bearer/Digest: inherit (a workspace
// request's folder or environment), API key, AWS Signature v4, OAuth 2.0
// (client credentials, authorization code + PKCE, device code) with
// "Get new access token" and the token's expiry.  Secret fields are masked,
// with a Show toggle; the page never holds a token: the server keeps it and
// says when it expires.  Token requests are shown as their own exchanges,
// under the response they were for.  Hooks into the composer (auth/set) so
// compose.js and index.html need no change.
import { api } from "./api.js";

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...kids) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids);
  return e;
};

const NEW = [
  ["inherit", "Inherit from folder / environment"],
  ["use", "Environment configuration"],
  ["apikey", "API key"],
  ["aws-sigv4", "AWS Signature v4"],
  ["oauth2", "OAuth 2.0"],
];
// scheme -> [field, label, kind]; kind "secret" is masked, "select:a,b" a chooser
const FIELDS = {
  use: [["ref", "Configuration id"]],
  apikey: [["name", "Key name"], ["value", "Value", "secret"], ["in", "Add to", "select:header,query"]],
  "aws-sigv4": [["access_key", "Access key"], ["secret_key", "Secret key", "secret"], ["region", "Region"],
    ["service", "Service"], ["session_token", "Session token", "secret"], ["unsigned_payload", "Unsigned payload", "check"]],
  oauth2: [["grant", "Grant type", "select:client-credentials,authorization-code,device-code"],
    ["token_url", "Token URL"], ["auth_url", "Authorization URL"], ["device_url", "Device authorization URL"],
    ["client_id", "Client ID"], ["client_secret", "Client secret", "secret"], ["scope", "Scope"],
    ["client_auth", "Client authentication", "select:basic,post,none"]],
};
const ONLY = { auth_url: "authorization-code", device_url: "device-code" };

function reveal(input) {
  const b = el("button", { type: "button", className: "link reveal", textContent: "Show" });
  b.setAttribute("aria-label", `Show ${input.getAttribute("aria-label") || "secret"}`);
  b.setAttribute("aria-pressed", "false");
  b.addEventListener("click", () => {
    const shown = input.type === "password";
    input.type = shown ? "text" : "password";
    b.textContent = shown ? "Hide" : "Show";
    b.setAttribute("aria-pressed", String(shown));
  });
  return b;
}

function expiry(token) {
  if (!token) return "No token yet.";
  if (token.expires_in == null) return `Token held (no expiry given)${token.scope ? `, scope ${token.scope}` : ""}.`;
  const s = token.expires_in;
  const when = s <= 0 ? "expired" : s < 120 ? `expires in ${s} s` : `expires in ${Math.round(s / 60)} min`;
  const at = new Date(token.expires_at * 1000).toLocaleTimeString();
  return `Token ${when} (${at})${token.scope ? `, scope ${token.scope}` : ""}${token.refresh ? ", refreshable" : ""}.`;
}

export class AuthTab {
  constructor(composer, workspace) {
    this.composer = composer;
    this.ws = workspace;
    this.inputs = {};
    this.seq = 0;
    const select = $("auth-scheme");
    for (const [value, label] of NEW) select.append(el("option", { value, textContent: label }));
    const panel = document.querySelector('[data-panel="auth"]');
    const pass = $("auth-pass");
    pass.after(reveal(pass));
    $("auth-token").type = "password";
    $("auth-token").setAttribute("aria-label", "Token");
    $("auth-token").after(reveal($("auth-token")));
    this.groups = {};
    for (const [scheme, fields] of Object.entries(FIELDS)) {
      const group = el("div", { className: "auth-fields" });
      group.dataset.scheme = scheme;
      for (const [name, label, kind = ""] of fields) group.append(this.field(scheme, name, label, kind));
      this.groups[scheme] = group;
      panel.append(group);
    }
    this.inherited = el("div", { className: "hint auth-inherited", role: "status" });
    this.tokenLine = el("div", { className: "auth-token-line", role: "status" });
    this.device = el("div", { className: "auth-device", role: "status" });
    this.getButton = el("button", { type: "button", id: "auth-get-token", textContent: "Get new access token" });
    this.getButton.addEventListener("click", () => this.getToken());
    this.exchanges = el("ul", { className: "lint auth-exchanges", id: "auth-token-exchanges" });
    this.exchanges.setAttribute("aria-label", "Token requests");
    this.oauthBox = el("div", { className: "auth-oauth" }, this.getButton, this.tokenLine, this.device, this.exchanges);
    panel.append(this.inherited, this.oauthBox);
    // the response's token requests (their own exchanges)
    this.sent = el("ul", { className: "lint", id: "auth-exchanges" });
    this.sent.setAttribute("aria-label", "Token requests sent first");
    $("lint").after(this.sent);

    const auth = composer.auth.bind(composer);
    composer.auth = () => this.get() ?? auth();
    const set = composer.set.bind(composer);
    composer.set = (req) => { set(req); this.set(req?.auth); };
    select.addEventListener("change", () => this.show());
    $("ws-env")?.addEventListener("change", () => this.refresh()); // what is inherited depends on it
    $("ws-close")?.addEventListener("click", () => setTimeout(() => this.show())); // after the panel closes
    this.show();
  }

  field(scheme, name, label, kind) {
    const id = `auth-${scheme}-${name}`;
    let input;
    if (kind.startsWith("select:")) {
      input = el("select", { id }, ...kind.slice(7).split(",").map((v) => el("option", { value: v, textContent: v })));
    } else if (kind === "check") {
      input = el("input", { id, type: "checkbox" });
    } else {
      input = el("input", { id, type: kind === "secret" ? "password" : "text", spellcheck: false, autocomplete: "off" });
    }
    input.setAttribute("aria-label", label);
    input.addEventListener("input", () => { this.composer.changed(); if (name === "grant") this.show(); });
    input.addEventListener("change", () => { this.composer.changed(); if (name === "grant") this.show(); });
    this.inputs[`${scheme}.${name}`] = input;
    const wrap = el("label", { className: "auth-field" }, `${label} `, input);
    wrap.dataset.field = name;
    return kind === "secret" ? el("span", { className: "auth-field" }, wrap, reveal(input)) : wrap;
  }

  scheme() { return $("auth-scheme").value; }

  // The tab's JSON, or null for the composer's own schemes.
  get() {
    const scheme = this.scheme();
    if (scheme === "inherit") return this.ws.active() ? { scheme } : null;
    if (scheme === "none" && this.ws.active()) return { scheme: "none" };
    const fields = FIELDS[scheme];
    if (!fields) return null;
    const out = { scheme };
    for (const [name, , kind = ""] of fields) {
      const input = this.inputs[`${scheme}.${name}`];
      if (ONLY[name] && this.inputs["oauth2.grant"].value !== ONLY[name]) continue;
      if (kind === "check") { if (input.checked) out[name] = true; continue; }
      if (input.value !== "") out[name] = input.value;
    }
    return out;
  }

  set(auth) {
    const scheme = auth?.scheme || (this.ws.active() ? "inherit" : "none");
    if ([...$("auth-scheme").options].some((o) => o.value === scheme)) $("auth-scheme").value = scheme;
    for (const [key, input] of Object.entries(this.inputs)) {
      const [s, name] = key.split(".");
      const value = s === scheme ? auth?.[name] : undefined;
      if (input.type === "checkbox") input.checked = value === true || value === "true";
      else if (input.tagName === "SELECT") input.value = value || input.options[0].value;
      else input.value = value ?? "";
    }
    this.exchanges.replaceChildren();
    this.device.textContent = "";
    this.show();
  }

  show() {
    const inWs = this.ws.active();
    for (const o of $("auth-scheme").options) if (o.value === "inherit" || o.value === "use") o.hidden = !inWs;
    if (!inWs && (this.scheme() === "inherit" || this.scheme() === "use")) $("auth-scheme").value = "none";
    const scheme = this.scheme();
    for (const [s, g] of Object.entries(this.groups)) g.hidden = s !== scheme;
    const grant = this.inputs["oauth2.grant"].value;
    for (const [name, only] of Object.entries(ONLY)) {
      this.inputs[`oauth2.${name}`].closest("label").hidden = grant !== only;
    }
    this.inherited.hidden = !(inWs && (scheme === "inherit" || scheme === "use"));
    this.oauthBox.hidden = scheme !== "oauth2" && !(inWs && (scheme === "inherit" || scheme === "use"));
    this.refresh();
  }

  // What a workspace request inherits, and the token any OAuth 2.0 auth holds.
  async refresh() {
    const scheme = this.scheme();
    const mine = ++this.seq;
    try {
      let out = null;
      if (this.ws.active() && ["inherit", "use", "oauth2"].includes(scheme)) {
        out = await api("POST", "/api/auth/effective", this.ws.body());
      } else if (scheme === "oauth2") {
        out = await api("POST", "/api/auth/effective", { auth: this.get() });
      }
      if (mine !== this.seq || !out) return;
      if (scheme === "inherit" || scheme === "use") {
        this.inherited.textContent = out.source ? `Sends with ${out.source}` : "Inherits nothing: sent without auth.";
        this.oauthBox.hidden = out.auth?.scheme !== "oauth2";
      }
      this.tokenLine.textContent = expiry(out.token);
    } catch (err) {
      if (mine === this.seq) { this.inherited.textContent = err.message; this.tokenLine.textContent = ""; }
    }
  }

  async getToken() {
    const body = this.ws.active() ? this.ws.body() : { auth: this.get(), url: $("url").value.trim() };
    this.getButton.disabled = true;
    this.tokenLine.textContent = "Requesting a token…";
    this.device.textContent = "";
    let opened = false;
    try {
      let job = await api("POST", "/api/auth/token", body);
      for (;;) {
        if (job.authorize_url && !opened) {
          opened = true;
          this.device.replaceChildren("Sign in in the window that opened, or ",
            el("a", { href: job.authorize_url, target: "_blank", rel: "noopener", textContent: "open the sign-in page" }), ".");
          window.open(job.authorize_url, "_blank", "noopener");
        }
        if (job.device && !opened) {
          opened = true;
          const d = job.device;
          this.device.replaceChildren("Open ", el("a", { href: d.verification_uri_complete || d.verification_uri, target: "_blank", rel: "noopener", textContent: d.verification_uri }),
            " and enter the code ", el("strong", { className: "user-code", textContent: d.user_code }), ".");
        }
        this.showList(this.exchanges, job.exchanges);
        if (job.state === "done" || job.state === "error") break;
        await new Promise((r) => setTimeout(r, 400));
        job = await api("GET", `/api/auth/token/${job.job}`);
      }
      if (job.state === "error") {
        this.tokenLine.textContent = job.error;
        this.tokenLine.classList.add("err");
      } else {
        this.tokenLine.classList.remove("err");
        this.tokenLine.textContent = expiry(job.token);
        this.device.textContent = "";
      }
    } catch (err) {
      this.tokenLine.textContent = err.message;
      this.tokenLine.classList.add("err");
    } finally {
      this.getButton.disabled = false;
    }
  }

  showList(list, exchanges) {
    list.replaceChildren(...(exchanges || []).map((x) => {
      const status = x.response?.status ?? "—";
      const li = el("li", { className: "auth-exchange" },
        el("span", { className: "m", textContent: x.request.method }), " ",
        el("span", { className: "u", textContent: x.request.url }), " → ",
        el("span", { className: `st s${String(status)[0]}`, textContent: String(status) }),
        el("div", { className: "hint", textContent: x.purpose || "" }));
      li.title = (x.request.headers || []).map(([n, v]) => `${n}: ${v}`).join("\n");
      return li;
    }));
  }

  // After a send: the token requests that went first, as their own exchanges.
  afterSend(view) {
    this.showList(this.sent, view?.auth_exchanges);
    if (view?.auth_exchanges?.length) this.refresh();
  }
}
