import { ApiError } from "../api";
import { h } from "../dom";
import { errorText } from "../errors";
import { t } from "../i18n";

/** The message shown where a part of a page could not load. */
export function failure(error: unknown): HTMLElement {
  let text: string;
  if (error instanceof ApiError && error.status === 401) {
    // The page's one sign-in prompt (main.ts) says it; each part of the page repeating it would bury it.
    return h("div", { hidden: true, "data-testid": "signed-out" });
  }
  if (error instanceof ApiError && error.status === 403) {
    text = t("common.forbidden");
  } else if (error instanceof ApiError && error.status === 404 && error.code === "not_found" && /Unknown route/.test(error.message)) {
    text = t("common.notAvailable");
  } else {
    text = t("common.error", { message: errorText(error) });
  }
  // The raw message stays at hand (hover) where a translation replaced it.
  return h("div", { class: "banner error", "data-testid": "error", title: error instanceof Error ? error.message : undefined }, text);
}

export function roleName(role: string | null): string {
  return role === "admin" ? t("role.admin") : role === "user" ? t("role.user") : role ?? "—";
}

export function loading(): HTMLElement {
  return h("p", { class: "muted" }, t("common.loading"));
}

export function statusBadge(status: string): HTMLElement {
  const key = `status.${status}` as "status.success";
  return h("span", { class: `badge ${status}`, "data-status": status }, t(key));
}

export function section(title: string, ...children: (Node | null)[]): HTMLElement {
  return h("section", { class: "panel" }, h("h2", null, title), children);
}

/** A copy-to-clipboard button; falls back to selecting the text where the clipboard API is refused. */
export function copyButton(text: () => string): HTMLButtonElement {
  const button = h("button", { class: "small", type: "button" }, t("common.copy"));
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text());
      button.textContent = t("common.copied");
    } catch {
      button.textContent = "—";
    }
  });
  return button;
}
