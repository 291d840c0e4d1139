// Today: arrivals and departures (hotels) or tonight's covers (restaurants), payments still
// due, guests waiting for a person, and the live feed.

import { api } from "../api.js";
import { errorBox, h, loaded, loading } from "../dom.js";
import { addDays, clock, day, localDate } from "../format.js";
import { state } from "../state.js";
import { bookingList, debounce, liveItem, needVenue } from "./parts.js";

const ACTIVE = ["confirmed", "pending_payment", "held", "completed"];
const EVENING_HOUR = 17;
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
    const [cards, pending, handoffs] = await Promise.all([
      venue.kind === "hotel" ? hotelCards(venue, today) : restaurantCards(venue, today),
      api("/bookings", { params: { venue_id: venue.id, status: "pending_payment" } }),
      api("/conversations", { params: { venue_id: venue.id } }),
    ]);
    loaded(summary, cards,
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
    card("Arrivals", arrivals.length, bookingList(arrivals, "No arrivals today.")),
    card("Departures", departures.length, bookingList(departures, "No departures today.")),
  ];
}

async function restaurantCards(venue, today) {
  const seatings = await api("/bookings", { params: {
    venue_id: venue.id, start: today, end: today, limit: 500,
  } });
  const tonight = seatings.filter((b) => ACTIVE.includes(b.status)
    && Number(clock(b.starts_at, venue.timezone).slice(0, 2)) >= EVENING_HOUR);
  const covers = tonight.reduce((sum, b) => sum + b.party_size, 0);
  return [card("Tonight's covers", covers, bookingList(tonight, "No tables booked tonight."))];
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
