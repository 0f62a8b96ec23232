// Client certificates and CA bundles.  Per request: the "TLS" section of the
// options (posted beside the request, never inside it, so never in history
// or a share link).  Per host: the "Certificates" dialog, kept by the server
// for this page session only; the listing shows subjects, never keys.
import { api } from "./api.js";

const FIELDS = [
  ["cert", "Client certificate (PEM)"],
  ["key", "Private key (PEM)"],
  ["ca", "CA bundle (PEM)"],
];

function pemFields(prefix) {
  const rows = FIELDS.map(([name, label]) =>
    `<label class="tls-pem">${label}<textarea id="${prefix}-${name}" rows="3" spellcheck="false" ` +
    `autocomplete="off" placeholder="-----BEGIN …"></textarea>` +
    `<input type="file" id="${prefix}-${name}-file" aria-label="${label} file" accept=".pem,.crt,.key,.cer"></label>`);
  rows.push(`<label>Key password <input type="password" id="${prefix}-key_password" autocomplete="off"></label>`);
  return rows.join("");
}

function wireFiles(root, prefix) {
  for (const [name] of FIELDS) {
    root.querySelector(`#${prefix}-${name}-file`).addEventListener("change", async (e) => {
      const file = e.target.files[0];
      if (file) root.querySelector(`#${prefix}-${name}`).value = await file.text();
    });
  }
}

function read(root, prefix) {
  const out = {};
  for (const name of ["cert", "key", "ca", "key_password"]) {
    const v = root.querySelector(`#${prefix}-${name}`).value;
    if (v.trim()) out[name] = v;
  }
  return out.cert || out.ca ? out : null;
}

export class TlsSettings {
  constructor(slot) {
    slot.innerHTML =
      `<details class="tls-opts"><summary>TLS</summary>${pemFields("tls")}</details>` +
      `<button type="button" id="tls-hosts-open">Certificates…</button>` +
      `<dialog id="tls-hosts" aria-label="Certificates"><form method="dialog">` +
      `<h3>Certificates per host</h3><ul id="tls-host-list"></ul>` +
      `<label>Host pattern <input id="tlsh-pattern" placeholder="*.example.test"></label>${pemFields("tlsh")}` +
      `<div class="tls-err" role="alert"></div>` +
      `<button type="button" id="tlsh-add">Add</button> <button value="close">Close</button></form></dialog>`;
    this.slot = slot;
    this.dialog = slot.querySelector("#tls-hosts");
    wireFiles(slot, "tls");
    wireFiles(slot, "tlsh");
    slot.querySelector("#tls-hosts-open").addEventListener("click", () => this.open());
    slot.querySelector("#tlsh-add").addEventListener("click", () => this.add());
  }

  // The per-request material, or null when the TLS section is empty.
  material() {
    return read(this.slot, "tls");
  }

  async open() {
    this.dialog.showModal();
    this.show(await api("GET", "/api/tls/hosts"));
  }

  show(entries) {
    const list = this.dialog.querySelector("#tls-host-list");
    list.replaceChildren(...entries.map((e) => {
      const li = document.createElement("li");
      li.textContent = `${e.pattern}: ${[e.cert, e.key && "key", e.ca].filter(Boolean).join(", ")} `;
      const del = document.createElement("button");
      del.type = "button";
      del.textContent = "Remove";
      del.addEventListener("click", async () =>
        this.show(await api("DELETE", `/api/tls/hosts?pattern=${encodeURIComponent(e.pattern)}`)));
      li.append(del);
      return li;
    }));
  }

  async add() {
    const err = this.dialog.querySelector(".tls-err");
    err.textContent = "";
    try {
      const pattern = this.dialog.querySelector("#tlsh-pattern").value;
      this.show(await api("PUT", "/api/tls/hosts", { pattern, tls: read(this.dialog, "tlsh") }));
      for (const el of this.dialog.querySelectorAll("textarea, input")) el.value = "";
    } catch (e) {
      err.textContent = e.message;
    }
  }
}
