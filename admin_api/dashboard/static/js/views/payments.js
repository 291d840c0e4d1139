// Money waiting for a decision: payment flags, the payment each concerns, and for owners a
// refund form (all or part, sent once per form) and a button to close the flag.

import { api } from "../api.js";
import { errorBox, facts, field, h, loaded, replace } from "../dom.js";
import { dateTime, label, money } from "../format.js";
import { isOwner, state, venueName } from "../state.js";
import { toast } from "../toast.js";
import { bookingDrivenList, bookingHref, busy } from "./parts.js";

const view = bookingDrivenList({
  title: "Payment flags",
  intro: "Payments that did not match what was due, and refunds that "
      + "failed. A flagged payment whose booking lapses is refunded in full automatically.",
  loadingText: "Loading payment flags…",
  load,
});
export const { render, onLive } = view;

async function load(list) {
  try {
    const flags = await api("/payments/flags");
    loaded(list, flags.length
      ? h("ul", { class: "items" }, flags.map((f) => flagItem(f, () => load(list))))
      : h("p", { class: "muted", id: "flags-empty" }, "No payment waits for a decision."));
  } catch (error) {
    loaded(list, errorBox(error));
  }
}

function flagItem(flag, reload) {
  const tz = state.venues.find((v) => v.id === flag.venue_id)?.timezone;
  const { payment } = flag;
  const problem = h("div", { role: "status" });
  return h("li", { class: "card review", "data-flag": flag.id },
    h("h2", {}, label(flag.kind), " · ",
      flag.booking_reference
        ? h("a", { href: bookingHref(flag.booking_reference) }, flag.booking_reference) : "—"),
    facts([
      ["Venue", venueName(flag.venue_id)],
      ["Flagged", dateTime(flag.created_at, tz)],
      ["Payment", payment ? `${money(payment.amount, payment.currency)} · `
        + `${payment.provider_payment_id}` : null],
      ["Booking", payment ? label(payment.booking_status) : null],
      ["Refundable", payment ? money(payment.refundable, payment.currency) : null],
    ]),
    problem,
    isOwner() && payment?.refundable ? refundForm(payment, problem, reload) : null,
    isOwner() ? h("button", { type: "button",
      onclick: (event) => resolve(event.currentTarget, flag, problem, reload) },
    `Close flag ${flag.id}`) : null);
}

/** One refund per form: its request id is made with the form, so a double click is one. */
function refundForm(payment, problem, reload) {
  const requestId = Array.from(crypto.getRandomValues(new Uint8Array(16)),
    (byte) => byte.toString(16).padStart(2, "0")).join("");
  const amount = h("input", { id: `refund-${payment.id}`, type: "number", min: "0.01",
    step: "0.01", max: String(payment.refundable / 100), value: String(payment.refundable / 100),
    inputmode: "decimal", required: true });
  const form = h("form", { class: "inline-form", "aria-label": `Refund payment ${payment.id}` },
    field(`Refund (${payment.currency})`, amount),
    h("button", { type: "submit", class: "danger" }, "Refund"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    busy(button, true);
    try {
      const body = { amount: Math.round(Number(amount.value) * 100), request_id: requestId };
      const made = await api(`/payments/${payment.id}/refunds`, { method: "POST", body });
      toast(`${money(made.amount, made.currency)} is on its way back.`, { kind: "success" });
      await reload();
    } catch (error) {
      replace(problem, errorBox(error));
      busy(button, false);
    }
  });
  return form;
}

async function resolve(button, flag, problem, reload) {
  busy(button, true);
  try {
    await api(`/payments/flags/${flag.id}/resolve`, { method: "POST", body: {} });
    toast(`Flag ${flag.id} closed.`, { kind: "success" });
    await reload();
  } catch (error) {
    replace(problem, errorBox(error));
    busy(button, false);
  }
}
