// Moving a booking from its page: other dates or another room (hotels), another time, party
// size or chosen tables (restaurants). The engine re-checks availability; its "no" is shown
// in the form. Only what the owner changed is sent: omitted fields stay as they are.

import { api } from "../api.js";
import { errorBox, field, h, replace } from "../dom.js";
import { clock, localDate } from "../format.js";
import { busy, byLabel } from "./parts.js";

/** Load the venue's rooms or tables, then open the move form under ``panel``. */
export async function openMove(panel, booking, venue, outcome, reload) {
  document.getElementById("move-form")?.remove();
  try {
    const fields = venue.kind === "hotel"
      ? stayFields(booking, await api(`/venues/${venue.id}/room-types`))
      : seatingFields(booking, venue, await api(`/venues/${venue.id}/tables`));
    panel.append(moveForm(booking, venue, fields, outcome, reload));
  } catch (error) {
    replace(outcome, errorBox(error));
  }
}

const input = (id, attrs) => h("input", { id, name: id, ...attrs });

function stayFields(booking, roomTypes) {
  const rooms = roomTypes.flatMap((t) => t.rooms.filter((r) => r.active)
    .map((r) => h("option", { value: r.id }, `${r.number} (${t.name})`)));
  return [
    field("New check-in", input("move-check-in", { type: "date", value: booking.check_in })),
    field("New check-out", input("move-check-out", { type: "date", value: booking.check_out })),
    field("Room", h("select", { id: "move-room", name: "move-room" },
      h("option", { value: "" }, "Any free room of the same type"), rooms)),
  ];
}

function seatingFields(booking, venue, tables) {
  const tz = venue.timezone;
  const choices = tables.filter((t) => t.active).sort(byLabel).map((t) => h("label",
    { class: "choice" }, h("input", { type: "checkbox", name: "move-table", value: t.id }),
    `${t.label} (${t.seats} seats)`));
  return [
    field("New date", input("move-day", { type: "date",
      value: localDate(tz, new Date(booking.starts_at)) })),
    field("New time", input("move-time", { type: "time", value: clock(booking.starts_at, tz),
      step: 60 * venue.slot_minutes })),
    field("Guests", input("move-party", { type: "number", min: 1, max: 50,
      value: booking.party_size })),
    h("fieldset", {}, h("legend", {}, "Tables (none chosen: any that fit)"), choices),
  ];
}

function moveForm(booking, venue, fields, outcome, reload) {
  const problem = h("div", { id: "move-problem" });
  const form = h("form", { id: "move-form", class: "cancel-form", "aria-label": "Move booking" },
    fields, problem,
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "primary", id: "move-confirm" }, "Move booking"),
      h("button", { type: "button", onclick: () => form.remove() }, "Keep as it is")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitMove(form, booking, changes(form, booking, venue), problem, outcome, reload);
  });
  return form;
}

/** The fields the owner changed, as the API names them. */
function changes(form, booking, venue) {
  const value = (id) => form.querySelector(`#${id}`).value;
  const body = {};
  if (venue.kind === "hotel") {
    if (value("move-check-in") !== booking.check_in) body.check_in = value("move-check-in");
    if (value("move-check-out") !== booking.check_out) body.check_out = value("move-check-out");
    if (value("move-room")) body.room_id = Number(value("move-room"));
    return body;
  }
  const tz = venue.timezone;
  const start = `${value("move-day")}T${value("move-time")}`;
  if (start !== `${localDate(tz, new Date(booking.starts_at))}T${clock(booking.starts_at, tz)}`) {
    body.local_start = start;
  }
  if (Number(value("move-party")) !== booking.party_size) {
    body.party_size = Number(value("move-party"));
  }
  const tables = [...form.querySelectorAll("input[name='move-table']:checked")];
  if (tables.length) body.table_ids = tables.map((t) => Number(t.value));
  return body;
}

async function submitMove(form, booking, body, problem, outcome, reload) {
  const button = form.querySelector("#move-confirm");
  busy(button, true);
  replace(problem);
  try {
    await api(`/bookings/${encodeURIComponent(booking.reference)}/move`,
      { method: "POST", body });
    form.remove();
    replace(outcome, h("p", { id: "move-result", class: "success" }, "Moved."));
    await reload();
  } catch (error) {
    replace(problem, errorBox(error));
    busy(button, false);
  }
}
