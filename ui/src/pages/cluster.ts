import { get, whoAmI, type ClusterOverview, type GrainActivations, type Silo } from "../api";
import { h, replace, stackable } from "../dom";
import { formatClock, formatInteger, formatTime } from "../format";
import { t, type Key } from "../i18n";
import { failure, loading, section } from "./common";

const refreshMs = 5000;

/**
 * The cluster (GET /cluster, admins only): each silo with its role, status, start time and activations, and the
 * cluster's activations by grain type. A user key is told the page takes an admin key.
 */
export function renderCluster(main: HTMLElement): () => void {
  let stopped = false;
  let timer = 0;
  const head = h("div", { class: "page-head" }, h("h1", null, t("nav.cluster")));
  replace(main, head, loading());
  void whoAmI().then((me) => {
    if (stopped) {
      return;
    }
    if (me && !me.is_admin) {
      replace(main, head, h("div", { class: "banner", "data-testid": "cluster-admin-only" }, t("cluster.adminOnly")));
      return;
    }
    const updated = h("span", { class: "muted", "data-testid": "cluster-updated" });
    const silos = h("div", { "data-testid": "silos" }, loading());
    const grains = h("div", { "data-testid": "grain-types" }, loading());
    replace(main, h("div", { class: "page-head" }, h("h1", null, t("nav.cluster")), updated),
      section(t("cluster.silos"), silos), section(t("cluster.grains"), grains));
    const refresh = async () => {
      try {
        const cluster = await get<ClusterOverview>("/cluster");
        if (!stopped) {
          replace(silos, siloTable(cluster.silos));
          replace(grains, grainTable(cluster.activations));
          updated.textContent = t("common.updated", { time: formatClock(new Date()) });
        }
      } catch (error) {
        if (!stopped) {
          replace(silos, failure(error));
          replace(grains);
        }
      }
    };
    void refresh();
    timer = window.setInterval(() => void refresh(), refreshMs);
  });
  return () => {
    stopped = true;
    window.clearInterval(timer);
  };
}

function siloTable(silos: Silo[]): HTMLElement {
  return h("div", { class: "table-wrap" }, stackable(h("table", { class: "table", "data-testid": "silo-table" },
    h("thead", null, h("tr", null,
      h("th", null, t("cluster.name")), h("th", null, t("cluster.role")), h("th", null, t("cluster.status")),
      h("th", null, t("cluster.address")), h("th", null, t("cluster.started")), h("th", { class: "num" }, t("cluster.activations")))),
    h("tbody", null, silos.map((silo) => h("tr", { "data-silo": silo.name, "data-status": silo.status },
      h("td", { "data-testid": "silo-name" }, silo.name),
      h("td", { "data-testid": "silo-role" }, silo.role),
      h("td", null, h("span", { class: `badge silo-${silo.status}`, "data-testid": "silo-status" }, siloStatus(silo.status))),
      h("td", { class: "minor" }, h("code", null, silo.address)),
      h("td", null, formatTime(silo.started_at)),
      h("td", { class: "num", "data-testid": "silo-activations" }, formatInteger(silo.activations ?? 0))))))));
}

function grainTable(types: GrainActivations[]): HTMLElement {
  if (types.length === 0) {
    return h("p", { class: "muted" }, t("cluster.noGrains"));
  }
  return h("div", { class: "table-wrap" }, stackable(h("table", { class: "table", "data-testid": "grain-table" },
    h("thead", null, h("tr", null, h("th", null, t("cluster.grainType")), h("th", { class: "num" }, t("cluster.activations")))),
    h("tbody", null, types.map((type) => h("tr", { "data-grain": type.grain_type },
      // The class name says what the grain is; its namespace is in the tooltip.
      h("td", { title: type.grain_type }, type.grain_type.split(".").pop()),
      h("td", { class: "num" }, formatInteger(type.activations))))))));
}

const statusLabels: Record<string, Key> = {
  created: "cluster.status.created",
  joining: "cluster.status.joining",
  active: "cluster.status.active",
  shutting_down: "cluster.status.shutting_down",
  stopping: "cluster.status.stopping",
  dead: "cluster.status.dead",
};

function siloStatus(status: string): string {
  const label = statusLabels[status];
  return label ? t(label) : status;
}
