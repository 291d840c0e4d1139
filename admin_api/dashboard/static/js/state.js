// What every view shares: the business's venues, the one picked, the caller, the live events.

const VENUE_KEY = "bookline.venue";
const LIVE_LIMIT = 50;

export const state = {
  me: null,
  venues: [],
  venue: null,
  liveEvents: [],
};

/** Remember the venue list and pick the last chosen one (or the first). */
export function setVenues(venues) {
  state.venues = venues;
  const saved = Number(sessionStorage.getItem(VENUE_KEY));
  state.venue = venues.find((v) => v.id === saved) || venues[0] || null;
}

const venueListeners = [];

/** Call ``listener(venue)`` whenever the chosen venue changes (the picker follows it). */
export function onVenueChange(listener) {
  venueListeners.push(listener);
}

export function chooseVenue(id) {
  const before = state.venue;
  state.venue = state.venues.find((v) => v.id === Number(id)) || state.venue;
  sessionStorage.setItem(VENUE_KEY, String(state.venue?.id ?? ""));
  if (state.venue !== before) venueListeners.forEach((listener) => listener(state.venue));
}

/** Replace one venue after its settings were saved. */
export function updateVenue(venue) {
  state.venues = state.venues.map((v) => (v.id === venue.id ? venue : v));
  if (state.venue?.id === venue.id) state.venue = venue;
}

export function venueName(id) {
  return state.venues.find((v) => v.id === id)?.name ?? `Venue ${id}`;
}

export const isOwner = () => state.me?.role === "owner" || state.me?.role === "admin";

/** Keep the newest live events first, and only the last few. */
export function rememberLive(event) {
  state.liveEvents.unshift(event);
  state.liveEvents.length = Math.min(state.liveEvents.length, LIVE_LIMIT);
}
