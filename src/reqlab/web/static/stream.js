// A send whose body shows as it arrives: POST /api/send/stream answers NDJSON
// (head, then one record per read, then the usual exchange view).  The live
// box shows the text, a running byte count and the time to first byte; the
// caller shows the final view as for any send.
import { csrf, ApiError } from "./api.js";
import { formatBytes } from "./response.js";

function liveBox() {
  let box = document.getElementById("stream-live");
  if (!box) {
    box = document.createElement("section");
    box.id = "stream-live";
    box.className = "stream-live";
    box.setAttribute("aria-label", "Streaming body");
    box.innerHTML = '<div class="stream-stats"><span id="stream-status"></span> · ' +
      '<span id="stream-bytes" aria-label="Bytes received">0 B</span> · ' +
      'first byte <span id="stream-ttfb">–</span></div><pre id="stream-text"></pre>';
    document.getElementById("error").before(box);
  }
  box.hidden = false;
  return box;
}

export async function streamSend(request, tls) {
  const box = liveBox();
  const text = box.querySelector("#stream-text");
  text.textContent = "";
  box.querySelector("#stream-status").textContent = "connecting…";
  box.querySelector("#stream-bytes").textContent = "0 B";
  box.querySelector("#stream-ttfb").textContent = "–";
  const r = await fetch("/api/send/stream", {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRF-Token": csrf(), "Content-Type": "application/json" },
    body: JSON.stringify(tls ? { request, tls } : { request }),
  });
  if (!r.ok) {
    const data = await r.json().catch(() => ({}));
    throw new ApiError(r.status, data.error);
  }
  const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
  let carry = "";
  let last = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const lines = (carry + value).split("\n");
    carry = lines.pop();
    for (const line of lines) {
      if (!line) continue;
      const rec = JSON.parse(line);
      if (rec.type === "head") {
        box.querySelector("#stream-status").textContent = `${rec.status} · ${rec.version}`;
      } else if (rec.type === "chunk") {
        if (rec.size === rec.n) box.querySelector("#stream-ttfb").textContent = `${rec.t} ms`;
        text.textContent += rec.text;
        box.querySelector("#stream-bytes").textContent = formatBytes(rec.size);
        box.dataset.bytes = String(rec.size);
      } else if (rec.type === "error") {
        box.querySelector("#stream-status").textContent = "failed";
        throw new ApiError(502, { message: rec.message });
      } else if (rec.type === "end") {
        last = rec.view;
        box.querySelector("#stream-status").textContent += " · done";
      }
    }
  }
  if (!last) throw new ApiError(502, { message: "the stream ended before its record" });
  return last;
}
