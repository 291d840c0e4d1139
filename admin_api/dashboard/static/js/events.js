// Live events as sentences and links. Every event the server publishes carries a one-line
// ``summary`` and the venue it concerns; the sentence is the server's, so it reads the same in
// every dashboard and needs no copy of the server's wording here.

import { label } from "./format.js";
import { venueName } from "./state.js";

const KINDS = {
  "booking.created": "success",
  "booking.changed": "info",
  "booking.arrived": "success",
  "booking.not_arrived": "warning",
  "booking.feedback": "info",
  "conversation.handoff": "warning",
  "conversation.question": "warning",
  "payment.failed": "error",
  "payment.flagged": "warning",
  "payment.refunded": "info",
};

/** {text, kind, href, quiet} for a toast and the live list; ``quiet`` events (a booking
 * touched without changing status, e.g. its hold stretched) are listed but not toasted. */
export function describeEvent({ type, data }) {
  const venue = data.venue_id ? ` · ${venueName(data.venue_id)}` : "";
  const text = data.summary || label(type);
  const quiet = type === "booking.changed" && data.from_status === data.status;
  return { text: `${text}${venue}`, kind: KINDS[type] || "info", href: link(data), quiet };
}

function link(data) {
  if (data.reference) return `#/bookings/${encodeURIComponent(data.reference)}`;
  if (data.guest_phone && data.channel) {
    return `#/inbox/${data.venue_id}/${data.channel}/${encodeURIComponent(data.guest_phone)}`;
  }
  return null;
}
