// The cookie editor: the cookies this page session's client holds (set by
// the servers it talked to, or added here), per domain; each can be edited
// or deleted, new ones added, and the whole jar imported from or exported to
// a Netscape cookie file (what curl -b/-c and browser extensions use).
import { api, csrf } from "./api.js";

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...kids) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids);
  return e;
};
const labelled = (input, label) => { input.setAttribute("aria-label", label); return input; };

function when(expires) {
  return expires == null ? "session" : new Date(expires * 1000).toISOString().replace(".000Z", "Z");
}

class CookieEditor {
  constructor() {
    this.dialog = el("dialog", { id: "cookie-editor", className: "cookie-editor" });
    this.dialog.setAttribute("aria-label", "Cookies");
    this.status = el("div", { className: "hint", role: "status", id: "cookie-status" });
    this.list = el("div", { id: "cookie-list" });
    const close = el("button", { type: "button", textContent: "Close", id: "cookie-close" });
    close.addEventListener("click", () => this.dialog.close());
    const exportLink = el("a", { href: "/api/cookies/export", download: "cookies.txt", textContent: "Export cookies.txt", id: "cookie-export" });
    // a download link cannot set the CSRF header: it carries the token in the query
    exportLink.addEventListener("click", () => { exportLink.href = `/api/cookies/export?csrf=${encodeURIComponent(csrf())}`; });
    const file = labelled(el("input", { type: "file", id: "cookie-import", accept: ".txt,text/plain" }), "Import a Netscape cookie file");
    file.addEventListener("change", async () => {
      const f = file.files[0];
      if (f) await this.import(await f.text());
      file.value = "";
    });
    this.dialog.append(
      el("h2", { textContent: "Cookies" }),
      el("div", { className: "line" }, el("label", { className: "btn file-btn" }, "Import", file), exportLink, close),
      this.status, this.list, this.addForm());
    document.body.append(this.dialog);
  }

  addForm() {
    const f = {
      domain: labelled(el("input", { id: "cookie-new-domain", placeholder: "domain" }), "New cookie domain"),
      name: labelled(el("input", { id: "cookie-new-name", placeholder: "name" }), "New cookie name"),
      value: labelled(el("input", { id: "cookie-new-value", placeholder: "value" }), "New cookie value"),
      path: labelled(el("input", { id: "cookie-new-path", value: "/" }), "New cookie path"),
    };
    const add = el("button", { type: "button", id: "cookie-add", textContent: "Add cookie" });
    add.addEventListener("click", () => this.put({ domain: f.domain.value.trim(), name: f.name.value.trim(), value: f.value.value, path: f.path.value || "/" }));
    return el("fieldset", { className: "cookie-add" }, el("legend", { textContent: "Add a cookie" }), f.domain, f.name, f.value, f.path, add);
  }

  async open() {
    this.dialog.showModal();
    await this.load();
  }

  async load() {
    try { this.render(await api("GET", "/api/cookies")); } catch (err) { this.say(err.message, true); }
  }

  say(text, bad = false) {
    this.status.textContent = text;
    this.status.classList.toggle("err", bad);
  }

  render(listing) {
    const domains = listing.domains || [];
    if (!domains.length) { this.list.replaceChildren(el("p", { className: "hint", textContent: "This session holds no cookies." })); return; }
    this.list.replaceChildren(...domains.map((d) => {
      const clear = el("button", { type: "button", className: "link", textContent: "Delete all" });
      clear.setAttribute("aria-label", `Delete all cookies of ${d.domain}`);
      clear.addEventListener("click", () => this.remove({ domain: d.domain }));
      const rows = d.cookies.map((c) => this.row(c));
      const table = el("table", { className: "hdrs cookie-table" },
        el("tr", {}, ...["Name", "Value", "Path", "Expires", "Flags", ""].map((h) => el("th", { textContent: h }))), ...rows);
      const section = el("section", { className: "cookie-domain" }, el("h3", { textContent: d.domain }, " ", clear), table);
      section.dataset.domain = d.domain;
      return section;
    }));
  }

  row(c) {
    const value = labelled(el("input", { value: c.value, className: "cookie-value" }), `Value of ${c.name}`);
    const save = el("button", { type: "button", textContent: "Save" });
    save.setAttribute("aria-label", `Save ${c.name}`);
    save.addEventListener("click", () => this.put({ ...c, value: value.value }));
    const del = el("button", { type: "button", className: "del", textContent: "×" });
    del.setAttribute("aria-label", `Delete ${c.name}`);
    del.addEventListener("click", () => this.remove({ domain: c.domain, path: c.path, name: c.name }));
    const flags = [c.secure ? "Secure" : "", c.http_only ? "HttpOnly" : ""].filter(Boolean).join(" ");
    const tr = el("tr", {}, el("td", { textContent: c.name }), el("td", {}, value), el("td", { textContent: c.path }),
      el("td", { textContent: when(c.expires) }), el("td", { textContent: flags }), el("td", {}, save, del));
    tr.dataset.name = c.name;
    return tr;
  }

  async put(cookie) {
    try { this.render(await api("PUT", "/api/cookies", cookie)); this.say(`Saved ${cookie.name}.`); } catch (err) { this.say(err.message, true); }
  }

  async remove(which) {
    try { this.render(await api("DELETE", "/api/cookies", which)); this.say("Deleted."); } catch (err) { this.say(err.message, true); }
  }

  async import(text) {
    try {
      const out = await api("POST", "/api/cookies/import", { text });
      this.render(out);
      this.say(`Imported ${out.added} cookie(s).`);
    } catch (err) { this.say(err.message, true); }
  }
}

let editor = null;
const button = document.getElementById("cookies-open");
button?.addEventListener("click", () => { editor ??= new CookieEditor(); editor.open(); });
