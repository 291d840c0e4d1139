// The calendar: a timeline of rooms by night (hotels) or of tables by slot, one section per
// service (restaurants). Each booking is one block; an empty cell starts a desk booking
// there; dragging a block moves the booking through the engine, whose "no" is shown as it
// gave it. Every time is the venue's.

import { api } from "../api.js";
import { errorBox, field, h, loaded, loading, replace } from "../dom.js";
import { addDays, dateRange, day, daysBetween, hhmm, localDate, minuteOfDay, minutes,
  weekday } from "../format.js";
import { state } from "../state.js";
import { toast } from "../toast.js";
import { bookingHref, byLabel, debounce, everyBooking, needVenue } from "./parts.js";
import { blockHeld } from "./drag.js";
import { timeline } from "./timeline.js";

const NIGHTS = 14;
const HOLDING = ["held", "pending_payment", "confirmed", "completed"];
// Stays that began before the first night shown can still occupy it.
const LONGEST_STAY_DAYS = 60;
const DAY_MINUTES = 24 * 60;
// The now line moves on by itself (the grid redraws unless someone is working in it).
const TICK_MS = 60_000;

let refresh = null;

export function render(container) {
  if (needVenue(container)) return undefined;
  const venue = state.venue;
  const hotel = venue.kind === "hotel";
  const board = h("div", { class: "board" });
  const problem = h("div", { id: "calendar-problem", role: "status" });
  const from = h("input", { id: "calendar-from", type: "date", value: localDate(venue.timezone) });
  const reload = () => load(board, problem, venue, from.value);
  const shift = (days) => { from.value = addDays(from.value, days); reload(); };
  from.addEventListener("change", reload);
  container.append(
    h("h1", {}, hotel ? "Rooms by night" : "Tables by time"),
    h("form", { class: "filters", onsubmit: (e) => e.preventDefault() },
      field(hotel ? "First night" : "Date", from),
      h("div", { class: "actions" },
        h("button", { type: "button", onclick: () => shift(hotel ? -7 : -1) },
          hotel ? "Previous week" : "Previous day"),
        h("button", { type: "button", onclick: () => shift(hotel ? 7 : 1) },
          hotel ? "Next week" : "Next day"))),
    legend(), h("p", { class: "muted" }, "Choose an empty cell to book it; drag a booking to "
      + "move it (or open it and choose Move…)."),
    problem, board);
  refresh = debounce(reload);
  loading(board, "Loading calendar…");
  reload();
  const ticking = setInterval(() => {
    if (!board.contains(document.activeElement)) reload();
  }, TICK_MS);
  return () => { refresh = null; clearInterval(ticking); };
}

export function onLive(event) {
  if (event.type.startsWith("booking.")) refresh?.();
}

function legend() {
  return h("p", { class: "legend" },
    ["confirmed", "pending_payment", "held", "completed"].map((s) =>
      h("span", { class: `block-${s} legend-key` }, s.replace("_", " "))),
    h("span", { class: "legend-key legend-now" }, "now"));
}

async function load(board, problem, venue, from) {
  try {
    const view = venue.kind === "hotel" ? await roomsBoard(venue, from, problem, board)
      : await tablesBoard(venue, from, problem, board);
    if (blockHeld()) { // the owner is dragging: redraw once the block is let go
      refresh?.();
      return;
    }
    loaded(board, view);
  } catch (error) {
    loaded(board, errorBox(error));
  }
}

async function holding(params) {
  return (await everyBooking(params)).filter((b) => HOLDING.includes(b.status));
}

const guestName = (b) => b.guest.name || b.guest.phone;

// Hotels ---------------------------------------------------------------------------------------

