import { ApiError, currentSession, get, login, logout, request, whoAmI, type BudgetStatus, type Model, type WhoAmI } from "../api";
import { field, h, replace } from "../dom";
import { formatCost, formatTime } from "../format";
import { errorText } from "../errors";
import { t } from "../i18n";
import { failure, roleName, section } from "./common";

/** Sign-in with an API key (POST /auth/login), the console's own session, and binding a model to it. */
export function renderSession(main: HTMLElement): void {
  const session = currentSession();
  const message = h("div", { "data-testid": "session-message" });
  const who = h("div", { "data-testid": "who" });
  replace(main, h("div", { class: "page-head" }, h("h1", null, t("nav.session"))),
    who,
    session ? signedIn(session.expiresAt, message) : signInForm(message),
    message);
  void whoAmI().then((me) => replace(who, describe(me)));
}

/** Who the console acts as now: a signed-in key and its role, this machine under the localhost rule, or nobody yet. */
function describe(me: WhoAmI | null): HTMLElement {
  if (me?.key_name) {
    return h("div", { class: "banner", "data-testid": "who-key" },
      t("auth.whoKey", { name: me.key_name, role: roleName(me.role) }), " ",
      h("span", { class: "muted mono" }, me.key_id ?? ""), " · ", t(me.is_admin ? "auth.canManage" : "auth.canWatch"),
      me.budget ? budgetLine(me.budget) : null);
  }
  if (me?.credential_optional) {
    return h("div", { class: "banner", "data-testid": "who-local" }, t(me.is_local ? "auth.localHint" : "auth.openHint"));
  }
  return h("div", { class: "banner", "data-testid": "who-nobody" }, t("auth.remoteHint"));
}

/** The signed-in key's own budget: what it spent and holds this period, and what is left until it resets. */
function budgetLine(budget: BudgetStatus): HTMLElement {
  return h("p", { "data-testid": "who-budget" }, t(budget.period === "day" ? "auth.budgetDay" : "auth.budgetMonth", {
    spent: formatCost(budget.spent_usd),
    held: formatCost(budget.reserved_usd),
    limit: formatCost(budget.limit_usd),
    left: formatCost(budget.remaining_usd),
    reset: formatTime(budget.resets_at),
  }));
}

function signInForm(message: HTMLElement): HTMLElement {
  const form = h("form", { class: "form", "data-testid": "signin-form" },
    h("label", null, t("auth.apiKey"),
      h("input", { name: "api_key", type: "password", autocomplete: "off", required: true, "data-testid": "signin-key" })),
    h("button", { type: "submit", "data-testid": "signin-submit" }, t("auth.signIn")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = field(form, "api_key");
    try {
      await login(key);
      location.hash = "#/overview";
    } catch (error) {
      const text = error instanceof ApiError && error.status === 404 ? t("auth.unavailable")
        : t("auth.failed", { message: errorText(error) });
      replace(message, h("div", { class: "banner error", "data-testid": "signin-error" }, text));
    }
  });
  return section(t("auth.signIn"), form);
}

function signedIn(expiresAt: number, message: HTMLElement): HTMLElement {
  const models = h("select", { name: "model", "data-testid": "bind-model" });
  get<Model[]>("/models").then((list) => replace(models, list.map((m) => h("option", { value: m.id }, m.id))), () => undefined);
  const bind = h("form", { class: "form inline" }, h("label", null, t("auth.bind"), models), h("button", { type: "submit", "data-testid": "bind-submit" }, t("auth.bindButton")));
  bind.addEventListener("submit", async (event) => {
    event.preventDefault();
    const id = field(bind, "model");
    const slash = id.indexOf("/");
    try {
      await request("POST", "/auth/bind-model", { provider_name: id.slice(0, slash), model_name: id.slice(slash + 1) });
      replace(message, h("div", { class: "banner ok" }, t("auth.bound", { model: id })));
    } catch (error) {
      replace(message, failure(error));
    }
  });
  return section(t("auth.signedIn"),
    h("p", null, t("auth.signedInAs")),
    h("p", { "data-testid": "session-expiry" }, t("auth.expires", { time: formatTime(new Date(expiresAt).toISOString()) })),
    bind,
    h("p", { class: "muted" }, t("auth.noSessionList")),
    h("button", { class: "secondary", "data-testid": "signout", onclick: () => void logout() }, t("auth.signOut")));
}
