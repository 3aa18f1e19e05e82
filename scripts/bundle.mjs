// After tsc: bundle the CLI and the parse worker into one file each, so that
// starting `djangoguard` loads 2 modules instead of ~170 (start-up ~0.35 s → ~0.15 s
// of CPU, measured in the README "Speed"). The library API (dist/index.js) stays
// unbundled. web-tree-sitter and tree-sitter-python stay external: their .wasm
// files are found through their packages.
//   dist/djangoguard.js   ← dist/cli/main.js      (bin/djangoguard.js imports it)
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
await build({ ...common, entryPoints: ["dist/cli/main.js"], outfile: "dist/djangoguard.js" });
await build({ ...common, entryPoints: ["dist/python/parse-worker.js"], outfile: "dist/parse-worker.js" });
// `--bench`: also the library's scan() bundled the same way, for `npm run bench`
// (its child process calls scan() to time the loading and the rules apart; the
// unbundled dist/scan.js would load ~170 modules, which the CLI never does). It
// sits in dist/ because the code finds package.json and the parse worker from there.
if (process.argv.includes("--bench")) await build({ ...common, entryPoints: ["dist/scan.js"], outfile: "dist/scan.bundle.js" });
