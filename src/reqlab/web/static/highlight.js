// A small syntax highlighter for JSON, XML and HTML source.
// Output is HTML made only of <span class=..> around text that has been
// escaped here, so response content can never become live markup.

export function esc(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const span = (cls, text) => `<span class="${cls}">${esc(text)}</span>`;

const JSON_TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([{}[\],])/g;

export function highlightJSON(text) {
  let out = "";
  let last = 0;
  for (const m of text.matchAll(JSON_TOKEN)) {
    out += esc(text.slice(last, m.index));
    if (m[1] !== undefined) out += m[2] ? span("k", m[1]) + esc(m[2]) : span("s", m[1]);
    else if (m[3] !== undefined) out += span("b", m[3]);
    else if (m[4] !== undefined) out += span("n", m[4]);
    else out += span("p", m[5]);
    last = m.index + m[0].length;
  }
  return out + esc(text.slice(last));
}

const MARKUP_TOKEN = /<!--[\s\S]*?-->|<![^>]*>|<\?[\s\S]*?\?>|<\/?[A-Za-z][\w:.-]*[^>]*>/g;
const ATTR = /([^\s=/>]+)(\s*=\s*)?("[^"]*"|'[^']*'|[^\s>]+)?/g;

function highlightTag(tag) {
  if (tag.startsWith("<!--") || tag.startsWith("<!") || tag.startsWith("<?")) return span("c", tag);
  const m = /^<(\/?)([A-Za-z][\w:.-]*)([\s\S]*?)(\/?)>$/.exec(tag);
  if (!m) return esc(tag);
  let out = span("t", `<${m[1]}${m[2]}`);
  let last = 0;
  const attrs = m[3];
  for (const a of attrs.matchAll(ATTR)) {
    out += esc(attrs.slice(last, a.index)) + span("a", a[1]);
    if (a[2]) out += esc(a[2]);
    if (a[3]) out += span("s", a[3]);
    last = a.index + a[0].length;
  }
  return out + esc(attrs.slice(last)) + span("t", `${m[4]}>`);
}

export function highlightMarkup(text) {
  let out = "";
  let last = 0;
  for (const m of text.matchAll(MARKUP_TOKEN)) {
    out += esc(text.slice(last, m.index)) + highlightTag(m[0]);
    last = m.index + m[0].length;
  }
  return out + esc(text.slice(last));
}

// Re-indents JSON source without parsing it: numbers keep their exact
// digits (no float rounding of big ids) and a truncated body still comes
// out indented.  Returns null when the text does not look like JSON.
export function prettyJSON(text) {
  const start = text.search(/\S/);
  if (start < 0 || (text[start] !== "{" && text[start] !== "[")) return null;
  const out = [];
  let depth = 0;
  let inString = false;
  let chunk = start;
  const pad = (n) => "\n" + "  ".repeat(n);
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') { inString = true; continue; }
    if (c === "{" || c === "[") {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j])) j++;
      if (text[j] === "}" || text[j] === "]") { // keep {} and [] on one line
        out.push(text.slice(chunk, i + 1), text[j]);
        i = j;
        chunk = j + 1;
        continue;
      }
      out.push(text.slice(chunk, i + 1), pad(++depth));
      chunk = i + 1;
    } else if (c === "}" || c === "]") {
      out.push(text.slice(chunk, i), pad(--depth), c);
      chunk = i + 1;
    } else if (c === ",") {
      out.push(text.slice(chunk, i + 1), pad(depth));
      chunk = i + 1;
    } else if (c === ":") {
      out.push(text.slice(chunk, i + 1), " ");
      chunk = i + 1;
    } else if (c === " " || c === "\n" || c === "\r" || c === "\t") {
      out.push(text.slice(chunk, i));
      chunk = i + 1;
    }
  }
  out.push(text.slice(chunk));
  return out.join("");
}

export function hexDump(bytes) {
  const lines = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    let hex = "";
    let ascii = "";
    for (let i = 0; i < 16; i++) {
      if (i < row.length) {
        hex += row[i].toString(16).padStart(2, "0") + " ";
        ascii += row[i] >= 32 && row[i] < 127 ? String.fromCharCode(row[i]) : ".";
      } else hex += "   ";
      if (i === 7) hex += " ";
    }
    lines.push(`${off.toString(16).padStart(8, "0")}  ${hex} |${ascii}|`);
  }
  return lines.join("\n");
}
