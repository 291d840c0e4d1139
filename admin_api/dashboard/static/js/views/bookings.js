// Bookings: filters, search by reference or phone, and the matching list (newest first).

import { API, api } from "../api.js";
import { errorBox, field, h, loaded, loading } from "../dom.js";
import { label } from "../format.js";
import { tokens } from "../session.js";
import { state } from "../state.js";
import { bookingList, debounce } from "./parts.js";

const STATUSES = ["", "held", "pending_payment", "confirmed", "completed", "cancelled",
  "expired", "no_show"];
const CHANNELS = ["", "sms", "whatsapp", "dashboard", "phone", "walk_in"];

let refresh = null;

export function render(container) {
  const results = h("div", { class: "results" });
  const form = filterForm(() => load(form, results));
  container.append(h("h1", {}, "Bookings"), form, results);
  refresh = debounce(() => load(form, results));
  load(form, results);
  return () => { refresh = null; };
}

export function onLive(event) {
  if (event.type.startsWith("booking.") || event.type.startsWith("payment.")) refresh?.();
}

function select(id, options) {
  return h("select", { id, name: id },
    options.map((value) => h("option", { value }, value ? label(value) : "Any")));
}

function filterForm(onSubmit) {
  const form = h("form", { class: "filters", role: "search", "aria-label": "Filter bookings",
    onsubmit: (event) => { event.preventDefault(); onSubmit(); } },
  field("Search", h("input", { id: "q", name: "q", type: "search",
    placeholder: "Reference or phone" })),
  field("Status", select("status", STATUSES)),
  field("Channel", select("channel", CHANNELS)),
  field("Arriving from", h("input", { id: "start", name: "start", type: "date" })),
  field("Arriving until", h("input", { id: "end", name: "end", type: "date" })),
  h("div", { class: "actions" },
    h("button", { type: "submit", class: "primary" }, "Apply filters"),
    h("button", { type: "button", onclick: () => exportCsv(form) }, "Export CSV")));
  return form;
}

/** Bookings per request; a full page means there may be more, offered behind a button. */
const PAGE = 100;

function filters(form) {
  const values = Object.fromEntries(new FormData(form));
  return { ...values, venue_id: state.venue?.id };
}

async function load(form, results) {
  loading(results, "Loading bookings…");
  try {
    show(form, results, await page(form, 0));
  } catch (error) {
    loaded(results, errorBox(error));
  }
}

function page(form, offset) {
  return api("/bookings", { params: { ...filters(form), limit: PAGE, offset } });
}

/** The rows so far; when the last page was full, a button fetches the next one. */
function show(form, results, rows, lastPage = rows) {
  const more = lastPage.length === PAGE;
  const next = h("button", { type: "button", onclick: async () => {
    next.disabled = true;
    next.setAttribute("aria-busy", "true");
    next.textContent = "Loading…";
    try {
      const following = await page(form, rows.length);
      show(form, results, rows.concat(following), following);
    } catch (error) {
      results.append(errorBox(error));
    }
  } }, "Show more bookings");
  const count = `${rows.length}${more ? "+" : ""} bookings`;
  loaded(results, h("p", { class: "muted" }, count), bookingList(rows, "No bookings match."),
    more ? next : null);
}

/** The CSV needs the bearer token, so it is fetched and handed to the browser as a file. */
async function exportCsv(form) {
  const query = new URLSearchParams(Object.entries(filters(form)).filter(([, v]) => v));
  const response = await fetch(`${API}/bookings/export.csv?${query}`, {
    headers: { Authorization: `Bearer ${tokens()?.access_token}` },
  });
  if (!response.ok) return;
  const link = h("a", { href: URL.createObjectURL(await response.blob()),
    download: "bookings.csv" });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000); // after the browser took the file
}
