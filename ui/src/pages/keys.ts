import { ApiError, get, request, whoAmI, type ApiKey, type CreatedApiKey } from "../api";
import { field, h, replace, stackable } from "../dom";
import { formatCost, formatInteger, formatTime } from "../format";
import { t } from "../i18n";
import { copyButton, failure, loading, section } from "./common";

/**
 * API keys (issue 5's /api-keys): create, disable or enable, delete. A new key's secret lives only in this page's
 * memory until the user dismisses it or leaves: it is never stored, and the node never shows it again. A user key is
 * told that managing keys takes an admin key, and shown no form it could not use.
 */
export function renderKeys(main: HTMLElement): void {
  replace(main, h("div", { class: "page-head" }, h("h1", null, t("keys.title"))), loading());
  void whoAmI().then((me) => {
    if (me && !me.is_admin) {
      replace(main, h("div", { class: "page-head" }, h("h1", null, t("keys.title"))),
        h("div", { class: "banner", "data-testid": "key-list" }, t("keys.adminOnly")));
    } else {
      manageKeys(main);
    }
  });
}

function manageKeys(main: HTMLElement): void {
  const list = h("div", { "data-testid": "key-list" }, loading());
  const secret = h("div", { "data-testid": "secret-slot" });
  const message = h("div");
  const form = createForm(async (body) => {
    try {
      const created = await request<CreatedApiKey>("POST", "/api-keys", body);
      replace(message);
      replace(secret, secretBox(created, () => replace(secret)));
      form.reset();
      await reload();
    } catch (error) {
      replace(message, failure(error));
    }
  });
  replace(main, h("div", { class: "page-head" }, h("h1", null, t("keys.title"))), secret,
    section(t("keys.create"), form, message), section(t("keys.title"), list));

  async function reload(): Promise<void> {
    try {
      const keys = await get<ApiKey[]>("/api-keys");
      replace(list, keys.length === 0 ? h("p", { class: "muted" }, t("keys.empty")) : keyTable(keys, act));
    } catch (error) {
      replace(list, error instanceof ApiError && error.status === 404 ? h("p", { class: "muted" }, t("keys.unavailable")) : failure(error));
    }
  }

  async function act(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
      replace(message);
    } catch (error) {
      replace(message, failure(error));
    }
    await reload();
  }

  void reload();
}

function createForm(submit: (body: Record<string, unknown>) => Promise<void>): HTMLFormElement {
  const form = h("form", { class: "form grid", "data-testid": "create-form" },
    labelled(t("keys.name"), h("input", { name: "name", required: true, maxlength: 100, "data-testid": "key-name" })),
    labelled(t("keys.role"), h("select", { name: "role", "data-testid": "key-role" },
      h("option", { value: "user" }, "user"), h("option", { value: "admin" }, "admin"))),
    labelled(t("keys.allowedModels"), h("input", { name: "allowed_models", placeholder: t("keys.listHint"), "data-testid": "key-models" })),
    labelled(t("keys.allowedProviders"), h("input", { name: "allowed_providers", placeholder: t("keys.listHint"), "data-testid": "key-providers" })),
    labelled(t("keys.maxTokens"), h("input", { name: "max_tokens", type: "number", min: 1, step: 1, "data-testid": "key-max-tokens" })),
    labelled(t("keys.temperature"), h("input", { name: "temperature", type: "number", min: 0, step: "any" })),
    labelled(t("keys.topP"), h("input", { name: "top_p", type: "number", min: 0, max: 1, step: "any" })),
    labelled(t("keys.rate"), h("input", { name: "rate", type: "number", min: 1, step: 1 })),
    labelled(t("keys.budget"), h("input", { name: "budget", type: "number", min: 0, step: "any" })),
    h("div", { class: "filter-actions" }, h("button", { type: "submit", "data-testid": "key-create" }, t("keys.createButton"))));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const list = (name: string) => {
      const items = field(form, name).split(",").map((s) => s.trim()).filter(Boolean);
      return items.length ? items : undefined;
    };
    const number = (name: string) => (field(form, name) === "" ? undefined : Number(field(form, name)));
    const limits = { max_tokens: number("max_tokens"), temperature: number("temperature"), top_p: number("top_p") };
    const body: Record<string, unknown> = {
      name: field(form, "name"),
      role: field(form, "role"),
      allowed_models: list("allowed_models"),
      allowed_providers: list("allowed_providers"),
      parameter_limits: Object.values(limits).some((v) => v !== undefined) ? limits : undefined,
      rate_limit: number("rate") !== undefined ? { max_requests: number("rate"), per_seconds: 60 } : undefined,
      budget: number("budget") !== undefined ? { limit_usd: number("budget"), period: "month" } : undefined,
    };
    void submit(JSON.parse(JSON.stringify(body)) as Record<string, unknown>);
  });
  return form;
}

