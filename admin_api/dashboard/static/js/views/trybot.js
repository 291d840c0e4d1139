// "Try the bot": chat with the venue's bot as a guest would, in a phone-shaped frame. Only in
// sandbox mode (the API answers 404 otherwise); replies are polled while the page is open.

import { api } from "../api.js";
import { errorBox, field, h, replace } from "../dom.js";
import { state } from "../state.js";
import { needVenue } from "./parts.js";

const POLL_MS = 700;
const DEFAULT_PHONE = "+919990000001";

export function render(container) {
  if (needVenue(container)) return undefined;
  const chat = {
    venue: state.venue, channel: "whatsapp", phone: DEFAULT_PHONE, after: 0, timer: null,
    stopped: false,
    messages: h("ol", { class: "phone-messages", "aria-label": "Chat", "aria-live": "polite" }),
    notice: h("div", { role: "status" }),
  };
  container.append(h("h1", {}, "Try the bot"),
    h("p", { class: "muted" }, `Chat with ${chat.venue.name} as a guest (sandbox).`),
    settingsForm(chat), phone(chat));
  poll(chat);
  return () => {
    chat.stopped = true;
    clearTimeout(chat.timer);
  };
}

function settingsForm(chat) {
  const channel = h("select", { id: "try-channel" },
    h("option", { value: "whatsapp" }, "WhatsApp"), h("option", { value: "sms" }, "SMS"));
  const number = h("input", { id: "try-phone", type: "tel", value: chat.phone,
    autocomplete: "off" });
  const restart = () => {
    Object.assign(chat, { channel: channel.value, phone: number.value.trim(), after: 0 });
    replace(chat.messages);
  };
  channel.addEventListener("change", restart);
  number.addEventListener("change", restart);
  return h("form", { class: "filters", onsubmit: (e) => e.preventDefault() },
    field("Channel", channel), field("Guest phone", number));
}

function phone(chat) {
  const text = h("input", { id: "try-text", autocomplete: "off", placeholder: "Message" });
  const form = h("form", { class: "phone-input", onsubmit: (event) => {
    event.preventDefault();
    if (!text.value.trim()) return;
    send(chat, { text: text.value.trim() }, text.value.trim());
    text.value = "";
  } },
  h("label", { for: "try-text", class: "visually-hidden" }, "Message"), text,
  h("button", { type: "submit", class: "primary", "aria-label": "Send message" }, "Send"));
  return h("div", { class: "phone", role: "region", "aria-label": "Phone" },
    h("div", { class: "phone-top" }, chat.venue.name), chat.notice, chat.messages, form);
}

async function send(chat, content, shown) {
  chat.messages.append(h("li", { class: "bubble bubble-in" }, shown));
  scroll(chat);
  try {
    await api("/sandbox/messages", { method: "POST", body: {
      venue_id: chat.venue.id, channel: chat.channel, phone: chat.phone, ...content } });
  } catch (error) {
    showProblem(chat, error);
  }
}

async function poll(chat) {
  try {
    const page = await api("/sandbox/messages", { params: {
      venue_id: chat.venue.id, channel: chat.channel, phone: chat.phone, after: chat.after } });
    replace(chat.notice);
    page.messages.forEach((message) => chat.messages.append(botBubble(chat, message)));
    if (page.messages.length) scroll(chat);
    chat.after = page.next;
  } catch (error) {
    showProblem(chat, error);
    if (error.status === 404) return; // sandbox off: nothing will ever arrive
  }
  if (chat.stopped) return; // the owner left the page while this poll was in flight
  chat.timer = setTimeout(() => poll(chat), POLL_MS);
}

function showProblem(chat, error) {
  replace(chat.notice, error.status === 404
    ? h("p", { class: "notice" }, "The bot sandbox is off on this server. Start Bookline in "
      + "sandbox mode to chat with the bot here.")
    : errorBox(error));
}

function botBubble(chat, message) {
  return h("li", { class: "bubble bubble-out" }, message.text,
    message.options?.length ? h("div", { class: "options" }, message.options.map((o, i) =>
      h("button", { type: "button", onclick: () => choose(chat, o, i) }, o.title))) : null,
    (message.links || []).map((url) => h("a", { href: url, target: "_blank",
      rel: "noopener noreferrer", class: "link" }, "Open link")));
}

/** WhatsApp taps send the option's id; on SMS the guest types the option's number. */
function choose(chat, option, index) {
  if (chat.channel === "whatsapp") send(chat, { choice_id: option.id }, option.title);
  else send(chat, { text: String(index + 1) }, String(index + 1));
}

function scroll(chat) {
  chat.messages.scrollTop = chat.messages.scrollHeight;
}
