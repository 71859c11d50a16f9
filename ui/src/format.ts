import { language } from "./i18n";

/**
 * One format for each kind of value, in the chosen language's conventions: dates with the month named (never the
 * ambiguous 07/12), 24-hour clocks, money to the cent (more digits only below a cent), counts as whole numbers.
 * Every time is shown in one zone, the user's choice, UTC unless they pick their own (the node cuts days in UTC).
 */
export type ZoneChoice = "utc" | "local";

const zoneKey = "llm-router.zone";

export function zoneChoice(): ZoneChoice {
  return localStorage.getItem(zoneKey) === "local" ? "local" : "utc";
}

export function setZoneChoice(value: ZoneChoice): void {
  localStorage.setItem(zoneKey, value);
}

/** The zone times are shown in: "UTC", or the browser's own (e.g. "Asia/Shanghai"). */
export function zoneName(): string {
  return zoneChoice() === "utc" ? "UTC" : Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function locale(): string {
  const browser = navigator.language;
  return language() === "zh" ? "zh-CN" : browser.toLowerCase().startsWith("en") ? browser : "en-US";
}

function dates(options: Intl.DateTimeFormatOptions, zone = zoneName()): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale(), { ...options, timeZone: zone });
}

export function formatInteger(value: number): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(value);
}

/** A count that may be an average: one decimal below ten (0.7 calls a day), whole above (105,158 tokens a day). */
export function formatCount(value: number): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: Math.abs(value) < 10 ? 1 : 0 }).format(value);
}

/** USD to the cent; an amount under a cent keeps two significant digits so that it does not read as free. */
export function formatCost(value: number): string {
  const abs = Math.abs(value);
  const digits: Intl.NumberFormatOptions = abs > 0 && abs < 0.01
    ? { maximumSignificantDigits: 2 }
    : { minimumFractionDigits: 2, maximumFractionDigits: 2 };
  return new Intl.NumberFormat(locale(), { style: "currency", currency: "USD", currencyDisplay: "narrowSymbol", ...digits }).format(value);
}

export function formatPercent(ratio: number): string {
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1 }).format(ratio);
}

export function formatMs(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : formatInteger(Math.round(value)) + " ms";
}

/** A moment: date and time to the second. */
export function formatTime(iso: string): string {
  return dates({ dateStyle: "medium", timeStyle: "medium", hourCycle: "h23" }).format(new Date(iso));
}

/** A day, in <paramref name="zone"/> (the chart's buckets are UTC days whatever the choice). */
export function formatDate(date: Date, zone?: string): string {
  return dates({ dateStyle: "medium" }, zone).format(date);
}

export function formatMonth(date: Date, zone?: string): string {
  return dates({ year: "numeric", month: "short" }, zone).format(date);
}

/** A day and an hour, for hourly buckets. */
export function formatHour(date: Date, zone?: string): string {
  return dates({ month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }, zone).format(date);
}

export function formatClock(date: Date): string {
  return dates({ timeStyle: "medium", hourCycle: "h23" }).format(date);
}

/** Pretty-prints JSON text; text that is not JSON (a streamed reply, a truncated body) is shown as it is. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A logged call's model as provider/model; a call refused before a model was resolved has no provider (or no model). */
export function formatModel(item: { provider: string; model: string }): string {
  return item.provider ? `${item.provider}/${item.model}` : item.model || "—";
}