function labelled(label: string, control: HTMLElement): HTMLElement {
  return h("label", null, label, control);
}

function secretBox(created: CreatedApiKey, dismiss: () => void): HTMLElement {
  let value: string | null = created.key;
  return h("div", { class: "secret", role: "alert", "data-testid": "secret-box" },
    h("strong", null, t("keys.secretTitle"), ` (${created.name})`),
    h("p", null, t("keys.secretOnce")),
    h("div", { class: "secret-row" },
      h("code", { "data-testid": "secret-value" }, created.key),
      copyButton(() => value ?? "")),
    h("button", { class: "secondary", type: "button", onclick: () => { value = null; dismiss(); } }, t("keys.dismiss")));
}

function keyTable(keys: ApiKey[], act: (action: () => Promise<unknown>) => Promise<void>): HTMLElement {
  return h("div", { class: "table-wrap" }, stackable(h("table", { class: "table", "data-testid": "key-table" },
    h("thead", null, h("tr", null,
      h("th", null, t("keys.name")), h("th", null, t("keys.id")), h("th", null, t("keys.role")), h("th", null, t("keys.active")),
      h("th", null, t("keys.allowedModels")), h("th", null, t("keys.limits")), h("th", null, t("keys.source")),
      h("th", null, t("keys.created")), h("th", null, t("keys.lastUsed")), h("th", null, t("keys.actions")))),
    h("tbody", null, keys.map((key) => {
      const fromConfig = key.source === "config";
      return h("tr", { "data-key": key.name, "data-id": key.id },
        h("td", null, key.name),
        h("td", { class: "mono" }, key.id),
        h("td", null, key.role),
        h("td", { "data-testid": "key-active" }, key.is_active ? "✓" : "✗"),
        h("td", null, [...(key.allowed_models ?? []), ...(key.allowed_providers ?? []).map((p) => `${p}/*`)].join(", ") || t("keys.anyModel")),
        h("td", null, limits(key)),
        h("td", null, fromConfig ? t("keys.fromConfig") : t("keys.fromStore")),
        h("td", { class: "nowrap" }, key.created_at ? formatTime(key.created_at) : "—"),
        h("td", { class: "nowrap" }, key.last_used_at ? formatTime(key.last_used_at) : "—"),
        h("td", null, fromConfig ? h("span", { class: "muted", title: t("keys.readOnly") }, "—") : h("div", { class: "actions" },
          h("button", {
            class: "small secondary", "data-testid": "key-toggle",
            onclick: () => void act(() => request("PATCH", `/api-keys/${encodeURIComponent(key.id)}`, { is_active: !key.is_active })),
          }, key.is_active ? t("keys.disable") : t("keys.enable")),
          deleteButton(() => act(() => request("DELETE", `/api-keys/${encodeURIComponent(key.id)}`))))));
    })))));
}

/** Deleting asks once more in place (no blocking browser dialog). */
function deleteButton(remove: () => Promise<void>): HTMLButtonElement {
  const button = h("button", { class: "small danger", "data-testid": "key-delete" }, t("keys.delete"));
  button.addEventListener("click", () => {
    if (button.dataset.armed) {
      void remove();
    } else {
      button.dataset.armed = "1";
      button.textContent = t("keys.confirmDelete");
    }
  });
  return button;
}

function limits(key: ApiKey): string {
  const parts: string[] = [];
  const p = key.parameter_limits;
  if (p?.max_tokens != null) parts.push(`max_tokens ≤ ${p.max_tokens}`);
  if (p?.temperature != null) parts.push(`temperature ≤ ${p.temperature}`);
  if (p?.top_p != null) parts.push(`top_p ≤ ${p.top_p}`);
  if (key.rate_limit?.max_requests != null) parts.push(t("limits.requests", { count: key.rate_limit.max_requests, seconds: key.rate_limit.per_seconds }));
  if (key.rate_limit?.tokens_per_minute != null) parts.push(t("limits.tokens", { count: formatInteger(key.rate_limit.tokens_per_minute) }));
  if (key.budget) parts.push(t("limits.budget", { amount: formatCost(key.budget.limit_usd), period: periodName(key.budget.period) }));
  return parts.join(", ") || "—";
}

function periodName(period: string): string {
  return period === "day" || period === "week" || period === "month" ? t(`period.${period}`) : period;
}
