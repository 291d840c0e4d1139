// Analytics for the chosen venue and dates: trend, occupancy or covers, money, popular times,
// channels and the conversation-to-stay funnel; each chart sets the period against the one
// just before it, as long.

import { api } from "../api.js";
import { errorBox, facts, field, h, loaded, loading } from "../dom.js";
import { addDays, dateRange, day, daysBetween, label, localDate, money } from "../format.js";
import { chartLibrary, comparisonChart } from "../charts.js";
import { isOwner, state } from "../state.js";
import { everyBooking, needVenue } from "./parts.js";
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
    const before = previousPeriod(start, end);
    const [data, earlier, bookings, earlierBookings, Chart] = await Promise.all([
      api(`/venues/${venue.id}/analytics`, { params: { start, end } }),
      api(`/venues/${venue.id}/analytics`, { params: before }),
      everyBooking({ venue_id: venue.id, start, end }),
      everyBooking({ venue_id: venue.id, ...before }),
      chartLibrary(),
    ]);
    loaded(report, summary(data, venue), recommendationsCard(data.recommendations),
      charts(Chart, { data, bookings }, { data: earlier, bookings: earlierBookings }, venue));
  } catch (error) {
    loaded(report, errorBox(error));
  }
}

/** The as-long stretch of days just before ``start``. */
function previousPeriod(start, end) {
  const length = daysBetween(start, end) + 1;
  return { start: addDays(start, -length), end: addDays(start, -1) };
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

/** Each period's figures, by the metric each chart shows. */
function measures(period, venue) {
  const { data, bookings } = period;
  const days = dateRange(data.start, daysBetween(data.start, data.end) + 1);
  const arrival = (b) => b.check_in || localDate(venue.timezone, new Date(b.starts_at));
  const live = bookings.filter((b) => b.status !== "expired");
  const perDay = new Map(days.map((d) => [d, 0]));
  for (const b of live) if (perDay.has(arrival(b))) perDay.set(arrival(b), perDay.get(arrival(b)) + 1);
  return {
    labels: days.map(day),
    trend: [...perDay.values()],
    nights: venue.kind === "hotel" ? data.occupancy.map((n) => n.rooms_sold)
      : data.covers.map((c) => c.covers),
    revenue: data.revenue_by_day.map((r) => (r.paid - r.refunded) / 100),
    weekdays: WEEKDAYS.map((_, i) => data.by_weekday[i] || 0),
    hours: (hours) => hours.map((hr) => data.by_hour[hr] || 0),
    channels: (names) => names.map((name) => data.by_channel[name] || 0),
  };
}

function charts(Chart, current, previous, venue) {
  const now = measures(current, venue);
  const before = measures(previous, venue);
  const currency = current.data.revenue.currency;
  const both = (field) => [...new Set([...Object.keys(current.data[field]),
    ...Object.keys(previous.data[field])])];
  const channels = both("by_channel");
  const hours = both("by_hour").map(Number).sort((a, b) => a - b);
  const hourLabels = hours.map((hr) => `${String(hr).padStart(2, "0")}:00`);
  const draw = (spec, values, earlier, labels = now.labels, earlierLabels = before.labels) =>
    comparisonChart(Chart, { ...spec, labels, values,
      previous: { labels: earlierLabels, values: earlier } });
  const hotel = venue.kind === "hotel";
  return h("div", { class: "charts" },
    draw({ name: "trend", type: "line", title: "Bookings by arrival date", yLabel: "Bookings",
      counts: true }, now.trend, before.trend),
    draw({ name: hotel ? "occupancy" : "covers", type: "line", counts: true,
      title: hotel ? "Occupancy by night" : "Covers by day",
      yLabel: hotel ? "Rooms sold" : "Guests" }, now.nights, before.nights),
    draw({ name: "revenue", type: "bar", title: `Paid less refunds, by arrival date (${currency})`,
      yLabel: currency, counts: false,
      format: (v) => money(v * 100, currency).replace(/\.00$/, "") }, now.revenue, before.revenue),
    draw({ name: "weekdays", type: "bar", title: "Popular days (confirmed bookings)",
      yLabel: "Bookings", counts: true }, now.weekdays, before.weekdays, WEEKDAYS, WEEKDAYS),
    hotel ? null : draw({ name: "hours", type: "bar", title: "Popular times (confirmed bookings)",
      yLabel: "Bookings", counts: true }, now.hours(hours), before.hours(hours), hourLabels,
    hourLabels),
    draw({ name: "channels", type: "bar", title: "Bookings by channel", yLabel: "Bookings",
      counts: true }, now.channels(channels), before.channels(channels), channels.map(label),
    channels.map(label)));
}
