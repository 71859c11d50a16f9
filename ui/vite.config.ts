import { defineConfig } from "vite";

// The node serves the built files at /ui/. `npm run dev` proxies the API to a node on LLM_ROUTER_URL (default :8000).
const node = process.env.LLM_ROUTER_URL ?? "http://127.0.0.1:8000";
const apiPrefixes = ["/monitor", "/cost", "/models", "/providers", "/api-keys", "/auth", "/router", "/health", "/v1"];

export default defineConfig({
  base: "/ui/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // One small bundle: no source maps shipped, no module preload polyfill needed by current browsers.
    sourcemap: false,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: {
    port: Number(process.env.VITE_PORT ?? 3000),
    proxy: Object.fromEntries(apiPrefixes.map((p) => [p, node])),
  },
});
