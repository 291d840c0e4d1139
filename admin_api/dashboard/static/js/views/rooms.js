// The rooms of a stay of several rooms on its booking page: each room's type, number, guests
// and share of the price, and a button to cancel one room on its own (the last one is
// cancelled with the booking). A stay of one room shows nothing here.

import { api } from "../api.js";
import { errorBox, h, replace, table } from "../dom.js";
import { money } from "../format.js";
import { toast } from "../toast.js";
import { busy } from "./parts.js";

const ACTIVE = ["held", "pending_payment", "confirmed"];

/** The rooms card, or null for a booking without rooms of its own. */
export async function roomsCard(booking, venue, outcome, reload) {
  if (!booking.rooms.length) return null;
  const types = await api(`/venues/${venue.id}/room-types`);
  const names = new Map(types.map((t) => [t.id, t.name]));
  const numbers = new Map(types.flatMap((t) => t.rooms.map((r) => [`room:${r.id}`, r.number])));
  const live = booking.rooms.filter((room) => !room.cancelled_at).length;
  const cancellable = ACTIVE.includes(booking.status) && live > 1;
  const rows = booking.rooms.map((room) => h("tr", { "data-room-id": room.id },
    h("td", {}, names.get(room.room_type_id) ?? ""),
    h("td", {}, numbers.get(room.resource) ?? room.resource),
    h("td", {}, String(room.guests)),
    h("td", {}, money(room.amount, booking.currency)),
    h("td", {}, room.cancelled_at ? "cancelled"
      : cancellable ? cancelButton(booking, room, outcome, reload) : "")));
  return h("section", { class: "card", id: "booking-rooms", "aria-labelledby": "rooms-title" },
    h("h2", { id: "rooms-title" }, `Rooms (${live} of ${booking.rooms.length} booked)`),
    table("Rooms of this booking", ["Room type", "Room", "Guests", "Price", ""], rows));
}

function cancelButton(booking, room, outcome, reload) {
  const path = `/bookings/${encodeURIComponent(booking.reference)}/rooms/${room.id}/cancel`;
  const button = h("button", { type: "button", class: "danger", onclick: async () => {
    busy(button, true);
    try {
      const result = await api(path, { method: "POST" });
      toast(`${booking.reference}: room cancelled, ${money(result.refund_amount,
        result.currency)} refunded`, { kind: "success" });
      await reload();
    } catch (error) {
      replace(outcome, errorBox(error));
      busy(button, false);
    }
  } }, "Cancel this room");
  return button;
}
