// Today: every service of the day in time order (restaurants) or arrivals and departures
// (hotels), each arrival one tap from seated / checked in (and its undo); guests not arrived
// after the grace, payments still due, group requests awaiting the owner's approval, guests
// waiting for a person, and the live feed.

import { api } from "../api.js";
import { errorBox, h, loaded, loading } from "../dom.js";
import { addDays, clock, day, hhmm, localDate, minuteOfDay, minutes, weekday, when }
  from "../format.js";
import { state } from "../state.js";
import { toast } from "../toast.js";
import { badge, bookingHref, bookingList, busy, debounce, everyBooking, liveItem, needVenue }
  from "./parts.js";
import { placeNames, placesOf } from "./places.js";

const ACTIVE = ["confirmed", "pending_payment", "held", "completed"];
// Stays arriving this long ago may still be departing today.
const LONGEST_STAY_DAYS = 60;

let refresh = null;

export function render(container) {
  if (needVenue(container)) return undefined;
  const venue = state.venue;
  const today = localDate(venue.timezone);
  const services = h("div", { id: "today-services" });
  const summary = h("div", { class: "cards", "aria-live": "polite" });
  const liveList = h("ol", { id: "live-list", class: "live-list", "aria-label": "Live events" },
    state.liveEvents.map(liveItem));
  container.append(
    h("h1", {}, `Today at ${venue.name}`),
    h("p", { class: "muted" }, day(today)),
    services, summary,
    h("section", { class: "card", "aria-labelledby": "live-title" },
      h("h2", { id: "live-title" }, "Live"),
      state.liveEvents.length ? null : h("p", { class: "muted", id: "live-empty" },
        "New bookings, payments and handoffs appear here as they happen."),
      liveList));
  refresh = debounce(() => load(services, summary, venue, today));
  loading(services, "Loading today…");
  loading(summary, "Loading…");
  load(services, summary, venue, today);
  return () => { refresh = null; };
}

/** Show a live event at once; the figures above reload a moment later. */
export function onLive(_event, described) {
  document.getElementById("live-empty")?.remove();
  document.getElementById("live-list")?.prepend(liveItem(described));
  refresh?.();
}

async function load(services, summary, venue, today) {
  try {
    const [names, late, pending, requests, inbox] = await Promise.all([
      placeNames(venue),
      api(`/venues/${venue.id}/not-arrived`),
      api("/bookings", { params: { venue_id: venue.id, status: "pending_payment" } }),
      api("/bookings", { params: { venue_id: venue.id, status: "held", approval: "pending" } }),
      api("/conversations/inbox", { params: { venue_id: venue.id, waiting: true, limit: 50 } }),
    ]);
    const line = arrivalLine(venue, names);
    loaded(services, venue.kind === "hotel" ? await stays(venue, today, line)
      : await seatings(venue, today, line));
    const waiting = inbox.threads;
    const open = awaiting(requests, new Date());
    loaded(summary,
      card("Requests awaiting approval", open.length, requestList(open, venue)),
      card("Not arrived", late.length, bookingList(late.map((row) => row.booking),
        "Everyone due has arrived.", arrival(venue))),
      card("Pending payments", pending.length, bookingList(pending, "Nothing waiting.")),
      card("Waiting for a person", inbox.waiting, handoffList(waiting)));
  } catch (error) {
    loaded(services, errorBox(error));
    loaded(summary);
  }
}

// Restaurants: one list per service, in time order -----------------------------------------------

async function seatings(venue, today, line) {
  const [hours, rows] = await Promise.all([
    api(`/venues/${venue.id}/opening-hours`),
    everyBooking({ venue_id: venue.id, start: today, end: today }),
  ]);
  const tables = rows.filter((b) => ACTIVE.includes(b.status))
    .sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  const windows = hours.filter((w) => w.weekday === weekday(today))
    .map((w) => ({ opens: minutes(w.opens), closes: minutes(w.closes) }))
    .sort((a, b) => a.opens - b.opens);
  const serviceOf = (b) => {
    const start = minuteOfDay(b.starts_at, venue.timezone);
    return windows.findLast((w) => start >= w.opens) ?? windows[0];
  };
  if (!windows.length && !tables.length) return h("p", { class: "muted" }, "Closed today.");
  const sections = (windows.length ? windows : [{ opens: 0, closes: 0 }]).map((w) => {
    const own = tables.filter((b) => (windows.length ? serviceOf(b) === w : true));
    const name = w.opens < 11 * 60 ? "Breakfast" : w.opens < 16 * 60 ? "Lunch" : "Dinner";
    return service(`${name} ${hhmm(w.opens)}–${hhmm(w.closes)}`, own, line,
      `No tables booked for ${name.toLowerCase()}.`);
  });
  return h("div", { class: "cards services" }, sections);
}

