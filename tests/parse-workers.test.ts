// The parse pool: same AST as the main thread, a dying worker is replaced and its
// file becomes a "parse-failed" note, and the worker entry resolves both under tsx
// (.ts) and from the compiled dist/ (.js).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { builtFile } from "./support/built.js";
import { describe, it } from "node:test";
import { loadProject, type LoadStats } from "../src/discovery/load.js";
import { fastParse } from "../src/python/fast-parse.js";
import { defaultOptions } from "../src/options.js";
import { parsePython } from "../src/python/parse.js";
import { autoWorkers, AUTO_WORKER_MIN_BYTES, ParsePool, workerEntry } from "../src/python/workers.js";

const SOURCES = [
  "import os\nfrom django.http import HttpResponse\n\ndef view(request):\n    return HttpResponse(os.environ.get('X', 'y'))\n",
  "class A(B, metaclass=M):\n    x: int = 1\n    async def f(self, *a, **k):\n        async with c as d:\n            yield [i async for i in g if i]\n",
  "q = f\"{a!r:>{w}} {b}\"\nmatch p:\n    case [x, *rest] if x: pass\n    case {'k': v}: pass\n",
  "def broken(:\n    pass\nafter = 1\n",
  "x = 'é😀' + y\r\nz = 2\r\n",
];

/** A file of the compiled dist/, or null after skipping (failing under CI=true): npm test builds
 *  dist/ first, running one test file alone may not have. */

