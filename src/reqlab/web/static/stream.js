// A send whose body shows as it arrives: POST /api/send/stream answers NDJSON
// (head, then one record per read, then the usual exchange view).  The live
// box shows the text, a running byte count and the time to first byte; an
// event stream (text/event-stream, or "Events (SSE)" ticked) shows a live
// event list instead (sselist.js).  Stop ends the body early; the record and
// history follow as for any send.  The caller shows the final view.
import { api, csrf, adoptToken, ApiError } from "./api.js";
import { formatBytes } from "./response.js";

const $ = (id) => document.getElementById(id);

function liveBox() {
  let box = $("stream-live");
  if (!box) {
    box = document.createElement("section");
    box.id = "stream-live";
    box.className = "stream-live";
    box.setAttribute("aria-label", "Streaming body");
    box.innerHTML = '<div class="stream-stats"><span id="stream-status" role="status"></span> · ' +
      '<span id="stream-bytes" aria-label="Bytes received">0 B</span> · ' +
      'first byte <span id="stream-ttfb">–</span> ' +
      '<button type="button" id="stream-stop" hidden>Stop</button></div>' +
      '<pre id="stream-text"></pre><div id="sse-box" class="sse-box" aria-label="Server-Sent Events" hidden></div>';
    $("error").before(box);
  }
  box.hidden = false;
  return box;
}

let events = null; // the SseList, once a stream needs one

async function eventList(box) {
  const { SseList } = await import("./sselist.js");
  const slot = box.querySelector("#sse-box");
  if (!events) events = new SseList(slot);
  else events.log.clear();
  slot.hidden = false;
  box.querySelector("#stream-text").hidden = true;
  return events;
}

export async function streamSend(request, tls, sse = false) {
  const box = liveBox();
  const text = box.querySelector("#stream-text");
  const status = box.querySelector("#stream-status");
  const stop = box.querySelector("#stream-stop");
  text.textContent = "";
  text.hidden = false;
  box.querySelector("#sse-box").hidden = true;
  status.textContent = "connecting…";
  box.querySelector("#stream-bytes").textContent = "0 B";
  box.querySelector("#stream-ttfb").textContent = "–";
  const started = Date.now();
  const body = { request };
  if (tls) body.tls = tls;
  if (sse) body.sse = true;
  const r = await fetch("/api/send/stream", {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRF-Token": csrf(), "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  adoptToken(r.headers.get("X-CSRF-Token"));
  if (!r.ok) {
    const data = await r.json().catch(() => ({}));
    throw new ApiError(r.status, data.error);
  }
  const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
  let carry = "";
  let last = null;
  let list = null;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const lines = (carry + value).split("\n");
      carry = lines.pop();
      for (const line of lines) {
        if (!line) continue;
        const rec = JSON.parse(line);
        if (rec.type === "head") {
          status.textContent = `${rec.status} · ${rec.version}`;
          stop.hidden = false;
          stop.disabled = false;
          stop.onclick = () => {
            stop.disabled = true;
            api("POST", "/api/send/stream/stop", { stream: rec.stream }).catch(() => {});
          };
          if (rec.sse) {
            list = await eventList(box);
            list.start(started);
          }
        } else if (rec.type === "chunk") {
          if (rec.size === rec.n) box.querySelector("#stream-ttfb").textContent = `${rec.t} ms`;
          if (list) list.add(rec.events);
          else text.textContent += rec.text;
          box.querySelector("#stream-bytes").textContent = formatBytes(rec.size);
          box.dataset.bytes = String(rec.size);
        } else if (rec.type === "error") {
          status.textContent = "failed";
          throw new ApiError(502, { message: rec.message });
        } else if (rec.type === "stopped") {
          status.textContent += " · stopped";
        } else if (rec.type === "end") {
          last = rec.view;
          status.textContent += " · done";
        }
      }
    }
  } finally {
    stop.hidden = true;
  }
  if (!last) throw new ApiError(502, { message: "the stream ended before its record" });
  return last;
}
