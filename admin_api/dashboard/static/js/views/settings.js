// Venue settings: the venue's fields, cancellation policy and reminders (owners edit), its
// opening hours, its answers to guest questions (answers.js), its rooms or tables
// (inventory.js) and its calendar feed (feed.js).

import { api } from "../api.js";
import { append, errorBox, field, h, loaded, loading, replace, table } from "../dom.js";
import { isOwner, state, updateVenue } from "../state.js";
import { toast } from "../toast.js";
import { answersSection } from "./answers.js";
import { feedSection } from "./feed.js";
import { inventorySection } from "./inventory.js";
import { recommendationsSection } from "./recommendations.js";
import { addForm, needVenue } from "./parts.js";

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
// [field, label, input type ("money": minor units shown as major; "checkbox": on or off),
// venue kinds it applies to]
const FIELDS = [
  ["name", "Name", "text", ["hotel", "restaurant"]],
  ["timezone", "Time zone", "text", ["hotel", "restaurant"]],
  ["currency", "Currency", "text", ["hotel", "restaurant"]],
  ["hold_minutes", "Hold lasts (minutes)", "number", ["hotel", "restaurant"]],
  ["check_in_time", "Check-in time", "time", ["hotel"]],
  ["check_out_time", "Check-out time", "time", ["hotel"]],
  ["slot_minutes", "Slot length (minutes)", "number", ["restaurant"]],
  ["turn_minutes", "Table turn (minutes)", "number", ["restaurant"]],
  ["large_party_size", "Large party from (guests)", "number", ["restaurant"]],
  ["large_party_turn_minutes", "Large party turn (minutes)", "number", ["restaurant"]],
  ["deposit_per_person", "Deposit per person", "money", ["restaurant"]],
  ["deposit_min_party", "Deposit from party size", "number", ["restaurant"]],
  ["staff_refund_limit", "Staff refund limit", "money", ["hotel", "restaurant"]],
  ["arrival_grace_minutes", "Not arrived after (minutes)", "number", ["restaurant"]],
  ["auto_no_show", "Automatic no-shows (guests not arrived in time)", "checkbox",
    ["hotel", "restaurant"]],
  ["no_show_deposit_after", "Deposit after this many no-shows (0: never)", "number",
    ["restaurant"]],
  ["address", "Address (in reminders)", "text", ["hotel", "restaurant"]],
  ["latitude", "Latitude (map link)", "decimal", ["hotel", "restaurant"]],
  ["longitude", "Longitude (map link)", "decimal", ["hotel", "restaurant"]],
  ["feedback_enabled", "Ask guests how the visit went", "checkbox", ["hotel", "restaurant"]],
  ["feedback_delay_minutes", "Ask after the visit ends (minutes)", "number",
    ["hotel", "restaurant"]],
];
// The reminders a venue sends before a visit, by kind (the API lists the venue's own).
const REMINDER_NAMES = { day_before: "Day-before reminder", same_day: "Same-day reminder" };

export function render(container) {
  if (needVenue(container)) return undefined;
  const venue = state.venue;
  append(container, [h("h1", {}, `Settings · ${venue.name}`), venueForm(venue),
    recommendationsSection(venue),
    venue.kind === "restaurant" ? hoursSection(venue) : null, answersSection(venue),
    inventorySection(venue),
    isOwner() ? feedSection(venue) : null]); // dom.append skips nulls (Element.append prints them)
  return undefined;
}

function input(venue, [name, , type]) {
  const value = venue[name];
  const attrs = { id: `venue-${name}`, name, disabled: !isOwner() };
  if (type === "money") {
    return h("input", { ...attrs, type: "number", min: 0, step: "0.01", value: value / 100 });
  }
  if (type === "checkbox") return h("input", { ...attrs, type, checked: value });
  if (type === "decimal") return h("input", { ...attrs, type: "number", step: "any", value });
  return h("input", { ...attrs, type, value, ...(type === "number" ? { min: 0 } : {}) });
}

function venueForm(venue) {
  const visible = FIELDS.filter(([, , , kinds]) => kinds.includes(venue.kind));
  const tiers = h("div", { class: "tiers" }, venue.cancellation_tiers.map(tierRow));
  const status = h("div", { role: "status" });
  const form = h("form", { class: "card settings", "aria-labelledby": "venue-title" },
    h("h2", { id: "venue-title" }, "Venue and policies"),
    h("div", { class: "grid-fields" }, visible.map((spec) => field(spec[1], input(venue, spec)))),
    h("fieldset", {}, h("legend", {}, "Cancellation refunds"), tiers,
      isOwner() ? h("button", { type: "button", onclick: () => tiers.append(tierRow(
        { hours_before: 0, refund_percent: 0 })) }, "Add a refund tier") : null),
    remindersFieldset(venue),
    status,
    isOwner() ? h("button", { type: "submit", class: "primary" }, "Save settings")
      : h("p", { class: "muted" }, "Only owners change settings."));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    saveVenue(form, venue, visible, status);
  });
  return form;
}

