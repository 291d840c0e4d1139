// Building DOM without innerHTML: every string from the API lands as text, never as markup.

/** An element: h("button", {class: "primary", onclick: fn}, "Save"). */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) setAttribute(node, name, value);
  append(node, children);
  return node;
}

function setAttribute(node, name, value) {
  if (value === null || value === undefined || value === false) return;
  if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
  else if (name in node && typeof value !== "string") node[name] = value;
  else node.setAttribute(name, value === true ? "" : String(value));
}

/** Append children (strings become text nodes; nested arrays are flattened; nulls skipped). */
export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replace everything inside ``node``. */
export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

/** A placeholder shown while data loads; the container says it is busy for screen readers. */
export function loading(container, label = "Loading…") {
  container.setAttribute("aria-busy", "true");
  replace(container, h("div", { class: "skeleton", role: "progressbar", "aria-label": label },
    h("span", { class: "spinner", "aria-hidden": "true" }), label));
}

/** Mark a container as loaded and fill it. */
export function loaded(container, ...children) {
  container.removeAttribute("aria-busy");
  return replace(container, ...children);
}

/** An inline error message (the API's own sentence when it gave one). */
export function errorBox(error) {
  return h("p", { class: "error", role: "alert" }, error.message || String(error));
}

/** A labelled form field; ``input`` is any control, the label points at its id. */
export function field(labelText, input) {
  return h("div", { class: "field" }, h("label", { for: input.id }, labelText), input);
}

/** A small "key: value" definition list. */
export function facts(pairs) {
  return h("dl", { class: "facts" },
    pairs.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value ?? "—")]));
}

/** A table from column headers and rows of cells; its box scrolls sideways when the table is
 * wider, and can be focused so the keyboard scrolls it too. */
export function table(caption, headers, rows) {
  return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption },
    h("table", {},
      h("caption", { class: "visually-hidden" }, caption),
      h("thead", {}, h("tr", {}, headers.map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, rows)));
}
