import { ApiError } from "./api";
import { language, t, type Key } from "./i18n";
import { en } from "./labels-en";

/**
 * A server error as the console shows it. The router's own messages are English: in English they are shown as they
 * came; in Chinese the message for the error's code is shown instead, and an unknown code falls back to the raw message.
 */
export function errorText(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  if (language() === "en" || !(error instanceof ApiError) || !error.code) {
    return raw;
  }
  const code = error.code.startsWith("upstream_http_") ? "upstream_http" : error.code;
  const key = `error.${code}`;
  return key in en ? t(key as Key) : raw;
}
