// Differential check of the hand-written parser (src/python/fast-parse.ts)
// against the tree-sitter path (parse.ts), over every .py file under the given
// directories:  node --import tsx scripts/parse-diff.ts DIR...
// Reports per directory: files compared, fastParse bails by reason (files where
// tree-sitter itself reports errors counted apart), files whose ASTs differ (with
// the first differing JSON path), and the time of both paths on the files both
// accept (each path run twice, the second run reported). With --non-test, test
// files (isTestCode, as the scanner skips them) are left out.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { fastParse, lastBailDetail, lastBailReason } from "../src/python/fast-parse.js";
import { getParser, parsePythonWith } from "../src/python/parse.js";
import { isTestCode } from "../src/discovery/classify.js";

function pyFiles(dir: string, out: string[]): void {
  let names: string[];
  try { names = readdirSync(dir); } catch { return; }
  for (const n of names) {
    if (n === "node_modules" || n === ".git") continue;
    const p = join(dir, n);
    let st;
    try { st = statSync(p); } catch { continue; }
    if (st.isDirectory()) pyFiles(p, out);
    else if (n.endsWith(".py") && st.isFile()) out.push(p);
  }
}

/** First JSON path where a and b differ (key order included). */
function firstDiff(a: unknown, b: unknown, path: string): string | null {
  if (a === b) return null;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") {
    return `${path}: ${JSON.stringify(a)?.slice(0, 120)} vs ${JSON.stringify(b)?.slice(0, 120)}`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.join(",") !== kb.join(",")) return `${path}: keys [${ka.join(",")}] vs [${kb.join(",")}]`;
  for (const k of ka) {
    const d = firstDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return d;
  }
  return null;
}

function nodeAt(mod: unknown, path: string): string {
  // the innermost object on the path that has a line, for locating the diff
  let cur: unknown = mod;
  let line = "?";
  for (const part of path.split(".").slice(1)) {
    const key = part.split(":")[0]!;
    if (cur === null || typeof cur !== "object") break;
    cur = (cur as Record<string, unknown>)[key];
    const l = (cur as { line?: number } | null)?.line;
    if (typeof l === "number") line = String(l);
  }
  return line;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const nonTest = args.includes("--non-test");
  const dirs = args.filter((a) => !a.startsWith("--"));
  const verbose = args.includes("--verbose");
  const p = await getParser();
  let totalFiles = 0, totalDiff = 0, totalBail = 0, totalTsErr = 0;
  let allTs = 0, allFast = 0;
  for (const dir of dirs) {
    const files: string[] = [];
    pyFiles(dir, files);
    const sources: { path: string; src: string }[] = [];
    for (const f of files) {
      if (nonTest && isTestCode(relative(dir, f))) continue;
      let src = readFileSync(f, "utf8");
      if (src.charCodeAt(0) === 0xfeff) src = src.slice(1);
      sources.push({ path: f, src });
    }
    const bails = new Map<string, string[]>();
    let tsErrBails = 0;
    let differing = 0;
    const both: string[] = [];
    for (const { path, src } of sources) {
      const ts = parsePythonWith(p, src);
      const fast = fastParse(src);
      if (!fast) {
        if (ts.module.hasErrors || ts.python2Line) { tsErrBails++; continue; }
        const r = lastBailReason();
        if (!bails.has(r)) bails.set(r, []);
        // --verbose lists files with where our parser gave up
        bails.get(r)!.push(verbose ? `${path} (${lastBailDetail()})` : path);
        continue;
      }
      const a = JSON.stringify(ts.module);
      const b = JSON.stringify(fast.module);
      if (a !== b || ts.tooDeep) {
        differing++;
        const d = firstDiff(ts.module, fast.module, "module");
        console.log(`DIFF ${path} line ${nodeAt(ts.module, d ?? "module")}\n    ${d}`);
        continue;
      }
      both.push(src);
    }
    // timing, on the files both paths accept: each path twice, the second run counts
    let tTs = 0, tFast = 0;
    for (let run = 0; run < 2; run++) {
      let t0 = performance.now();
      for (const src of both) parsePythonWith(p, src);
      const a = performance.now() - t0;
      t0 = performance.now();
      for (const src of both) fastParse(src);
      const b = performance.now() - t0;
      if (run === 1) { tTs = a; tFast = b; }
    }
    const nBail = [...bails.values()].reduce((s, v) => s + v.length, 0);
    console.log(`\n== ${dir}${nonTest ? " (non-test)" : ""}: ${sources.length} files, ${both.length} identical, ${differing} differing, ${nBail} bailed (${(100 * nBail / Math.max(1, sources.length)).toFixed(2)}%), ${tsErrBails} tree-sitter-error files`);
    for (const [r, fs] of [...bails.entries()].sort((x, y) => y[1].length - x[1].length)) {
      console.log(`   bail ${fs.length.toString().padStart(4)}  ${r}${verbose ? "\n        " + fs.slice(0, 5).join("\n        ") : "   e.g. " + fs[0]}`);
    }
    console.log(`   time (2nd run, ${both.length} files): tree-sitter ${tTs.toFixed(0)} ms, fastParse ${tFast.toFixed(0)} ms, ${(tTs / Math.max(tFast, 0.001)).toFixed(1)}x`);
    totalFiles += sources.length; totalDiff += differing; totalBail += nBail; totalTsErr += tsErrBails;
    allTs += tTs; allFast += tFast;
  }
  if (dirs.length > 1) {
    console.log(`\n== total: ${totalFiles} files, ${totalDiff} differing, ${totalBail} bailed (${(100 * totalBail / Math.max(1, totalFiles)).toFixed(2)}%), ${totalTsErr} tree-sitter-error files; time ${allTs.toFixed(0)} vs ${allFast.toFixed(0)} ms (${(allTs / Math.max(allFast, 0.001)).toFixed(1)}x)`);
  }
  process.exitCode = totalDiff > 0 ? 1 : 0;
}

await main();
