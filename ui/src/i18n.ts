import { en } from "./labels-en";
import { zh } from "./labels-zh";

/** The console's labels in English and Chinese; the choice is kept in localStorage. */
export type Key = keyof typeof en;

export type Language = "en" | "zh";

const storageKey = "llm-router.lang";
let current: Language = initial();

function initial(): Language {
  const stored = localStorage.getItem(storageKey);
  if (stored === "en" || stored === "zh") {
    return stored;
  }
  return navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en";
}

export function language(): Language {
  return current;
}

export function setLanguage(value: Language): void {
  current = value;
  localStorage.setItem(storageKey, value);
  document.documentElement.lang = value === "zh" ? "zh-CN" : "en";
}

/** The label for <paramref name="key"/>, with {name} placeholders filled from <paramref name="vars"/>. */
export function t(key: Key, vars?: Record<string, string | number>): string {
  const text = (current === "zh" ? zh : en)[key];
  return vars ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`)) : text;
}
