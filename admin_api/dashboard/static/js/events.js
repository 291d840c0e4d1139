// Live events as sentences and links. The server's own ``summary`` is used when an event
// carries one; otherwise the sentence is built from the fields (every event names its venue).

import { label, money } from "./format.js";
import { venueName } from "./state.js";

const KINDS = {
  "booking.created": "success",
  "booking.changed": "info",
  "conversation.handed_off": "warning",
  "conversation.handoff": "warning", // the name the bot publishes for the same moment
  "payment.failed": "error",
  "payment.flagged": "warning",
  "payment.refunded": "info",
};

/** {text, kind, href, quiet} for a toast and the live list; ``quiet`` events (a booking
 * touched without changing status, e.g. its hold stretched) are listed but not toasted. */
export function describeEvent({ type, data }) {
  const venue = data.venue_id ? ` · ${venueName(data.venue_id)}` : "";
  const text = data.summary || sentence(type, data);
  const quiet = type === "booking.changed" && data.from_status === data.status;
  return { text: `${text}${venue}`, kind: KINDS[type] || "info", href: link(data), quiet };
}

function sentence(type, data) {
  const ref = data.reference || "A booking";
  const guest = data.guest_phone || data.phone || "A guest";
  switch (type) {
    case "booking.created":
      return `New booking ${ref} (${label(data.status)})`;
    case "booking.changed":
      if (data.from_status === data.status) return `${ref} updated (${label(data.status)})`;
      return `${ref}: ${label(data.from_status)} → ${label(data.status)}`;
    case "conversation.handed_off":
    case "conversation.handoff":
      return `${guest} asked for a person`;
    case "conversation.handed_back":
      return `${guest} is back with the bot`;
    case "conversation.staff_reply":
      return `Staff replied to ${guest}`;
    case "payment.refunded":
      return `Refund ${amount(data)}for ${ref}`;
    case "payment.failed":
      return `Payment failed for ${ref}`;
    default:
      return label(type);
  }
}

function amount(data) {
  return data.amount != null && data.currency ? `of ${money(data.amount, data.currency)} ` : "";
}

function link(data) {
  if (data.reference) return `#/bookings/${encodeURIComponent(data.reference)}`;
  if (data.guest_phone && data.channel) {
    return `#/inbox/${data.venue_id}/${data.channel}/${encodeURIComponent(data.guest_phone)}`;
  }
  return null;
}
