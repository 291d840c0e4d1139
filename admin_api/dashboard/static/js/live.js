// The live feed: Server-Sent Events read with fetch() (EventSource cannot send a bearer
// header), reconnecting with backoff whenever the stream drops.

import { API, refreshTokens } from "./api.js";
import { endSession, tokens } from "./session.js";

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15000;

/** Parse complete SSE blocks off the front of ``buffer``; returns [events, rest]. */
function parseEvents(buffer) {
  const blocks = buffer.replaceAll("\r\n", "\n").split("\n\n");
  const rest = blocks.pop();
  const events = blocks.map(parseBlock).filter(Boolean);
  return [events, rest];
}

function parseBlock(block) {
  let type = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (!line || line.startsWith(":")) continue; // comments keep the connection warm
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (name === "event") type = value;
    else if (name === "data") data.push(value);
  }
  if (!data.length) return null;
  try {
    return { type, data: JSON.parse(data.join("\n")) };
  } catch {
    return { type, data: {} };
  }
}

/** Keep a stream open until ``stop()``; ``onEvent({type, data})``, ``onState(state)``. */
export function startLive({ onEvent, onState }) {
  let controller = null;
  let stopped = false;
  let retry = FIRST_RETRY_MS;

  async function run() {
    while (!stopped) {
      controller = new AbortController();
      onState("connecting");
      try {
        await stream(controller.signal, (event) => {
          if (event.type === "ready") {
            retry = FIRST_RETRY_MS;
            onState("connected");
          }
          onEvent(event);
        });
      } catch (error) {
        if (stopped) return;
        if (error.status === 401 && !(await refreshTokens())) {
          endSession(); // the session is over: the login form comes back
          return;
        }
      }
      if (stopped) return;
      onState("disconnected");
      await sleep(retry);
      retry = Math.min(retry * 2, MAX_RETRY_MS);
    }
  }

  run();
  return function stop() {
    stopped = true;
    controller?.abort();
    onState("off");
  };
}

async function stream(signal, emit) {
  const response = await fetch(`${API}/live`, {
    headers: { Authorization: `Bearer ${tokens()?.access_token}`, Accept: "text/event-stream" },
    signal,
    cache: "no-store",
  });
  if (!response.ok || !response.body) {
    throw Object.assign(new Error("live feed unavailable"), { status: response.status });
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    const [events, rest] = parseEvents(buffer);
    buffer = rest;
    events.forEach(emit);
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
