// Which settings module is production, and why (RULES.md, "Which settings are
// production"), in this order:
//   1. --settings (or the config file's value);
//   2. DJANGO_SETTINGS_MODULE assigned (not setdefault) in manage.py/wsgi.py/asgi.py,
//      which beats any environment, as it does at run time;
//   3. DJANGO_SETTINGS_MODULE in the supplied environment (--env/--env-file);
//   4. DJANGO_SETTINGS_MODULE set by production deployment files (edgeAnalysis);
//   5. the setdefault in wsgi.py/asgi.py;
//   6. module names (production/prod/live/deploy beat local/dev/development/test/ci);
//   7. the setdefault in manage.py; a single settings module.
// scan.ts reports the result in every output.
import { edgeAnalysis } from "../deploy/edge.js";
import type { Project, PythonFile } from "../project/project.js";
import { defineAnalysis } from "../project/project.js";
import type * as A from "../python/ast.js";
import { constString, dottedName } from "../python/walk.js";

export interface ProductionChoice {
  /** dotted module name, or null when the project has no settings module */
  module: string | null;
  /** why this module was chosen, e.g. "DJANGO_SETTINGS_MODULE set in Dockerfile:7" */
  reason: string;
  /** the module's file when it is in the project */
  file: PythonFile | null;
  /** every module that looks like Django settings */
  candidates: string[];
}

const PROD_NAMES = /^(production|prod|live|deploy|deployment|prd)$/;
const DEV_NAMES = /^(local|dev|develop|development|test|tests|testing|ci|debug)$/;
const SETTING_MARKERS = new Set(["INSTALLED_APPS", "MIDDLEWARE", "ROOT_URLCONF", "SECRET_KEY", "DATABASES", "MIDDLEWARE_CLASSES"]);

interface DsmSite {
  module: string;
  file: PythonFile;
  line: number;
  kind: "assign" | "setdefault";
}

export const productionAnalysis = defineAnalysis<ProductionChoice>("production-settings", (project) => chooseProduction(project));

export function settingsSummary(project: Project): { module: string | null; reason: string } {
  const c = project.use(productionAnalysis);
  return { module: c.module, reason: c.reason };
}

function chooseProduction(project: Project): ProductionChoice {
  const candidates = settingsCandidates(project);
  const pick = (module: string, reason: string): ProductionChoice => {
    const file = project.pythonByModule.get(module) ?? null;
    if (!file) {
      project.note({ path: "", kind: "info", message: `settings module ${module} (${reason}) is not in the scanned tree; settings rules have nothing to evaluate` });
    }
    return { module, reason: file ? reason : `${reason}; not found in the scanned tree`, file, candidates };
  };

  if (project.options.settingsModule) return pick(project.options.settingsModule, "chosen with --settings");

  const sites = dsmSites(project);
  const entry = (f: PythonFile) => /(^|\/)(wsgi|asgi)\.py$/.test(f.path);
  const assigned = sites.find((s) => s.kind === "assign" && entry(s.file)) ?? sites.find((s) => s.kind === "assign" && /(^|\/)manage\.py$/.test(s.file.path));
  if (assigned) return pick(assigned.module, `DJANGO_SETTINGS_MODULE assigned in ${assigned.file.path}:${assigned.line}, which overrides the environment`);

  const fromEnv = project.options.env.DJANGO_SETTINGS_MODULE;
  if (fromEnv) return pick(fromEnv, "DJANGO_SETTINGS_MODULE in the supplied environment (--env/--env-file)");

  let edge;
  try {
    edge = project.use(edgeAnalysis);
  } catch {
    edge = null;
  }
  const deployed = edge?.settingsModules[0];
  if (deployed) return pick(deployed.module, `DJANGO_SETTINGS_MODULE set in ${deployed.path}:${deployed.line}`);

  const last = (m: string) => m.split(".").pop()!;
  const prod = candidates.filter((m) => PROD_NAMES.test(last(m)));
  // A default naming development settings is the developer's convenience where a production module
  // exists beside it: the deployment sets DJANGO_SETTINGS_MODULE (djangoproject.com: dev default, prod.py)
  const wsgi = sites.find((s) => s.kind === "setdefault" && entry(s.file));
  if (wsgi && !(DEV_NAMES.test(last(wsgi.module)) && prod.length)) return pick(wsgi.module, `the DJANGO_SETTINGS_MODULE default in ${wsgi.file.path}:${wsgi.line}`);

  if (prod.length) {
    const best = prod.find((m) => last(m) === "production") ?? prod[0]!;
    return pick(best, `module name ${last(best)} marks production${prod.length > 1 ? ` (also found: ${prod.filter((m) => m !== best).join(", ")})` : ""}`);
  }

  const manage = sites.find((s) => s.kind === "setdefault");
  if (manage && !DEV_NAMES.test(last(manage.module))) return pick(manage.module, `the DJANGO_SETTINGS_MODULE default in ${manage.file.path}:${manage.line}`);

  const nonDev = candidates.filter((m) => !DEV_NAMES.test(last(m)) && !/^(base|common|defaults|shared)$/.test(last(m)));
  if (nonDev.length === 1) {
    return pick(nonDev[0]!, `the only settings module (${nonDev[0]}), evaluated as production with ${Object.keys(project.options.env).length ? "the supplied environment" : "the environment unset"}`);
  }
  if (nonDev.length > 1) {
    const best = nonDev.find((m) => last(m) === "settings") ?? nonDev[0]!;
    return pick(best, `no deployment file or entry point names the settings; chose ${best} among ${nonDev.join(", ")} (use --settings to choose)`);
  }
  const base = candidates.find((m) => /^(base|common|settings)$/.test(last(m)));
  if (base) return pick(base, `only development settings modules were found; evaluating ${base} (use --settings to choose)`);
  return { module: null, reason: candidates.length ? `only development settings modules were found (${candidates.join(", ")}); use --settings` : "no settings module found", file: null, candidates };
}

