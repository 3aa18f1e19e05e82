// What the template analysis needs from TEMPLATES (backends, DIRS, APP_DIRS,
// the Jinja2 environment factory and autoescape option), read from the settings
// evaluator (src/django/settings), so templates follow the same production
// settings every other rule sees.
import type { Project } from "../project/project.js";
import { dictGet, itemsOf, settingsAnalysis, type Site, type Val } from "../django/settings/index.js";

export interface TemplateBackend {
  backend: string;
  jinja2: boolean;
  /** DIRS as project-relative POSIX paths */
  dirs: string[];
  /** the directories its loaders search, in order (see loaderDirs) */
  dirGroups: string[][];
  appDirs: boolean;
  /** OPTIONS["environment"] (Jinja2): dotted path and where it is written */
  environment: { dotted: string; site: Site | null } | null;
  /** OPTIONS["context_processors"]: dotted paths */
  contextProcessors: string[];
  /** OPTIONS["autoescape"] when known */
  autoescape: { value: boolean; site: Site | null } | null;
  site: Site;
}

export interface TemplateConfig {
  backends: TemplateBackend[];
  /** directories whose templates the Jinja2 backend (and not the Django one) loads */
  jinjaDirs: string[];
  /** every backend's searched directories in order, for template-name resolution: a group's
   *  directories are alternatives a project loader chooses among per request */
  dirGroups: string[][];
}

function str(v: Val | undefined): string | null {
  return v && (v.t === "str" || v.t === "path") ? v.v : null;
}

/** A DIRS entry as a project-relative path ("templates", "src/templates"). */
function dirOf(v: Val): string | null {
  const s = str(v);
  if (s === null) return null;
  return s.replace(/^\/+/, "").replace(/^\.\//, "").replace(/\/+$/, "");
}

const LOADERS = "django.template.loaders.";

/**
 * The directories a backend's loaders search, in order, each in a group of its
 * own, except a project loader's: it is given its directories as arguments and
 * may choose among them per request (DefectDojo's per-user UI trees), so they
 * form one group of equals. Without OPTIONS["loaders"] Django's filesystem
 * loader searches DIRS. App directories are named by their `templates/` path
 * (model.ts namesFor). DIRS no loader reads are kept last: a name under them
 * is likelier the project's intent than nothing.
 */
function loaderDirs(loaders: Val | undefined, dirs: string[]): string[][] {
  const groups: string[][] = [];
  const entries = (v: Val | undefined): void => {
    for (const entry of itemsOf(v) ?? []) {
      const parts = entry.t === "tuple" || entry.t === "list" ? entry.items : [entry];
      const name = str(parts[0]) ?? "";
      const args = parts.slice(1);
      if (name === `${LOADERS}filesystem.Loader`) {
        if (args.length) for (const d of itemsOf(args[0]) ?? []) { const x = dirOf(d); if (x) groups.push([x]); }
        else for (const d of dirs) groups.push([d]);
      } else if (name === `${LOADERS}cached.Loader`) entries(args[0]);
      else if (!name.startsWith(LOADERS)) {
        const own = args.flatMap((a) => (a.t === "list" || a.t === "tuple" ? a.items : [a])).map(dirOf).filter((x): x is string => !!x);
        if (own.length) groups.push(own);
      }
    }
  };
  if (itemsOf(loaders)) entries(loaders);
  else for (const d of dirs) groups.push([d]);
  const searched = new Set(groups.flat());
  for (const d of dirs) if (!searched.has(d)) groups.push([d]);
  return groups;
}

export function templateConfig(project: Project): TemplateConfig {
  const settings = project.use(settingsAnalysis);
  const tpl = settings.get("TEMPLATES");
  const backends: TemplateBackend[] = [];
  for (const d of itemsOf(tpl?.value) ?? []) {
    if (d.t !== "dict") continue;
    const backend = str(dictGet(d, "BACKEND")) ?? "";
    const opts = dictGet(d, "OPTIONS");
    const env = dictGet(opts, "environment");
    const ae = dictGet(opts, "autoescape");
    const appDirs = dictGet(d, "APP_DIRS");
    const dirs = (itemsOf(dictGet(d, "DIRS")) ?? []).map(dirOf).filter((x): x is string => !!x);
    backends.push({
      backend,
      jinja2: /jinja2/i.test(backend),
      dirs,
      dirGroups: loaderDirs(dictGet(opts, "loaders"), dirs),
      appDirs: appDirs?.t === "bool" && appDirs.v,
      environment: str(env) ? { dotted: str(env)!, site: env?.at ?? null } : null,
      autoescape: ae?.t === "bool" ? { value: ae.v, site: ae.at ?? null } : null,
      contextProcessors: (itemsOf(dictGet(opts, "context_processors")) ?? []).map(str).filter((x): x is string => !!x),
      site: tpl!.site,
    });
  }
  const djangoDirs = new Set(backends.filter((b) => !b.jinja2).flatMap((b) => b.dirs));
  const jinjaDirs = backends.filter((b) => b.jinja2).flatMap((b) => b.dirs).filter((d) => d !== "" && !djangoDirs.has(d));
  const seen = new Set<string>(["", "."]);
  const dirGroups: string[][] = [];
  for (const group of backends.flatMap((b) => b.dirGroups)) {
    const fresh = group.filter((x) => !seen.has(x));
    for (const x of fresh) seen.add(x);
    if (fresh.length) dirGroups.push(fresh);
  }
  return { backends, jinjaDirs, dirGroups };
}
