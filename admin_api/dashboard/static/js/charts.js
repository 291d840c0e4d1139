// Small SVG charts (line and bar) with axes, tick labels and accessible titles.
// Drawn in a fixed viewBox and scaled by CSS, so they fit a phone as well as a desk.

const NS = "http://www.w3.org/2000/svg";
const WIDTH = 640;
const HEIGHT = 260;
// The left pad fits tick labels like "₹1,20,000" beside the rotated axis title.
const PAD = { top: 16, right: 16, bottom: 44, left: 92 };
const PLOT_WIDTH = WIDTH - PAD.left - PAD.right;
const PLOT_HEIGHT = HEIGHT - PAD.top - PAD.bottom;
const TICKS = 4;
const MAX_X_LABELS = 6;
const MAX_BAR_WIDTH = 64;

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

/** A rounded-up axis maximum so ticks land on readable numbers (whole ones for counts). */
function niceMax(values) {
  const counts = values.every(Number.isInteger);
  const max = Math.max(counts ? TICKS : 1, ...values);
  const step = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / step) * step;
}

let chartCount = 0;

function frame({ title, description, yLabel, max, format }) {
  chartCount += 1;
  const id = `chart-${chartCount}`;
  const chart = svg("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", class: "chart",
    preserveAspectRatio: "xMidYMid meet", "aria-labelledby": `${id}-t ${id}-d`,
  });
  chart.append(svg("title", { id: `${id}-t` }, title), svg("desc", { id: `${id}-d` }, description));
  for (let n = 0; n <= TICKS; n += 1) {
    const value = (max * n) / TICKS;
    const y = PAD.top + PLOT_HEIGHT - (PLOT_HEIGHT * n) / TICKS;
    chart.append(
      svg("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: y, y2: y, class: "grid" }),
      svg("text", { x: PAD.left - 6, y: y + 4, class: "tick", "text-anchor": "end" },
        format(value)));
  }
  chart.append(
    svg("line", { x1: PAD.left, x2: PAD.left, y1: PAD.top, y2: HEIGHT - PAD.bottom,
      class: "axis" }),
    svg("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: HEIGHT - PAD.bottom,
      y2: HEIGHT - PAD.bottom, class: "axis" }),
    svg("text", { x: 14, y: PAD.top + PLOT_HEIGHT / 2, class: "axis-label",
      transform: `rotate(-90 14 ${PAD.top + PLOT_HEIGHT / 2})`, "text-anchor": "middle" }, yLabel));
  return chart;
}

function xLabels(chart, labels, xOf) {
  // A week or a day's hours fit label by label; a range of dates is thinned to a few.
  const every = labels.length <= 12 ? 1 : Math.ceil(labels.length / MAX_X_LABELS);
  labels.forEach((text, i) => {
    if (i % every) return;
    chart.append(svg("text", { x: xOf(i), y: HEIGHT - PAD.bottom + 18, class: "tick",
      "text-anchor": "middle" }, text));
  });
}

function describe(labels, values, format) {
  return labels.map((text, i) => `${text}: ${format(values[i])}`).join(", ");
}

const plain = (value) => String(Math.round(value * 100) / 100);

/** The frame of a chart of ``values``, scaled to them; returns it and its axis maximum. */
function framed({ title, labels, values, yLabel, format }) {
  const max = niceMax(values);
  const description = describe(labels, values, format);
  return { chart: frame({ title, description, yLabel, max, format }), max };
}

/** A line chart of one series; each point carries its value for readers and tests. */
export function lineChart({ title, labels, values, yLabel, format = plain }) {
  const { chart, max } = framed({ title, labels, values, yLabel, format });
  const step = labels.length < 2 ? 0 : PLOT_WIDTH / (labels.length - 1);
  const xOf = (i) => (labels.length < 2 ? PAD.left + PLOT_WIDTH / 2 : PAD.left + step * i);
  const yOf = (v) => PAD.top + PLOT_HEIGHT - (PLOT_HEIGHT * v) / max;
  const points = values.map((v, i) => `${xOf(i)},${yOf(v)}`).join(" ");
  chart.append(svg("polyline", { points, class: "line" }));
  values.forEach((v, i) => {
    chart.append(svg("circle", { cx: xOf(i), cy: yOf(v), r: 3, class: "point", "data-value": v },
      svg("title", {}, `${labels[i]}: ${format(v)}`)));
  });
  xLabels(chart, labels, xOf);
  return chart;
}

/** A bar chart; each bar carries its value for readers and tests. */
export function barChart({ title, labels, values, yLabel, format = plain }) {
  const { chart, max } = framed({ title, labels, values, yLabel, format });
  const slot = PLOT_WIDTH / Math.max(1, labels.length);
  const xOf = (i) => PAD.left + slot * i + slot / 2;
  values.forEach((v, i) => {
    const height = (PLOT_HEIGHT * v) / max;
    const width = Math.min(slot * 0.7, MAX_BAR_WIDTH);
    chart.append(svg("rect", {
      x: xOf(i) - width / 2, y: PAD.top + PLOT_HEIGHT - height, width, height,
      class: "bar", "data-value": v,
    }, svg("title", {}, `${labels[i]}: ${format(v)}`)));
  });
  xLabels(chart, labels, xOf);
  return chart;
}
