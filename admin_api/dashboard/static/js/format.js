// Money is minor units + ISO currency; times are UTC from the API, shown in the venue's zone.

/** "₹16,500.00" from 1650000 paise. */
export function money(minor, currency) {
  const amount = (minor ?? 0) / 100;
  try {
    return new Intl.NumberFormat("en-IN", { style: "currency", currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/** "Thu 26 Nov, 20:00" in ``timeZone``. */
export function dateTime(iso, timeZone) {
  if (!iso) return "—";
  return new Intl.DateTimeFormat("en-GB", {
    weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
    timeZone,
  }).format(new Date(iso));
}

/** "HH:MM" of an instant (ISO text or a Date) in ``timeZone``. */
export function clock(iso, timeZone) {
  return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    timeZone }).format(new Date(iso));
}

/** "HH:MM:SS" of an instant in ``timeZone`` (the live list's stamp). */
export function clockSeconds(instant, timeZone) {
  return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit",
    second: "2-digit", hourCycle: "h23", timeZone }).format(new Date(instant));
}

/** Minutes after the venue's midnight at an instant ("20:30" there → 1230). */
export function minuteOfDay(iso, timeZone) {
  return minutes(clock(iso, timeZone));
}

/** 1230 from "20:30" (or "20:30:00"). */
export function minutes(text) {
  const [hours, mins] = text.split(":").map(Number);
  return hours * 60 + mins;
}

/** "20:30" from 1230 (past midnight wraps: 1470 → "00:30"). */
export function hhmm(total) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(Math.floor(total / 60) % 24)}:${pad(total % 60)}`;
}

/** "Asia/Kolkata (GMT+5:30)": a zone named for people, once per page. */
export function zoneName(timeZone) {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, timeZoneName: "shortOffset" })
    .formatToParts(new Date());
  const offset = parts.find((part) => part.type === "timeZoneName")?.value;
  return offset ? `${timeZone} (${offset})` : timeZone;
}

/** "Thu 24 Dec" from a "YYYY-MM-DD" calendar date (no zone: it is already local). */
export function day(isoDate) {
  if (!isoDate) return "—";
  const [y, m, d] = isoDate.split("-").map(Number);
  return new Intl.DateTimeFormat("en-GB", {
    weekday: "short", day: "numeric", month: "short", timeZone: "UTC",
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** The venue's local "YYYY-MM-DD" for an instant (default: now). */
export function localDate(timeZone, instant = new Date()) {
  return new Intl.DateTimeFormat("en-CA", {
    year: "numeric", month: "2-digit", day: "2-digit", timeZone,
  }).format(instant);
}

/** Whole days from one calendar date to another ("2026-12-01" → "2026-12-04": 3). */
export function daysBetween(from, to) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400000);
}

/** 0 = Monday, as the API counts weekdays, of a calendar date. */
export function weekday(isoDate) {
  return (new Date(`${isoDate}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** "YYYY-MM-DD" ``days`` after another calendar date. */
export function addDays(isoDate, days) {
  const [y, m, d] = isoDate.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Calendar dates from ``start`` for ``count`` days. */
export function dateRange(start, count) {
  return Array.from({ length: count }, (_, n) => addDays(start, n));
}

/** "pending_payment" → "pending payment". */
export function label(value) {
  return String(value ?? "").replaceAll("_", " ");
}

/** When a booking starts, readable: stay dates for hotels, a time for restaurants. */
export function when(booking, timeZone) {
  if (booking.check_in) return `${day(booking.check_in)} → ${day(booking.check_out)}`;
  return dateTime(booking.starts_at, timeZone);
}
