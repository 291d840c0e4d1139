// The owner API client: bearer token on every call, one refresh on a 401, errors as sentences.

import { endSession, saveTokens, tokens } from "./session.js";

export const API = "/api/v1";

/** An API failure carrying the sentence the API gave (or a plain one). */
class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Call the API; ``body`` is sent as JSON. Resolves to the parsed JSON (or null). */
export async function api(path, { method = "GET", body, params } = {}) {
  let response = await send(path, method, body, params);
  if (response.status === 401 && (await refreshTokens())) {
    response = await send(path, method, body, params);
  }
  if (response.status === 401) endSession();
  if (!response.ok) throw new ApiError(response.status, await problem(response));
  return response.status === 204 ? null : response.json();
}

function send(path, method, body, params) {
  const headers = { Accept: "application/json" };
  const access = tokens()?.access_token;
  if (access) headers.Authorization = `Bearer ${access}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const query = params ? `?${new URLSearchParams(clean(params))}` : "";
  return fetch(`${API}${path}${query}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Drop empty filters so the API sees only what the owner chose. */
function clean(params) {
  return Object.fromEntries(
    Object.entries(params).filter(([, value]) => value !== "" && value != null));
}

/** The error body's ``detail`` as one sentence (422s list each field's problem). */
async function problem(response) {
  try {
    const { detail } = await response.json();
    if (Array.isArray(detail)) {
      return detail.map((item) => `${(item.loc || []).slice(1).join(".")}: ${item.msg}`)
        .join("; ");
    }
    if (detail) return detail;
  } catch {
    // not JSON: fall through to the status line
  }
  return `The server answered ${response.status} ${response.statusText}.`;
}

let refreshing = null;

/** Swap the refresh token for a new pair; concurrent 401s share one refresh (each token
 * works once, so two parallel refreshes would log the owner out). */
export function refreshTokens() {
  refreshing ??= doRefresh().finally(() => { refreshing = null; });
  return refreshing;
}

async function doRefresh() {
  const refresh = tokens()?.refresh_token;
  if (!refresh) return false;
  const response = await fetch(`${API}/auth/refresh`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ refresh_token: refresh }),
  });
  if (!response.ok) return false;
  saveTokens(await response.json());
  return true;
}

/** OAuth2 password login; stores the tokens. */
export async function login(email, password) {
  const response = await fetch(`${API}/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: email, password }),
  });
  if (!response.ok) throw new ApiError(response.status, await problem(response));
  saveTokens(await response.json());
}

/** Revoke this session on the server, then forget it here whatever the server said. */
export async function logout() {
  try {
    await api("/auth/logout", { method: "POST" });
  } finally {
    endSession();
  }
}
