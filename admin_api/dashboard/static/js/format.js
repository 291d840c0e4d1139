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

/** "HH:MM" of an ISO instant in ``timeZone``. */
export function clock(iso, timeZone) {
  return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone })
    .format(new Date(iso));
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
