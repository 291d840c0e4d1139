// Cancelling a booking from its page: the API quotes the policy refund (the engine's own
// rules, never re-derived here), the owner picks a refund, and the API's answer is shown.

import { api } from "../api.js";
import { errorBox, field, h, replace } from "../dom.js";
import { dateTime, money } from "../format.js";
import { isOwner } from "../state.js";
import { busy } from "./parts.js";

/** Ask the API what the policy refunds now, then open the cancel form under ``panel``. */
export async function openCancel(panel, booking, venue, outcome, reload) {
  document.getElementById("cancel-form")?.remove();
  try {
    const quote = await api(`/bookings/${encodeURIComponent(booking.reference)}/refund-quote`);
    panel.append(cancelForm(booking, quote, venue, outcome, reload));
  } catch (error) {
    replace(outcome, errorBox(error));
  }
}

/** Why the policy gives what it gives: the notice the guest gave and the venue's tiers. */
function policyReason(quote, venue) {
  const due = dateTime(quote.starts_at, venue?.timezone);
  const notice = quote.hours_before_start >= 0
    ? `${quote.hours_before_start} h before the guest is due (${due})`
    : `${-quote.hours_before_start} h after the guest was due (${due})`;
  const tiers = [...quote.tiers].sort((a, b) => b.hours_before - a.hours_before)
    .map((t) => `${t.hours_before} h or more: ${t.refund_percent}%`).join("; ");
  return `Cancelling now is ${notice}. Venue policy — ${tiers || "no refunds"}.`;
}

function cancelForm(booking, quote, venue, outcome, reload) {
  const { currency } = quote;
  const choice = (value, text) => h("label", { class: "choice" },
    h("input", { type: "radio", name: "refund", value, checked: value === "policy" }), text);
  const amountInput = h("input", { id: "refund-amount", type: "number", min: "0", step: "0.01",
    max: String(quote.amount_paid / 100), inputmode: "decimal" });
  const form = h("form", { id: "cancel-form", class: "cancel-form",
    "aria-label": "Cancel booking" },
  h("p", { id: "policy-refund" }, `Policy refund: ${money(quote.refund_amount, currency)} `,
    `(${quote.refund_percent}% of ${money(quote.policy_base, currency)} paid)`),
  h("p", { id: "policy-reason", class: "muted" }, policyReason(quote, venue)),
  isOwner() ? null : h("p", { class: "muted" },
    `You can refund up to ${money(quote.staff_refund_cap, currency)}.`),
  h("fieldset", {}, h("legend", {}, "Refund"),
    choice("policy", `Venue policy (${money(quote.refund_amount, currency)})`),
    choice("full", `Everything paid (${money(quote.amount_paid, currency)})`),
    choice("none", "No refund"),
    choice("amount", "A chosen amount")),
  field(`Chosen amount (${currency})`, amountInput),
  field("Reason", h("input", { id: "cancel-reason", maxlength: "500" })),
  h("div", { class: "actions" },
    h("button", { type: "submit", class: "danger", id: "cancel-confirm" }, "Confirm cancellation"),
    h("button", { type: "button", onclick: () => form.remove() }, "Keep booking")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitCancel(form, booking, outcome, reload);
  });
  return form;
}

async function submitCancel(form, booking, outcome, reload) {
  const data = new FormData(form);
  const body = { refund: data.get("refund"), reason: form.querySelector("#cancel-reason").value };
  if (body.refund === "amount") {
    body.refund_amount = Math.round(Number(form.querySelector("#refund-amount").value) * 100);
  }
  const button = form.querySelector("#cancel-confirm");
  busy(button, true);
  try {
    const result = await api(`/bookings/${encodeURIComponent(booking.reference)}/cancel`,
      { method: "POST", body });
    form.remove();
    replace(outcome, h("p", { id: "refund-result", class: "success" },
      `Cancelled. Refunded ${money(result.refund_amount, result.currency)} `,
      `(${result.refund_percent}%)`, result.refund_amount ? " — on its way to the guest." : "."));
    await reload();
  } catch (error) {
    replace(outcome, errorBox(error));
    busy(button, false);
  }
}
