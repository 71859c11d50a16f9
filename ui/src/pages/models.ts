import { ApiError, get, type Model, type Provider } from "../api";
import { h, replace, stackable } from "../dom";
import { formatCost } from "../format";
import { t, type Key } from "../i18n";
import { failure, loading, section } from "./common";

/** Models with their tags, capabilities and prices; providers from GET /providers (admins) or from the models. */
export function renderModels(main: HTMLElement, params: URLSearchParams): void {
  const tag = params.get("tag");
  const providers = h("div", { "data-testid": "providers" }, loading());
  const models = h("div", { "data-testid": "models" }, loading());
  replace(main,
    h("div", { class: "page-head" }, h("h1", null, t("nav.models"))),
    section(t("models.providers"), providers),
    section(t("models.title"), models));

  get<Model[]>("/models").then((list) => {
    const shown = tag ? list.filter((m) => m.tags.includes(tag)) : list;
    replace(models,
      h("div", { class: "tag-filter" },
        t("models.filter"), " ",
        [...new Set(list.flatMap((m) => m.tags))].sort().map((name) => tagChip(name, name === tag)),
        tag ? h("a", { href: "#/models", "data-testid": "clear-tag" }, t("models.clear")) : null,
        h("span", { class: "muted", "data-testid": "model-count" }, " · ", t("models.count", { count: shown.length }))),
      modelTable(shown));
    const health = get<Health>("/health").then((answer) => new Map(answer.providers.map((p) => [p.name, p.circuit])), () => new Map<string, string>());
    Promise.all([get<Provider[]>("/providers"), health]).then(
      ([all, circuits]) => replace(providers, providerTable(all, circuits)),
      async (error) => {
        if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
          const derived = new Map(list.map((m) => [m.provider, { name: m.provider, type: m.provider_type } as Provider]));
          replace(providers, providerTable([...derived.values()], await health), h("p", { class: "muted" }, t("models.derived")));
        } else {
          replace(providers, failure(error));
        }
      });
  }, (error) => {
    replace(models, failure(error));
    replace(providers);
  });
}

function tagChip(name: string, active: boolean): HTMLElement {
  return h("a", { class: active ? "tag active" : "tag", href: `#/models?tag=${encodeURIComponent(name)}`, "data-testid": "tag" }, name);
}

/** A model with no price set is not free: it says so rather than show $0.00. */
function price(model: Model): string {
  const p = model.pricing;
  return p.cost_per_1k_tokens === 0 && p.cost_per_1k_completion_tokens === 0
    ? t("models.noPrice")
    : `${formatCost(p.cost_per_1k_tokens)} / ${formatCost(p.cost_per_1k_completion_tokens)}`;
}

function modelTable(models: Model[]): HTMLElement {
  return h("div", { class: "table-wrap" }, stackable(h("table", { class: "table", "data-testid": "model-table" },
    h("thead", null, h("tr", null,
      h("th", null, "ID"), h("th", null, t("models.display")), h("th", null, t("models.type")), h("th", null, t("models.tags")),
      h("th", null, t("models.capabilities")), h("th", { class: "num" }, t("models.pricing")), h("th", null, t("models.active")))),
    h("tbody", null, models.map((m) => h("tr", { "data-model": m.id },
      h("td", { class: "mono" }, m.id),
      h("td", null, m.display_name ?? m.name),
      h("td", null, m.provider_type),
      h("td", null, m.tags.map((name) => tagChip(name, false))),
      h("td", null, capabilities(m)),
      h("td", { class: "num nowrap" }, price(m)),
      h("td", null, m.is_active ? "✓" : "✗")))))));
}

function capabilities(m: Model): HTMLElement[] {
  const c = m.capabilities;
  const items: string[] = [];
  if (c.context_window) items.push(t("models.context", { value: c.context_window }));
  if (c.supports_vision) items.push(t("models.vision"));
  if (c.supports_tools) items.push(t("models.tools"));
  items.push(...c.languages);
  return items.map((text) => h("span", { class: "cap" }, text));
}

/** GET /health (no credential needed): each active provider's circuit breaker. */
interface Health {
  providers: { name: string; circuit: string }[];
}

function providerTable(providers: Provider[], circuits: Map<string, string>): HTMLElement {
  return h("div", { class: "table-wrap" }, stackable(h("table", { class: "table", "data-testid": "provider-table" },
    h("thead", null, h("tr", null,
      h("th", null, t("models.name")), h("th", null, t("models.health")), h("th", null, t("models.type")),
      h("th", null, t("models.baseUrl")), h("th", null, t("models.source")))),
    h("tbody", null, providers.map((p) => h("tr", { "data-provider": p.name },
      h("td", { class: "mono" }, p.name), h("td", null, circuitBadge(circuits.get(p.name))),
      h("td", null, p.type), h("td", { class: "mono" }, p.base_url ?? "—"), h("td", null, p.source ?? "—")))))));
}

/** A provider whose breaker is open fails every call at once: it must not look like the others. */
function circuitBadge(circuit: string | undefined): HTMLElement {
  const known = ["closed", "open", "half_open", "isolated", "disabled"];
  const state = circuit && known.includes(circuit) ? circuit : "unknown";
  const tone = state === "closed" ? "success" : state === "open" || state === "isolated" ? "error" : "client_closed";
  return h("span", { class: `badge ${tone}`, "data-testid": "circuit", "data-circuit": state }, t(`circuit.${state}` as Key));
}
