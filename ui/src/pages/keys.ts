import { ApiError, get, request, whoAmI, type ApiKey, type CreatedApiKey, type Model } from "../api";
import { h, replace, stackable } from "../dom";
import { formatCost, formatInteger, formatTime } from "../format";
import { t } from "../i18n";
import { budgetSpend, spentAgainst, type Spend } from "./budget-spend";
import { copyButton, failure, loading, section } from "./common";
import { keyForm } from "./key-form";

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
  const editor = h("div", { "data-testid": "edit-slot" });
  const message = h("div");
  const creator = h("div", null, loading());
  let models: string[] = [];
  replace(main, h("div", { class: "page-head" }, h("h1", null, t("keys.title"))), secret,
    section(t("keys.create"), creator, message), editor, section(t("keys.title"), list));

  function newForm(): void {
    replace(creator, keyForm(models, async (body) => {
      if (await send(() => request<CreatedApiKey>("POST", "/api-keys", body), (created) => replace(secret, secretBox(created, () => replace(secret))))) {
        newForm();
      }
    }));
  }

  function edit(key: ApiKey): void {
    replace(editor, h("section", { class: "panel", "data-testid": "edit-panel" },
      h("div", { class: "panel-head" }, h("h2", null, t("keys.editTitle", { name: key.name })),
        h("button", { class: "small secondary", type: "button", onclick: () => replace(editor) }, t("toggle.cancel"))),
      keyForm(models, async (body) => {
        if (await send(() => request<ApiKey>("PATCH", `/api-keys/${encodeURIComponent(key.id)}`, body))) {
          replace(editor);
        }
      }, key)));
    editor.scrollIntoView({ block: "nearest" });
  }

  /** Runs a change, shows its refusal if any, and reloads the list; true when it went through. */
  async function send<T>(action: () => Promise<T>, done?: (result: T) => void): Promise<boolean> {
    try {
      // Not done?.(await action()): an optional call skips its arguments, and the action would never run.
      const result = await action();
      done?.(result);
      replace(message);
      return true;
    } catch (error) {
      replace(message, failure(error));
      return false;
    } finally {
      await reload();
    }
  }

  async function reload(): Promise<void> {
    try {
      const [keys, spend] = await Promise.all([get<ApiKey[]>("/api-keys"), budgetSpend()]);
      replace(list, keys.length === 0 ? h("p", { class: "muted" }, t("keys.empty"))
        : keyTable(keys, spend, { send: (action) => void send(action), edit }));
    } catch (error) {
      replace(list, error instanceof ApiError && error.status === 404 ? h("p", { class: "muted" }, t("keys.unavailable")) : failure(error));
    }
  }

  get<Model[]>("/models").then((all) => all.map((m) => m.id), () => []).then((ids) => {
    models = ids;
    newForm();
  });
  void reload();
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

interface KeyActions {
  send: (action: () => Promise<unknown>) => void;
  edit: (key: ApiKey) => void;
}

function keyTable(keys: ApiKey[], spend: Spend, act: KeyActions): HTMLElement {
  return h("div", { class: "table-wrap" }, stackable(h("table", { class: "table", "data-testid": "key-table" },
    h("thead", null, h("tr", null,
      h("th", null, t("keys.name")), h("th", null, t("keys.id")), h("th", null, t("keys.role")), h("th", null, t("keys.active")),
      h("th", null, t("keys.allowedModels")), h("th", null, t("keys.limits")), h("th", null, t("keys.spend")), h("th", null, t("keys.source")),
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
        h("td", null, spentAgainst(key, spend)),
        h("td", null, fromConfig ? t("keys.fromConfig") : t("keys.fromStore")),
        h("td", { class: "nowrap" }, key.created_at ? formatTime(key.created_at) : "—"),
        h("td", { class: "nowrap" }, key.last_used_at ? formatTime(key.last_used_at) : "—"),
        h("td", null, fromConfig ? h("span", { class: "muted", title: t("keys.readOnly") }, "—") : h("div", { class: "actions" },
          h("button", { class: "small secondary", "data-testid": "key-edit", onclick: () => act.edit(key) }, t("keys.edit")),
          h("button", {
            class: "small secondary", "data-testid": "key-toggle",
            onclick: () => act.send(() => request("PATCH", `/api-keys/${encodeURIComponent(key.id)}`, { is_active: !key.is_active })),
          }, key.is_active ? t("keys.disable") : t("keys.enable")),
          deleteButton(() => act.send(() => request("DELETE", `/api-keys/${encodeURIComponent(key.id)}`))))));
    })))));
}

/** Deleting asks once more in place (no blocking browser dialog). */
function deleteButton(remove: () => void): HTMLButtonElement {
  const button = h("button", { class: "small danger", "data-testid": "key-delete" }, t("keys.delete"));
  button.addEventListener("click", () => {
    if (button.dataset.armed) {
      remove();
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
