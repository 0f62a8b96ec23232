// Key/value row editors (params, headers, form fields, multipart parts).
// There is always one empty row at the end to type into.

export class KVEditor {
  constructor(root, { names = ["Name", "Value"], files = false, onChange = () => {} } = {}) {
    this.root = root;
    this.names = names;
    this.files = files;
    this.onChange = onChange;
    this.set([]);
  }

  row(name = "", value = "", file = null) {
    const row = document.createElement("div");
    row.className = "row";
    const n = Object.assign(document.createElement("input"), { value: name, placeholder: this.names[0] });
    const v = Object.assign(document.createElement("input"), { value, placeholder: this.names[1] });
    n.setAttribute("aria-label", `${this.names[0]} ${this.root.children.length + 1}`);
    v.setAttribute("aria-label", `${this.names[1]} ${this.root.children.length + 1}`);
    row.append(n, v);
    if (this.files) {
      const f = Object.assign(document.createElement("input"), { type: "file" });
      f.setAttribute("aria-label", `File ${this.root.children.length + 1}`);
      row.file = file;
      if (file) v.value = file.filename;
      f.addEventListener("change", async () => {
        const chosen = f.files[0];
        if (!chosen) return;
        row.file = {
          filename: chosen.name,
          content_type: chosen.type || "application/octet-stream",
          data_base64: await fileBase64(chosen),
        };
        v.value = chosen.name;
        v.readOnly = true;
        this.changed();
      });
      v.readOnly = !!file;
      row.append(f);
    }
    const rm = Object.assign(document.createElement("button"), { type: "button", className: "rm", textContent: "×" });
    rm.setAttribute("aria-label", "Remove row");
    rm.addEventListener("click", () => {
      row.remove();
      this.ensureBlank();
      this.changed();
    });
    row.append(rm);
    for (const input of [n, v]) input.addEventListener("input", () => { this.ensureBlank(); this.changed(); });
    this.root.append(row);
    return row;
  }

  ensureBlank() {
    const rows = [...this.root.children];
    const last = rows[rows.length - 1];
    if (!last || last.children[0].value || last.children[1].value || last.file) this.row();
  }

  changed() {
    this.onChange(this.get());
  }

  set(pairs) {
    this.root.replaceChildren();
    for (const p of pairs) {
      if (Array.isArray(p)) this.row(p[0], p[1]);
      else if ("filename" in p) this.row(p.name, "", p);
      else this.row(p.name, p.value);
    }
    this.ensureBlank();
  }

  // [[name, value], ...] - or, with files, multipart parts.
  get() {
    const out = [];
    for (const row of this.root.children) {
      const name = row.children[0].value;
      const value = row.children[1].value;
      if (!name && !value && !row.file) continue;
      if (this.files) out.push(row.file ? { name, ...row.file } : { name, value });
      else out.push([name, value]);
    }
    return out;
  }

  setDisabled(disabled) {
    for (const el of this.root.querySelectorAll("input,button")) el.disabled = disabled;
  }
}

export function fileBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
