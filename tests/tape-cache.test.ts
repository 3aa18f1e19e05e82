// The parse-tape cache: an unchanged file is rebuilt from its tape instead of
// parsed, with exactly the same result; a changed, missing or damaged entry is
// just a miss; --no-cache / cacheDir null keeps nothing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { loadProject, type LoadStats } from "../src/discovery/load.js";
import { defaultOptions, type ScanOptions } from "../src/options.js";
import { TapeCache } from "../src/python/tape-cache.js";

const EXAMPLE = fileURLToPath(new URL("../examples/insecure-shop", import.meta.url));
const temps: string[] = [];
async function temp(prefix: string): Promise<string> {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
}
after(async () => {
  for (const d of temps) await fs.rm(d, { recursive: true, force: true });
});

async function load(root: string, o: Partial<ScanOptions>) {
  const stats: LoadStats = { workers: 0, workersReplaced: 0 };
  // the tape cache holds tree-sitter's parses: every file takes that path here
  const project = await loadProject({ ...defaultOptions(root), parser: "tree-sitter", workers: 0, ...o }, undefined, stats);
  const asts = Object.fromEntries(project.python.map((f) => [f.path, JSON.stringify(f.ast)]));
  return { project, stats, asts };
}

async function tapeFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await fs.readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith(".tape")) out.push(p);
    }
  };
  await walk(dir);
  return out;
}

describe("parse-tape cache", () => {
  it("a second load reads every file's tape and builds the same ASTs", async () => {
    const cacheDir = await temp("dg-cache-");
    const cold = await load(EXAMPLE, { cacheDir });
    const n = cold.project.python.length;
    // entries are by content: identical files (empty __init__.py) share one
    const distinct = new Set(cold.project.python.map((f) => f.text)).size;
    assert.ok(distinct < n);
    assert.equal(cold.stats.cache!.hits + cold.stats.cache!.misses, n);
    assert.ok(cold.stats.cache!.misses >= distinct);
    assert.equal((await tapeFiles(cacheDir)).length, distinct);
    const warm = await load(EXAMPLE, { cacheDir });
    assert.deepEqual(warm.stats.cache, { hits: n, misses: 0 });
    assert.deepEqual(warm.asts, cold.asts);
    const none = await load(EXAMPLE, { cacheDir: null });
    assert.deepEqual(none.asts, cold.asts);
    assert.equal(none.stats.cache, undefined);
  });

  it("parser auto: only the files our parser declines go through tree-sitter and its cache", async () => {
    const root = await temp("dg-cache-auto-");
    await fs.writeFile(path.join(root, "ok.py"), "x = 1\n");
    await fs.writeFile(path.join(root, "broken.py"), "def f(:\n    pass\nafter = 1\n");
    const cacheDir = await temp("dg-cache-");
    const cold = await load(root, { cacheDir, parser: "auto" });
    assert.equal(cold.stats.treeSitterFiles, 1);
    assert.deepEqual(cold.stats.cache, { hits: 0, misses: 1 });
    assert.equal((await tapeFiles(cacheDir)).length, 1);
    const warm = await load(root, { cacheDir, parser: "auto" });
    assert.deepEqual(warm.stats.cache, { hits: 1, misses: 0 });
    assert.deepEqual(warm.asts, cold.asts);
  });

  it("a changed file misses, a damaged entry misses and is rewritten, workers give the same tapes", async () => {
    const root = await temp("dg-cache-proj-");
    await fs.cp(EXAMPLE, root, { recursive: true });
    const cacheDir = await temp("dg-cache-");
    const first = await load(root, { cacheDir });
    const n = first.project.python.length;
    await fs.appendFile(path.join(root, "orders", "views.py"), "\nEXTRA = 1\n");
    // damage the entry of one file whose content is unique in the project
    const key = new TapeCache(cacheDir).key(first.project.byPath.get("catalog/views.py")!.text);
    await fs.writeFile(path.join(cacheDir, "tapes", key.slice(0, 2), `${key.slice(2)}.tape`), Buffer.from([1, 2, 3]));
    const second = await load(root, { cacheDir });
    assert.deepEqual(second.stats.cache, { hits: n - 2, misses: 2 });
    assert.ok(second.project.byPath.get("orders/views.py"));
    assert.match(second.asts["orders/views.py"]!, /"EXTRA"/);
    const fresh = await load(root, { cacheDir: null });
    assert.deepEqual(second.asts, fresh.asts);
    // the rewritten entries hit next time; a miss goes to the workers when there are some
    await fs.appendFile(path.join(root, "orders", "views.py"), "\nMORE = 2\n");
    const viaWorkers = await load(root, { cacheDir, workers: 2 });
    assert.deepEqual(viaWorkers.stats.cache, { hits: n - 1, misses: 1 });
    assert.equal(viaWorkers.stats.workers, 2);
    assert.deepEqual(viaWorkers.asts, (await load(root, { cacheDir: null })).asts);
  });

  it("prunes entries not written for 30 days, at most once a day", async () => {
    const cacheDir = await temp("dg-cache-");
    await load(EXAMPLE, { cacheDir });
    const [old, kept] = await tapeFiles(cacheDir);
    const longAgo = new Date(Date.now() - 40 * 86_400_000);
    await fs.utimes(old!, longAgo, longAgo);
    await fs.utimes(path.join(cacheDir, "tapes", ".pruned"), longAgo, longAgo).catch(async () => {
      await fs.writeFile(path.join(cacheDir, "tapes", ".pruned"), "");
      await fs.utimes(path.join(cacheDir, "tapes", ".pruned"), longAgo, longAgo);
    });
    const c = new TapeCache(cacheDir);
    await c.flush();
    await assert.rejects(fs.stat(old!));
    await fs.stat(kept!);
    // pruned a moment ago: another scan today does not prune, however old an entry looks
    await fs.utimes(kept!, longAgo, longAgo);
    await new TapeCache(cacheDir).flush();
    await fs.stat(kept!);
  });

  it("the CLI: --cache-dir puts tapes there, --no-cache writes none", async () => {
    const bin = fileURLToPath(new URL("../bin/djangoguard.js", import.meta.url));
    const dir = await temp("dg-cache-cli-");
    // --parser tree-sitter: with our own parser the example's files never reach tree-sitter or its cache
    const run = (...extra: string[]) => spawnSync(process.execPath, [bin, "scan", EXAMPLE, "--format", "json", "--no-progress", "--fail-on", "none", "--parser", "tree-sitter", ...extra], { encoding: "utf8" });
    const none = run("--no-cache", "--cache-dir", dir);
    assert.equal(none.status, 0, none.stderr);
    assert.equal((await tapeFiles(dir)).length, 0);
    const some = run("--cache-dir", dir);
    assert.equal(some.status, 0, some.stderr);
    assert.ok((await tapeFiles(dir)).length > 10);
    const again = run("--cache-dir", dir);
    const strip = (s: string) => { const j = JSON.parse(s) as { summary: { durationMs?: number } }; delete j.summary.durationMs; return j; };
    assert.deepEqual(strip(again.stdout), strip(some.stdout));
  });
});
