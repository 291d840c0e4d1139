"""Reading the analytics charts in the browser: Chart.js draws on a canvas, so the tests ask the
chart itself what it shows (its series, its axis ticks, the tooltip under the pointer)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

CHART_OF = "name => Chart.getChart(document.querySelector(`figure[data-chart='${name}'] canvas`))"
READ = f"""name => {{
  const chart = ({CHART_OF})(name);
  return {{
    labels: chart.data.labels,
    series: chart.data.datasets.map((set) => ({{ label: set.label, values: set.data }})),
    ticks: chart.scales.y.ticks.map((tick) => tick.value),
    tickLabels: chart.scales.y.ticks.map((tick) => tick.label),
  }};
}}"""
POINT = f"""([name, index]) => {{
  const chart = ({CHART_OF})(name);
  const box = chart.canvas.getBoundingClientRect();
  const point = chart.getDatasetMeta(0).data[index];
  return {{ x: box.left + point.x, y: box.top + point.y }};
}}"""
TOOLTIP = f"""name => {{
  const tip = ({CHART_OF})(name).tooltip;
  return tip.opacity > 0 ? tip.body.flatMap((part) => part.lines) : [];
}}"""


def chart(page: Page, name: str) -> dict[str, Any]:
    """What the chart named ``name`` draws: labels, each series, its y ticks."""
    expect(page.locator(f"figure[data-chart='{name}'] canvas")).to_be_attached()
    found: dict[str, Any] = page.evaluate(READ, name)
    return found


def hover(page: Page, name: str, index: int) -> list[str]:
    """Put the pointer on the ``index``-th value of the chart; the tooltip's lines."""
    page.locator(f"figure[data-chart='{name}']").scroll_into_view_if_needed()
    at = page.evaluate(POINT, [name, index])
    page.mouse.move(at["x"], at["y"] - 1)
    page.wait_for_function(f"name => ({TOOLTIP})(name).length > 0", arg=name)
    lines: list[str] = page.evaluate(TOOLTIP, name)
    return lines
