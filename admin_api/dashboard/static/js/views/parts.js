// Pieces several views show: status badges, booking lines, live lines, debounced refresh.

import { api } from "../api.js";
import { errorBox, h, loading, replace } from "../dom.js";
import { clockSeconds, label, money, when } from "../format.js";
import { state } from "../state.js";

export function badge(status) {
  return h("span", { class: `badge badge-${status}` }, label(status));
}

export function bookingHref(reference) {
  return `#/bookings/${encodeURIComponent(reference)}`;
}

/** "arrived" once staff marked the guest in; "not arrived" once the grace ended without. */
function attendance(booking) {
  if (booking.status !== "confirmed") return null;
  if (booking.arrived_at) return h("span", { class: "badge badge-arrived" }, "arrived");
  if (booking.not_arrived_at) {
    return h("span", { class: "badge badge-not-arrived" }, "not arrived");
  }
  return null;
}

/** " in 2 rooms" for a stay of several rooms still booked, else nothing. */
function rooms(booking) {
  const live = (booking.rooms ?? []).filter((room) => !room.cancelled_at).length;
  return live > 1 ? ` in ${live} rooms` : "";
}

/** One booking as a list line: reference, guest, when, party, money, status, attendance;
 * ``controls(booking)`` adds buttons at its end. */
function bookingItem(booking, controls) {
  const venue = state.venues.find((v) => v.id === booking.venue_id);
  const guest = booking.guest.name ? `${booking.guest.name} · ${booking.guest.phone}`
    : booking.guest.phone;
  return h("li", { class: "booking-item", "data-reference": booking.reference },
    h("a", { href: bookingHref(booking.reference) }, h("strong", {}, booking.reference)),
    badge(booking.status), attendance(booking),
    h("span", {}, when(booking, venue?.timezone)),
    h("span", { class: "muted" }, `${guest} · party of ${booking.party_size}${rooms(booking)}`),
    h("span", {}, money(booking.amount, booking.currency)),
    controls ? controls(booking) : null);
}

export function bookingList(bookings, empty, controls = null) {
  if (!bookings.length) return h("p", { class: "muted" }, empty);
  return h("ul", { class: "items" }, bookings.map((b) => bookingItem(b, controls)));
}

/** One live event line, stamped on its venue's clock (the browser's zone may be another);
 * data attributes let tests and styles find it by booking and status. */
export function liveItem(event) {
  const venue = state.venues.find((v) => v.id === event.data.venue_id) || state.venue;
  const time = clockSeconds(event.at, venue?.timezone);
  return h("li", {
    class: `live-item live-${event.kind}`, "data-type": event.type,
    "data-reference": event.data.reference || null, "data-status": event.data.status || null,
  }, h("time", { datetime: event.at.toISOString() }, time), " ",
  event.href ? h("a", { href: event.href }, event.text) : event.text);
}

/** Disable a button while its request runs, and say so to screen readers. */
export function busy(button, on) {
  button.disabled = on;
  if (on) button.setAttribute("aria-busy", "true");
  else button.removeAttribute("aria-busy");
}

/** A small "add one" form: ``send`` gets the form's values; ``reload`` runs after it worked,
 * and the API's reason shows under the form when it did not. */
export function addForm(name, controls, send, reload) {
  const status = h("div", { role: "status" });
  const form = h("form", { class: "inline-form", "aria-label": name }, controls,
    h("button", { type: "submit" }, name), status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await send(Object.fromEntries(new FormData(form)));
      reload();
    } catch (error) {
      replace(status, errorBox(error));
    }
  });
  return form;
}

const BOOKINGS_PAGE = 500;
// A ceiling, so a filter that matches far too much cannot keep a page loading for ever.
const MAX_BOOKINGS = 20_000;

/** Every booking matching ``params``, page by page (the list answers at most 500 at once). */
export async function everyBooking(params) {
  const rows = [];
  for (let offset = 0; offset < MAX_BOOKINGS; offset += BOOKINGS_PAGE) {
    const page = await api("/bookings", { params: { ...params, limit: BOOKINGS_PAGE, offset } });
    rows.push(...page);
    if (page.length < BOOKINGS_PAGE) break;
  }
  return rows;
}

/** Run ``task`` once after a burst of calls settles (live events come in bursts). */
export function debounce(task, ms = 250) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(task, ms);
  };
}

/** T1, T2, … T10: tables in the order people count them, not the API's string order. */
export const byLabel = (a, b) => a.label.localeCompare(b.label, undefined, { numeric: true });

export function needVenue(container) {
  if (state.venue) return false;
  container.append(h("p", { class: "muted" }, "Add a venue to get started."));
  return true;
}

/** A page that is one list, reloaded whenever a booking changes live: ``render`` and
 *  ``onLive`` for the router, ``load(list)`` filling the list. */
export function bookingDrivenList({ title, intro, loadingText, load }) {
  let refresh = null;
  return {
    render(container) {
      const list = h("div", { class: "results" });
      container.append(h("h1", {}, title), h("p", { class: "muted" }, intro), list);
      refresh = debounce(() => load(list));
      loading(list, loadingText);
      load(list);
      return () => { refresh = null; };
    },
    onLive(event) {
      if (event.type.startsWith("booking.")) refresh?.();
    },
  };
}
