// Short notices in a corner: live events and confirmations; they leave by themselves.

import { h } from "./dom.js";

const SHOW_MS = 6000;
// A burst of events must not bury the page: older notices give way.
const MAX_SHOWN = 4;

/** Show ``text`` (``kind``: info | success | warning | error), optionally linking somewhere. */
export function toast(text, { kind = "info", href = null } = {}) {
  const region = document.getElementById("toasts");
  const body = href ? h("a", { href }, text) : text;
  const note = h("div", { class: `toast toast-${kind}` }, body,
    h("button", { type: "button", class: "toast-close", "aria-label": "Dismiss",
      onclick: () => note.remove() }, "×"));
  region.prepend(note);
  [...region.children].slice(MAX_SHOWN).forEach((old) => old.remove());
  setTimeout(() => note.remove(), SHOW_MS);
}
