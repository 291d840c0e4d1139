// The venue's secret iCalendar address in settings (owners): shown for pasting into a
// calendar app, and replaceable when it leaks (the old address stops working at once).

import { api } from "../api.js";
import { errorBox, field, h, loaded, loading, replace } from "../dom.js";
import { toast } from "../toast.js";
import { busy } from "./parts.js";

export function feedSection(venue) {
  const section = h("section", { class: "card", "aria-labelledby": "feed-title" });
  loading(section, "Loading the calendar address…");
  api(`/venues/${venue.id}/calendar`)
    .then((feed) => show(section, venue, feed), (error) => loaded(section, errorBox(error)));
  return section;
}

function show(section, venue, feed) {
  const status = h("div", { role: "status" });
  const address = h("input", { id: "feed-url", readonly: true, value: feed.url });
  const rotate = h("button", { type: "button", class: "danger", onclick: async () => {
    busy(rotate, true);
    try {
      address.value = (await api(`/venues/${venue.id}/calendar/rotate`, { method: "POST" })).url;
      replace(status);
      toast("New calendar address: update it in your calendar app.", { kind: "success" });
    } catch (error) {
      replace(status, errorBox(error));
    } finally {
      busy(rotate, false);
    }
  } }, "Replace the address");
  loaded(section, h("h2", { id: "feed-title" }, "Calendar feed"),
    h("p", { class: "muted" }, "Add this address to Google Calendar, Outlook or Apple Calendar "
      + "to see confirmed bookings there. Anyone who has it can read them: if it leaks, "
      + "replace it; the old address stops working at once."),
    field("Calendar address (iCal)", address),
    h("div", { class: "actions" },
      h("button", { type: "button", onclick: () => copy(address) }, "Copy address"), rotate),
    status);
}

/** Copy to the clipboard where the browser allows it; otherwise select it for Ctrl+C. */
async function copy(address) {
  try {
    await navigator.clipboard.writeText(address.value);
    toast("Calendar address copied.", { kind: "success" });
  } catch {
    address.select();
  }
}
