// Availability calendar: rooms × nights for a hotel, tables × slots for a restaurant, with
// the bookings that hold them. Built from the inventory endpoints and the bookings list.

import { api } from "../api.js";
import { errorBox, field, h, loaded, loading, table } from "../dom.js";
import { addDays, clock, dateRange, day, localDate } from "../format.js";
import { state } from "../state.js";
import { bookingHref, byLabel, debounce, needVenue } from "./parts.js";

const NIGHTS = 14;
const HOLDING = ["held", "pending_payment", "confirmed", "completed"];
// Stays that began before the first night shown can still occupy it.
const LONGEST_STAY_DAYS = 60;
const DAY_MINUTES = 24 * 60;

let refresh = null;

export function render(container) {
  if (needVenue(container)) return undefined;
  const venue = state.venue;
  const grid = h("div", {});
  const from = h("input", { id: "calendar-from", type: "date", value: localDate(venue.timezone) });
  const reload = () => load(grid, venue, from.value);
  from.addEventListener("change", reload);
  container.append(
    h("h1", {}, venue.kind === "hotel" ? "Rooms by night" : "Tables by time"),
    h("form", { class: "filters", onsubmit: (e) => e.preventDefault() },
      field(venue.kind === "hotel" ? "First night" : "Date", from)),
    legend(), grid);
  refresh = debounce(reload);
  reload();
  return () => { refresh = null; };
}

export function onLive(event) {
  if (event.type.startsWith("booking.")) refresh?.();
}

function legend() {
  return h("p", { class: "legend muted" },
    ["confirmed", "pending_payment", "held", "completed"].map((s) =>
      h("span", { class: `cell-${s} legend-key` }, s.replace("_", " "))));
}

async function load(grid, venue, from) {
  loading(grid, "Loading calendar…");
  try {
    loaded(grid, venue.kind === "hotel" ? await roomsGrid(venue, from)
      : await tablesGrid(venue, from));
  } catch (error) {
    loaded(grid, errorBox(error));
  }
}

async function holding(params) {
  const rows = await api("/bookings", { params: { ...params, limit: 500 } });
  return rows.filter((b) => HOLDING.includes(b.status));
}

async function roomsGrid(venue, from) {
  const nights = dateRange(from, NIGHTS);
  const [types, stays] = await Promise.all([
    api(`/venues/${venue.id}/room-types`),
    holding({ venue_id: venue.id, start: addDays(from, -LONGEST_STAY_DAYS),
      end: nights.at(-1) }),
  ]);
  const taken = new Map(); // "room:ID|night" → booking
  for (const stay of stays) {
    for (let night = stay.check_in; night < stay.check_out; night = addDays(night, 1)) {
      for (const resource of stay.resources) taken.set(`${resource}|${night}`, stay);
    }
  }
  const rows = types.flatMap((type) => type.rooms.map((room) => h("tr", {},
    h("th", { scope: "row" }, `${room.number} `, h("small", { class: "muted" }, type.name)),
    nights.map((night) => cell(taken.get(`room:${room.id}|${night}`))))));
  return table("Rooms by night", ["Room", ...nights.map(day)], rows);
}

async function tablesGrid(venue, date) {
  const [tables, hours, seatings] = await Promise.all([
    api(`/venues/${venue.id}/tables`),
    api(`/venues/${venue.id}/opening-hours`),
    holding({ venue_id: venue.id, start: date, end: date }),
  ]);
  const slots = slotsOf(hours, weekday(date), venue.slot_minutes);
  if (!slots.length) return h("p", { class: "muted" }, "Closed on this day.");
  const rows = tables.filter((t) => t.active).sort(byLabel).map((t) => h("tr", {},
    h("th", { scope: "row" }, `${t.label} `, h("small", { class: "muted" }, `${t.seats} seats`)),
    slots.map((slot) => cell(seatings.find((b) => b.resources.includes(`table:${t.id}`)
      && covers(b, slot, venue.timezone))))));
  return table("Tables by time", ["Table", ...slots.map(hhmm)], rows);
}

/** Slot starts (minutes after midnight) in the day's service windows. */
function slotsOf(hours, dayOfWeek, step) {
  const slots = [];
  for (const window of hours.filter((w) => w.weekday === dayOfWeek)) {
    const opens = minutes(window.opens);
    let closes = minutes(window.closes);
    if (closes <= opens) closes += DAY_MINUTES; // closes past midnight
    for (let m = opens; m < closes; m += step) slots.push(m);
  }
  return slots.sort((a, b) => a - b);
}

function covers(booking, slot, timeZone) {
  const start = minutes(clock(booking.starts_at, timeZone));
  let end = minutes(clock(booking.ends_at, timeZone));
  if (end <= start) end += DAY_MINUTES;
  return start <= slot && slot < end;
}

function cell(booking) {
  if (!booking) return h("td", { class: "cell-free" }, h("span", { class: "visually-hidden" },
    "free"));
  return h("td", { class: `cell-${booking.status}` },
    h("a", { href: bookingHref(booking.reference), title: booking.reference },
      booking.reference.slice(-4)));
}

const minutes = (text) => { const [h_, m] = text.split(":").map(Number); return h_ * 60 + m; };
const hhmm = (m) => `${String(Math.floor(m / 60) % 24).padStart(2, "0")}:${String(m % 60)
  .padStart(2, "0")}`;
/** 0 = Monday, as the API counts weekdays. */
const weekday = (isoDate) => (new Date(`${isoDate}T00:00:00Z`).getUTCDay() + 6) % 7;
