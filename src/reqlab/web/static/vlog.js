// A virtualised log: only the rows in view exist in the DOM (a pool reused
// as the list scrolls), rows are a fixed height, and filtering keeps an
// array of the matching indices, so 100,000 items stay cheap to append,
// filter, search and scroll.  The WebSocket tab's frames and the SSE event
// list are both one of these; each paints its own rows.
if (!document.querySelector('link[href="/static/tabs.css"]')) { // the log's styles, on demand
  document.head.append(Object.assign(document.createElement("link"), { rel: "stylesheet", href: "/static/tabs.css" }));
}

export const ROW = 20; // px, fixed: row i sits at i * ROW

export const el = (tag, props = {}, ...kids) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids);
  return e;
};

export function clock(ms) {
  const d = new Date(ms);
  return d.toTimeString().slice(0, 8) + "." + String(d.getMilliseconds()).padStart(3, "0");
}

export class VirtualLog {
  // log: the scrolling element; follow: a checkbox (stick to the end);
  // count: where "N items" goes; paint(row, item, index, selected) fills a
  // row; select(index) shows an item's detail; root.dataset[noun] counts.
  constructor({ log, follow, count, noun, paint, select, root }) {
    Object.assign(this, { log, followBox: follow, countEl: count, noun, paint, onSelect: select, root });
    this.items = [];
    this.shown = []; // indices of the items passing the test
    this.sel = -1;
    this.test = () => true;
    this.spacer = el("div", { className: "sp" });
    log.append(this.spacer);
    this.pool = [];
    log.addEventListener("scroll", () => this.schedule());
    log.addEventListener("keydown", (e) => this.step(e));
    log.addEventListener("click", (e) => {
      const row = e.target.closest(".r");
      if (row) this.select(Number(row.dataset.i));
    });
  }

  add(batch) {
    const test = this.test;
    for (const item of batch) {
      const i = this.items.push(item) - 1;
      if (test(item)) this.shown.push(i);
    }
    this.schedule(true);
  }

  clear() {
    this.items = [];
    this.sel = -1;
    this.refilter(this.test);
  }

  refilter(test) {
    this.test = test;
    const shown = [];
    const items = this.items;
    for (let i = 0; i < items.length; i++) if (test(items[i])) shown.push(i);
    this.shown = shown;
    this.schedule(false);
  }

  schedule(appended) {
    if (appended && this.followBox.checked) this.follow = true;
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => { this.pending = 0; this.render(); });
  }

  render() {
    const log = this.log;
    const n = this.shown.length;
    this.spacer.style.height = `${n * ROW}px`;
    if (this.follow) { log.scrollTop = n * ROW; this.follow = false; }
    const first = Math.floor(log.scrollTop / ROW);
    const count = Math.max(0, Math.min(Math.ceil(log.clientHeight / ROW) + 1, n - first));
    while (this.pool.length < count) log.append(this.pool[this.pool.push(el("div", { className: "r" })) - 1]);
    for (let k = 0; k < this.pool.length; k++) {
      const row = this.pool[k];
      if (k >= count) { row.hidden = true; continue; }
      const i = this.shown[first + k];
      row.hidden = false;
      row.style.top = `${(first + k) * ROW}px`;
      row.dataset.i = String(i);
      this.paint(row, this.items[i], i, i === this.sel);
    }
    const total = this.items.length;
    this.countEl.textContent = n === total ? `${total} ${this.noun}` : `${n} of ${total} ${this.noun}`;
    this.root.dataset[this.noun] = String(total);
  }

  // Arrow keys move the selection through the rows shown (the log has focus).
  step(e) {
    const s = this.shown;
    if ((e.key !== "ArrowDown" && e.key !== "ArrowUp") || !s.length) return;
    e.preventDefault();
    let lo = 0, hi = s.length; // the first shown index >= the selection
    while (lo < hi) { const mid = (lo + hi) >> 1; if (s[mid] < this.sel) lo = mid + 1; else hi = mid; }
    const k = Math.max(0, Math.min(s.length - 1, e.key === "ArrowUp" ? lo - 1 : s[lo] === this.sel ? lo + 1 : lo));
    const top = k * ROW, log = this.log;
    this.followBox.checked = false;
    if (top < log.scrollTop) log.scrollTop = top;
    else if (top + ROW > log.scrollTop + log.clientHeight) log.scrollTop = top + ROW - log.clientHeight;
    this.select(s[k]);
  }

  select(i) {
    this.sel = i;
    this.onSelect(i, this.items[i]);
    this.schedule(false);
  }
}
