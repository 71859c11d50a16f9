import { get, type CallAttempt, type InvocationDetail } from "../api";
import { h, replace } from "../dom";
import { formatCost, formatInteger, formatModel, formatMs, formatTime, prettyJson } from "../format";
import { t } from "../i18n";
import { copyButton, failure, loading, statusBadge } from "./common";

/**
 * One invocation: how it went (a failure's error first), who called what, and the bodies the log kept. The
 * address carries the history's filters, so Back returns to the same list.
 */
export function renderInvocationDetail(main: HTMLElement, params: URLSearchParams, path: string[]): void {
  const id = path[1];
  const back = h("a", { href: `#/invocations${params.size ? "?" + params.toString() : ""}`, class: "back", "data-testid": "back" }, "← ", t("common.back"));
  replace(main, loading());
  get<InvocationDetail>(`/monitor/invocations/${encodeURIComponent(id)}`).then(
    (item) => replace(main,
      h("div", { class: "page-head" },
        back,
        h("h1", null, t("detail.title", { id: item.id })), statusBadge(item.status)),
      item.error ? h("div", { class: "banner error", "data-testid": "detail-error" }, h("strong", null, t("detail.error"), ` (HTTP ${item.http_status}): `), item.error) : null,
      item.call_attempts ? callAttempts(item.id, item.call_attempts, params) : null,
      h("section", { class: "panel" }, h("dl", { class: "facts", "data-testid": "facts" }, facts(item))),
      body(t("detail.request"), item.request, "request"),
      body(t("detail.response"), item.response, "response"),
      item.raw === null && item.response !== null
        ? h("section", { class: "panel" }, h("h2", null, t("detail.raw")),
          h("p", { class: "muted", "data-testid": "body-raw" }, t(item.stream ? "detail.rawStream" : "detail.rawSame")))
        : body(t("detail.raw"), item.raw, "raw")),
    (error) => replace(main, back, failure(error)));
}

function facts(item: InvocationDetail): HTMLElement[] {
  const rows: [string, string, string][] = [
    ["time", t("inv.time"), formatTime(item.created_at)],
    ["model", t("inv.model"), formatModel(item)],
    ["http", t("detail.http"), String(item.http_status)],
    ["prompt", t("detail.prompt"), formatInteger(item.prompt_tokens)],
    ["completion", t("detail.completion"), formatInteger(item.completion_tokens)],
    ["total", t("detail.total"), formatInteger(item.total_tokens)],
    ["cost", t("inv.cost"), formatCost(item.cost)],
    ["latency", t("inv.latency"), formatMs(item.latency_ms)],
    ["ttft", t("inv.ttft"), formatMs(item.time_to_first_token_ms)],
    ["stream", t("inv.stream"), item.stream ? t("common.yes") : t("common.no")],
    ["format", t("detail.format"), item.client_format],
    ["key", t("inv.key"), item.api_key_name ?? item.api_key_id ?? "—"],
    ["session", t("detail.session"), item.session_id ?? "—"],
    ["node", t("detail.node"), item.node ?? "—"],
    ["attempts", t("detail.attempts"), String(item.attempts)],
  ];
  if (item.refused_by) rows.unshift(["refused-by", t("detail.refusedBy"), item.refused_by]);
  if (item.group) rows.push(["group", t("detail.group"), item.group]);
  if (item.rule) rows.push(["rule", t("detail.rule"), item.rule]);
  return rows.map(([id, label, value]) => h("div", { "data-testid": `fact-${id}` }, h("dt", null, label), h("dd", null, value)));
}

/** The attempts of a call that fell back, each linking to its own detail (the filters kept for Back); this one is marked. */
function callAttempts(id: number, attempts: CallAttempt[], params: URLSearchParams): HTMLElement {
  const search = params.size ? `?${params.toString()}` : "";
  const served = attempts[attempts.length - 1];
  return h("section", { class: "panel", "data-testid": "call-attempts" },
    h("h2", null, t("detail.callAttempts")),
    served.id !== id ? h("p", { "data-testid": "served-by" }, t("detail.servedBy"), " ",
      h("a", { href: `#/invocations/${served.id}${search}`, "data-testid": "served-link" }, `#${served.id} ${formatModel(served)}`)) : null,
    h("ol", { class: "attempts" }, attempts.map((a) =>
      h("li", { "data-testid": "call-attempt", "data-id": a.id, class: a.id === id ? "current" : undefined },
        a.id === id ? h("strong", null, `#${a.id}`) : h("a", { href: `#/invocations/${a.id}${search}`, "data-testid": "attempt-link" }, `#${a.id}`),
        ` ${formatModel(a)} `, statusBadge(a.status), a.status !== "success" ? ` ${a.http_status}` : null,
        a.id === id ? h("span", { class: "muted" }, ` (${t("detail.thisAttempt")})`) : null))));
}

function body(title: string, text: string | null, id: string): HTMLElement {
  if (text === null) {
    return h("section", { class: "panel" }, h("h2", null, title), h("p", { class: "muted", "data-testid": `body-${id}` }, t("detail.notKept")));
  }
  const pretty = prettyJson(text);
  return h("section", { class: "panel" },
    h("div", { class: "panel-head" }, h("h2", null, title), copyButton(() => text)),
    h("pre", { class: "code", "data-testid": `body-${id}` }, pretty));
}
