import type { ApiKey } from "../api";
import { field, h } from "../dom";
import { t } from "../i18n";

export type KeyBody = Record<string, unknown>;

/**
 * The form for a new key or, given <paramref name="key"/>, for changing one in place. Allowed models are picked from
 * the catalog (<paramref name="models"/>), so a key cannot name a model that does not exist; models a key already
 * allows that left the catalog stay listed and marked. Editing sends only the fields that changed (PATCH: null
 * clears a limit), and keeps parts of a limit the form does not show.
 */
export function keyForm(models: string[], submit: (body: KeyBody) => Promise<void>, key?: ApiKey): HTMLFormElement {
  const allowed = key?.allowed_models ?? [];
  const p = key?.parameter_limits;
  const perMinute = key?.rate_limit?.per_seconds === 60 ? key.rate_limit.max_requests : null;
  const form = h("form", { class: "form grid", "data-testid": key ? "edit-form" : "create-form" },
    labelled(t("keys.name"), h("input", { name: "name", required: true, maxlength: 100, value: key?.name, "data-testid": "key-name" })),
    labelled(t("keys.role"), h("select", { name: "role", "data-testid": "key-role" },
      ["user", "admin"].map((role) => h("option", { value: role, selected: key?.role === role }, role)))),
    h("fieldset", { class: "picker", "data-testid": "key-models" }, h("legend", null, t("keys.allowedModels"), " ", h("span", { class: "muted" }, t("keys.noneMeansAll"))),
      [...models, ...allowed.filter((m) => !models.includes(m))].map((id) =>
        h("label", { class: "check" },
          h("input", { type: "checkbox", name: "allowed_models", value: id, checked: allowed.includes(id) }),
          id, models.includes(id) ? null : h("span", { class: "muted" }, " ", t("keys.notInCatalog"))))),
    labelled(t("keys.allowedProviders"), h("input", {
      name: "allowed_providers", placeholder: t("keys.listHint"), value: key?.allowed_providers?.join(", "), "data-testid": "key-providers",
    })),
    labelled(t("keys.maxTokens"), h("input", { name: "max_tokens", type: "number", min: 1, step: 1, value: p?.max_tokens, "data-testid": "key-max-tokens" })),
    labelled(t("keys.temperature"), h("input", { name: "temperature", type: "number", min: 0, step: "any", value: p?.temperature })),
    labelled(t("keys.topP"), h("input", { name: "top_p", type: "number", min: 0, max: 1, step: "any", value: p?.top_p })),
    labelled(t("keys.rate"), h("input", { name: "rate", type: "number", min: 1, step: 1, value: perMinute, "data-testid": "key-rate" })),
    labelled(t("keys.budget"), h("input", { name: "budget", type: "number", min: 0, step: "any", value: key?.budget?.limit_usd, "data-testid": "key-budget" })),
    labelled(t("keys.budgetPeriod"), h("select", { name: "period", "data-testid": "key-period" },
      ["month", "day"].map((period) => h("option", { value: period, selected: (key?.budget?.period ?? "month") === period }, t(`period.${period}` as "period.day"))))),
    h("div", { class: "filter-actions" }, h("button", { type: "submit", "data-testid": key ? "key-save" : "key-create" },
      t(key ? "keys.save" : "keys.createButton"))));

  const initial = key ? read(form, key) : {};
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = read(form, key);
    const changed = key ? Object.fromEntries(Object.entries(body).filter(([name, value]) => JSON.stringify(value) !== JSON.stringify(initial[name]))) : body;
    void submit(JSON.parse(JSON.stringify(changed)) as KeyBody);
  });
  return form;
}

/** The form's values as a request body; an empty field is absent for a new key and null (cleared) for an edited one. */
function read(form: HTMLFormElement, key?: ApiKey): KeyBody {
  const empty = key ? null : undefined;
  const list = (items: string[]) => (items.length ? items : empty);
  const number = (name: string) => (field(form, name) === "" ? undefined : Number(field(form, name)));
  const models = [...form.querySelectorAll<HTMLInputElement>("input[name=allowed_models]:checked")].map((box) => box.value);
  const limits = { max_tokens: number("max_tokens"), temperature: number("temperature"), top_p: number("top_p") };
  const rate = number("rate");
  const budget = number("budget");
  return {
    name: field(form, "name"),
    role: field(form, "role"),
    allowed_models: list(models),
    allowed_providers: list(field(form, "allowed_providers").split(",").map((s) => s.trim()).filter(Boolean)),
    parameter_limits: Object.values(limits).some((v) => v !== undefined) ? { ...present(key?.parameter_limits), ...present(limits) } : empty,
    rate_limit: rate !== undefined ? { ...present(key?.rate_limit), max_requests: rate, per_seconds: 60 }
      : key?.rate_limit?.tokens_per_minute != null ? present(key.rate_limit) : empty,
    budget: budget !== undefined ? { limit_usd: budget, period: field(form, "period") } : empty,
  };
}

/** The members that have a value (the node's views list unset limits as null). */
function present(value: object | null | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== null && v !== undefined));
}

function labelled(label: string, control: HTMLElement): HTMLElement {
  return h("label", null, label, control);
}
