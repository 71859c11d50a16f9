import { language } from "./i18n";

// Numbers are grouped the same way in both languages; dates follow the chosen language.
const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const money = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 });

export function formatInteger(value: number): string {
  return integer.format(value);
}

export function formatDecimal(value: number): string {
  return decimal.format(value);
}

/** USD: at least cents, and up to micro-dollars so that small per-call costs stay visible. */
export function formatCost(value: number): string {
  return (value < 0 ? "-$" : "$") + money.format(Math.abs(value));
}

export function formatPercent(ratio: number): string {
  return decimal.format(ratio * 100) + "%";
}

export function formatMs(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : integer.format(Math.round(value)) + " ms";
}

function locale(): string {
  return language() === "zh" ? "zh-CN" : "en-GB";
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString(locale(), {
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
  });
}

export function formatClock(date: Date): string {
  return date.toLocaleTimeString(locale(), { hour12: false });
}

/** Pretty-prints JSON text; text that is not JSON (a streamed reply, a truncated body) is shown as it is. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