function service(title, bookings, line, empty) {
  const covers = bookings.reduce((sum, b) => sum + b.party_size, 0);
  const id = `service-${title.split(" ")[0].toLowerCase()}`;
  return h("section", { class: "card", "aria-labelledby": id, "data-service": title.split(" ")[0] },
    h("h2", { id }, title, " ", h("span", { class: "figure", title: "covers" }, String(covers))),
    bookings.length ? h("ol", { class: "items arrivals" }, bookings.map(line))
      : h("p", { class: "muted" }, empty));
}

// Hotels: arrivals and departures ------------------------------------------------------------------

async function stays(venue, today, line) {
  const rows = await everyBooking({ venue_id: venue.id, start: addDays(today, -LONGEST_STAY_DAYS),
    end: today });
  const active = rows.filter((b) => ACTIVE.includes(b.status));
  const arrivals = active.filter((b) => b.check_in === today);
  const departures = active.filter((b) => b.check_out === today);
  return h("div", { class: "cards services" },
    card("Arrivals", arrivals.length, arrivals.length
      ? h("ol", { class: "items arrivals" }, arrivals.map(line))
      : h("p", { class: "muted" }, "No arrivals today.")),
    card("Departures", departures.length, departures.length
      ? h("ol", { class: "items arrivals" }, departures.map(line))
      : h("p", { class: "muted" }, "No departures today.")));
}

/** One arrival as a short line: time (or nights), guest, party, room or table, status, and
 * the one-tap arrival button. */
function arrivalLine(venue, names) {
  const tap = arrival(venue);
  return (booking) => {
    const place = placesOf(booking, names);
    const time = booking.starts_at ? clock(booking.starts_at, venue.timezone)
      : `${day(booking.check_in)} → ${day(booking.check_out)}`;
    return h("li", { class: "arrival", "data-reference": booking.reference },
      h("time", { class: "arrival-time", datetime: booking.starts_at || booking.check_in }, time),
      h("a", { href: bookingHref(booking.reference) },
        h("strong", {}, booking.guest.name || booking.guest.phone)),
      h("span", { class: "muted" }, `party of ${booking.party_size}`),
      place ? h("span", { class: "place" }, place) : null,
      booking.status === "confirmed" ? null : badge(booking.status),
      booking.arrived_at ? h("span", { class: "badge badge-arrived" }, "arrived") : null,
      tap(booking));
  };
}

/** The one-tap arrival button of a confirmed booking's line ("Check in" / "Seat"), and
 * "Undo" once tapped (a mistaken tap is taken back the same way). */
function arrival(venue) {
  const verb = venue.kind === "hotel" ? "Check in" : "Seat";
  return (booking) => {
    if (booking.status !== "confirmed") return null;
    return booking.arrived_at ? tapButton("Undo", "undo-arrival", booking, "ghost")
      : tapButton(verb, "arrived", booking, "primary");
  };
}

function tapButton(text, path, booking, style) {
  const who = booking.guest.name ? ` (${booking.guest.name})` : "";
  const button = h("button", { type: "button", class: `${style} tap`, "data-action": path,
    "aria-label": `${text} ${booking.reference}${who}`, onclick: async () => {
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

// Groups above the chat limits: held for the owner, until the approval window lapses -------------

/** The requests still held, the soonest to lapse first. */
function awaiting(requests, now) {
  return requests.filter((b) => b.hold_expires_at && new Date(b.hold_expires_at) > now)
    .sort((a, b) => a.hold_expires_at.localeCompare(b.hold_expires_at));
}

function requestList(requests, venue) {
  if (!requests.length) return h("p", { class: "muted" }, "No group waits for an answer.");
  return h("ul", { class: "items requests" }, requests.map((b) => {
    const rooms = b.rooms.filter((room) => !room.cancelled_at).length || 1;
    return h("li", { class: "request", "data-reference": b.reference },
      h("a", { href: bookingHref(b.reference) }, h("strong", {}, b.reference)),
      h("span", {}, b.guest.name || b.guest.phone),
      h("span", { class: "muted" }, `${rooms} room${rooms === 1 ? "" : "s"}`
        + ` · ${b.party_size} guests · ${when(b, venue.timezone)}`),
      h("time", { class: "badge badge-held", datetime: b.hold_expires_at },
        `lapses in ${timeLeft(new Date(b.hold_expires_at) - new Date())}`));
  }));
}

/** "2 h 5 min", "40 min", "1 d 3 h": how long a request is still held. */
function timeLeft(ms) {
  const total = Math.max(1, Math.ceil(ms / 60000));
  const [days, hours, mins] = [Math.floor(total / 1440), Math.floor(total / 60) % 24, total % 60];
  if (days) return hours ? `${days} d ${hours} h` : `${days} d`;
  if (hours) return mins ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

function handoffList(threads) {
  if (!threads.length) return h("p", { class: "muted" }, "Nobody is waiting.");
  return h("ul", { class: "items" }, threads.map((t) => h("li", {},
    h("a", { href: `#/inbox/${t.venue_id}/${t.channel}/${encodeURIComponent(t.guest_phone)}` },
      t.guest_name || t.guest_phone),
    h("span", { class: "muted" }, ` ${t.questions.length ? `asked: ${t.questions.at(-1)}`
      : t.last_text}`))));
}
