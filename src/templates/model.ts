// The template model: every Django/Jinja2 template lexed once, its variables
// placed in their HTML context, and the structure the view linker needs
// ({% extends %}, {% include %}, {% with %}, {% for %}, {% autoescape %}, forms).
// Rules read `project.use(templatesAnalysis)`; nothing else lexes a template.
import path from "node:path";
import { defineAnalysis, type Project } from "../project/project.js";
import { buildTemplate, type Template } from "./build.js";
import type { Dialect } from "./lexer.js";
import { templateConfig } from "./config.js";
import { settingsAnalysis } from "../django/settings/index.js";

export interface TemplateSet {
  templates: Template[];
  byPath: Map<string, Template>;
  /** template name (as views and tags refer to it) → the files Django may load for it: the best-ranked
   *  one, or several where a project loader chooses among directories per request (config.ts loaderDirs) */
  byName: Map<string, Template[]>;
  /** the name a template is loaded by (its best-ranked name), for relative {% include "./x.html" %} */
  nameOf: Map<Template, string>;
}

/** The template `{% extends %}`/`{% include %}` in `from` loads, following Django's relative "./" and "../" names. */
export function templateNamed(set: TemplateSet, from: Template, name: string): Template | undefined {
  let n = name;
  if (n.startsWith("./") || n.startsWith("../")) {
    const own = set.nameOf.get(from);
    if (!own) return undefined;
    n = path.posix.normalize(path.posix.join(path.posix.dirname(own), n));
  }
  const candidates = set.byName.get(n);
  if (!candidates || candidates.length < 2) return candidates?.[0];
  // a loader choosing among directories per request takes the includer's own tree
  return candidates.reduce((best, t) => (sharedPrefix(t.file.path, from.file.path) > sharedPrefix(best.file.path, from.file.path) ? t : best));
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * Template names a file answers to, each with its loader rank as Django searches
 * them: the loaders' directories first (in order; a group's directories share a
 * rank), then app directories in INSTALLED_APPS order, then any other
 * `templates/`/`jinja2/` directory (a loader we could not read).
 */
function namesFor(path: string, dirGroups: string[][], apps: string[]): { name: string; rank: number }[] {
  const names = new Map<string, number>();
  const add = (n: string, rank: number) => names.set(n, Math.min(rank, names.get(n) ?? Infinity));
  dirGroups.forEach((group, i) => {
    for (const d of group) {
      const prefix = d.endsWith("/") ? d : d + "/";
      if (path.startsWith(prefix)) add(path.slice(prefix.length), i);
      const idx = path.indexOf("/" + prefix);
      if (idx !== -1) add(path.slice(idx + prefix.length + 1), i + 0.5);
    }
  });
  const parts = path.split("/");
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i] !== "templates" && parts[i] !== "jinja2") continue;
    const appModule = parts.slice(0, i).join(".");
    const appIdx = apps.findIndex((a) => a === appModule || a.startsWith(appModule + ".apps.") || (appModule !== "" && appModule.endsWith("." + a)));
    add(parts.slice(i + 1).join("/"), appIdx === -1 ? 10_000 : 1_000 + appIdx);
  }
  return [...names].map(([name, rank]) => ({ name, rank }));
}

export const templatesAnalysis = defineAnalysis("templates", (project: Project): TemplateSet => {
  const config = templateConfig(project);
  const apps = project.use(settingsAnalysis).strings("INSTALLED_APPS") ?? [];
  const ranks = new Map<string, Map<Template, number>>();
  const templates: Template[] = [];
  const byPath = new Map<string, Template>();
  const byName = new Map<string, Template[]>();
  const nameOf = new Map<Template, string>();
  const bestRank = new Map<Template, number>();
  for (const f of project.ofKind("django-template", "jinja2-template")) {
    const dialect: Dialect = f.kind === "jinja2-template" || config.jinjaDirs.some((d) => f.path.startsWith(d + "/") || f.path.includes("/" + d + "/")) ? "jinja2" : "django";
    let t: Template;
    try {
      t = buildTemplate(f, dialect);
    } catch (e) {
      project.note({ path: f.path, kind: "parse-failed", message: `template could not be analysed: ${(e as Error).message}` });
      continue;
    }
    for (const tok of t.errors) project.note({ path: f.path, kind: "info", line: tok.start.line, message: `template markup: ${tok.message}; the rest of the template is still analysed` });
    templates.push(t);
    byPath.set(f.path, t);
    for (const { name, rank } of namesFor(f.path, config.dirGroups, apps)) {
      const list = byName.get(name) ?? [];
      list.push(t);
      byName.set(name, list);
      const r = ranks.get(name) ?? new Map<Template, number>();
      r.set(t, rank);
      ranks.set(name, r);
      if (rank < (bestRank.get(t) ?? Infinity)) { bestRank.set(t, rank); nameOf.set(t, name); }
    }
  }
  // The template Django would load for a name (or the ones a loader chooses among).
  for (const [name, list] of byName) {
    const r = ranks.get(name)!;
    const best = Math.min(...list.map((t) => r.get(t)!));
    byName.set(name, list.filter((t) => r.get(t) === best));
  }
  return { templates, byPath, byName, nameOf };
});

