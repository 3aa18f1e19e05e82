// Loading a bundle (the CLI, dist/djangoguard.cjs) with V8's code cache, as
// Python keeps __pycache__: compiling ~1.8 MB of JavaScript, and then each function
// the first time it runs, costs a small scan a third of its time (examples/insecure-shop:
// ~0.27 → ~0.20 s) and NetBox ~0.07 s. Node 20 has no compile cache for modules,
// so the bundle is CommonJS run through vm.Script with `cachedData`. The cache is
// written when the process exits, so it also holds the functions this run compiled
// lazily; a later run with the same bundle, Node and V8 flags reads it back.
//
// The cache lives in <cache root>/code (src/cache-dir.ts), named by a hash of the
// bundle's text, Node's version and the V8 flags. It holds bytecode for
// djangoguard's own code: like __pycache__, whoever can write that directory can
// change what runs. DJANGOGUARD_CODE_CACHE=0 turns it off (for a cache directory
// shared with untrusted jobs). A missing, unreadable or rejected cache only costs
// the compilation; nothing is reported.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { cacheRoot } from "../cache-dir.js";

/**
 * V8 flags the bundle runs with. TurboFan's inlining costs more than it gives
 * a scan: the scan runs a large body of code a few times over (~480 functions
 * get optimised on NetBox), so compiling them is a large share of its CPU, and
 * inlining makes each compilation bigger and each deoptimisation dearer. Without
 * it NetBox takes ~16% less CPU and ~9% less wall time on 2 cores (README
 * "Speed"). Set before the bundle compiles, so its code cache, which V8 keys by
 * the flags, is written and read under the same ones; flags given to node
 * itself are left alone.
 */
const SCAN_V8_FLAGS = "--no-turbo-inlining";

export interface LoadedBundle {
  exports: Record<string, unknown>;
  /** the code came from the cache (V8 accepted it) */
  cached: boolean;
}

/** Run a CommonJS bundle and return its exports, compiling it from the code cache when one fits. */
export function loadBundle(url: URL): LoadedBundle {
  if (!process.execArgv.some((a) => a.includes("inlin"))) v8.setFlagsFromString(SCAN_V8_FLAGS);
  const file = fileURLToPath(url);
  // a `#!` line is only valid at the very start of a script, and the bundle is wrapped in a function
  const source = fs.readFileSync(file, "utf8").replace(/^#!/, "//");
  const cacheFile = process.env.DJANGOGUARD_CODE_CACHE === "0" ? null : cachePath(file, source);
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const cached = cachedData !== undefined && !script.cachedDataRejected;
  // After the run, so the cache holds every function this run compiled, not just the top level.
  if (cacheFile && !cached) process.once("exit", () => writeCache(cacheFile, script));
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (...a: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return { exports: module.exports, cached };
}

function cachePath(file: string, source: string): string {
  const key = createHash("sha256").update(process.version).update("\0").update(process.execArgv.join(" ")).update("\0").update(source).digest("hex").slice(0, 32);
  return path.join(cacheRoot(), "code", `${path.basename(file)}-${key}.bin`);
}

/** Written to a temporary name and renamed, so a concurrent run reads a whole file or none. */
function writeCache(cacheFile: string, script: vm.Script): void {
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(tmp, cacheFile);
    // other builds' caches of this bundle, unused for a month, go
    const dir = path.dirname(cacheFile);
    const prefix = `${path.basename(cacheFile).replace(/-[0-9a-f]{32}\.bin$/, "")}-`;
    const monthAgo = Date.now() - 30 * 24 * 3600 * 1000;
    for (const name of fs.readdirSync(dir)) {
      const p = path.join(dir, name);
      if (name.startsWith(prefix) && p !== cacheFile && fs.statSync(p).mtimeMs < monthAgo) fs.rmSync(p, { force: true });
    }
  } catch {
    // an unwritable cache directory only costs the next run its compilation
  }
}
