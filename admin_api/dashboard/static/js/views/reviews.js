// Holds the abuse check sent to staff: who, when, the score and each feature's share of it,
// and an Approve button that sends the guest their payment link.

import { api } from "../api.js";
import { errorBox, facts, h, loaded, replace, table } from "../dom.js";
import { dateTime, label, money, when } from "../format.js";
import { state, venueName } from "../state.js";
import { toast } from "../toast.js";
import { bookingDrivenList, bookingHref, busy } from "./parts.js";

const view = bookingDrivenList({
  title: "Risk reviews",
  intro: "Holds that scored as unusual wait here until someone approves "
      + "them; the guest gets the payment link on approval. Unapproved holds simply expire.",
  loadingText: "Loading reviews…",
  load,
});
export const { render, onLive } = view;

async function load(list) {
  try {
    const [reviews, held] = await Promise.all([
      api("/risk/reviews"), api("/bookings", { params: { status: "held", limit: 500 } })]);
    const bookings = new Map(held.map((b) => [b.reference, b]));
    loaded(list, reviews.length
      ? h("ul", { class: "items" }, reviews.map((r) => reviewItem(r, bookings.get(r.reference),
        () => load(list))))
      : h("p", { class: "muted", id: "reviews-empty" }, "Nothing waiting for review."));
  } catch (error) {
    loaded(list, errorBox(error));
  }
}

function reviewItem(review, booking, reload) {
  const tz = state.venues.find((v) => v.id === review.venue_id)?.timezone;
  const problem = h("div", { role: "status" });
  return h("li", { class: "card review", "data-reference": review.reference },
    h("h2", {}, h("a", { href: bookingHref(review.reference) }, review.reference),
      ` · score ${review.score.toFixed(2)}`),
    facts([
      ["Venue", venueName(review.venue_id)],
      ["Guest", booking ? `${booking.guest.name || ""} ${booking.guest.phone}`.trim() : null],
      ["When", booking ? when(booking, tz) : null],
      ["Party", booking ? String(booking.party_size) : null],
      ["Amount", booking ? money(booking.amount, booking.currency) : null],
      ["Scored", `${dateTime(review.created_at, tz)} by ${review.method}`],
    ]),
    contributions(review),
    problem,
    h("button", { type: "button", class: "primary",
      onclick: (event) => approve(event.currentTarget, review, problem, reload) },
    `Approve ${review.reference}`));
}

/** Each feature's value and how much it pushed the score up (or down), largest first. */
function contributions(review) {
  const rows = Object.entries(review.contributions)
    .sort(([, a], [, b]) => Math.abs(b) - Math.abs(a))
    .map(([name, share]) => h("tr", { "data-feature": name },
      h("td", {}, label(name)), h("td", {}, String(review.features[name] ?? "—")),
      h("td", {}, `${share >= 0 ? "+" : ""}${share.toFixed(2)}`)));
  return table(`Why ${review.reference} scored ${review.score}`,
    ["Feature", "Value", "Contribution"], rows);
}

async function approve(button, review, problem, reload) {
  busy(button, true);
  try {
    await api(`/bookings/${encodeURIComponent(review.reference)}/approve`, { method: "POST" });
    toast(`${review.reference} approved: the payment link is on its way.`, { kind: "success" });
    await reload();
  } catch (error) {
    replace(problem, errorBox(error));
    busy(button, false);
  }
}
