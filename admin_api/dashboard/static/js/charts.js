// Charts drawn by Chart.js (vendored in static/vendor with its licence; loaded on first use, so
// pages without charts never fetch it): this period against the previous one, values on
// hover, whole-number ticks for counts. Each canvas is an image with a description of its
// figures for screen readers.

import { h } from "./dom.js";

const LIBRARY = "/dashboard/static/vendor/chart.umd.min.js";
const COLOURS = { current: "#0f6c5c", previous: "#9aa4b2" };

let loadingLibrary = null;

/** Chart.js, fetched once (a plain script of our own origin, as the page's policy allows). */
export function chartLibrary() {
  loadingLibrary ??= new Promise((resolve, reject) => {
    if (window.Chart) { resolve(window.Chart); return; }
    const script = h("script", { src: LIBRARY });
    script.addEventListener("load", () => resolve(window.Chart));
    script.addEventListener("error", () => reject(new Error("The charts could not be loaded.")));
    document.head.append(script);
  });
  return loadingLibrary;
}

/**
 * A figure comparing this period with the previous one.
 * @param {object} spec
 * @param {string} spec.name        data-chart of the figure (for styles and tests)
 * @param {"line"|"bar"} spec.type
 * @param {string} spec.title
 * @param {string[]} spec.labels    the x axis (this period's)
 * @param {number[]} spec.values    this period
 * @param {{labels: string[], values: number[]}|null} spec.previous  the one before, aligned
 * @param {string} spec.yLabel
 * @param {boolean} spec.counts     whole things (bookings, rooms): whole-number ticks
 * @param {(value: number) => string} [spec.format]
 */
export function comparisonChart(Chart, spec) {
  const format = spec.format ?? ((value) => String(value));
  const canvas = h("canvas", { role: "img", "aria-label": describe(spec, format) });
  const figure = h("figure", { class: "card chart-card", "data-chart": spec.name },
    h("figcaption", {}, spec.title), h("div", { class: "chart-box" }, canvas));
  new Chart(canvas, {
    type: spec.type,
    data: { labels: spec.labels, datasets: datasets(spec) },
    options: options(spec, format),
  });
  return figure;
}

function datasets(spec) {
  const line = spec.type === "line";
  const series = [{ label: "This period", data: spec.values, dates: spec.labels,
    borderColor: COLOURS.current, backgroundColor: line ? COLOURS.current : "#3b8f7f",
    pointRadius: line ? 2 : 0, borderWidth: line ? 2.5 : 0 }];
  if (spec.previous) {
    series.push({ label: "Previous period", data: spec.previous.values,
      dates: spec.previous.labels, borderColor: COLOURS.previous,
      backgroundColor: line ? COLOURS.previous : "#c9cfd8", borderDash: line ? [6, 4] : [],
      pointRadius: line ? 1.5 : 0, borderWidth: line ? 2 : 0 });
  }
  return series;
}

function options(spec, format) {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: "index", intersect: false },
    plugins: {
      legend: { display: Boolean(spec.previous), position: "bottom" },
      tooltip: { callbacks: {
        title: () => "",
        label: (item) => `${item.dataset.label}, ${item.dataset.dates?.[item.dataIndex] ?? ""}: `
          + format(item.parsed.y),
      } },
    },
    scales: {
      x: { ticks: { autoSkip: true, maxRotation: 0, maxTicksLimit: 8 }, grid: { display: false } },
      y: { beginAtZero: true, title: { display: true, text: spec.yLabel },
        ticks: { precision: spec.counts ? 0 : undefined, callback: (value) => format(value) } },
    },
  };
}

/** "Bookings by arrival date. This period: Thu 5 Nov 1, …. Previous period: total 12." */
function describe(spec, format) {
  const total = (values) => values.reduce((sum, v) => sum + v, 0);
  const points = spec.labels.map((text, i) => `${text} ${format(spec.values[i])}`).join(", ");
  const before = spec.previous ? ` Previous period: total ${format(total(spec.previous.values))}.`
    : "";
  return `${spec.title}. This period: total ${format(total(spec.values))}; ${points}.${before}`;
}
