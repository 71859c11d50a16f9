import { get, query, type ApiKey, type TimeSeries } from "../api";
import { h } from "../dom";
import { formatCost } from "../format";
import { t } from "../i18n";

/** What each key spent in the current UTC day and month, by key id, as the invocation log counts it. */
export interface Spend {
  day: Map<string, number>;
  month: Map<string, number>;
}

/** Budgets run per UTC day or month: one time-series request for each, grouped by key. */
export async function budgetSpend(): Promise<Spend> {
  const now = new Date();
  const [day, month] = await Promise.all([
    spentSince("day", Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())),
    spentSince("month", Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
  ]);
  return { day, month };
}

async function spentSince(granularity: string, start: number): Promise<Map<string, number>> {
  const spent = new Map<string, number>();
  const series = await get<TimeSeries>("/monitor/time-series" + query({ granularity, group_by: "api_key", start: new Date(start).toISOString() }))
    .catch(() => null);
  for (const group of series?.buckets.flatMap((b) => b.groups) ?? []) {
    if (group.api_key_id) {
      spent.set(group.api_key_id, (spent.get(group.api_key_id) ?? 0) + group.cost);
    }
  }
  return spent;
}

/** A key's spend against its budget this period, with what is left and a bar; a dash without a budget. */
export function spentAgainst(key: ApiKey, spend: Spend): HTMLElement | string {
  if (!key.budget) {
    return "—";
  }
  const limit = key.budget.limit_usd;
  const spent = (key.budget.period === "day" ? spend.day : spend.month).get(key.id) ?? 0;
  const share = limit > 0 ? Math.min(1, spent / limit) : 1;
  return h("div", { class: "budget", "data-testid": "key-spend" },
    h("span", null, t(key.budget.period === "day" ? "keys.spentToday" : "keys.spentMonth",
      { spent: formatCost(spent), limit: formatCost(limit), left: formatCost(Math.max(0, limit - spent)) })),
    h("span", { class: share >= 1 ? "meter full" : share >= 0.8 ? "meter high" : "meter" },
      h("span", { style: `width: ${(share * 100).toFixed(1)}%` })));
}
