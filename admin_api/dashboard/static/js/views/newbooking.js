// A booking taken at the desk (a phone call or a walk-in) for the chosen venue. The engine
// checks availability; when it says no, its reason is shown next to the form. Opened from an
// empty calendar cell, the form comes filled with that cell's date and time or room type
// ("#/new/date=2026-12-05&time=19:30", "#/new/check_in=2026-12-05&room_type=2").

import { api } from "../api.js";
import { errorBox, field, h, loaded, loading, replace } from "../dom.js";
import { addDays, localDate, money } from "../format.js";
import { state } from "../state.js";
import { toast } from "../toast.js";
import { bookingHref, busy, needVenue } from "./parts.js";

export function render(container, [prefill = ""]) {
  if (needVenue(container)) return undefined;
  const venue = state.venue;
  const body = h("div", {});
  container.append(h("h1", {}, `New booking · ${venue.name}`), body);
  loading(body, "Loading…");
  show(body, venue, new URLSearchParams(prefill));
  return undefined;
}

async function show(body, venue, prefill) {
  try {
    const where = venue.kind === "hotel"
      ? stayFields(venue, await api(`/venues/${venue.id}/room-types`), prefill)
      : seatingFields(venue, prefill);
    loaded(body, bookingForm(venue, where));
  } catch (error) {
    loaded(body, errorBox(error));
  }
}

const input = (id, attrs = {}) => h("input", { id, name: id, ...attrs });

function stayFields(venue, roomTypes, prefill) {
  const checkIn = prefill.get("check_in") || localDate(venue.timezone);
  const chosenType = Number(prefill.get("room_type"));
  return [
    field("Check-in", input("check_in", { type: "date", required: true, value: checkIn })),
    field("Check-out", input("check_out", { type: "date", required: true,
      value: addDays(checkIn, 1) })),
    field("Room type", h("select", { id: "room_type_id", name: "room_type_id" },
      roomTypes.map((t) => h("option", { value: t.id, selected: t.id === chosenType },
        `${t.name} (${t.capacity} guests, ${money(t.nightly_rate, venue.currency)} a night)`)))),
  ];
}

function seatingFields(venue, prefill) {
  return [
    field("Date", input("day", { type: "date", required: true,
      value: prefill.get("date") || localDate(venue.timezone) })),
    field("Time", input("time", { type: "time", required: true, step: 60 * venue.slot_minutes,
      value: prefill.get("time") || null })),
  ];
}

function bookingForm(venue, where) {
  const problem = h("div", { id: "new-booking-problem" });
  const form = h("form", { class: "card settings", "aria-label": "New booking" },
    h("div", { class: "grid-fields" },
      field("Booked by", h("select", { id: "channel", name: "channel" },
        h("option", { value: "phone" }, "Phone"), h("option", { value: "walk_in" }, "Walk-in"))),
      field("Guest phone", input("guest_phone", { type: "tel", required: true,
        autocomplete: "off" })),
      field("Guest name", input("guest_name", { maxlength: 120 })),
      field("Guests", input("party_size", { type: "number", min: 1, max: 50, value: 2,
        required: true })),
      where,
      field(`Paid now (${venue.currency})`, input("amount_paid", { type: "number", min: 0,
        step: "0.01", value: 0 }))),
    field("Notes", h("textarea", { id: "notes", name: "notes", maxlength: 2000, rows: 2 })),
    problem,
    h("button", { type: "submit", class: "primary", id: "new-booking-submit" }, "Book"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(form, venue, problem);
  });
  return form;
}

/** The request body from the form: money in minor units, a seating on the venue's clock. */
function request(form, venue) {
  const data = Object.fromEntries(new FormData(form));
  const body = { venue_id: venue.id, channel: data.channel, guest_phone: data.guest_phone.trim(),
    guest_name: data.guest_name.trim() || null, party_size: Number(data.party_size),
    amount_paid: Math.round(Number(data.amount_paid) * 100), notes: data.notes };
  if (venue.kind === "hotel") {
    return { ...body, check_in: data.check_in, check_out: data.check_out,
      room_type_id: Number(data.room_type_id) };
  }
  return { ...body, local_start: `${data.day}T${data.time}` };
}

async function submit(form, venue, problem) {
  const button = form.querySelector("#new-booking-submit");
  busy(button, true);
  replace(problem);
  try {
    const booking = await api("/bookings", { method: "POST", body: request(form, venue) });
    toast(`Booked: ${booking.reference}`, { kind: "success" });
    location.hash = bookingHref(booking.reference);
  } catch (error) {
    replace(problem, errorBox(error));
    busy(button, false);
  }
}
