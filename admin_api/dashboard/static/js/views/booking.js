// One booking: its details, the audit trail, and the desk actions (cancel with a refund,
// move, arrived and its undo, no-show and its undo, complete).

import { api } from "../api.js";
import { errorBox, facts, h, loaded, loading, replace } from "../dom.js";
import { dateTime, label, money, when } from "../format.js";
import { state } from "../state.js";
import { toast } from "../toast.js";
import { openCancel } from "./cancel.js";
import { openMove } from "./move.js";
import { badge, busy, debounce } from "./parts.js";
import { roomsCard } from "./rooms.js";

// Statuses the engine still lets staff cancel or move.
const ACTIVE = ["held", "pending_payment", "confirmed"];

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
    const venue = state.venues.find((v) => v.id === booking.venue_id);
    const rooms = await roomsCard(booking, venue, outcome, () => load(body, outcome, ref));
    loaded(body, details(booking, venue), rooms, actions(booking, venue, body, outcome),
      trail(booking, venue));
  } catch (error) {
    loaded(body, errorBox(error));
  }
}

function details(booking, venue) {
  return h("section", { class: "card", "aria-label": "Details" }, facts([
    ["Status", badge(booking.status)],
    ["Venue", venue?.name],
    ["When", when(booking, venue?.timezone)],
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

function trail(booking, venue) {
  return h("section", { class: "card", "aria-labelledby": "trail-title" },
    h("h2", { id: "trail-title" }, "Audit trail"),
    h("ol", { class: "trail" }, booking.events.map((e) => h("li", {},
      h("time", { datetime: e.at }, dateTime(e.at, venue?.timezone)), " ",
      h("strong", {}, e.from_status ? `${label(e.from_status)} → ${label(e.to_status)}`
        : label(e.to_status)),
      ` by ${e.actor}`, e.reason ? ` — ${e.reason}` : ""))));
}
