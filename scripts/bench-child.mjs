// The measured side of `npm run bench` (scripts/bench.ts runs it in a fresh
// process per tree). Plain JavaScript on the compiled, bundled dist/, like the
// installed CLI, and timed from the process start, so Node's start-up and module loading
// count as they do for a user (and as Python's start-up counts for Bandit).
// Usage: node scripts/bench-child.mjs ROOT WORKERS [CACHE_DIR] [--include-tests]  (WORKERS:
// N, or -1 for auto; without CACHE_DIR the parse-tape cache is off, so every file is parsed;
// --include-tests analyses test code and migrations too, as Bandit reads them)
import fs from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
const includeTests = args.includes("--include-tests");
const [root, workersArg, cacheDir] = args.filter((a) => a !== "--include-tests");
// scan() bundled by scripts/bench.ts (one module, like the CLI's dist/djangoguard.cjs), loaded the CLI's way
const { loadBundle } = await import(new URL("../dist/cli/code-cache.js", import.meta.url).href);
const { scan } = loadBundle(new URL("../dist/scan.bundle.cjs", import.meta.url)).exports;
let loadMs = 0;
let loadCpuMs = 0;
const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const result = await scan(root, {
  workers: Number(workersArg),
  includeTests,
  cacheDir: cacheDir || null,
  onProgress: (e) => {
    if (e.phase === "rules" && !loadMs) {
      loadMs = performance.now();
      loadCpuMs = cpuMs();
    }
  },
});
const totalMs = performance.now();
const cpu = cpuMs();
const maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
// The Python share, counted from disk after the scan (so it does not touch its peak memory).
let pythonFiles = 0;
let pythonLines = 0;
const walkPy = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === ".git" || e.name === "node_modules" || e.name === "__pycache__") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walkPy(p);
    else if (e.isFile() && e.name.endsWith(".py")) {
      pythonFiles++;
      const text = fs.readFileSync(p, "utf8");
      if (text) pythonLines += text.split("\n").length;
    }
  }
};
walkPy(root);
process.stdout.write(`${JSON.stringify({
  root, files: result.summary.files, lines: result.summary.lines, pythonFiles, pythonLines,
  findings: result.summary.findings, notes: result.notes.length, workers: Number(workersArg),
  loadMs: Math.round(loadMs), totalMs: Math.round(totalMs), loadCpuMs: Math.round(loadCpuMs), cpuMs: Math.round(cpu), maxRssMB,
})}\n`);
