// The page's only way to the server: same-origin JSON calls carrying the
// session's CSRF token.  A 403 about the token (the server restarted) is
// retried once with a fresh token from /api/session.  When the server
// rotates the session id (on its first data), the answer carries the new
// token in X-CSRF-Token.
let token = document.querySelector('meta[name="csrf-token"]')?.content || "";

export function csrf() {
  return token;
}

// A response fetched outside api() (a stream) may carry a rotated token.
export function adoptToken(fresh) {
  if (fresh) token = fresh;
}

async function refreshToken() {
  const r = await fetch("/api/session", { credentials: "same-origin" });
  if (r.ok) token = (await r.json()).csrf;
}

export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || `HTTP ${status}`);
    this.status = status;
    this.field = error?.field;
    this.detail = error;
  }
}

export async function api(method, path, body, retried = false) {
  const init = {
    method,
    credentials: "same-origin",
    headers: { "X-CSRF-Token": token },
  };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const r = await fetch(path, init);
  const fresh = r.headers.get("X-CSRF-Token");
  if (fresh) token = fresh;
  if (r.status === 204) return null;
  const data = await r.json().catch(() => ({}));
  if (!r.ok) {
    if (r.status === 403 && !retried && /CSRF|session/.test(data?.error?.message || "")) {
      await refreshToken();
      return api(method, path, body, true);
    }
    throw new ApiError(r.status, data.error);
  }
  return data;
}
