// The login session: access + refresh tokens in sessionStorage (gone when the tab closes).

const KEY = "bookline.tokens";
const listeners = new Set();

/** The stored {access_token, refresh_token}, or null when logged out. */
export function tokens() {
  const raw = sessionStorage.getItem(KEY);
  return raw ? JSON.parse(raw) : null;
}

export function saveTokens(pair) {
  sessionStorage.setItem(KEY, JSON.stringify({
    access_token: pair.access_token, refresh_token: pair.refresh_token,
  }));
}

/** Forget the tokens and tell the app (which shows the login form again). */
export function endSession() {
  sessionStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

export function onSessionEnd(listener) {
  listeners.add(listener);
}