async function roomsBoard(venue, from, problem, board) {
  const nights = dateRange(from, NIGHTS);
  const [types, stays] = await Promise.all([
    api(`/venues/${venue.id}/room-types`),
    holding({ venue_id: venue.id, start: addDays(from, -LONGEST_STAY_DAYS),
      end: nights.at(-1) }),
  ]);
  const rows = types.flatMap((type) => type.rooms.filter((r) => r.active).map((room) => ({
    resource: `room:${room.id}`, title: room.number, detail: type.name, typeId: type.id })));
  return timeline({
    title: `Rooms by night from ${day(from)}`, corner: "Room",
    columns: nights.map((night) => ({ at: night, text: day(night) })),
    rows, blocks: stays.flatMap((stay) => stayBlocks(stay, from)),
    now: nightFraction(venue, from),
    cellLabel: (row, column) => `New booking: room ${row.title}, night of ${day(column.at)}`,
    onCreate: (row, column) => startBooking({ check_in: column.at, room_type: row.typeId }),
    onDrop: (move) => moveStay(move, problem, board),
  });
}

function stayBlocks(stay, from) {
  const start = Math.max(0, daysBetween(from, stay.check_in));
  const end = Math.min(NIGHTS, daysBetween(from, stay.check_out));
  if (end <= start) return [];
  const label = `${stay.reference}: ${guestName(stay)}, party of ${stay.party_size}, `
    + `${day(stay.check_in)} to ${day(stay.check_out)}, ${stay.status.replace("_", " ")}`;
  return stay.resources.map((resource) => ({ resource, from: start, span: end - start,
    booking: stay, text: guestName(stay), label, href: bookingHref(stay.reference) }));
}

/** Where now falls across the nights shown (null when today is not among them). */
function nightFraction(venue, from) {
  const index = daysBetween(from, localDate(venue.timezone));
  if (index < 0 || index >= NIGHTS) return null;
  return (index + minuteOfDay(new Date(), venue.timezone) / DAY_MINUTES) / NIGHTS;
}

function moveStay({ booking, from, to }, problem, board) {
  const shift = daysBetween(from.dataset.at, to.dataset.at);
  const body = {};
  if (shift) {
    body.check_in = addDays(booking.check_in, shift);
    body.check_out = addDays(booking.check_out, shift);
  }
  if (to.dataset.resource !== from.dataset.resource) {
    body.room_id = Number(to.dataset.resource.split(":")[1]);
  }
  const where = body.room_id ? ` to room ${rowTitle(board, to)}` : "";
  const when = shift ? `, arriving ${day(body.check_in)}` : "";
  return sendMove(booking, body, `${where}${when}`, problem);
}

// Restaurants ----------------------------------------------------------------------------------

async function tablesBoard(venue, date, problem, board) {
  const [tables, hours, seatings] = await Promise.all([
    api(`/venues/${venue.id}/tables`),
    api(`/venues/${venue.id}/opening-hours`),
    holding({ venue_id: venue.id, start: date, end: date }),
  ]);
  const services = servicesOf(hours, weekday(date), venue.slot_minutes);
  if (!services.length) return h("p", { class: "muted" }, `Closed on ${day(date)}.`);
  const rows = tables.filter((t) => t.active).sort(byLabel).map((t) => ({
    resource: `table:${t.id}`, title: t.label, detail: `${t.seats} seats` }));
  return services.map((service) => h("section", { class: "service",
    "aria-labelledby": `service-${service.opens}` },
  h("h2", { id: `service-${service.opens}` }, service.name, " ",
    h("span", { class: "muted" }, `${hhmm(service.opens)}–${hhmm(service.closes)}`)),
  timeline({
    title: `${service.name} on ${day(date)}`, corner: "Table",
    columns: service.slots.map((slot) => ({ at: slot, text: hhmm(slot) })),
    rows, blocks: seatings.flatMap((b) => seatingBlocks(b, service, venue)),
    now: serviceFraction(venue, date, service),
    cellLabel: (row, column) => `New booking: ${row.title} at ${column.text}`,
    onCreate: (_row, column) => startBooking({ date, time: column.text }),
    onDrop: (move) => moveSeating(move, venue, date, problem, board),
  })));
}

