// Conversations inbox: threads waiting for a person first (handed off, then with questions the
// bot could not answer), searchable by guest name, phone or booking reference, a page at a time,
// each with its last time, unanswered messages and open questions; a thread's transcript, a
// staff reply on the guest's channel (the bot pauses), and handing the guest back to the bot.

import { api } from "../api.js";
import { errorBox, field, h, loaded, loading, replace } from "../dom.js";
import { dateTime, label } from "../format.js";
import { state, venueName } from "../state.js";
import { toast } from "../toast.js";
import { debounce } from "./parts.js";

const PAGE = 20;

let refresh = null;

export function render(container, [venueId, channel, phone]) {
  const list = h("div", { class: "inbox-results" });
  const search = h("input", { id: "inbox-search", type: "search", autocomplete: "off",
    placeholder: "Name, phone or BK-…" });
  const counts = h("p", { id: "inbox-counts", class: "muted", role: "status" });
  const listCard = h("section", { class: "card inbox-list", "aria-labelledby": "threads-title" },
    h("h2", { id: "threads-title" }, "Conversations"),
    h("form", { role: "search", onsubmit: (e) => e.preventDefault() },
      field("Search conversations", search)), counts, list);
  const thread = h("section", { class: "card inbox-thread", "aria-label": "Conversation" });
  const open = venueId ? { venueId: Number(venueId), channel, phone } : null;
  container.append(h("h1", {}, "Inbox"),
    h("div", { class: open ? "inbox thread-open" : "inbox" }, listCard, thread));
  const paging = { offset: 0 };
  const showThreads = () => loadThreads(list, counts, open, search.value.trim(), paging);
  const reload = () => {
    showThreads();
    if (open && !document.activeElement?.closest("#reply-form")) loadThread(thread, open);
  };
  const searchSoon = debounce(() => { paging.offset = 0; showThreads(); });
  search.addEventListener("input", searchSoon);
  paging.show = showThreads;
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

async function loadThreads(list, counts, open, query, paging) {
  try {
    const page = await api("/conversations/inbox", { params: { venue_id: state.venue?.id,
      q: query, limit: PAGE, offset: paging.offset } });
    replace(counts, `${page.waiting} waiting for a person · ${page.total} conversation`
      + `${page.total === 1 ? "" : "s"}${query ? ` matching “${query}”` : ""}`);
    loaded(list, page.threads.length
      ? h("ul", { class: "items threads" }, page.threads.map((t) => threadItem(t, open)))
      : h("p", { class: "muted" }, query ? "No conversation matches." : "No conversations yet."),
    pager(page, paging));
  } catch (error) {
    loaded(list, errorBox(error));
  }
}

function threadItem(t, open) {
  const tz = state.venues.find((v) => v.id === t.venue_id)?.timezone;
  const here = open && open.venueId === t.venue_id && open.phone === t.guest_phone
    && open.channel === t.channel;
  const asked = t.questions.length;
  return h("li", { class: t.handed_off || asked ? "waiting" : "",
    "aria-current": here ? "true" : null },
    h("a", { href: threadHref(t) }, h("strong", {}, t.guest_name || t.guest_phone)),
    t.handed_off ? h("span", { class: "badge badge-pending_payment" }, "waiting") : null,
    asked ? h("span", { class: "badge badge-question" },
      `${asked} question${asked === 1 ? "" : "s"}`) : null,
    t.unanswered ? h("span", { class: "badge badge-unread",
      "aria-label": `${t.unanswered} unanswered` }, String(t.unanswered)) : null,
    h("time", { class: "muted thread-time", datetime: t.last_at }, dateTime(t.last_at, tz)),
    asked ? h("span", { class: "thread-question" }, `Asked: ${t.questions[asked - 1]}`) : null,
    h("span", { class: "muted thread-last" }, `${label(t.channel)} · ${t.last_text}`));
}

/** "Newer" / "Older" between pages, and where this page sits among them. */
function pager(page, paging) {
  if (page.total <= page.limit) return null;
  const go = (offset) => { paging.offset = offset; paging.show(); };
  const last = Math.min(page.offset + page.limit, page.total);
  return h("nav", { class: "pager actions", "aria-label": "Conversation pages" },
    h("button", { type: "button", disabled: page.offset === 0,
      onclick: () => go(Math.max(0, page.offset - page.limit)) }, "Newer"),
    h("span", { class: "muted" }, `${page.offset + 1}–${last} of ${page.total}`),
    h("button", { type: "button", disabled: last >= page.total,
      onclick: () => go(page.offset + page.limit) }, "Older"));
}

async function loadThread(thread, { venueId, channel, phone }) {
  const path = `/conversations/${venueId}/${channel}/${encodeURIComponent(phone)}`;
  try {
    const transcript = await api(path);
    const timeZone = state.venues.find((v) => v.id === venueId)?.timezone;
    loaded(thread,
      h("h2", {}, `${phone} · ${label(channel)} · ${venueName(venueId)}`),
      openQuestions(transcript.questions),
      h("ol", { class: "transcript", "aria-label": "Messages" }, transcript.lines.map((line) =>
        h("li", { class: `bubble bubble-${line.direction}` }, line.text,
          h("time", { datetime: line.at }, dateTime(line.at, timeZone))))),
      replyForm(path, thread, { venueId, channel, phone }),
      transcript.handed_off ? handBackButton(path, thread, { venueId, channel, phone }) : null);
  } catch (error) {
    loaded(thread, errorBox(error));
  }
}

/** The questions the bot left for a person; a reply or handing back answers them. */
function openQuestions(questions) {
  if (!questions.length) return null;
  return h("section", { class: "open-questions", "aria-labelledby": "open-questions-title" },
    h("h3", { id: "open-questions-title" }, "Questions the bot could not answer"),
    h("ul", {}, questions.map((text) => h("li", {}, text))));
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
