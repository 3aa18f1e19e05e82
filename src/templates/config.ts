// What the template analysis needs from settings: TEMPLATES (backends, DIRS,
// Jinja2 environment factory, autoescape) and a few plain settings values.
// A small literal reader over the settings modules, used until the settings
// evaluator (src/django/settings/) publishes its API; then this reads from it.
import type { Project, PythonFile } from "../project/project.js";
import type * as A from "../python/ast.js";
import { scopeOf } from "../python/scope.js";
import { constString } from "../python/walk.js";

export interface TemplateBackend {
  backend: string;
  jinja2: boolean;
  dirs: string[];
  appDirs: boolean;
  /** dotted path of OPTIONS["environment"] (Jinja2) */
  environment: { dotted: string; node: A.Expr } | null;
  /** OPTIONS["autoescape"] when given as a constant */
  autoescape: { value: boolean; node: A.Expr } | null;
  file: PythonFile;
}

export interface TemplateConfig {
  backends: TemplateBackend[];
  /** directory names whose templates are Jinja2 (besides `jinja2/` app dirs) */
  jinjaDirs: string[];
  /** every DIRS entry, for template-name resolution */
  dirs: string[];
}

/** Settings modules, the production one (by the usual name hints) first. */
export function settingsModules(project: Project): PythonFile[] {
  const mods = project.python.filter((f) => /(^|\.)settings(\.|$)|(^|\.)settings_?\w*$/.test(f.moduleName));
  const rank = (m: string) => (/prod|live|deploy/.test(m) ? 0 : /local|dev|test|ci\b/.test(m) ? 2 : 1);
  return mods.sort((a, b) => rank(a.moduleName) - rank(b.moduleName));
}

/** A top-level setting assigned in a settings module (production first). */
export function settingExpr(project: Project, name: string): { file: PythonFile; value: A.Expr } | null {
  for (const f of settingsModules(project)) {
    const v = scopeOf(project, f).assigns.get(name);
    if (v) return { file: f, value: v };
  }
  return null;
}

function dictGet(d: A.Expr, key: string): A.Expr | undefined {
  if (d.kind === "Dict") {
    const i = d.keys.findIndex((k) => k !== null && constString(k) === key);
    return i === -1 ? undefined : d.values[i];
  }
  if (d.kind === "Call" && d.func.kind === "Name" && d.func.id === "dict") return d.keywords.find((k) => k.arg === key)?.value;
  return undefined;
}

/** The last string constant in an expression: `BASE_DIR / "templates"` → "templates". */
function lastString(e: A.Expr): string | null {
  const direct = constString(e);
  if (direct !== null) return direct;
  if (e.kind === "BinOp") return lastString(e.right) ?? lastString(e.left);
  if (e.kind === "Call") {
    for (let i = e.args.length - 1; i >= 0; i--) {
      const s = lastString(e.args[i]!);
      if (s !== null) return s;
    }
  }
  return null;
}

export function templateConfig(project: Project): TemplateConfig {
  const found = settingExpr(project, "TEMPLATES");
  const backends: TemplateBackend[] = [];
  if (found && (found.value.kind === "List" || found.value.kind === "Tuple")) {
    for (const d of found.value.elts) {
      const backend = constString(dictGet(d, "BACKEND")) ?? "";
      const dirsE = dictGet(d, "DIRS");
      const dirs = dirsE && (dirsE.kind === "List" || dirsE.kind === "Tuple") ? dirsE.elts.map(lastString).filter((s): s is string => !!s).map((s) => s.replace(/^\.?\//, "").replace(/\/$/, "")) : [];
      const appDirsE = dictGet(d, "APP_DIRS");
      const opts = dictGet(d, "OPTIONS");
      const envE = opts ? dictGet(opts, "environment") : undefined;
      const aeE = opts ? dictGet(opts, "autoescape") : undefined;
      backends.push({
        backend,
        jinja2: /jinja2/i.test(backend),
        dirs,
        appDirs: appDirsE?.kind === "Constant" && appDirsE.value === true,
        environment: envE && constString(envE) ? { dotted: constString(envE)!, node: envE } : null,
        autoescape: aeE?.kind === "Constant" && typeof aeE.value === "boolean" ? { value: aeE.value, node: aeE } : null,
        file: found.file,
      });
    }
  }
  const djangoDirs = new Set(backends.filter((b) => !b.jinja2).flatMap((b) => b.dirs));
  const jinjaDirs = backends.filter((b) => b.jinja2).flatMap((b) => b.dirs).filter((d) => !djangoDirs.has(d));
  return { backends, jinjaDirs, dirs: [...new Set(backends.flatMap((b) => b.dirs))] };
}
