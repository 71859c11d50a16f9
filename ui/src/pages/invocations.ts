import { get, query, type Invocation, type InvocationList, type Model } from "../api";
import { field, h, replace, stackable } from "../dom";
import { formatCost, formatInteger, formatModel, formatMs, formatTime, zoneChoice, zoneName } from "../format";
import { t } from "../i18n";
import { failure, loading, statusBadge } from "./common";

const pageSizes = [10, 20, 50, 100];
const statuses = ["success", "error", "client_closed", "rejected"] as const;

/** The invocation history: filters and paging live in the address (#/invocations?model=…&offset=…). */
export function renderInvocations(main: HTMLElement, params: URLSearchParams): void {
  const limit = pageSizes.includes(Number(params.get("limit"))) ? Number(params.get("limit")) : 20;
  const offset = Math.max(0, Math.floor(Number(params.get("offset")) || 0));
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const results = h("div", { "data-testid": "results" }, loading());
  const models = h("datalist", { id: "model-options" });
  const providers = h("datalist", { id: "provider-options" });

  const form = h("form", { class: "filters", "data-testid": "filters" },
    input("from", `${t("inv.from")} (${zoneName()})`, "date", from),
    input("to", `${t("inv.to")} (${zoneName()})`, "date", to),
    input("model", t("inv.model"), "text", params.get("model") ?? "", "model-options"),
    input("provider", t("inv.provider"), "text", params.get("provider") ?? "", "provider-options"),
    h("label", null, t("inv.status"),
      h("select", { name: "status", "data-testid": "filter-status" },
        h("option", { value: "" }, t("common.all")),
        statuses.map((s) => h("option", { value: s, selected: params.get("status") === s }, t(`status.${s}`))))),
    input("api_key", t("inv.key"), "text", params.get("api_key") ?? "", undefined, t("inv.keyHint")),
    h("label", null, t("inv.pageSize"),
      h("select", { name: "limit", "data-testid": "filter-limit" }, pageSizes.map((n) => h("option", { value: n, selected: n === limit }, String(n))))),
    h("div", { class: "filter-actions" },
      h("button", { type: "submit", "data-testid": "apply" }, t("common.apply")),
      h("button", { type: "button", class: "secondary", onclick: () => { location.hash = "#/invocations"; } }, t("common.reset"))),
    models, providers);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = {
      from: field(form, "from"), to: field(form, "to"), model: field(form, "model"), provider: field(form, "provider"),
      status: field(form, "status"), api_key: field(form, "api_key"), limit: field(form, "limit"),
    };
    location.hash = "#/invocations" + query(next);
  });

  replace(main, h("div", { class: "page-head" }, h("h1", null, t("inv.title"))), h("section", { class: "panel" }, form, results));

  get<Model[]>("/models").then((list) => {
    replace(models, [...new Set(list.map((m) => m.name))].map((name) => h("option", { value: name })));
    replace(providers, [...new Set(list.map((m) => m.provider))].map((name) => h("option", { value: name })));
  }, () => undefined);

  const api = {
    limit, offset,
    model: params.get("model"), provider: params.get("provider"), status: params.get("status"), api_key: params.get("api_key"),
    // Dates are days in the zone times are shown in; the end day is included whole.
    start: from ? dayStart(from).toISOString() : null,
    end: to ? new Date(dayStart(to).getTime() + 86_400_000).toISOString() : null,
  };
  get<InvocationList>("/monitor/invocations" + query(api)).then(
    (page) => replace(results,
      page.items.length > 0 ? [invocationTable(page.items, params), pager(page, params)]
      : page.total > 0 ? [pastEnd(page, params), pager(page, params)]
      : h("p", { class: "muted", "data-testid": "empty" }, t("inv.empty"))),
    (error) => replace(results, failure(error)));
}

