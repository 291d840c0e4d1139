// Analytics for the chosen venue and dates: trend, occupancy or covers, money, popular times,
// channels and the conversation-to-stay funnel, drawn as SVG charts.

import { api } from "../api.js";
import { errorBox, facts, field, h, loaded, loading } from "../dom.js";
import { addDays, dateRange, day, label, localDate, money } from "../format.js";
import { barChart, lineChart } from "../charts.js";
import { isOwner, state } from "../state.js";
import { needVenue } from "./parts.js";
import { recommendationsCard } from "./recommendations.js";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const DAYS_BACK = 30;
const DAYS_AHEAD = 30;

export function render(container) {
  if (needVenue(container)) return undefined;
  container.append(h("h1", {}, `Analytics · ${state.venue.name}`));
  if (!isOwner()) {
    container.append(h("p", { class: "muted" }, "Analytics are for owners."));
    return undefined;
  }
  const venue = state.venue;
  const today = localDate(venue.timezone);
  const start = h("input", { id: "analytics-start", name: "start", type: "date",
    value: addDays(today, -DAYS_BACK) });
  const end = h("input", { id: "analytics-end", name: "end", type: "date",
    value: addDays(today, DAYS_AHEAD) });
  const report = h("div", { class: "report" });
  const reload = () => load(report, venue, start.value, end.value);
  const form = h("form", { class: "filters", onsubmit: (e) => { e.preventDefault(); reload(); } },
    field("From", start), field("To", end),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Show")));
  container.append(form, report);
  reload();
  return undefined;
}

async function load(report, venue, start, end) {
  loading(report, "Loading analytics…");
  try {
    const [data, bookings] = await Promise.all([
      api(`/venues/${venue.id}/analytics`, { params: { start, end } }),
      api("/bookings", { params: { venue_id: venue.id, start, end, limit: 500 } }),
    ]);
    loaded(report, summary(data, venue), recommendationsCard(data.recommendations),
      charts(data, bookings, venue));
  } catch (error) {
    loaded(report, errorBox(error));
  }
}

function percent(rate) {
  return rate == null ? "—" : `${Math.round(rate * 100)}%`;
}

function summary(data, venue) {
  const f = data.funnel;
  const step = (n, of) => (of ? ` (${Math.round((100 * n) / of)}%)` : "");
  return h("div", { class: "cards" },
    h("section", { class: "card", "aria-labelledby": "money-title" },
      h("h2", { id: "money-title" }, "Revenue"), facts([
        ["Paid", money(data.revenue.paid, data.revenue.currency)],
        ["Refunded", money(data.revenue.refunded, data.revenue.currency)],
        ["Net", money(data.revenue.net, data.revenue.currency)]])),
    h("section", { class: "card", "aria-labelledby": "funnel-title", id: "funnel" },
      h("h2", { id: "funnel-title" }, "Funnel"), facts([
        ["Conversations", String(f.conversations)],
        ["Holds", `${f.holds}${step(f.holds, f.conversations)}`],
        ["Paid", `${f.paid}${step(f.paid, f.holds)}`],
        ["Completed", `${f.completed}${step(f.completed, f.paid)}`]])),
    h("section", { class: "card", "aria-labelledby": "rates-title" },
      h("h2", { id: "rates-title" }, "Rates"), facts([
        ["Cancelled", percent(data.cancellation_rate)],
        ["No-shows", percent(data.no_show_rate)],
        ["Lead time (median days)", data.lead_time.median_days ?? "—"],
        ["Bookings by status", Object.entries(data.by_status)
          .map(([s, n]) => `${label(s)} ${n}`).join(", ") || "—"]])),
    feedbackCard(data.feedback));
}

/** What guests said of the visits due in the range: the average score and how they spread. */
function feedbackCard(feedback) {
  const average = feedback.average_score;
  return h("section", { class: "card", "aria-labelledby": "feedback-title", id: "feedback" },
    h("h2", { id: "feedback-title" }, "Guest feedback"), facts([
      ["Average score", average == null ? "—" : `${average.toFixed(1)} / 5`],
      ["Rated", `${feedback.rated} of ${feedback.asked} asked`],
      ["Scores", [5, 4, 3, 2, 1].map((n) => `${n}★ ${feedback.by_score[n]}`).join(", ")]]));
}

/** A chart with its title shown above it (the SVG carries the same title for readers). */
function figure(name, draw, options) {
  return h("figure", { class: "card chart-card", "data-chart": name },
    h("figcaption", {}, options.title), draw(options));
}

function charts(data, bookings, venue) {
  const days = dateRange(data.start, Math.round((Date.parse(data.end) - Date.parse(data.start))
    / 86400000) + 1);
  const labels = days.map(day);
  const arrival = (b) => b.check_in || localDate(venue.timezone, new Date(b.starts_at));
  const perDay = (rows, value) => days.map((d) => rows.filter((b) => arrival(b) === d)
    .reduce((sum, b) => sum + value(b), 0));
  const live = bookings.filter((b) => b.status !== "expired");
  const currency = data.revenue.currency;
  return h("div", { class: "charts" },
    figure("trend", lineChart, { title: "Bookings by arrival date", labels, yLabel: "Bookings",
      values: perDay(live, () => 1) }),
    venue.kind === "hotel"
      ? figure("occupancy", lineChart, { title: "Occupancy by night", labels, yLabel: "Rooms sold",
        values: data.occupancy.map((n) => n.rooms_sold) })
      : figure("covers", lineChart, { title: "Covers by day", labels, yLabel: "Guests",
        values: data.covers.map((c) => c.covers) }),
    figure("revenue", barChart, { title: `Paid less refunds, by arrival date (${currency})`,
      labels: data.revenue_by_day.map((r) => day(r.day)), yLabel: currency,
      values: data.revenue_by_day.map((r) => (r.paid - r.refunded) / 100),
      format: (v) => money(v * 100, currency).replace(/\.00$/, "") }),
    figure("weekdays", barChart, { title: "Popular days (confirmed bookings)", labels: WEEKDAYS,
      yLabel: "Bookings", values: WEEKDAYS.map((_, i) => data.by_weekday[i] || 0) }),
    venue.kind === "restaurant" ? figure("hours", barChart, popularHours(data.by_hour)) : null,
    figure("channels", barChart, { title: "Bookings by channel",
      labels: Object.keys(data.by_channel).map(label), yLabel: "Bookings",
      values: Object.values(data.by_channel) }));
}

function popularHours(byHour) {
  const hours = Object.keys(byHour).map(Number).sort((a, b) => a - b);
  return { title: "Popular times (confirmed bookings)", yLabel: "Bookings",
    labels: hours.map((hr) => `${String(hr).padStart(2, "0")}:00`),
    values: hours.map((hr) => byHour[hr]) };
}
