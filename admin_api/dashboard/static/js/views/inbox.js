// Conversations inbox: threads waiting for a person first; a thread's transcript, a staff
// reply on the guest's channel (the bot pauses), and handing the guest back to the bot.

import { api } from "../api.js";
import { errorBox, field, h, loaded, loading, replace } from "../dom.js";
import { dateTime, label } from "../format.js";
import { state, venueName } from "../state.js";
import { toast } from "../toast.js";
import { debounce } from "./parts.js";

let refresh = null;

export function render(container, [venueId, channel, phone]) {
  const list = h("section", { class: "card inbox-list", "aria-labelledby": "threads-title" });
  const thread = h("section", { class: "card inbox-thread", "aria-label": "Conversation" });
  container.append(h("h1", {}, "Inbox"), h("div", { class: "inbox" }, list, thread));
  const open = venueId ? { venueId: Number(venueId), channel, phone } : null;
  const reload = () => {
    loadThreads(list, open);
    if (open && !document.activeElement?.closest("#reply-form")) loadThread(thread, open);
  };
  refresh = debounce(reload);
  loading(list, "Loading conversations…");
  if (open) loading(thread, "Loading conversation…");
  else replace(thread, h("p", { class: "muted" }, "Choose a conversation."));
  reload();
  return () => { refresh = null; };
}

export function onLive(event) {
  if (event.type.startsWith("conversation.")) refresh?.();
}

const threadHref = (t) => `#/inbox/${t.venue_id}/${t.channel}/${encodeURIComponent(t.guest_phone)}`;

async function loadThreads(list, open) {
  try {
    const threads = await api("/conversations", { params: { venue_id: state.venue?.id } });
    loaded(list, h("h2", { id: "threads-title" }, "Conversations"),
      threads.length ? h("ul", { class: "items threads" }, threads.map((t) => h("li", {
        class: t.handed_off ? "waiting" : "",
        "aria-current": open && open.phone === t.guest_phone && open.channel === t.channel
          ? "true" : null,
      },
      h("a", { href: threadHref(t) }, h("strong", {}, t.guest_name || t.guest_phone)),
      t.handed_off ? h("span", { class: "badge badge-pending_payment" }, "waiting") : null,
      h("span", { class: "muted" }, ` ${label(t.channel)} · ${t.last_text}`))))
        : h("p", { class: "muted" }, "No conversations yet."));
  } catch (error) {
    loaded(list, errorBox(error));
  }
}

async function loadThread(thread, { venueId, channel, phone }) {
  const path = `/conversations/${venueId}/${channel}/${encodeURIComponent(phone)}`;
  try {
    const transcript = await api(path);
    const timeZone = state.venues.find((v) => v.id === venueId)?.timezone;
    loaded(thread,
      h("h2", {}, `${phone} · ${label(channel)} · ${venueName(venueId)}`),
      h("ol", { class: "transcript", "aria-label": "Messages" }, transcript.lines.map((line) =>
        h("li", { class: `bubble bubble-${line.direction}` }, line.text,
          h("time", { datetime: line.at }, dateTime(line.at, timeZone))))),
      replyForm(path, thread, { venueId, channel, phone }),
      transcript.handed_off ? handBackButton(path, thread, { venueId, channel, phone }) : null);
  } catch (error) {
    loaded(thread, errorBox(error));
  }
}

function replyForm(path, thread, open) {
  const text = h("textarea", { id: "reply-text", rows: 3, maxlength: 1000, required: true });
  const status = h("div", { role: "status" });
  // One key per message typed: a double click or a retry sends it once.
  let requestKey = crypto.randomUUID();
  const form = h("form", { id: "reply-form", class: "reply", onsubmit: async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      await api(`${path}/reply`, { method: "POST",
        body: { text: text.value, request_key: requestKey } });
      requestKey = crypto.randomUUID();
      text.value = "";
      toast("Reply sent; the bot waits until you hand back.", { kind: "success" });
      text.blur();
      loadThread(thread, open);
    } catch (error) {
      replace(status, errorBox(error));
    } finally {
      button.disabled = false;
    }
  } }, field("Reply to the guest", text), status,
  h("button", { type: "submit", class: "primary" }, "Send reply"));
  return form;
}

function handBackButton(path, thread, open) {
  return h("button", { type: "button", onclick: async () => {
    try {
      await api(`${path}/hand-back`, { method: "POST" });
      toast("The bot answers this guest again.", { kind: "success" });
      loadThread(thread, open);
    } catch (error) {
      thread.append(errorBox(error));
    }
  } }, "Hand back to the bot");
}