function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00${zoneChoice() === "utc" ? "Z" : ""}`);
}

function input(name: string, label: string, type: string, value: string, list?: string, placeholder?: string): HTMLElement {
  return h("label", null, label, h("input", { name, type, value, list, placeholder, "data-testid": `filter-${name}` }));
}

/** An offset beyond the last call (an old link, a filter that narrowed): say so and offer the first page. */
function pastEnd(page: InvocationList, params: URLSearchParams): HTMLElement {
  const first = new URLSearchParams(params);
  first.delete("offset");
  return h("p", { class: "banner", "data-testid": "past-end" },
    t("inv.pastEnd", { total: formatInteger(page.total) }), " ", h("a", { href: `#/invocations?${first.toString()}` }, t("inv.firstPage")));
}

function pager(page: InvocationList, params: URLSearchParams): HTMLElement {
  const pages = Math.max(1, Math.ceil(page.total / page.limit));
  const current = Math.floor(page.offset / page.limit) + 1;
  const link = (offset: number) => {
    const next = new URLSearchParams(params);
    next.set("offset", String(offset));
    next.set("limit", String(page.limit));
    return `#/invocations?${next.toString()}`;
  };
  return h("div", { class: "pager", "data-testid": "pager" },
    page.items.length > 0 ? h("span", { "data-testid": "showing" },
      t("inv.showing", { from: page.offset + 1, to: Math.min(page.total, page.offset + page.items.length), total: page.total })) : null,
    h("span", { class: "spacer" }),
    page.offset > 0
      ? h("a", { class: "button secondary", href: link(Math.max(0, page.offset - page.limit)), "data-testid": "prev" }, t("inv.prev"))
      : h("span", { class: "button secondary disabled" }, t("inv.prev")),
    h("span", { "data-testid": "page" }, t("inv.page", { page: Math.min(current, pages), pages })),
    page.offset + page.items.length < page.total
      ? h("a", { class: "button secondary", href: link(page.offset + page.limit), "data-testid": "next" }, t("inv.next"))
      : h("span", { class: "button secondary disabled" }, t("inv.next")));
}

/**
 * The invocation table shared by the history and the overview; each row links to its detail, carrying
 * <paramref name="list"/> (the history's filters and page) so that the detail's Back returns there.
 */
export function invocationTable(items: Invocation[], list?: URLSearchParams): HTMLElement {
  const search = list?.size ? `?${list.toString()}` : "";
  return h("div", { class: "table-wrap" },
    stackable(h("table", { class: "table", "data-testid": "invocations" },
      h("thead", null, h("tr", null,
        h("th", null, "#"), h("th", null, t("inv.time")), h("th", null, t("inv.model")), h("th", null, t("inv.endpoint")), h("th", null, t("inv.status")),
        h("th", { class: "num" }, t("inv.tokens")), h("th", { class: "num" }, t("inv.cost")), h("th", { class: "num" }, t("inv.latency")),
        h("th", { class: "num" }, t("inv.ttft")), h("th", null, t("inv.key")), h("th", null, t("inv.stream")))),
      h("tbody", null, items.map((item) =>
        h("tr", { "data-id": item.id },
          h("td", null, h("a", { href: `#/invocations/${item.id}${search}`, "data-testid": "detail-link" }, String(item.id))),
          h("td", { class: "nowrap" }, formatTime(item.created_at)),
          h("td", { "data-testid": "cell-model" }, formatModel(item)),
          h("td", { class: "minor nowrap", "data-testid": "cell-endpoint" }, item.endpoint ?? "—"),
          h("td", { "data-testid": "cell-status" }, statusBadge(item.status), item.http_status && item.status !== "success" ? ` ${item.http_status}` : null,
            item.error ? h("div", { class: "error-text", title: item.error, "data-testid": "cell-error" }, item.error) : null),
          h("td", { class: "num", title: `${item.prompt_tokens} + ${item.completion_tokens}` }, formatInteger(item.total_tokens)),
          h("td", { class: "num", "data-testid": "cell-cost" }, formatCost(item.cost)),
          h("td", { class: "num" }, formatMs(item.latency_ms)),
          h("td", { class: "num minor" }, formatMs(item.time_to_first_token_ms)),
          h("td", { "data-testid": "cell-key" }, item.api_key_name ?? item.api_key_id ?? "—"),
          h("td", { class: "minor" }, item.stream ? "✓" : "")))))));
}
