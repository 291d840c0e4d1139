// Rooms and tables by name: a booking holds resources ("room:3", "table:7"); people know them
// as "Room 102" and "T7". One booking may hold several (tables put together, rooms of a group).

import { api } from "../api.js";

/** resource → its name, for every room or table of the venue. */
export async function placeNames(venue) {
  if (venue.kind === "hotel") {
    const types = await api(`/venues/${venue.id}/room-types`);
    return new Map(types.flatMap((type) => type.rooms.map((room) =>
      [`room:${room.id}`, `Room ${room.number}`])));
  }
  const tables = await api(`/venues/${venue.id}/tables`);
  return new Map(tables.map((table) => [`table:${table.id}`, table.label]));
}

/** "T7 + T8", "Room 102", or null while nothing is assigned. */
export function placesOf(booking, names) {
  const held = booking.resources.map((resource) => names.get(resource) ?? resource);
  return held.length ? held.join(" + ") : null;
}
