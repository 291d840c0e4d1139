// Dragging a timeline block with the pointer (mouse, pen or finger): the block follows the
// pointer, the cell under it is marked, and on release ``drop(from, to)`` gets the empty
// cell that was under the pointer when the drag began and the one it was released over.
// A press that hardly moves stays a click (the block is a link to its booking).

const THRESHOLD_PX = 6;
// The click a browser sends after a drag's release comes at once.
const CLICK_AFTER_MS = 300;

let pressed = 0;

/** Whether a block is held right now (a redraw then would pull it from under the pointer). */
export const blockHeld = () => pressed > 0;

export function startDrag(event, block, drop) {
  if (event.button !== 0) return;
  pressed += 1;
  const origin = { x: event.clientX, y: event.clientY };
  const from = cellAt(origin.x, origin.y);
  let dragging = false;
  let target = null;

  const move = (e) => {
    const dx = e.clientX - origin.x;
    const dy = e.clientY - origin.y;
    if (!dragging && Math.hypot(dx, dy) < THRESHOLD_PX) return;
    dragging = true;
    block.classList.add("dragging");
    block.style.transform = `translate(${dx}px, ${dy}px)`;
    target?.classList.remove("drop-target");
    target = cellAt(e.clientX, e.clientY);
    target?.classList.add("drop-target");
  };
  let ended = false;
  const end = (e) => {
    if (ended) return;
    ended = true;
    pressed -= 1;
    for (const type of ["pointermove", "pointerup", "pointercancel", "lostpointercapture"]) {
      block.removeEventListener(type, type === "pointermove" ? move : end);
    }
    target?.classList.remove("drop-target");
    block.classList.remove("dragging");
    block.style.transform = "";
    if (!dragging) return;
    swallowClick(block);
    const to = e.type === "pointerup" ? cellAt(e.clientX, e.clientY) : null;
    if (from && to && to !== from) drop(from, to);
  };
  block.setPointerCapture?.(event.pointerId);
  block.addEventListener("pointermove", move);
  for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) {
    block.addEventListener(type, end);
  }
}

/** The timeline cell under a point, looking through every block above it. */
function cellAt(x, y) {
  return document.elementsFromPoint(x, y).find((node) => node.matches(".tl-cell")) ?? null;
}

/** The click that ends a drag must not follow the block's link (and a later one must). */
function swallowClick(block) {
  const stop = (e) => e.preventDefault();
  block.addEventListener("click", stop, { once: true, capture: true });
  setTimeout(() => block.removeEventListener("click", stop, { capture: true }), CLICK_AFTER_MS);
}
