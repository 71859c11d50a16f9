import { get, query, type CostCurrent, type CostSummary, type InvocationList, type Statistics, type TimeSeries } from "../api";
import { chartData, dataTable, drawChart, type Metric } from "../chart";
import { h, replace } from "../dom";
import { formatClock, formatCost, formatCount, formatDate, formatHour, formatInteger, formatMonth, formatMs, formatPercent } from "../format";
import { t, type Key } from "../i18n";
import { failure, loading, section } from "./common";
import { invocationTable } from "./invocations";

const refreshMs = 10_000;
const granularities = ["hour", "day", "week", "month"] as const;
const groupings = ["model", "provider"] as const;
const metrics: { value: Metric; label: Key }[] = [
  { value: "total_tokens", label: "metric.tokens" },
  { value: "requests", label: "metric.requests" },
  { value: "cost", label: "metric.cost" },
];

// The chart's choices outlive a visit to another page.
const choice = { granularity: "day" as string, groupBy: "model" as string, metric: "total_tokens" as Metric };

/** Seed 000's activity overview: summary cards, the usage chart and the latest calls, refreshed every 10 s. */
export function renderOverview(main: HTMLElement): () => void {
  const cards = h("div", { class: "cards", "data-testid": "cards" }, loading());
  const chartHost = h("div", { class: "chart", "data-testid": "chart" });
  const details = h("details", { class: "chart-data", hidden: true });
  const recent = h("div", { "data-testid": "recent" }, loading());
  const updated = h("span", { class: "muted", "data-testid": "updated" });
  let removeChart: (() => void) | undefined;
  let generation = 0;

  const controls = h("div", { class: "controls" },
    select("granularity", t("overview.granularity"), granularities.map((g) => [g, t(`overview.${g}`)]), choice.granularity),
    select("group_by", t("overview.groupBy"), groupings.map((g) => [g, t(g === "model" ? "overview.byModel" : "overview.byProvider")]), choice.groupBy),
    select("metric", t("overview.metric"), metrics.map((m) => [m.value, t(m.label)]), choice.metric));
  controls.addEventListener("change", (event) => {
    const target = event.target as HTMLSelectElement;
    if (target.name === "granularity") choice.granularity = target.value;
    if (target.name === "group_by") choice.groupBy = target.value;
    if (target.name === "metric") choice.metric = target.value as Metric;
    void refresh();
  });

  replace(main,
    h("div", { class: "page-head" }, h("h1", null, t("overview.title")), h("span", { class: "muted" }, t("overview.autoRefresh"), " · ", updated)),
    cards,
    section(t("overview.chart"), controls, chartHost, h("p", { class: "muted" }, t("overview.utcBuckets")), details),
    h("section", { class: "panel" },
      h("div", { class: "panel-head" }, h("h2", null, t("overview.recent")), h("a", { href: "#/invocations" }, t("overview.viewAll"))),
      recent));

  async function refresh(): Promise<void> {
    const mine = ++generation;
    const [summary, current, stats, series, latest] = await Promise.allSettled([
      get<CostSummary>("/cost/summary?days=30"),
      get<CostCurrent>("/cost/current"),
      get<Statistics>("/monitor/statistics?time_range_hours=720&limit=1"),
      get<TimeSeries>("/monitor/time-series" + query({ granularity: choice.granularity, group_by: choice.groupBy })),
      get<InvocationList>("/monitor/invocations?limit=10"),
    ]);
    if (mine !== generation || !main.isConnected) {
      return;
    }
    if (summary.status === "fulfilled" && current.status === "fulfilled" && stats.status === "fulfilled") {
      replace(cards, summaryCards(summary.value, current.value, stats.value));
    } else {
      replace(cards, failure([summary, current, stats].find((r) => r.status === "rejected")!.reason));
    }
    if (series.status === "fulfilled") {
      const data = chartData(series.value, choice.metric, t("overview.other"));
      removeChart?.();
      removeChart = undefined;
      if (data.series.length === 0) {
        replace(chartHost, h("p", { class: "muted", "data-testid": "chart-empty" }, t("overview.noData")));
        replace(details);
        details.hidden = true;
      } else {
        replace(chartHost);
        removeChart = drawChart(chartHost, data, choice.metric, t("inv.time"), bucketLabel);
        const open = details.open;
        details.hidden = false;
        replace(details, h("summary", null, t("overview.showData")), dataTable(data, choice.metric, bucketLabel));
        details.open = open;
      }
    } else {
      replace(chartHost, failure(series.reason));
    }
    replace(recent, latest.status === "fulfilled" ? invocationTable(latest.value.items) : failure(latest.reason));
    updated.textContent = t("common.updated", { time: formatClock(new Date()) });
  }

  void refresh();
  const timer = window.setInterval(() => void refresh(), refreshMs);
  return () => {
    window.clearInterval(timer);
    removeChart?.();
    generation++;
  };
}

/** The node cuts buckets in UTC, so they are labelled in UTC whichever zone the rest of the console shows. */
function bucketLabel(seconds: number): string {
  const date = new Date(seconds * 1000);
  return choice.granularity === "hour" ? formatHour(date, "UTC")
    : choice.granularity === "month" ? formatMonth(date, "UTC")
    : formatDate(date, "UTC");
}

function select(name: string, label: string, options: [string, string][], value: string): HTMLElement {
  return h("label", null, label, " ",
    h("select", { name, "data-testid": `chart-${name}` }, options.map(([v, text]) => h("option", { value: v, selected: v === value }, text))));
}

function summaryCards(summary: CostSummary, current: CostCurrent, stats: Statistics): HTMLElement[] {
  const days = Math.max(1, summary.days);
  const calls = stats.total_requests > 0;
  return [
    card("spend", t("overview.spend"), formatCost(summary.total_cost), [
      [t("overview.dailyAvg"), formatCost(summary.average_daily_cost)],
      [t("overview.today"), formatCost(current.today.cost)],
      [t("overview.allTime"), formatCost(current.total.cost)],
    ]),
    card("tokens", t("overview.tokens"), formatInteger(summary.total_tokens), [
      [t("overview.dailyAvg"), formatCount(summary.total_tokens / days)],
      [t("overview.today"), formatInteger(current.today.total_tokens)],
      [t("overview.allTime"), formatInteger(current.total.total_tokens)],
    ]),
    card("requests", t("overview.requests"), formatInteger(summary.total_requests), [
      [t("overview.dailyAvg"), formatCount(summary.total_requests / days)],
      [t("overview.today"), formatInteger(current.today.requests)],
      [t("overview.allTime"), formatInteger(current.total.requests)],
    ]),
    // With no calls there is no error rate or latency to show, not 0 % and 0 ms.
    card("quality", t("overview.quality"), calls ? formatPercent(stats.error_rate) : "—", [
      [t("overview.avgLatency"), calls ? formatMs(stats.avg_latency_ms) : "—"],
      [t("overview.avgTtft"), calls ? formatMs(stats.avg_time_to_first_token_ms) : "—"],
      [t("overview.rejected"), formatInteger(stats.rejected_requests)],
    ], t("overview.errorRate")),
  ];
}

function card(id: string, title: string, value: string, lines: [string, string][], caption = t("overview.past30")): HTMLElement {
  return h("div", { class: "card", "data-testid": `card-${id}` },
    h("div", { class: "card-title" }, title),
    h("div", { class: "card-value", "data-testid": `card-${id}-value` }, value),
    h("div", { class: "card-caption" }, caption),
    h("dl", null, lines.map(([label, text]) => [h("dt", null, label), h("dd", null, text)])));
}
