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
  /** every DIRS entry, for template-name resolution */
  dirs: string[];
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
    backends.push({
      backend,
      jinja2: /jinja2/i.test(backend),
      dirs: (itemsOf(dictGet(d, "DIRS")) ?? []).map(dirOf).filter((x): x is string => !!x),
      appDirs: appDirs?.t === "bool" && appDirs.v,
      environment: str(env) ? { dotted: str(env)!, site: env?.at ?? null } : null,
      autoescape: ae?.t === "bool" ? { value: ae.v, site: ae.at ?? null } : null,
      contextProcessors: (itemsOf(dictGet(opts, "context_processors")) ?? []).map(str).filter((x): x is string => !!x),
      site: tpl!.site,
    });
  }
  const djangoDirs = new Set(backends.filter((b) => !b.jinja2).flatMap((b) => b.dirs));
  const jinjaDirs = backends.filter((b) => b.jinja2).flatMap((b) => b.dirs).filter((d) => d !== "" && !djangoDirs.has(d));
  return { backends, jinjaDirs, dirs: [...new Set(backends.flatMap((b) => b.dirs))].filter((d) => d !== "") };
}
