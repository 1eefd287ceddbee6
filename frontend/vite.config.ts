// Builds the browser app into the Python package (src/alliantie/web/static), with fixed file names so that the
// committed bundle changes only where the code changes. MapLibre's worker is copied beside the app as a plain .js
// file (served with a JavaScript MIME type everywhere) and set as the worker URL in main.ts.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const worker = fileURLToPath(new URL("./node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs", import.meta.url));

// Addresses outside this server that the libraries carry as text (a link in MapLibre's logo, links in error
// messages, Terra Draw's default marker image that the app does not use) become about:blank, so the bundle
// names no outside host; XML namespaces (www.w3.org, identifiers that are never fetched), MapLibre's
// placeholder base (maplibre.invalid, a reserved name) and licence comments stay as they are.
const OUTSIDE = /https?:\/\/(?!www\.w3\.org\/|maplibre\.invalid\/)[^\s"'`)<>]+/g;

function offline(code: string): string {
  return code
    .split("\n")
    .map((line) => (/@license|Full text of licen[sc]e/i.test(line) ? line : line.replace(OUTSIDE, "about:blank")))
    .join("\n");
}

// The licences of the libraries in the bundle (every package of package-lock.json that is not a dev tool), as
// the BSD, ISC and MIT licences ask for their notices to travel with the code.
function thirdPartyLicences(): string {
  const root = fileURLToPath(new URL(".", import.meta.url));
  const lock = JSON.parse(readFileSync(`${root}package-lock.json`, "utf-8")) as {
    packages: Record<string, { version?: string; license?: string; dev?: boolean }>;
  };
  const parts: string[] = [];
  for (const [path, info] of Object.entries(lock.packages)) {
    if (!path || info.dev) continue;
    const folder = `${root}${path}`;
    const file = existsSync(folder) ? readdirSync(folder).find((f) => /^(licen[cs]e|copying)/i.test(f)) : undefined;
    const text = file ? readFileSync(`${folder}/${file}`, "utf-8").trim() : `License: ${info.license ?? "unknown"}`;
    parts.push(`${path.replace(/^node_modules\//, "")} ${info.version ?? ""}\n${"=".repeat(60)}\n${text}\n`);
  }
  return parts.join("\n");
}

function maplibreWorker(): Plugin {
  return {
    name: "alliantie-offline",
    apply: "build",
    renderChunk(code) {
      return { code: offline(code), map: null };
    },
    generateBundle() {
      this.emitFile({
        type: "asset",
        fileName: "assets/maplibre-gl-worker.js",
        source: offline(readFileSync(worker, "utf-8")),
      });
      this.emitFile({ type: "asset", fileName: "assets/THIRD_PARTY_LICENSES.txt", source: thirdPartyLicences() });
    },
  };
}

export default defineConfig({
  base: "./",
  plugins: [maplibreWorker()],
  build: {
    outDir: "../src/alliantie/web/static",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    assetsInlineLimit: 0,
    rollupOptions: {
      output: {
        entryFileNames: "assets/app.js",
        chunkFileNames: "assets/[name].js",
        assetFileNames: "assets/[name][extname]",
      },
    },
  },
});
