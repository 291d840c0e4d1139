// One booking: its details (room or table, channel), its payments and refunds, the last lines
// of the guest's chat, the audit trail, and the desk actions (cancel with a refund, move,
// arrived and its undo, no-show and its undo, complete).

import { api } from "../api.js";
import { errorBox, facts, h, loaded, loading, replace } from "../dom.js";
import { dateTime, label, money, when } from "../format.js";
import { chooseVenue, state } from "../state.js";
import { toast } from "../toast.js";
import { openCancel } from "./cancel.js";
import { openMove } from "./move.js";
import { badge, busy, debounce } from "./parts.js";
import { placeNames, placesOf } from "./places.js";
import { roomsCard } from "./rooms.js";

// Statuses the engine still lets staff cancel or move.
const ACTIVE = ["held", "pending_payment", "confirmed"];
// Channels a guest chats on (the others are the desk's).
const CHAT_CHANNELS = ["whatsapp", "sms"];
const CHAT_EXCERPT = 6;

let refresh = null;
let reference = null;

export function render(container, [ref]) {
  reference = ref;
  const body = h("div", {});
  const outcome = h("div", { id: "action-result", role: "status" });
  container.append(h("p", {}, h("a", { href: "#/bookings" }, "← All bookings")),
    h("h1", {}, `Booking ${ref}`), outcome, body);
  refresh = debounce(() => load(body, outcome, ref));
  loading(body, "Loading booking…");
  load(body, outcome, ref);
  return () => { refresh = null; };
}

/** Reload when this booking changed, unless the owner is half-way through changing it. */
export function onLive(event) {
  const editing = document.querySelector("#cancel-form, #move-form");
  if (event.data.reference === reference && !editing) refresh?.();
}

async function load(body, outcome, ref) {
  try {
    const booking = await api(`/bookings/${encodeURIComponent(ref)}`);
    chooseVenue(booking.venue_id); // the picker follows the booking on screen
    const venue = state.venues.find((v) => v.id === booking.venue_id);
    const [names, payments, chat, rooms] = await Promise.all([
      placeNames(venue), api(`/bookings/${encodeURIComponent(ref)}/payments`),
      conversation(booking),
      roomsCard(booking, venue, outcome, () => load(body, outcome, ref))]);
    loaded(body, details(booking, venue, names), rooms, actions(booking, venue, body, outcome),
      paymentsCard(payments, venue), chatCard(booking, chat, venue), trail(booking, venue));
  } catch (error) {
    loaded(body, errorBox(error));
  }
}

/** The guest's chat on the booking's channel (null when booked by phone or in person). */
async function conversation(booking) {
  if (!CHAT_CHANNELS.includes(booking.channel)) return null;
  const path = `/conversations/${booking.venue_id}/${booking.channel}/`
    + encodeURIComponent(booking.guest.phone);
  try {
    return { path, transcript: await api(path) };
  } catch {
    return null; // a guest who never wrote has no thread
  }
}

function details(booking, venue, names) {
  return h("section", { class: "card", "aria-label": "Details" }, facts([
    ["Status", badge(booking.status)],
    ["Venue", venue?.name],
    ["When", when(booking, venue?.timezone)],
    [venue?.kind === "hotel" ? "Room" : "Table", h("span", { id: "booking-place" },
      placesOf(booking, names) ?? "not assigned")],
    ["Guest", `${booking.guest.name || ""} ${booking.guest.phone}`.trim()],
    ["Party", String(booking.party_size)],
    ["Channel", label(booking.channel)],
    ["Amount", money(booking.amount, booking.currency)],
    ["Paid", money(booking.amount_paid, booking.currency)],
    ["Approval", booking.approval ? label(booking.approval) : null],
    ["Hold expires", booking.hold_expires_at ? dateTime(booking.hold_expires_at, venue?.timezone)
      : null],
    ["Arrived", booking.arrived_at ? dateTime(booking.arrived_at, venue?.timezone) : null],
    ["Not arrived", booking.not_arrived_at && !booking.arrived_at
      ? `noticed ${dateTime(booking.not_arrived_at, venue?.timezone)}` : null],
    ["Guest confirmed", booking.guest_confirmed_at
      ? `Yes, ${dateTime(booking.guest_confirmed_at, venue?.timezone)}` : null],
    ["Notes", booking.notes || null],
    ["Guest feedback", feedback(booking.feedback, venue?.timezone)],
  ]));
}

/** What the guest said of the visit: stars, the score, their words and when; or that they
 * were asked and have not answered (null: not asked). */
function feedback(given, timeZone) {
  if (!given) return null;
  if (given.score == null) return `Asked ${dateTime(given.asked_at, timeZone)}, no answer yet`;
  const stars = "★".repeat(given.score) + "☆".repeat(5 - given.score);
  return h("span", { id: "guest-feedback" },
    h("span", { "aria-hidden": "true" }, `${stars} `), `${given.score}/5`,
    given.comment ? ` · “${given.comment}”` : "",
    ` (${dateTime(given.answered_at, timeZone)})`);
}