function remindersFieldset(venue) {
  const disabled = !isOwner();
  const rules = Object.entries(venue.reminders).map(([kind, rule]) => h("div",
    { class: "reminder-rule" },
    field(REMINDER_NAMES[kind] || kind, h("input", { id: `reminder-${kind}`, type: "checkbox",
      class: "reminder-on", "data-kind": kind, checked: rule.enabled, disabled })),
    field("Hours before", h("input", { id: `reminder-${kind}-hours`, type: "number", min: 1,
      max: 168, class: "reminder-hours", value: rule.hours_before, disabled }))));
  const time = (name, label) => field(label, h("input", { id: `quiet-${name}`,
    name: `quiet_${name}`, type: "time", value: venue.quiet_hours[name], disabled }));
  return h("fieldset", {}, h("legend", {}, "Reminders before a visit"), rules,
    h("div", { class: "grid-fields" }, time("start", "Quiet hours from"),
      time("end", "Quiet hours until"),
      field("WhatsApp reminder template", h("input", { id: "reminder-template",
        name: "reminder_template", type: "text", value: venue.reminder_template, disabled }))));
}

function reminderChanges(form) {
  const reminders = {};
  for (const box of form.querySelectorAll(".reminder-on")) {
    const hours = form.querySelector(`#reminder-${box.dataset.kind}-hours`);
    reminders[box.dataset.kind] = { enabled: box.checked, hours_before: Number(hours.value) };
  }
  return {
    reminders,
    quiet_hours: { start: form.elements.quiet_start.value, end: form.elements.quiet_end.value },
    reminder_template: form.elements.reminder_template.value,
  };
}

let tierCount = 0;

function tierRow(tier) {
  tierCount += 1;
  const hours = h("input", { id: `tier-hours-${tierCount}`, type: "number", min: 0,
    value: tier.hours_before, class: "tier-hours" });
  const percent = h("input", { id: `tier-percent-${tierCount}`, type: "number", min: 0,
    max: 100, value: tier.refund_percent, class: "tier-percent" });
  const row = h("div", { class: "tier" },
    field("Cancelled at least (hours before)", hours), field("Refund (%)", percent),
    h("button", { type: "button", class: "ghost", onclick: () => row.remove(),
      "aria-label": "Remove this tier" }, "Remove"));
  return row;
}

async function saveVenue(form, venue, visible, status) {
  const changes = {};
  for (const [name, , type] of visible) {
    const raw = form.elements[name].value;
    if (type === "checkbox") changes[name] = form.elements[name].checked;
    else if (type === "money") changes[name] = Math.round(Number(raw) * 100);
    else if (type === "number") changes[name] = Number(raw);
    else if (type === "decimal") changes[name] = raw === "" ? null : Number(raw);
    else changes[name] = raw;
  }
  Object.assign(changes, reminderChanges(form));
  changes.cancellation_tiers = [...form.querySelectorAll(".tier")].map((row) => ({
    hours_before: Number(row.querySelector(".tier-hours").value),
    refund_percent: Number(row.querySelector(".tier-percent").value),
  }));
  form.setAttribute("aria-busy", "true");
  try {
    updateVenue(await api(`/venues/${venue.id}`, { method: "PATCH", body: changes }));
    replace(status);
    toast("Settings saved.", { kind: "success" });
  } catch (error) {
    replace(status, errorBox(error));
  } finally {
    form.removeAttribute("aria-busy");
  }
}

function hoursSection(venue) {
  const section = h("section", { class: "card", "aria-labelledby": "hours-title" });
  const reload = () => loadHours(section, venue, reload);
  loading(section, "Loading opening hours…");
  reload();
  return section;
}

async function loadHours(section, venue, reload) {
  try {
    const hours = await api(`/venues/${venue.id}/opening-hours`);
    loaded(section, h("h2", { id: "hours-title" }, "Opening hours"),
      table("Opening hours", ["Day", "Opens", "Closes", ""], hours.map((w) => h("tr", {},
        h("td", {}, WEEKDAYS[w.weekday]), h("td", {}, w.opens), h("td", {}, w.closes),
        h("td", {}, isOwner() ? h("button", { type: "button", class: "ghost",
          "aria-label": `Remove ${WEEKDAYS[w.weekday]} ${w.opens}–${w.closes}`,
          onclick: () => api(`/opening-hours/${w.id}`, { method: "DELETE" }).then(reload) },
        "Remove") : null)))),
      isOwner() ? hoursForm(venue, reload) : null);
  } catch (error) {
    loaded(section, errorBox(error));
  }
}

function hoursForm(venue, reload) {
  return addForm("Add opening hours", [
    field("Day", h("select", { id: "hours-weekday", name: "weekday" },
      WEEKDAYS.map((name, i) => h("option", { value: i }, name)))),
    field("Opens", h("input", { id: "hours-opens", name: "opens", type: "time", required: true })),
    field("Closes", h("input", { id: "hours-closes", name: "closes", type: "time",
      required: true })),
  ], (data) => api(`/venues/${venue.id}/opening-hours`, { method: "POST",
    body: { ...data, weekday: Number(data.weekday) } }), reload);
}
