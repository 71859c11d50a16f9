import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { TimeSeries, UsageGroup } from "./api";
import { h, stackable } from "./dom";
import { formatCost, formatInteger } from "./format";

export type Metric = "total_tokens" | "requests" | "cost";

const palette = ["#2563eb", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#64748b"];
const maxSeries = 8;
// A 390 px phone leaves about 330 px inside a panel: the chart must fit that.
const minChartWidth = 240;
const integerSteps = [1, 2, 5].flatMap((m) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9].map((p) => m * p)).sort((a, b) => a - b);

/** One line per group over every bucket of the range (empty buckets are zeros), in Unix seconds. */
export interface ChartData {
  times: number[];
  series: { label: string; values: number[] }[];
}

/** Bucket starts from the first bucket at or before start up to end, as the statistics store cuts them (UTC, weeks from Monday). */
export function bucketStarts(granularity: string, start: Date, end: Date): number[] {
  const starts: number[] = [];
  const d = new Date(start.getTime());
  if (granularity === "hour") {
    d.setUTCMinutes(0, 0, 0);
  } else {
    d.setUTCHours(0, 0, 0, 0);
    if (granularity === "week") {
      d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
    } else if (granularity === "month") {
      d.setUTCDate(1);
    }
  }
  while (d.getTime() < end.getTime() && starts.length < 10_000) {
    starts.push(d.getTime() / 1000);
    if (granularity === "hour") {
      d.setUTCHours(d.getUTCHours() + 1);
    } else if (granularity === "day") {
      d.setUTCDate(d.getUTCDate() + 1);
    } else if (granularity === "week") {
      d.setUTCDate(d.getUTCDate() + 7);
    } else {
      d.setUTCMonth(d.getUTCMonth() + 1);
    }
  }
  return starts;
}

export function chartData(series: TimeSeries, metric: Metric, otherLabel: string): ChartData {
  const times = bucketStarts(series.granularity, new Date(series.start), new Date(series.end));
  const index = new Map(times.map((time, i) => [time, i]));
  const totals = new Map<string, number>();
  for (const bucket of series.buckets) {
    for (const group of bucket.groups) {
      const label = groupLabel(group);
      totals.set(label, (totals.get(label) ?? 0) + group[metric]);
    }
  }
  // The largest groups get their own line; the rest are summed into one.
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([label]) => label);
  const shown = ranked.length > maxSeries ? ranked.slice(0, maxSeries - 1) : ranked;
  const lines = new Map(shown.map((label) => [label, new Array<number>(times.length).fill(0)]));
  const other = new Array<number>(times.length).fill(0);
  for (const bucket of series.buckets) {
    const i = index.get(Date.parse(bucket.start) / 1000);
    if (i === undefined) {
      continue;
    }
    for (const group of bucket.groups) {
      const line = lines.get(groupLabel(group)) ?? other;
      line[i] += group[metric];
    }
  }
  const result = [...lines.entries()].map(([label, values]) => ({ label, values }));
  if (ranked.length > shown.length) {
    result.push({ label: otherLabel, values: other });
  }
  return { times, series: result };
}

function groupLabel(group: UsageGroup): string {
  return group.key ?? "—";
}

export function formatMetric(metric: Metric, value: number): string {
  return metric === "cost" ? formatCost(value) : formatInteger(value);
}

/**
 * Draws the data with uPlot into <paramref name="host"/>, the time axis ticked at bucket starts and labelled by
 * <paramref name="bucketLabel"/> (uPlot's own labels would be US-style and in the browser's zone); the returned
 * function removes it.
 */
export function drawChart(host: HTMLElement, data: ChartData, metric: Metric, timeLabel: string, bucketLabel: (seconds: number) => string): () => void {
  const width = Math.max(minChartWidth, host.clientWidth || 800);
  // As many ticks as fit, about one per 100 px, always on a bucket's start.
  const ticks = (u: uPlot) => {
    const step = Math.max(1, Math.ceil(data.times.length / Math.max(1, Math.floor(u.width / 100))));
    return data.times.filter((_, i) => i % step === 0);
  };
  const options: uPlot.Options = {
    width,
    height: 280,
    scales: { x: { time: true } },
    axes: [
      { stroke: "#475569", grid: { stroke: "#e2e8f0" }, splits: ticks, values: (_, splits) => splits.map(bucketLabel) },
      {
        stroke: "#475569", grid: { stroke: "#e2e8f0" }, size: 70,
        // Counts are whole numbers: keep ticks on integers rather than rounding 2.5 to "3".
        incrs: metric === "cost" ? undefined : integerSteps,
        values: (_, ticks) => ticks.map((v) => formatMetric(metric, v)),
      },
    ],
    series: [
      { label: timeLabel, value: (_: uPlot, v: number | null) => (v === null ? "—" : bucketLabel(v)) },
      ...data.series.map((s, i) => ({
        label: s.label,
        stroke: palette[i % palette.length],
        fill: palette[i % palette.length] + "22",
        width: 2,
        points: { show: data.times.length <= 60 },
        value: (_: uPlot, v: number | null) => (v === null ? "—" : formatMetric(metric, v)),
      })),
    ],
    legend: { live: true },
  };
  const plot = new uPlot(options, [data.times, ...data.series.map((s) => s.values)], host);
  const resize = new ResizeObserver(() => {
    const next = Math.max(minChartWidth, host.clientWidth);
    if (next !== plot.width) {
      plot.setSize({ width: next, height: 280 });
    }
  });
  resize.observe(host);
  return () => {
    resize.disconnect();
    plot.destroy();
  };
}

/** The same numbers as a table, for reading exact values (and for screen readers). */
export function dataTable(data: ChartData, metric: Metric, timeLabel: (seconds: number) => string): HTMLTableElement {
  const rows = data.times
    .map((time, i) => ({ time, values: data.series.map((s) => s.values[i]) }))
    .filter((row) => row.values.some((v) => v !== 0));
  return stackable(h("table", { class: "table compact", "data-testid": "chart-table" },
    h("thead", null, h("tr", null, h("th", null, ""), data.series.map((s) => h("th", { class: "num" }, s.label)))),
    h("tbody", null, rows.map((row) =>
      h("tr", null, h("td", null, timeLabel(row.time)), row.values.map((v) => h("td", { class: "num" }, formatMetric(metric, v)))))),
    h("tfoot", null, h("tr", null, h("td", null, "Σ"), data.series.map((s) =>
      h("td", { class: "num" }, formatMetric(metric, s.values.reduce((a, b) => a + b, 0))))))));
}
