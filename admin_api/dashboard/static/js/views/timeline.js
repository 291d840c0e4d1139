// One timeline: rows are rooms or tables, columns are nights or slots, and each booking is
// one block spanning its time, coloured by status. An empty cell starts a booking there; a
// block dragged to another cell asks to move there; a line marks now.
//
// Laid out as a CSS grid: row 1 holds the column heads, column 1 the row heads; blocks sit
// over the empty cells of their row (the cells stay underneath, so a drop always lands on
// one). Positions are set through the CSSOM, which the page's style policy allows.

import { h } from "../dom.js";
import { startDrag } from "./drag.js";

/**
 * @param {object} spec
 * @param {string} spec.title   what the grid shows ("Dinner 19:00–23:00"), for screen readers
 * @param {string} spec.corner  the row heads' heading ("Table", "Room")
 * @param {{at: string|number, text: string}[]} spec.columns
 * @param {{resource: string, title: string, detail: string}[]} spec.rows
 * @param {{resource: string, from: number, span: number, booking: object, text: string,
 *   label: string, href: string}[]} spec.blocks  ``from`` is a column index
 * @param {number|null} spec.now  where now falls, 0..1 across the columns (null: not shown)
 * @param {(row, column) => string} spec.cellLabel  the empty cell's accessible name
 * @param {(row, column) => void} spec.onCreate
 * @param {(move: {booking, from: HTMLElement, to: HTMLElement}) => void} spec.onDrop
 */
export function timeline(spec) {
  const grid = h("div", { class: "timeline", role: "group", "aria-label": spec.title });
  grid.style.gridTemplateColumns = `var(--row-head) repeat(${spec.columns.length}, `
    + "minmax(var(--cell), 1fr))";
  grid.append(place(h("div", { class: "tl-corner" }, spec.corner), 1, 1));
  spec.columns.forEach((column, index) => {
    grid.append(place(h("div", { class: "tl-head", "aria-hidden": "true" }, column.text),
      1, index + 2));
  });
  spec.rows.forEach((row, index) => {
    grid.append(place(h("div", { class: "tl-row-head" }, h("strong", {}, row.title), " ",
      h("small", { class: "muted" }, row.detail)), index + 2, 1));
    spec.columns.forEach((column, col) => grid.append(place(emptyCell(spec, row, column),
      index + 2, col + 2)));
  });
  const rowOf = new Map(spec.rows.map((row, index) => [row.resource, index]));
  for (const block of spec.blocks) {
    if (!rowOf.has(block.resource)) continue;
    grid.append(place(blockLink(block, spec.onDrop), rowOf.get(block.resource) + 2,
      block.from + 2, block.span));
  }
  if (spec.now !== null) grid.append(nowLine(spec.now, spec.rows.length));
  return h("div", { class: "timeline-wrap" }, grid);
}

function place(node, row, column, span = 1) {
  node.style.gridRow = String(row);
  node.style.gridColumn = `${column} / span ${span}`;
  return node;
}

function emptyCell(spec, row, column) {
  return h("button", { type: "button", class: "tl-cell", "data-resource": row.resource,
    "data-at": column.at, "aria-label": spec.cellLabel(row, column),
    onclick: () => spec.onCreate(row, column) });
}

function blockLink(block, onDrop) {
  const { booking } = block;
  const link = h("a", {
    class: `tl-block block-${booking.status}${booking.arrived_at ? " block-arrived" : ""}`,
    href: block.href, "aria-label": block.label, title: block.label,
    "data-reference": booking.reference, "data-resource": block.resource,
  }, h("span", { class: "tl-name" }, block.text),
  h("span", { class: "tl-party" }, `${booking.party_size}`));
  link.addEventListener("pointerdown", (event) => startDrag(event, link, (from, to) =>
    onDrop({ booking, from, to })));
  return link;
}

/** The "now" line: the row heads' width plus the fraction of the columns' width. */
function nowLine(fraction, rows) {
  const line = h("div", { class: "tl-now", role: "img", "aria-label": "Now" });
  line.style.left = `calc(var(--row-head) + (100% - var(--row-head)) * ${fraction})`;
  line.style.gridRow = `1 / span ${rows + 1}`;
  return line;
}
