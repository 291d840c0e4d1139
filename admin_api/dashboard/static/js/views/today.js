// Today: arrivals and departures (hotels) or today's tables (restaurants), each arrival one
// tap away (check in / seat, and its undo), guests not arrived after the grace, payments
// still due, guests waiting for a person, and the live feed.

import { api } from "../api.js";
import { errorBox, h, loaded, loading } from "../dom.js";
import { addDays, day, localDate } from "../format.js";
import { state } from "../state.js";
import { toast } from "../toast.js";
import { bookingList, busy, debounce, liveItem, needVenue } from "./parts.js";

const ACTIVE = ["confirmed", "pending_payment", "held", "completed"];
// Stays arriving this long ago may still be departing today.
const LONGEST_STAY_DAYS = 60;

let refresh = null;

export function render(container) {
  if (needVenue(container)) return undefined;
  const venue = state.venue;
  const today = localDate(venue.timezone);
  const summary = h("div", { class: "cards", "aria-live": "polite" });
  const liveList = h("ol", { id: "live-list", class: "live-list", "aria-label": "Live events" },
    state.liveEvents.map(liveItem));
  container.append(
    h("h1", {}, `Today at ${venue.name}`),
    h("p", { class: "muted" }, day(today)),
    summary,
    h("section", { class: "card", "aria-labelledby": "live-title" },
      h("h2", { id: "live-title" }, "Live"),
      state.liveEvents.length ? null : h("p", { class: "muted", id: "live-empty" },
        "New bookings, payments and handoffs appear here as they happen."),
      liveList));
  refresh = debounce(() => load(summary, venue, today));
  loading(summary, "Loading today…");
  load(summary, venue, today);
  return () => { refresh = null; };
}

/** Show a live event at once; the figures above reload a moment later. */
export function onLive(_event, described) {
  document.getElementById("live-empty")?.remove();
  document.getElementById("live-list")?.prepend(liveItem(described));
  refresh?.();
}

async function load(summary, venue, today) {
  try {
    const [cards, late, pending, handoffs] = await Promise.all([
      venue.kind === "hotel" ? hotelCards(venue, today) : restaurantCards(venue, today),
      api(`/venues/${venue.id}/not-arrived`),
      api("/bookings", { params: { venue_id: venue.id, status: "pending_payment" } }),
      api("/conversations", { params: { venue_id: venue.id } }),
    ]);
    loaded(summary, cards,
      card("Not arrived", late.length, bookingList(late.map((row) => row.booking),
        "Everyone due has arrived.", arrival(venue))),
      card("Pending payments", pending.length, bookingList(pending, "Nothing waiting.")),
      card("Handoffs", handoffs.filter((c) => c.handed_off).length,
        handoffList(handoffs.filter((c) => c.handed_off))));
  } catch (error) {
    loaded(summary, errorBox(error));
  }
}

async function hotelCards(venue, today) {
  const stays = await api("/bookings", { params: {
    venue_id: venue.id, start: addDays(today, -LONGEST_STAY_DAYS), end: today, limit: 500,
  } });
  const active = stays.filter((b) => ACTIVE.includes(b.status));
  const arrivals = active.filter((b) => b.check_in === today);
  const departures = active.filter((b) => b.check_out === today);
  return [
    card("Arrivals", arrivals.length, bookingList(arrivals, "No arrivals today.",
      arrival(venue))),
    card("Departures", departures.length, bookingList(departures, "No departures today.")),
  ];
}

async function restaurantCards(venue, today) {
  const seatings = await api("/bookings", { params: {
    venue_id: venue.id, start: today, end: today, limit: 500,
  } });
  const tables = seatings.filter((b) => ACTIVE.includes(b.status))
    .sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  const covers = tables.reduce((sum, b) => sum + b.party_size, 0);
  return [card("Today's covers", covers, bookingList(tables, "No tables booked today.",
    arrival(venue)))];
}

/** The one-tap arrival button of a confirmed booking's line ("Check in" / "Seat"), and
 * "Undo" once tapped (a mistaken tap is taken back the same way). */
function arrival(venue) {
  const verb = venue.kind === "hotel" ? "Check in" : "Seat";
  return (booking) => {
    if (booking.status !== "confirmed") return null;
    return booking.arrived_at ? tap("Undo", "undo-arrival", booking, "ghost")
      : tap(verb, "arrived", booking, "primary");
  };
}

function tap(text, path, booking, style) {
  const button = h("button", { type: "button", class: `${style} tap`, "data-action": path,
    "aria-label": `${text} ${booking.reference}`, onclick: async () => {
      busy(button, true);
      try {
        await api(`/bookings/${encodeURIComponent(booking.reference)}/${path}`,
          { method: "POST" });
        refresh?.();
      } catch (error) {
        toast(error.message, { kind: "error" });
        busy(button, false);
      }
    } }, text);
  return button;
}

function card(title, figure, body) {
  return h("section", { class: "card" },
    h("h2", {}, title, " ", h("span", { class: "figure" }, String(figure))), body);
}

function handoffList(threads) {
  if (!threads.length) return h("p", { class: "muted" }, "Nobody is waiting.");
  return h("ul", { class: "items" }, threads.map((t) => h("li", {},
    h("a", { href: `#/inbox/${t.venue_id}/${t.channel}/${encodeURIComponent(t.guest_phone)}` },
      t.guest_name || t.guest_phone), h("span", { class: "muted" }, ` ${t.last_text}`))));
}
