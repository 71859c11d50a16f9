import { ApiError, get, request, whoAmI } from "./api";
import { h, replace } from "./dom";
import { formatClock } from "./format";
import { errorText } from "./errors";
import { t } from "./i18n";

/** GET /router/status: the state in force now, the state asked for, and when a pending change takes effect. */
export interface RouterStatus {
  enabled: boolean;
  value: boolean;
  pending: boolean;
  effective_at: string | null;
  cooldown_until: string | null;
  toggle_delay_seconds: number;
}

/**
 * The routing toggle in the header, shown only when the node answers GET /router/status. It switches every node,
 * so a click first asks for confirmation (in <paramref name="notice"/>, under the header); a change waits out the
 * node's delay, shown as pending with the time it takes effect (no second click meanwhile); a refusal is shown in
 * <paramref name="notice"/>. A caller who is not an admin sees only the state.
 */
export function routerToggle(notice: HTMLElement): HTMLElement {
  const slot = h("span", { class: "router-toggle", hidden: true, "data-testid": "router-toggle" });
  let canChange = false;

  const load = () => get<RouterStatus>("/router/status").then(show, () => undefined);

  function show(status: RouterStatus): void {
    slot.hidden = false;
    const state = h("span", { class: status.enabled ? "toggle-state on" : "toggle-state off", "data-testid": "toggle-state" },
      t(status.enabled ? "overview.routingOn" : "overview.routingOff"));
    if (status.pending && status.effective_at) {
      const at = new Date(status.effective_at);
      replace(slot, `${t("overview.routing")}: `, state, " ",
        h("span", { class: "toggle-pending", "data-testid": "toggle-pending" },
          t(status.value ? "toggle.pendingOn" : "toggle.pendingOff", { time: formatClock(at) })));
      // Look again once the change is in force.
      window.setTimeout(() => { if (slot.isConnected) void load(); }, Math.max(0, at.getTime() - Date.now()) + 500);
      return;
    }
    replace(slot, `${t("overview.routing")}: `, state, " ",
      canChange ? h("button", { class: "small", "data-testid": "toggle-button", onclick: () => confirm(status) },
        t(status.value ? "toggle.turnOff" : "toggle.turnOn")) : null);
  }

  function confirm(status: RouterStatus): void {
    const next = !status.value;
    replace(notice, h("div", { class: "banner confirm", "data-testid": "toggle-question" },
      h("span", null, t(next ? "toggle.confirmOn" : "toggle.confirmOff", { seconds: status.toggle_delay_seconds })),
      h("button", { class: next ? "small" : "small danger", "data-testid": "toggle-confirm", onclick: () => void change(next) }, t("toggle.confirm")),
      h("button", { class: "small secondary", "data-testid": "toggle-cancel", onclick: () => replace(notice) }, t("toggle.cancel"))));
  }

  function report(message: string | null): void {
    replace(notice, message ? h("div", { class: "banner error", role: "alert", "data-testid": "toggle-error" }, message) : null);
  }

  async function change(value: boolean): Promise<void> {
    try {
      const answer = await request<{ status: RouterStatus }>("POST", "/router/toggle", { value, reason: "web console" });
      report(null);
      show(answer.status);
    } catch (error) {
      const status = await get<RouterStatus>("/router/status").catch(() => null);
      report(refusal(error, status));
      if (status) {
        show(status);
      }
    }
  }

  // A node that cannot say who is calling gets the button, and its own answer decides.
  void whoAmI().then((me) => {
    canChange = me?.is_admin ?? true;
    return load();
  });
  return slot;
}

function refusal(error: unknown, status: RouterStatus | null): string {
  if (error instanceof ApiError && error.status === 403) {
    return t("toggle.forbidden");
  }
  if (error instanceof ApiError && error.code === "toggle_cooldown" && status?.cooldown_until) {
    return t("toggle.cooldown", { time: formatClock(new Date(status.cooldown_until)) });
  }
  return t("common.error", { message: errorText(error) });
}
