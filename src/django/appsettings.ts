// The few production settings the view model needs (MIDDLEWARE, INSTALLED_APPS,
// REST_FRAMEWORK defaults, AUTHENTICATION_BACKENDS), read as literals from the
// production settings module and the modules it star-imports. A stand-in until the
// settings evaluator publishes its analysis; then this reads that instead.
import type { Project, PythonFile } from "../project/project.js";
import { defineAnalysis } from "../project/project.js";
import type * as A from "../python/ast.js";
import { scopeOf } from "../python/scope.js";
import { dependenciesAnalysis } from "../deps/packages.js";
import { settingsSummary } from "./production.js";

export interface AppSettings {
  /** the settings module read, or null when none was found */
  module: string | null;
  /** dotted middleware paths; null when MIDDLEWARE is not a readable list */
  middleware: string[] | null;
  installedApps: string[];
  authBackends: string[];
  /** REST_FRAMEWORK keys as lists of dotted class paths; null when the key is not set */
  drf: { permission: string[] | null; throttle: string[] | null; authentication: string[] | null };
  /** the Django version from dependency files, e.g. "5.1.2" */
  djangoVersion: string | null;
  /** installed distribution names (normalised) from requirement files */
  packages: Set<string>;
  /** string settings read as literals (MEDIA_URL, STATIC_URL) */
  strings: Map<string, string>;
}

export const appSettingsAnalysis = defineAnalysis<AppSettings>("app-settings", (project) => readAppSettings(project));

function readAppSettings(project: Project): AppSettings {
  const summary = settingsSummary(project);
  const module = summary.module;
  const values = new Map<string, A.Expr>();
  const seen = new Set<string>();
  const load = (name: string, depth: number) => {
    const file = project.pythonByModule.get(name);
    if (!file || seen.has(name) || depth > 8) return;
    seen.add(name);
    const scope = scopeOf(project, file);
    // star-imported modules first, then this module overrides them
    for (const star of scope.starImports) load(star, depth + 1);
    for (const [k, v] of scope.assigns) values.set(k, v);
    collectAugments(file, values);
  };
  if (module) load(module, 0);
  const deps = project.use(dependenciesAnalysis);
  const rf = values.get("REST_FRAMEWORK");
  const rfKey = (key: string): string[] | null => {
    if (!rf || rf.kind !== "Dict") return null;
    const i = rf.keys.findIndex((k) => k?.kind === "Constant" && k.value === key);
    return i === -1 ? null : strings(rf.values[i]!);
  };
  return {
    module,
    middleware: values.has("MIDDLEWARE") ? strings(values.get("MIDDLEWARE")!) : null,
    installedApps: strings(values.get("INSTALLED_APPS")) ?? [],
    authBackends: strings(values.get("AUTHENTICATION_BACKENDS")) ?? [],
    drf: { permission: rfKey("DEFAULT_PERMISSION_CLASSES"), throttle: rfKey("DEFAULT_THROTTLE_CLASSES"), authentication: rfKey("DEFAULT_AUTHENTICATION_CLASSES") },
    djangoVersion: deps.django?.version ?? null,
    packages: new Set(deps.requirements.map((r) => r.name)),
    strings: new Map([...values].flatMap(([k, v]) => (v.kind === "Constant" && typeof v.value === "string" ? [[k, v.value] as [string, string]] : []))),
  };
}

/** `MIDDLEWARE += [...]` / `INSTALLED_APPS.append(...)` at the top level, folded into the literal list. */
function collectAugments(file: PythonFile, values: Map<string, A.Expr>): void {
  for (const s of file.ast.body) {
    if (s.kind === "AugAssign" && s.target.kind === "Name" && values.get(s.target.id)) {
      const cur = values.get(s.target.id)!;
      if ((cur.kind === "List" || cur.kind === "Tuple") && (s.value.kind === "List" || s.value.kind === "Tuple")) values.set(s.target.id, { ...cur, elts: [...cur.elts, ...s.value.elts] });
    } else if (s.kind === "Expr" && s.value.kind === "Call" && s.value.func.kind === "Attribute" && s.value.func.value.kind === "Name") {
      const name = s.value.func.value.id;
      const cur = values.get(name);
      const arg = s.value.args[s.value.func.attr === "insert" ? 1 : 0];
      if (cur && (cur.kind === "List" || cur.kind === "Tuple") && arg && (s.value.func.attr === "append" || s.value.func.attr === "insert")) values.set(name, { ...cur, elts: [...cur.elts, arg] });
    }
  }
}

function strings(e: A.Expr | undefined): string[] | null {
  if (!e) return null;
  if (e.kind === "List" || e.kind === "Tuple") return e.elts.flatMap((x) => (x.kind === "Constant" && typeof x.value === "string" ? [x.value] : []));
  if (e.kind === "BinOp" && e.op === "+") return [...(strings(e.left) ?? []), ...(strings(e.right) ?? [])];
  return null;
}

/** Django version as [major, minor], or null. */
export function djangoAtLeast(s: AppSettings, major: number, minor: number): boolean | null {
  if (!s.djangoVersion) return null;
  const [a, b] = s.djangoVersion.split(".").map(Number);
  if (a === undefined || Number.isNaN(a)) return null;
  return a > major || (a === major && (b ?? 0) >= minor);
}
