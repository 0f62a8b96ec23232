// Formats response bodies off the main thread, so a large body never
// freezes the page: pretty-prints JSON, highlights JSON/XML/HTML, dumps
// binary as hex.  Big bodies are returned as plain text (no spans): the
// DOM cost of millions of spans would freeze the page instead.
import { highlightJSON, highlightMarkup, prettyJSON, hexDump } from "./highlight.js";

const PRETTY_MAX = 8 * 1024 * 1024; // parse and re-indent JSON up to this
const HIGHLIGHT_MAX = 256 * 1024; // wrap tokens in spans up to this

function b64bytes(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

self.onmessage = (event) => {
  const { id, kind, text, base64 } = event.data;
  let plain = text ?? "";
  let html = null;
  if (kind === "binary") {
    plain = hexDump(b64bytes(base64 || ""));
  } else if (kind === "json") {
    const pretty = plain.length <= PRETTY_MAX ? prettyJSON(plain) : null;
    if (pretty !== null) plain = pretty;
    if (plain.length <= HIGHLIGHT_MAX) html = highlightJSON(plain);
  } else if ((kind === "xml" || kind === "html") && plain.length <= HIGHLIGHT_MAX) {
    html = highlightMarkup(plain);
  }
  self.postMessage({ id, html, plain });
};
