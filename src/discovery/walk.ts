// One walk over the tree: .gitignore-aware (nested .gitignore files too), default
// excludes, --exclude/--include globs, symlinks followed only inside the root and
// never twice (loops), every oddity recorded as a note.
//
// Synchronous on purpose: a walk is thousands of tiny metadata calls, and each
// promise-based call pays a thread-pool round trip and a promise (NetBox's 2,200
// files: ~300 ms async, a fraction of that sync). Nothing else runs meanwhile.
import fs from "node:fs";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import type { Note } from "../findings.js";
import type { FileKind } from "../project/project.js";
import { classify, mayBeRead } from "./classify.js";

export const DEFAULT_EXCLUDES = [
  ".git/", ".hg/", ".svn/", "node_modules/", "__pycache__/", ".tox/", ".nox/", ".venv/", "venv/", "env/",
  ".env/", "virtualenv/", "site-packages/", "dist-packages/", ".mypy_cache/", ".pytest_cache/", ".ruff_cache/",
  "staticfiles/", "static_root/", "static_collected/", "collected_static/", "collectstatic/", "htmlcov/", ".idea/", ".vscode/",
  ".eggs/", "*.egg-info/", ".bench/", "*.pyc", "*.pyo", "*.min.js", "*.map",
];

/** A directory holding one of these is an environment (virtualenv, conda), whatever its name. */
const ENV_MARKERS = ["pyvenv.cfg", "conda-meta"];

export interface WalkedFile {
  rel: string;
  abs: string;
  /** null for a file that is never read (classify.ts mayBeRead): the walk does not stat it */
  size: number | null;
  /** its kind by name and place alone (classify.ts; YAML, HTML and .conf files may change kind once read) */
  kind: FileKind;
}

export interface WalkOptions {
  exclude: string[];
  include: string[];
}

interface Dir {
  abs: string;
  /** its real path (symlinks resolved): a directory reached by a plain entry is its parent's real path and its name, no syscall */
  real: string;
  rel: string;
  /** gitignore matchers in force, each with the directory it is relative to */
  ignores: { base: string; ig: Ignore }[];
}

export async function walk(root: string, opts: WalkOptions, notes: Note[]): Promise<WalkedFile[]> {
  const out: WalkedFile[] = [];
  const rootReal = fs.realpathSync.native(root);
  const defaults = ignore().add(DEFAULT_EXCLUDES).add(opts.exclude);
  const includes = opts.include.length ? ignore().add(opts.include) : null;
  const seenDirs = new Set<string>([rootReal]);
  const stack: Dir[] = [{ abs: root, real: rootReal, rel: "", ignores: [] }];

  // Directories an --include glob reaches into are walked even when excluded by default.
  const includePrefixes = opts.include.map((g) => g.replace(/^\//, "")).filter((g) => !g.startsWith("!"));
  const includeReaches = (rel: string) => includePrefixes.some((g) => g.startsWith(`${rel}/`) || g.startsWith("**"));

  const isIgnored = (rel: string, isDir: boolean, ignores: Dir["ignores"]): boolean => {
    const probe = isDir ? `${rel}/` : rel;
    if (includes?.ignores(probe)) return false;
    if (isDir && includes && includeReaches(rel)) return false;
    if (defaults.ignores(probe)) return true;
    // As git does: the deeper .gitignore speaks last, and a `!pattern` there
    // re-includes what a shallower one ignored.
    let ignored = false;
    for (const { base, ig } of ignores) {
      const sub = base ? probe.slice(base.length + 1) : probe;
      if (!sub) continue;
      const r = ig.test(sub);
      if (r.ignored) ignored = true;
      else if (r.unignored) ignored = false;
    }
    return ignored;
  };

  while (stack.length) {
    const dir = stack.pop()!;
    let entries: import("node:fs").Dirent[];
    try {
      entries = fs.readdirSync(dir.abs, { withFileTypes: true });
    } catch (e) {
      notes.push({ path: dir.rel, kind: "unreadable", message: `directory could not be read: ${errText(e)}` });
      continue;
    }
    if (dir.rel && entries.some((e) => ENV_MARKERS.includes(e.name))) {
      // A virtualenv (or conda env) under any name: third-party code, not the project's.
      // Still walked when an --include glob reaches into it.
      if (!(includes && includeReaches(dir.rel))) continue;
    }
    let ignores = dir.ignores;
    if (entries.some((e) => e.name === ".gitignore" && e.isFile())) {
      try {
        const txt = fs.readFileSync(path.join(dir.abs, ".gitignore"), "utf8");
        ignores = [...ignores, { base: dir.rel, ig: ignore().add(txt) }];
      } catch {
        /* an unreadable .gitignore is ignored, as git does */
      }
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const ent of entries) {
      const rel = dir.rel ? `${dir.rel}/${ent.name}` : ent.name;
      const abs = path.join(dir.abs, ent.name);
      let isDir = ent.isDirectory();
      let isFile = ent.isFile();
      let real: string | null = null; // a symlink's target
      if (ent.isSymbolicLink()) {
        try {
          real = fs.realpathSync.native(abs);
        } catch (e) {
          notes.push({ path: rel, kind: "symlink", message: `broken or looping symlink skipped (${errCode(e)})` });
          continue;
        }
        if (real !== rootReal && !real.startsWith(rootReal + path.sep)) {
          notes.push({ path: rel, kind: "symlink", message: "symlink points outside the scanned root; not followed" });
          continue;
        }
        const st = statOrNull(real);
        if (!st) continue;
        isDir = st.isDirectory();
        isFile = st.isFile();
        if (isDir && seenDirs.has(real)) {
          notes.push({ path: rel, kind: "symlink", message: "symlink loop (directory already visited); not followed" });
          continue;
        }
        if (isFile) {
          // A link to a file inside the root is read under the link's own path only
          // if the target itself is excluded; otherwise the target is read directly.
          continue;
        }
      }
      if (isIgnored(rel, isDir, ignores)) continue;
      if (isDir) {
        real ??= path.join(dir.real, ent.name);
        if (seenDirs.has(real)) continue;
        seenDirs.add(real);
        stack.push({ abs, real, rel, ignores });
      } else if (isFile) {
        const kind = classify(rel, "");
        let size: number | null = null;
        if (mayBeRead(rel, kind)) {
          try {
            size = fs.statSync(abs).size;
          } catch (e) {
            notes.push({ path: rel, kind: "unreadable", message: `file could not be read: ${errText(e)}` });
            continue;
          }
        }
        out.push({ rel, abs, size, kind });
      }
    }
  }
  out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return out;
}

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? "error";
}
function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ?? err?.message ?? String(e);
}
