// A venue's inventory in settings: room types and rooms (hotels) or tables (restaurants).
// Owners add rooms and tables and take them out of service; a booked room or table is only
// deactivated, never deleted, so its history stays.

import { api } from "../api.js";
import { errorBox, field, h, loaded, loading, replace, table } from "../dom.js";
import { money } from "../format.js";
import { isOwner } from "../state.js";
import { addForm, byLabel } from "./parts.js";

export function inventorySection(venue) {
  const section = h("section", { class: "card", "aria-labelledby": "inventory-title" });
  const reload = () => load(section, venue, reload);
  loading(section, "Loading inventory…");
  reload();
  return section;
}

async function load(section, venue, reload) {
  try {
    loaded(section, venue.kind === "hotel" ? await rooms(venue, reload)
      : await tables(venue, reload));
  } catch (error) {
    loaded(section, errorBox(error));
  }
}

/** "Deactivate" / "Reactivate" for one room or table (owners only); errors show beside it. */
function activeToggle(path, item, name, reload) {
  if (!isOwner()) return item.active ? "yes" : "no";
  const status = h("span", { role: "status" });
  const verb = item.active ? "Deactivate" : "Reactivate";
  return [item.active ? "yes " : "no ", h("button", { type: "button", class: "ghost",
    "aria-label": `${verb} ${name}`, onclick: () => api(path, { method: "PATCH",
      body: { active: !item.active } }).then(reload, (error) => replace(status, errorBox(error))) },
  verb), status];
}

async function rooms(venue, reload) {
  const types = await api(`/venues/${venue.id}/room-types`);
  const all = types.flatMap((t) => t.rooms.map((r) => ({ ...r, type: t.name })))
    .sort((a, b) => a.number.localeCompare(b.number, undefined, { numeric: true }));
  return [h("h2", { id: "inventory-title" }, "Room types and rooms"),
    table("Room types", ["Type", "Guests", "Nightly rate", "Rooms"], types.map((t) => h("tr", {},
      h("td", {}, t.name), h("td", {}, String(t.capacity)),
      h("td", {}, money(t.nightly_rate, venue.currency)),
      h("td", {}, t.rooms.map((r) => r.number).join(", "))))),
    table("Rooms", ["Room", "Type", "Active"], all.map((r) => h("tr", { "data-room": r.number },
      h("td", {}, r.number), h("td", {}, r.type),
      h("td", {}, activeToggle(`/rooms/${r.id}`, r, `room ${r.number}`, reload))))),
    isOwner() ? addForm("Add a room", [
      field("Room number", h("input", { id: "room-number", name: "number", required: true,
        maxlength: 20 })),
      field("Room type", h("select", { id: "room-type", name: "room_type_id" },
        types.map((t) => h("option", { value: t.id }, t.name)))),
    ], ({ number, room_type_id: typeId }) => api(`/room-types/${typeId}/rooms`,
      { method: "POST", body: { number } }), reload) : null];
}

async function tables(venue, reload) {
  const rows = (await api(`/venues/${venue.id}/tables`)).sort(byLabel);
  return [h("h2", { id: "inventory-title" }, "Tables"),
    table("Tables", ["Table", "Seats", "Combines with", "Active"], rows.map((t) => h("tr",
      { "data-table": t.label },
      h("td", {}, t.label), h("td", {}, String(t.seats)), h("td", {}, t.combine_group || "—"),
      h("td", {}, activeToggle(`/tables/${t.id}`, t, `table ${t.label}`, reload))))),
    isOwner() ? addForm("Add a table", [
      field("Table label", h("input", { id: "table-label", name: "label", required: true,
        maxlength: 20 })),
      field("Seats", h("input", { id: "table-seats", name: "seats", type: "number", min: 1,
        max: 50, required: true })),
      field("Combines with (group)", h("input", { id: "table-group", name: "combine_group",
        maxlength: 20 })),
    ], (data) => api(`/venues/${venue.id}/tables`, { method: "POST", body: {
      label: data.label, seats: Number(data.seats), combine_group: data.combine_group || null,
    } }), reload) : null];
}