describe("parse pool", () => {
  it("gives exactly the main thread's AST", async () => {
    const pool = new ParsePool(2);
    try {
      const viaPool = await Promise.all(SOURCES.map((s) => pool.parse(s)));
      for (let i = 0; i < SOURCES.length; i++) assert.deepEqual(viaPool[i], await parsePython(SOURCES[i]!));
    } finally {
      await pool.close();
    }
  });

  it("replaces a worker that dies; only the file it held fails", async () => {
    const pool = new ParsePool(1);
    try {
      const jobs = [
        pool.parse("a = 1\n"),
        pool.parse("b = 2\n", { crashForTest: true }),
        pool.parse("c = 3\n"),
        pool.parse("d = 4\n"),
      ];
      const settled = await Promise.allSettled(jobs);
      assert.deepEqual(settled.map((s) => s.status), ["fulfilled", "rejected", "fulfilled", "fulfilled"]);
      assert.match(String((settled[1] as PromiseRejectedResult).reason), /parse worker died/);
      assert.equal(pool.replaced, 1);
    } finally {
      await pool.close();
    }
  });

  it("a wasm trap fails only its own file; jobs already posted to that worker are requeued", async () => {
    const pool = new ParsePool(1);
    try {
      const jobs = [
        pool.parse("a = 1\n"),
        pool.parse("b = 2\n", { trapForTest: true }),
        pool.parse("c = 3\n"),
        pool.parse("d = 4\n"),
        pool.parse("e = 5\n"),
      ];
      const settled = await Promise.allSettled(jobs);
      assert.deepEqual(settled.map((s) => s.status), ["fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
      assert.match(String((settled[1] as PromiseRejectedResult).reason), /simulated wasm trap/);
      assert.equal(pool.replaced, 1);
    } finally {
      await pool.close();
    }
  });

  it("loadProject with workers gives the main thread's project; a crash is a parse-failed note", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-pool-"));
    try {
      SOURCES.forEach((s, i) => fs.writeFileSync(path.join(dir, `m${i}.py`), s));
      // no tape cache: every file is parsed by tree-sitter, here and in the workers
      const main = await loadProject({ ...defaultOptions(dir), parser: "tree-sitter", workers: 0, cacheDir: null });
      const pooled = await loadProject({ ...defaultOptions(dir), parser: "tree-sitter", workers: 2, cacheDir: null });
      assert.deepEqual(pooled.notes, main.notes);
      assert.deepEqual(
        pooled.python.map((f) => [f.path, f.ast]),
        main.python.map((f) => [f.path, f.ast]),
      );
      // A pool whose worker dies on the file that mentions "after": that file is a note, the rest are analysed.
      class CrashOnAfter extends ParsePool {
        override parseTape(source: string) {
          return super.parseTape(source, { crashForTest: source.includes("after") });
        }
      }
      const crashing = new CrashOnAfter(1);
      try {
        const p = await loadProject({ ...defaultOptions(dir), parser: "tree-sitter", workers: 1, cacheDir: null }, undefined, undefined, crashing);
        const failed = p.notes.filter((n) => n.kind === "parse-failed");
        assert.deepEqual(failed.map((n) => n.path), ["m3.py"]);
        assert.match(failed[0]!.message, /parser failed \(parse worker died \(exit code 70\)\); file not analysed/);
        assert.deepEqual(p.python.map((f) => f.path), ["m0.py", "m1.py", "m2.py", "m4.py"]);
        assert.equal(crashing.replaced, 1);
      } finally {
        await crashing.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("parser auto: ours parses what it accepts, tree-sitter (in a worker when asked for) what it declines; the project is tree-sitter's", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-auto-"));
    try {
      SOURCES.forEach((s, i) => fs.writeFileSync(path.join(dir, `m${i}.py`), s));
      const declined = SOURCES.filter((s) => fastParse(s) === null).length;
      // the syntax error (m3) is tree-sitter's
      assert.equal(declined, 1);
      const stats: LoadStats = { workers: 0, workersReplaced: 0 };
      const auto = await loadProject({ ...defaultOptions(dir), workers: 1, cacheDir: null }, undefined, stats);
      assert.equal(stats.treeSitterFiles, declined);
      assert.equal(stats.workers, 1);
      const ts = await loadProject({ ...defaultOptions(dir), parser: "tree-sitter", workers: 0, cacheDir: null });
      assert.deepEqual(auto.notes, ts.notes);
      assert.equal(JSON.stringify(auto.python.map((f) => [f.path, f.ast])), JSON.stringify(ts.python.map((f) => [f.path, f.ast])));
      // by default no worker starts for two small files
      const small: LoadStats = { workers: 0, workersReplaced: 0 };
      await loadProject({ ...defaultOptions(dir), cacheDir: null }, undefined, small);
      assert.equal(small.workers, 0);
      assert.equal(small.treeSitterFiles, declined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("chooses workers by size: main thread below the threshold, explicit counts as given", () => {
    assert.equal(autoWorkers(100_000, -1), 0);
    assert.equal(autoWorkers(100_000_000, 0), 0);
    assert.equal(autoWorkers(10, 3), 3);
    const big = autoWorkers(AUTO_WORKER_MIN_BYTES * 10, -1);
    assert.ok(big === 0 || big >= 2, `auto on a big tree: 0 or a real pool, got ${big}`);
  });

  it("resolves the worker entry next to the module (tsx: .ts)", () => {
    const entry = fileURLToPath(workerEntry());
    assert.ok(entry.endsWith(path.join("src", "python", "parse-worker.ts")), entry);
  });

  it("runs from the compiled dist/ (.js) without tsx", (t) => {
    const dist = builtFile(t, "dist/python/workers.js");
    if (!dist) return;
    const script = `
      const { ParsePool, workerEntry } = await import(${JSON.stringify(dist)});
      const pool = new ParsePool(1);
      const r = await pool.parse("x = 1\\n");
      await pool.close();
      console.log(JSON.stringify({ entry: workerEntry().pathname, kind: r.module.body[0].kind }));
    `;
    const res = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    assert.equal(res.status, 0, res.stderr);
    const out = JSON.parse(res.stdout.trim()) as { entry: string; kind: string };
    assert.ok(out.entry.endsWith("/dist/python/parse-worker.js"), out.entry);
    assert.equal(out.kind, "Assign");
  });

  it("the bundled CLI (bin → dist/djangoguard.cjs) parses in its bundled workers with the main thread's result", (t) => {
    if (!builtFile(t, "dist/djangoguard.cjs")) return;
    const bin = fileURLToPath(new URL("../bin/djangoguard.js", import.meta.url));
    const example = fileURLToPath(new URL("../examples/insecure-shop", import.meta.url));
    const run = (workers: string) => {
      const res = spawnSync(process.execPath, [bin, "scan", example, "--format", "json", "--no-progress", "--fail-on", "none", "--no-cache", "--workers", workers], { encoding: "utf8", timeout: 120_000 });
      assert.equal(res.status, 0, res.stderr);
      const json = JSON.parse(res.stdout) as { summary: { durationMs?: number; findings: number }; notes: unknown[] };
      delete json.summary.durationMs;
      return json;
    };
    const inWorkers = run("2");
    assert.ok(inWorkers.summary.findings > 40, "the example's findings came back");
    assert.deepEqual(inWorkers, run("0"));
  });
});