/** The day's services (lunch, dinner…): their windows cut into slots. */
function servicesOf(hours, dayOfWeek, step) {
  return hours.filter((w) => w.weekday === dayOfWeek).map((w) => {
    const opens = minutes(w.opens);
    let closes = minutes(w.closes);
    if (closes <= opens) closes += DAY_MINUTES; // closes past midnight
    const slots = [];
    for (let m = opens; m < closes; m += step) slots.push(m);
    return { name: serviceName(opens), opens, closes, slots, step };
  }).sort((a, b) => a.opens - b.opens);
}

function serviceName(opens) {
  if (opens < 11 * 60) return "Breakfast";
  return opens < 16 * 60 ? "Lunch" : "Dinner";
}

/** A seating's block on each of its tables, if it starts in this service. */
function seatingBlocks(booking, service, venue) {
  const start = minuteOfDay(booking.starts_at, venue.timezone);
  if (start < service.opens || start >= service.closes) return [];
  let end = minuteOfDay(booking.ends_at, venue.timezone);
  if (end <= start) end += DAY_MINUTES;
  const from = Math.floor((start - service.opens) / service.step);
  const span = Math.min(Math.max(1, Math.ceil((end - start) / service.step)),
    service.slots.length - from);
  const times = `${hhmm(start)}–${hhmm(end)}`;
  const label = `${booking.reference}: ${guestName(booking)}, party of ${booking.party_size}, `
    + `${times}, ${booking.status.replace("_", " ")}`;
  return booking.resources.map((resource) => ({ resource, from, span, booking,
    text: guestName(booking), label, href: bookingHref(booking.reference) }));
}

function serviceFraction(venue, date, service) {
  if (localDate(venue.timezone) !== date) return null;
  const now = minuteOfDay(new Date(), venue.timezone);
  if (now < service.opens || now >= service.closes) return null;
  return (now - service.opens) / (service.closes - service.opens);
}

function moveSeating({ booking, from, to }, venue, date, problem, board) {
  const shift = Number(to.dataset.at) - Number(from.dataset.at);
  const body = {};
  if (shift) {
    body.local_start = `${date}T${hhmm(minuteOfDay(booking.starts_at, venue.timezone) + shift)}`;
  }
  if (to.dataset.resource !== from.dataset.resource) {
    const tables = booking.resources.map((r) => (r === from.dataset.resource
      ? to.dataset.resource : r));
    body.table_ids = tables.map((r) => Number(r.split(":")[1]));
  }
  const where = body.table_ids ? ` to ${rowTitle(board, to)}` : "";
  const when = shift ? ` at ${body.local_start.slice(11)}` : "";
  return sendMove(booking, body, `${where}${when}`, problem);
}

// Both -----------------------------------------------------------------------------------------

/** The title of the row a cell is in ("T5", "102"). */
function rowTitle(board, cell) {
  const head = [...board.querySelectorAll(".tl-row-head")].find((node) =>
    node.style.gridRow === cell.style.gridRow && node.parentNode === cell.parentNode);
  return head?.querySelector("strong")?.textContent ?? "";
}

/** Ask the engine to move; its reason for a "no" is shown above the grid as it gave it. */
async function sendMove(booking, body, change, problem) {
  replace(problem);
  if (!Object.keys(body).length) return;
  try {
    await api(`/bookings/${encodeURIComponent(booking.reference)}/move`,
      { method: "POST", body });
    replace(problem, h("p", { class: "success", id: "calendar-moved" },
      `Moved ${booking.reference}${change}.`));
  } catch (error) {
    replace(problem, h("p", { class: "error", role: "alert", id: "calendar-refused" },
      `${booking.reference} was not moved: ${error.message}`));
  }
  refresh?.();
}

/** Open the desk booking form prefilled with the cell's date, time or room type. */
function startBooking(prefill) {
  location.hash = `#/new/${encodeURIComponent(new URLSearchParams(prefill).toString())}`;
}