function actions(booking, venue, body, outcome) {
  const panel = h("section", { class: "card", "aria-labelledby": "actions-title" },
    h("h2", { id: "actions-title" }, "Actions"));
  const buttons = h("div", { class: "actions" });
  const reload = () => load(body, outcome, booking.reference);
  if (booking.approval === "pending" && booking.status === "held") {
    buttons.append(actionButton("Accept request", "accept", booking, outcome, reload),
      actionButton("Decline request", "decline", booking, outcome, reload));
  }
  if (ACTIVE.includes(booking.status)) {
    buttons.append(
      h("button", { type: "button", id: "move-open",
        onclick: () => openMove(panel, booking, venue, outcome, reload) }, "Move…"),
      h("button", { type: "button", class: "danger", id: "cancel-open",
        onclick: () => openCancel(panel, booking, venue, outcome, reload) },
      "Cancel booking…"));
  }
  if (booking.status === "confirmed" && booking.arrived_at) {
    buttons.append(actionButton("Undo arrival", "undo-arrival", booking, outcome, reload));
  } else if (booking.status === "confirmed") {
    buttons.append(
      actionButton("Mark arrived", "arrived", booking, outcome, reload),
      actionButton("Mark no-show", "no-show", booking, outcome, reload));
  }
  if (booking.status === "confirmed") {
    buttons.append(actionButton("Mark completed", "complete", booking, outcome, reload));
  }
  if (booking.status === "no_show") {
    buttons.append(actionButton("Undo no-show", "undo-no-show", booking, outcome, reload));
  }
  if (!buttons.childElementCount) {
    buttons.append(h("p", { class: "muted" }, "No actions for a booking in this state."));
  }
  panel.append(buttons);
  return panel;
}

function actionButton(text, path, booking, outcome, reload) {
  const button = h("button", { type: "button", onclick: async () => {
    busy(button, true);
    try {
      await api(`/bookings/${encodeURIComponent(booking.reference)}/${path}`, { method: "POST" });
      toast(`${booking.reference}: ${text.toLowerCase()}`, { kind: "success" });
      await reload();
    } catch (error) {
      replace(outcome, errorBox(error));
    } finally {
      busy(button, false);
    }
  } }, text);
  return button;
}

/** Every payment and what went back from it. */
function paymentsCard(payments, venue) {
  const tz = venue?.timezone;
  const refund = (r) => h("li", {}, `Refund ${money(r.amount, r.currency)} · ${label(r.status)}`
    + ` · ${label(r.cause)} · ${dateTime(r.created_at, tz)}`);
  return h("section", { class: "card", "aria-labelledby": "payments-title", id: "payments" },
    h("h2", { id: "payments-title" }, "Payments and refunds"),
    payments.length ? h("ul", { class: "items" }, payments.map((p) => h("li", {},
      h("strong", {}, money(p.amount, p.currency)), ` ${label(p.status)}`,
      p.outcome ? ` · ${label(p.outcome)}` : "", ` · ${dateTime(p.created_at, tz)}`,
      h("span", { class: "muted" }, ` ${p.provider_payment_id}`),
      p.refunds.length ? h("ul", { class: "refunds" }, p.refunds.map(refund)) : null)))
      : h("p", { class: "muted" }, "No payments received."));
}

/** The last few lines of the guest's chat, and a way to the whole thread. */
function chatCard(booking, chat, venue) {
  const section = h("section", { class: "card", "aria-labelledby": "chat-title", id: "chat" },
    h("h2", { id: "chat-title" }, "Conversation"));
  if (!chat) {
    section.append(h("p", { class: "muted" }, `Booked by ${label(booking.channel)}: no chat.`));
    return section;
  }
  const lines = around(chat.transcript.lines, booking.created_at);
  section.append(
    h("ol", { class: "transcript", "aria-label": "Last messages" }, lines.map((line) =>
      h("li", { class: `bubble bubble-${line.direction}` }, line.text,
        h("time", { datetime: line.at }, dateTime(line.at, venue?.timezone))))),
    h("a", { href: `#/inbox${chat.path.slice("/conversations".length)}` },
      "Open the whole conversation"));
  return section;
}

/** The lines around the moment the booking was made (the guest's thread runs on before and
 * after it, about other bookings too). */
function around(lines, at) {
  const made = Date.parse(at);
  const before = lines.filter((line) => Date.parse(line.at) <= made).length;
  const from = Math.max(0, before - CHAT_EXCERPT / 2);
  return lines.slice(from, from + CHAT_EXCERPT);
}

function trail(booking, venue) {
  return h("section", { class: "card", "aria-labelledby": "trail-title" },
    h("h2", { id: "trail-title" }, "Audit trail"),
    h("ol", { class: "trail" }, booking.events.map((e) => h("li", {},
      h("time", { datetime: e.at }, dateTime(e.at, venue?.timezone)), " ",
      h("strong", {}, e.from_status ? `${label(e.from_status)} → ${label(e.to_status)}`
        : label(e.to_status)),
      ` by ${e.actor}`, e.reason ? ` — ${e.reason}` : ""))));
}
