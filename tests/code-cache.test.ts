// The CLI bundle runs through V8's code cache (src/cli/code-cache.ts): a first run
// writes the cache when it exits, later runs compile from it, a damaged or foreign
// cache is only a slower start, DJANGOGUARD_CODE_CACHE=0 turns it off, and the
// CLI's output does not depend on it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { builtFile } from "./support/built.js";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const LOADER = pathToFileURL(path.join(REPO, "src", "cli", "code-cache.ts")).href;

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "djangoguard-code-cache-"));
}

/** Load `bundle` in a fresh process with the cache root under `cacheHome`; what it exported and whether the cache served. */
function load(bundle: string, cacheHome: string, env: Record<string, string> = {}): { answer: number; strict: boolean; cached: boolean } {
  const script = `import { loadBundle } from ${JSON.stringify(LOADER)};
const r = loadBundle(new URL(${JSON.stringify(pathToFileURL(bundle).href)}));
console.log(JSON.stringify({ answer: r.exports.answer, strict: r.exports.strict, cached: r.cached }));`;
  const res = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, XDG_CACHE_HOME: cacheHome, DJANGOGUARD_CODE_CACHE: "", ...env },
  });
  assert.equal(res.status, 0, res.stderr);
  return JSON.parse(res.stdout.trim().split("\n").pop()!);
}

function cacheFiles(cacheHome: string): string[] {
  const dir = path.join(cacheHome, "djangoguard", "code");
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith(".bin")) : [];
}

describe("V8 code cache for the bundle", () => {
  const dir = tmp();
  const bundle = path.join(dir, "bundle.cjs");
  fs.writeFileSync(bundle, `#!/usr/bin/env node\n"use strict";\nfunction twice(x) { return x * 2; }\nexports.answer = twice(21);\nexports.strict = (function () { return this === undefined; })();\n`);

  it("is written by a first run and serves the next, with the same result", () => {
    const home = tmp();
    const first = load(bundle, home);
    assert.deepEqual(first, { answer: 42, strict: true, cached: false });
    assert.equal(cacheFiles(home).length, 1);
    const second = load(bundle, home);
    assert.deepEqual(second, { answer: 42, strict: true, cached: true });
  });

  it("treats a damaged cache as none, and replaces it", () => {
    const home = tmp();
    load(bundle, home);
    const [name] = cacheFiles(home);
    fs.writeFileSync(path.join(home, "djangoguard", "code", name!), "not bytecode");
    assert.deepEqual(load(bundle, home), { answer: 42, strict: true, cached: false });
    assert.deepEqual(load(bundle, home), { answer: 42, strict: true, cached: true });
  });

  it("keys the cache by the bundle's text: a rebuilt bundle does not read the old one", () => {
    const home = tmp();
    load(bundle, home);
    const other = path.join(dir, "other", "bundle.cjs");
    fs.mkdirSync(path.dirname(other), { recursive: true });
    fs.writeFileSync(other, fs.readFileSync(bundle, "utf8").replace("x * 2", "x + x"));
    assert.deepEqual(load(other, home), { answer: 42, strict: true, cached: false });
    assert.equal(cacheFiles(home).length, 2);
  });

  it("is neither read nor written with DJANGOGUARD_CODE_CACHE=0", () => {
    const home = tmp();
    assert.deepEqual(load(bundle, home, { DJANGOGUARD_CODE_CACHE: "0" }), { answer: 42, strict: true, cached: false });
    assert.equal(cacheFiles(home).length, 0);
  });

  it("leaves the CLI's report as it is (bin/djangoguard.js, first and second run, and with the cache off)", (t) => {
    if (!builtFile(t, "dist/djangoguard.cjs")) return;
    const home = tmp();
    const run = (env: Record<string, string>) => {
      const r = spawnSync(process.execPath, [path.join(REPO, "bin", "djangoguard.js"), "scan", "examples/insecure-shop", "--format", "json", "--no-progress", "--fail-on", "none"], {
        cwd: REPO,
        encoding: "utf8",
        env: { ...process.env, XDG_CACHE_HOME: home, ...env },
      });
      assert.equal(r.status, 0, r.stderr);
      const report = JSON.parse(r.stdout);
      delete report.summary.durationMs;
      return report;
    };
    const first = run({});
    assert.equal(cacheFiles(home).length, 1);
    assert.deepEqual(run({}), first);
    assert.deepEqual(run({ DJANGOGUARD_CODE_CACHE: "0" }), first);
  });
});
