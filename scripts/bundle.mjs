// After tsc: bundle the CLI and the parse worker into one file each, so that
// starting `djangoguard` loads 2 modules instead of ~170 (start-up ~0.35 s → ~0.15 s
// of CPU, measured in the README "Speed"). The library API (dist/index.js) stays
// unbundled. web-tree-sitter and tree-sitter-python stay external: their .wasm
// files are found through their packages.
//   dist/djangoguard.cjs  ← dist/cli/main.js      (CommonJS: bin/djangoguard.js runs it
//                           through V8's code cache, src/cli/code-cache.ts)
//   dist/parse-worker.js  ← dist/python/parse-worker.js (workerEntry() looks next to
//                           the module it is compiled into: here, the bundle)
import { build } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["web-tree-sitter", "tree-sitter-python"],
  // Bundled CommonJS dependencies call require(); ESM output has none of its own.
  banner: { js: "import { createRequire as __dgCreateRequire } from 'node:module'; const require = __dgCreateRequire(import.meta.url);" },
  logLevel: "warning",
  legalComments: "none",
};
// CommonJS has no import.meta: its one use that matters, finding files next to the module, gets the bundle's URL.
// (import.meta.resolve serves only the tsx path of workers.ts, which a bundle never takes.)
const cjs = {
  ...common,
  format: "cjs",
  banner: {},
  inject: [new URL("./cjs-import-meta-url.js", import.meta.url).pathname],
  define: { "import.meta.url": "import_meta_url" },
  logOverride: { "empty-import-meta": "silent" },
};
await build({ ...cjs, entryPoints: ["dist/cli/main.js"], outfile: "dist/djangoguard.cjs" });
await build({ ...common, entryPoints: ["dist/python/parse-worker.js"], outfile: "dist/parse-worker.js" });
// `--bench`: also the library's scan() bundled the same way, for `npm run bench`
// (its child process calls scan() to time the loading and the rules apart; the
// unbundled dist/scan.js would load ~170 modules, which the CLI never does), loaded
// as the CLI is, through the code cache. It sits in dist/ because the code finds
// package.json and the parse worker from there.
if (process.argv.includes("--bench")) await build({ ...cjs, entryPoints: ["dist/scan.js"], outfile: "dist/scan.bundle.cjs" });
