import "./style.css";
import { currentSession, logout, whoAmI } from "./api";
import { h, replace } from "./dom";
import { setZoneChoice, zoneChoice, zoneName } from "./format";
import { language, setLanguage, t, type Key } from "./i18n";
import { renderCluster } from "./pages/cluster";
import { renderInvocationDetail } from "./pages/invocation-detail";
import { renderInvocations } from "./pages/invocations";
import { renderKeys } from "./pages/keys";
import { renderModels } from "./pages/models";
import { roleName } from "./pages/common";
import { renderOverview } from "./pages/overview";
import { renderSession } from "./pages/session";
import { routerToggle } from "./router-toggle";

/** A page draws itself into the main area and returns what stops its timers when the user leaves. */
export type Page = (main: HTMLElement, params: URLSearchParams, path: string[]) => (() => void) | void;

/** Pages marked adminOnly are listed in the menu only once GET /auth/me says the caller is an admin. */
const pages: { path: string; label: Key; page: Page; adminOnly?: boolean }[] = [
  { path: "overview", label: "nav.overview", page: renderOverview },
  { path: "invocations", label: "nav.invocations", page: renderInvocations },
  { path: "models", label: "nav.models", page: renderModels },
  { path: "keys", label: "nav.keys", page: renderKeys },
  { path: "session", label: "nav.session", page: renderSession },
  { path: "cluster", label: "nav.cluster", page: renderCluster, adminOnly: true },
];

const root = document.getElementById("app")!;
let leave: (() => void) | void;
let unauthorized = false;
/** The header's sign-in status, and whether the page on screen was drawn for a signed-in session. */
let authStatus: HTMLElement | undefined;
let drawnSignedIn = false;

function route(): { path: string[]; params: URLSearchParams } {
  const hash = location.hash.replace(/^#\/?/, "");
  const [path, search] = hash.split("?", 2);
  return { path: path.split("/").filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(search ?? "") };
}

function render(): void {
  leave?.();
  leave = undefined;
  document.title = t("app.title");
  const { path, params } = route();
  const name = path[0] ?? "overview";
  const main = h("main", { id: "main" });
  const entry = name === "invocations" && path[1] ? { page: renderInvocationDetail } : pages.find((p) => p.path === name) ?? { page: notFound };
  const notice = h("div", { "data-testid": "notice" });
  replace(root, header(name, notice), notice, unauthorized && name !== "session" ? signInBanner() : null, main);
  leave = entry.page(main, params, path);
}

/** The top bar; at phone widths everything after the brand folds into a menu behind one button (style.css). */
function header(active: string, notice: HTMLElement): HTMLElement {
  const session = currentSession();
  const status = h("span", { class: "auth-status", "data-testid": "auth-status" },
    session ? t("auth.signedIn") : unauthorized ? t("auth.signedOut") : t("auth.local"));
  authStatus = status;
  drawnSignedIn = session !== null;
  const links = pages.map((p) =>
    h("a", { href: `#/${p.path}`, class: p.path === active ? "active" : null, hidden: p.adminOnly, "data-testid": `nav-${p.path}` }, t(p.label)));
  if (session || !unauthorized) {
    void whoAmI().then((me) => {
      if (session && me?.key_name) {
        status.textContent = t("auth.signedInWho", { name: me.key_name, role: roleName(me.role) });
      }
      if (me?.is_admin) {
        links.forEach((link) => { link.hidden = false; });
      }
    });
  }
  const bar = h("header", { class: "topbar" });
  const menuButton = h("button", {
    class: "menu-button", type: "button", "aria-controls": "menu", "aria-expanded": "false", "aria-label": t("nav.menu"),
    "data-testid": "menu-button",
    onclick: () => menuButton.setAttribute("aria-expanded", String(bar.classList.toggle("open"))),
  }, "☰");
  replace(bar,
    h("a", { class: "brand", href: "#/overview" }, t("app.title")),
    menuButton,
    h("div", { class: "menu", id: "menu", "data-testid": "menu" },
      h("nav", null, links),
      h("div", { class: "spacer" }),
      routerToggle(notice),
      status,
      session
        ? h("button", { class: "link", "data-testid": "signout-link", onclick: () => void logout().finally(() => { location.hash = "#/session"; }) }, t("auth.signOut"))
        : h("a", { href: "#/session", "data-testid": "signin-link" }, t("auth.signIn")),
      h("button", {
        class: "lang", "data-testid": "zone-switch",
        title: t("zone.title", { zone: zoneName(), other: zoneChoice() === "utc" ? t("zone.local") : "UTC" }),
        onclick: () => { setZoneChoice(zoneChoice() === "utc" ? "local" : "utc"); render(); },
      }, zoneName()),
      h("button", {
        class: "lang", "data-testid": "lang-switch",
        onclick: () => { setLanguage(language() === "zh" ? "en" : "zh"); render(); },
      }, t("lang.switch"))));
  return bar;
}

/** An address the console does not know says so, rather than show some other page as if it were that one. */
function notFound(main: HTMLElement): void {
  replace(main, h("div", { class: "banner error", "data-testid": "not-found" },
    t("page.notFound", { path: location.hash || "#/" }), " ", h("a", { href: "#/overview" }, t("page.toOverview"))));
}

function signInBanner(): HTMLElement {
  return h("div", { class: "banner", "data-testid": "signin-banner" }, t("auth.required"), " ", h("a", { href: "#/session" }, t("auth.signIn")));
}

window.addEventListener("hashchange", render);
window.addEventListener("llm-router:session", () => {
  unauthorized = false;
  render();
});
window.addEventListener("llm-router:unauthorized", () => {
  if (unauthorized) {
    return;
  }
  unauthorized = true;
  // The Session page already offers sign-in: redrawing it would empty the key field under the user's fingers
  // (the header's own requests answer 401 while the page is being typed into), so only the status changes.
  if (route().path[0] === "session" && authStatus && !drawnSignedIn) {
    authStatus.textContent = t("auth.signedOut");
    return;
  }
  render();
});

setLanguage(language());
render();