/** Modules that look like Django settings: named settings, or defining settings the way settings do. */
function settingsCandidates(project: Project): string[] {
  const out: string[] = [];
  for (const f of project.python) {
    if (/(^|\/)(tests?|migrations|node_modules|site-packages)\//.test(f.path)) continue;
    const named = /(^|\.)settings(\.|$)/.test(f.moduleName) || /(^|\/)settings[^/]*\.py$/.test(f.path);
    let markers = 0;
    for (const s of f.ast.body) {
      if (s.kind === "Assign") for (const t of s.targets) if (t.kind === "Name" && SETTING_MARKERS.has(t.id)) markers++;
    }
    const starsFromSettings = f.ast.body.some((s) => s.kind === "ImportFrom" && s.names.some((n) => n.name === "*") && /settings|base|common/.test(s.module));
    if (markers === 0 && !starsFromSettings && appSettingsModule(f)) continue;
    if ((named && (markers > 0 || starsFromSettings || f.isPackage === false)) || markers >= 2) out.push(f.moduleName);
  }
  return out.sort();
}

/**
 * A reusable app's own settings module (`myapp/settings.py` reading the project's
 * settings with defaults: `from django.conf import settings`, `getattr(settings, "X", d)`,
 * `get_setting("X", d)`), not Django settings: a Django settings module cannot
 * import django.conf.settings, which is being built from it.
 */
function appSettingsModule(f: PythonFile): boolean {
  return f.ast.body.some((s) => s.kind === "ImportFrom" && s.module === "django.conf" && s.names.some((n) => n.name === "settings"))
    || /\b(get_setting|get_app_setting|app_setting)\s*\(/.test(f.text);
}

/** Where manage.py/wsgi.py/asgi.py set an environment variable (`variable`, DJANGO_SETTINGS_MODULE by default): assigned, or a setdefault. */
function dsmSites(project: Project, variable = "DJANGO_SETTINGS_MODULE"): DsmSite[] {
  const out: DsmSite[] = [];
  for (const f of project.python) {
    if (!/(^|\/)(manage|wsgi|asgi)\.py$/.test(f.path)) continue;
    const visit = (body: A.Stmt[]) => {
      for (const s of body) {
        if (s.kind === "Assign") {
          for (const t of s.targets) {
            if (t.kind === "Subscript" && dottedName(t.value)?.endsWith("environ") && constString(t.slice) === variable) {
              const m = constString(s.value);
              if (m) out.push({ module: m, file: f, line: s.line, kind: "assign" });
            }
          }
        }
        if (s.kind === "Expr" && s.value.kind === "Call") {
          const c = s.value;
          const callee = dottedName(c.func) ?? "";
          if (/environ\.setdefault$/.test(callee) && constString(c.args[0]) === variable) {
            const m = constString(c.args[1]);
            if (m) out.push({ module: m, file: f, line: s.line, kind: "setdefault" });
          }
          if (/environ\.(__setitem__|update)$/.test(callee)) continue;
        }
        if (s.kind === "FunctionDef" || s.kind === "If" || s.kind === "Try" || s.kind === "With") {
          if (s.kind === "FunctionDef") visit(s.body);
          else if (s.kind === "If") { visit(s.body); visit(s.orelse); }
          else if (s.kind === "Try") { visit(s.body); for (const h of s.handlers) visit(h.body); }
          else visit(s.body);
        }
      }
    };
    visit(f.ast.body);
  }
  // wsgi/asgi before manage.py; shallower paths first.
  return out.sort((a, b) => rank(a.file.path) - rank(b.file.path) || a.file.path.split("/").length - b.file.path.split("/").length);
}

/**
 * The django-configurations class production runs (`DJANGO_CONFIGURATION`): assigned
 * in an entry point, else from the supplied environment, deployment files, or the
 * entry points' default (wsgi/asgi before manage.py). Null when nothing names one.
 */
export function configurationClass(project: Project, deployed: ReadonlyMap<string, { value: string }>): string | null {
  const sites = dsmSites(project, "DJANGO_CONFIGURATION");
  return sites.find((s) => s.kind === "assign")?.module ?? project.options.env.DJANGO_CONFIGURATION ?? deployed.get("DJANGO_CONFIGURATION")?.value
    ?? sites.find((s) => s.kind === "setdefault")?.module ?? null;
}

function rank(p: string): number {
  return /wsgi\.py$/.test(p) ? 0 : /asgi\.py$/.test(p) ? 1 : 2;
}
