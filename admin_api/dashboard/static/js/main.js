// The app shell: login, venue picker, navigation, hash routing and the live feed.

import { api, login, logout } from "./api.js";
import { h, replace } from "./dom.js";
import { describeEvent } from "./events.js";
import { startLive } from "./live.js";
import { onSessionEnd, tokens } from "./session.js";
import { zoneName } from "./format.js";
import { chooseVenue, onVenueChange, rememberLive, setVenues, state } from "./state.js";
import { toast } from "./toast.js";
import { debounce } from "./views/parts.js";
import * as analytics from "./views/analytics.js";
import * as booking from "./views/booking.js";
import * as bookings from "./views/bookings.js";
import * as calendar from "./views/calendar.js";
import * as inbox from "./views/inbox.js";
import * as newBooking from "./views/newbooking.js";
import * as payments from "./views/payments.js";
import * as reviews from "./views/reviews.js";
import * as settings from "./views/settings.js";
import * as today from "./views/today.js";
import * as trybot from "./views/trybot.js";

// "#/bookings/BK-1" → view "bookings" with params ["BK-1"]; a detail page has its own module.
const VIEWS = { today, calendar, bookings, new: newBooking, reviews, payments, analytics,
  settings, try: trybot, inbox };
const DETAIL_VIEWS = { bookings: booking };

let current = null;
let stopLive = null;

const $ = (id) => document.getElementById(id);

function showLogin() {
  stopLive?.();
  stopLive = null;
  $("shell").hidden = true;
  $("login").hidden = false;
  $("login-email").focus();
}

async function onLogin(event) {
  event.preventDefault();
  const button = $("login-submit");
  const error = $("login-error");
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  error.hidden = true;
  try {
    await login($("login-email").value.trim(), $("login-password").value);
    $("login-password").value = "";
    await boot();
  } catch (failure) {
    error.textContent = failure.message;
    error.hidden = false;
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

/** Load who is logged in and their venues, then show the shell and connect the live feed. */
async function boot() {
  const [me, venues] = await Promise.all([api("/auth/me"), api("/venues")]);
  state.me = me;
  setVenues(venues);
  fillVenuePicker();
  $("login").hidden = true;
  $("shell").hidden = false;
  stopLive = startLive({ onEvent: onLiveEvent, onState: showLiveState });
  countWaiting();
  if (!location.hash) location.hash = "#/today";
  route();
}

function fillVenuePicker() {
  const select = $("venue-select");
  replace(select, state.venues.map((v) =>
    h("option", { value: v.id, selected: v.id === state.venue?.id }, v.name)));
  showVenue(state.venue);
}

/** The picker and the zone line follow the chosen venue, whoever chose it (a booking of
 * another venue opened from a link chooses that venue). */
function showVenue(venue) {
  $("venue-select").value = String(venue?.id ?? "");
  $("venue-zone").textContent = venue ? `Times in ${zoneName(venue.timezone)}` : "";
}

function showLiveState(liveState) {
  document.body.dataset.liveState = liveState;
  const words = { connected: "live", connecting: "connecting…", disconnected: "reconnecting…" };
  $("live-indicator").textContent = words[liveState] || "offline";
  $("live-indicator").dataset.state = liveState;
}

function onLiveEvent(event) {
  if (event.type === "ready") return;
  const described = { ...describeEvent(event), type: event.type, data: event.data,
    at: new Date() };
  rememberLive(described);
  if (event.type.startsWith("conversation.")) countWaitingSoon();
  if (!described.quiet) toast(described.text, { kind: described.kind, href: described.href });
  current?.module.onLive?.(event, described);
}

/** The Inbox link says how many guests (at every venue) wait for a person. */
async function countWaiting() {
  try {
    const { waiting } = await api("/conversations/inbox", { params: { waiting: true, limit: 1 } });
    const badge = $("inbox-waiting");
    badge.textContent = String(waiting);
    badge.hidden = waiting === 0;
    $("nav-inbox").setAttribute("aria-label", waiting ? `Inbox, ${waiting} waiting` : "Inbox");
  } catch {
    // the count is a hint: the inbox itself shows the error
  }
}

const countWaitingSoon = debounce(countWaiting);

/** Render the view named by the hash; each view gets a fresh container. */
function route() {
  if ($("shell").hidden) return;
  const [name = "today", ...params] = location.hash.replace(/^#\/?/, "").split("/")
    .map(decodeURIComponent);
  const module = (params.length && DETAIL_VIEWS[name]) || VIEWS[name] || today;
  current?.cleanup?.();
  const container = h("div", { class: "view-body" });
  replace($("view"), container);
  current = { module, cleanup: module.render(container, params) };
  markNav(name);
  closeNav();
}

function markNav(name) {
  for (const link of document.querySelectorAll("#nav a")) {
    if (link.dataset.view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

function toggleNav() {
  const open = $("nav-toggle").getAttribute("aria-expanded") !== "true";
  $("nav-toggle").setAttribute("aria-expanded", String(open));
  $("nav").classList.toggle("open", open);
}

function closeNav() {
  $("nav-toggle").setAttribute("aria-expanded", "false");
  $("nav").classList.remove("open");
}

function start() {
  $("login-form").addEventListener("submit", onLogin);
  $("logout").addEventListener("click", () => logout());
  $("nav-toggle").addEventListener("click", toggleNav);
  $("nav").addEventListener("click", closeNav); // also when the link is the current view
  $("venue-select").addEventListener("change", (event) => {
    chooseVenue(event.target.value);
    route();
  });
  onVenueChange(showVenue);
  window.addEventListener("hashchange", route);
  onSessionEnd(showLogin);
  if (tokens()) boot().catch(showLogin);
  else showLogin();
}

start();
