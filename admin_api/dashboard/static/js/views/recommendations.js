// Recommendations: the owner's on/off switch per kind (Settings) and what each kind brought
// (Analytics). The API is PATCH /venues/{id} {"recommendations": {...}} and the analytics
// report's "recommendations" rows.

import { api } from "../api.js";
import { errorBox, field, h, replace, table } from "../dom.js";
import { money } from "../format.js";
import { isOwner, updateVenue } from "../state.js";
import { toast } from "../toast.js";

// Names for the kinds the API lists; a kind without one here still gets its switch.
const KINDS = {
  usual: "The guest's usual (filled in for returning guests)",
  alternatives: "Alternatives ranked by what guests take",
  cross_sell: "The venue next door",
  upgrade: "Upgrades",
  sister_venue: "The sister hotel free for dates this one is full",
};

/** The switches: one checkbox per kind the venue has, saved on their own. */
export function recommendationsSection(venue) {
  const status = h("div", { role: "status" });
  const boxes = Object.entries(venue.recommendations).map(([kind, on]) => field(
    KINDS[kind] || kind, h("input", { id: `recommend-${kind}`, type: "checkbox",
      class: "recommend-on", "data-kind": kind, checked: on, disabled: !isOwner() })));
  const form = h("form", { class: "card settings", "aria-labelledby": "recommend-title" },
    h("h2", { id: "recommend-title" }, "Recommendations"),
    h("div", { class: "grid-fields" }, boxes), status,
    isOwner() ? h("button", { type: "submit" }, "Save recommendations") : null);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const recommendations = {};
    for (const box of form.querySelectorAll(".recommend-on")) {
      recommendations[box.dataset.kind] = box.checked;
    }
    try {
      updateVenue(await api(`/venues/${venue.id}`, { method: "PATCH", body: { recommendations } }));
      replace(status);
      toast("Recommendations saved.", { kind: "success" });
    } catch (error) {
      replace(status, errorBox(error));
    }
  });
  return form;
}

/** Offered, accepted and the revenue they brought, per kind, for the analytics range. */
export function recommendationsCard(rows) {
  const rate = (r) => (r == null ? "—" : `${Math.round(r * 100)}%`);
  return h("section", { class: "card", "aria-labelledby": "recommend-figures-title",
    id: "recommendations" },
  h("h2", { id: "recommend-figures-title" }, "Recommendations"),
  table("Recommendations", ["Kind", "Offered", "Accepted", "Rate", "Revenue"], rows.map((row) =>
    h("tr", { "data-kind": row.kind },
      h("td", {}, row.enabled ? row.kind : `${row.kind} (off)`), h("td", {}, String(row.offered)),
      h("td", {}, String(row.accepted)), h("td", {}, rate(row.acceptance_rate)),
      h("td", {}, money(row.revenue, row.currency))))));
}
