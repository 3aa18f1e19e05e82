// Views linked to the templates they render. A render site is a call that
// renders a template with a context (render, render_to_string, TemplateResponse,
// get_template(...).render, a class-based view's template_name or default name);
// each context key carries the origin of its value. Contexts flow on to parent
// templates ({% extends %}) and included ones ({% include ... with k=v only %}),
// so a variable in base.html is linked to every view whose template extends it.
import type { TraceStep } from "../findings.js";
import { defineAnalysis, type Project, type PythonFile } from "../project/project.js";
import { weakMemo } from "../project/memo.js";
import type * as A from "../python/ast.js";
import { qualifiedName, resolveDefinition } from "../python/scope.js";
import { anyExpr, constString, walkBody, walkExpr } from "../python/walk.js";
import { serverMetaKey, USER_TEXT_ATTRS } from "../dataflow/catalog/sources.js";
import { classMro, mroAttribute, mroMethods, type MroEntry } from "../django/classes.js";
import type { IncludeRef, Template } from "./build.js";
import { templateNamed, templatesAnalysis } from "./model.js";
import { escapedHtmlMethodAnywhere } from "./tags.js";
import { templateConfig } from "./config.js";
import { CONSTANT, fieldOrigin, FILE_ATTR, modelRef, OriginEval, UNKNOWN, type ModelRef, type ValueOrigin } from "./origin.js";
import { nestedUrlTemplateAnywhere, sitePathMethodAnywhere } from "../django/sitepaths.js";
import { urlFieldAnywhere } from "../django/urlfields.js";
import { step } from "../dataflow/taint.js";
import { flat } from "../project/compact.js";

export interface RenderSite {
  file: PythonFile;
  /** the view (function, or the class for class-based views) */
  view: string;
  at: A.Span;
  templateNames: string[];
  context: ReadonlyMap<string, ValueOrigin>;
  /** the context may hold keys we could not see (a dict we could not follow, **kwargs) */
  open: boolean;
  /** the view is csrf_exempt (a form it renders needs no token) */
  exempt: boolean;
  /** the rendered response is read back as text (`response.content`), not sent: a text-only template rendered so makes data, not a page */
  asData?: boolean;
}

/** One way a template receives a context: from a render site, through extends/include steps. */
export interface TemplateContext {
  site: RenderSite;
  context: ReadonlyMap<string, ValueOrigin>;
  /** template steps from the rendered template to this one */
  via: TraceStep[];
  /** blocks the templates extending this one replace: this template's content for them is not rendered here */
  overridden?: ReadonlySet<string>;
}

export interface ViewLinks {
  sites: RenderSite[];
  /** keys the project's own context processors add to every template */
  processors: Map<string, ValueOrigin>;
  /** template path → contexts reaching it */
  contexts: Map<string, TemplateContext[]>;
}

const RENDER_CALLS: Record<string, { tpl: [number, string]; ctx: [number, string] }> = {
  "django.shortcuts.render": { tpl: [1, "template_name"], ctx: [2, "context"] },
  "django.shortcuts.render_to_response": { tpl: [0, "template_name"], ctx: [1, "context"] },
  "django.template.loader.render_to_string": { tpl: [0, "template_name"], ctx: [1, "context"] },
  "django.template.response.TemplateResponse": { tpl: [1, "template"], ctx: [2, "context"] },
  "django.template.response.SimpleTemplateResponse": { tpl: [0, "template"], ctx: [1, "context"] },
};

function arg(c: A.Call, [i, name]: [number, string]): A.Expr | undefined {
  const pos = c.args[i];
  if (pos && pos.kind !== "Starred") return pos;
  return c.keywords.find((k) => k.arg === name)?.value;
}

/** Template names from a constant, a list/tuple of constants, or a local name bound to one. */
function templateNames(e: A.Expr | undefined, ev: OriginEval | null, cls: readonly MroEntry[] | null): string[] {
  if (!e) return [];
  const s = constString(e);
  if (s !== null) return [s];
  if (e.kind === "List" || e.kind === "Tuple") return e.elts.flatMap((x) => templateNames(x, ev, cls));
  if (e.kind === "IfExp") return [...templateNames(e.body, ev, cls), ...templateNames(e.orelse, ev, cls)];
  if (e.kind === "Name" && ev) return ev.assignmentsOf(e.id).flatMap((a) => templateNames(a.value, null, cls));
  if (e.kind === "Attribute" && e.value.kind === "Name" && e.value.id === "self" && cls) {
    const a = mroAttribute(cls, e.attr);
    return a ? templateNames(a.value, null, null) : [];
  }
  return [];
}

/** Keys and value origins of a context expression (a dict literal, dict(...), or a local dict built step by step). */
function contextOf(project: Project, file: PythonFile, e: A.Expr | undefined, ev: OriginEval, fn: A.FunctionDef): { ctx: Map<string, ValueOrigin>; open: boolean } {
  const ctx = new Map<string, ValueOrigin>();
  let open = false;
  const addDict = (d: A.Expr, seen: Set<string>) => {
    if (d.kind === "Dict") {
      d.keys.forEach((k, i) => {
        const key = k ? constString(k) : null;
        const v = d.values[i]!;
        if (key !== null) ctx.set(key, withStep(project, file, ev.of(v), v, key));
        else if (k === null) addDict(v, seen);
        else open = true;
      });
    } else if (d.kind === "Call" && d.func.kind === "Name" && d.func.id === "dict") {
      for (const k of d.keywords) {
        if (k.arg) ctx.set(k.arg, withStep(project, file, ev.of(k.value), k.value, k.arg));
        else addDict(k.value, seen);
      }
      for (const a of d.args) addDict(a, seen);
    } else if (d.kind === "Name" && !seen.has(d.id)) {
      seen.add(d.id);
      const assigns = ev.assignmentsOf(d.id);
      if (!assigns.length) open = true;
      for (const a of assigns) addDict(a.value, seen);
      // ctx["k"] = v and ctx.update({...}) on the local dict
      walkBody(fn.body, {
        stmt: (s) => {
          if (s.kind === "Assign") {
            for (const t of s.targets) {
              if (t.kind === "Subscript" && t.value.kind === "Name" && t.value.id === d.id) {
                const key = constString(t.slice);
                if (key !== null) ctx.set(key, withStep(project, file, ev.of(s.value), s.value, key));
                else open = true;
              }
            }
          }
          if (s.kind === "Expr" && s.value.kind === "Call" && s.value.func.kind === "Attribute" && s.value.func.attr === "update" && s.value.func.value.kind === "Name" && s.value.func.value.id === d.id) {
            for (const a of s.value.args) addDict(a, seen);
            for (const k of s.value.keywords) if (k.arg) ctx.set(k.arg, withStep(project, file, ev.of(k.value), k.value, k.arg));
          }
          return undefined;
        },
      });
    } else if (d.kind === "Call" && d.func.kind === "Attribute" && d.func.attr === "get_context_data") {
      open = true;
    } else if (d.kind === "Constant" && d.value === null) {
      // no context
    } else open = true;
  };
  if (e) addDict(e, new Set());
  return { ctx, open };
}

function withStep(project: Project, file: PythonFile, o: ValueOrigin, at: A.Expr, key: string): ValueOrigin {
  if (o.kind === "constant" || o.kind === "escaped" || o.kind === "unknown") return o;
  return { ...o, trace: o.trace.concat(step(file, at, "step", `put in the template context as '${key}'`)) };
}

const GENERIC_SUFFIX: Record<string, string> = {
  DetailView: "_detail", UpdateView: "_form", CreateView: "_form", DeleteView: "_confirm_delete", ListView: "_list",
  ArchiveIndexView: "_archive", YearArchiveView: "_archive_year", MonthArchiveView: "_archive_month", DayArchiveView: "_archive_day", DateDetailView: "_detail",
};

/** `response = render(...)` (`call`, the value of `s`) whose `.content` the function then reads. */
function contentRead(fn: A.FunctionDef, s: A.Stmt, call: A.Call): boolean {
  if (s.kind !== "Assign" || s.value !== call || s.targets.length !== 1 || s.targets[0]!.kind !== "Name") return false;
  const name = s.targets[0].id;
  return anyExpr(fn.body, (x) => x.kind === "Attribute" && (x.attr === "content" || x.attr === "rendered_content") && x.value.kind === "Name" && x.value.id === name);
}

function isCsrfExempt(d: A.Expr): boolean {
  let found = false;
  walkExpr(d, (x) => {
    if ((x.kind === "Name" && x.id === "csrf_exempt") || (x.kind === "Attribute" && x.attr === "csrf_exempt")) found = true;
  });
  return found;
}

function functionSites(project: Project, file: PythonFile, fn: A.FunctionDef, viewName: string, cls: readonly MroEntry[] | null, clsCtx: Map<string, ValueOrigin> | null, clsDecorators: A.Expr[] | null = null): RenderSite[] {
  const sites: RenderSite[] = [];
  const exempt = [...fn.decorators, ...(clsDecorators ?? [])].some(isCsrfExempt);
  const isView = cls !== null || (fn.params[0]?.name !== undefined && /^(request|req|http_request)$/.test(fn.params[0].name));
  // Built on first use: the evaluator walks the whole body, and most functions render nothing.
  let evaluator: OriginEval | null = null;
  const ev = () => (evaluator ??= new OriginEval(project, file, fn, isView));
  walkBody(fn.body, {
    stmt: (s) => (s.kind === "FunctionDef" || s.kind === "ClassDef" ? false : undefined),
    expr: (e, s) => {
      if (e.kind !== "Call") return;
      const q = qualifiedName(project, file, e.func);
      const spec = q ? RENDER_CALLS[q] : undefined;
      if (spec) {
        const names = templateNames(arg(e, spec.tpl), ev(), cls);
        const { ctx, open } = contextOf(project, file, arg(e, spec.ctx), ev(), fn);
        if (names.length) sites.push({ file, view: viewName, at: e, templateNames: names, context: ctx, open, exempt, ...(contentRead(fn, s, e) ? { asData: true } : {}) });
        return;
      }
      // get_template("x").render(ctx) / select_template([...]).render(ctx) / engines["jinja2"].get_template("x").render(ctx)
      if (e.func.kind === "Attribute" && e.func.attr === "render") {
        let recv: A.Expr = e.func.value;
        if (recv.kind === "Name") {
          const a = ev().assignmentsOf(recv.id)[0];
          if (a) recv = a.value;
        }
        if (recv.kind === "Call" && recv.func.kind === "Attribute" ? /^(get_template|select_template)$/.test(recv.func.attr) : recv.kind === "Call" && recv.func.kind === "Name" && /^(get_template|select_template)$/.test(recv.func.id)) {
          const names = templateNames((recv as A.Call).args[0], ev(), cls);
          const { ctx, open } = contextOf(project, file, e.args[0] ?? e.keywords.find((k) => k.arg === "context")?.value, ev(), fn);
          if (names.length) sites.push({ file, view: viewName, at: e, templateNames: names, context: ctx, open, exempt });
        }
        return;
      }
      // self.render_to_response(ctx) in a class-based view
      if (cls && clsCtx && e.func.kind === "Attribute" && e.func.attr === "render_to_response" && e.func.value.kind === "Name" && e.func.value.id === "self") {
        const names = templateNames(mroAttribute(cls, "template_name")?.value, null, null);
        const { ctx, open } = contextOf(project, file, e.args[0], ev(), fn);
        for (const [k, v] of clsCtx) if (!ctx.has(k)) ctx.set(k, v);
        if (names.length) sites.push({ file, view: viewName, at: e, templateNames: names, context: ctx, open, exempt });
      }
    },
  });
  return sites;
}

/** Context a class-based view provides: generic keys for its model, extra_context, get_context_data additions. */
function classContext(project: Project, mro: readonly MroEntry[], generic: string | null): { ctx: Map<string, ValueOrigin>; model: ModelRef | null; open: boolean } {
  const ctx = new Map<string, ValueOrigin>();
  let open = false;
  let model: ModelRef | null = null;
  const modelAttr = mroAttribute(mro, "model");
  if (modelAttr) model = modelRef(project, modelAttr.owner.def.file, modelAttr.value);
  const qs = mroAttribute(mro, "queryset");
  if (!model && qs) {
    let cur: A.Expr = qs.value;
    while (cur.kind === "Call" && cur.func.kind === "Attribute") cur = cur.func.value;
    if (cur.kind === "Attribute" && cur.attr === "objects") model = modelRef(project, qs.owner.def.file, cur.value);
  }
  if (generic && model) {
    const src = modelAttr ?? qs!;
    const obj: ValueOrigin = { kind: "object", label: `${model.name} row`, model, trace: [step(src.owner.def.file, src.value, "source", `${generic} loads ${model.name} rows from the database`)] };
    const lower = model.name.toLowerCase();
    const coName = constString(mroAttribute(mro, "context_object_name")?.value);
    if (generic === "ListView" || generic.includes("Archive")) {
      for (const k of ["object_list", `${lower}_list`, "latest"]) ctx.set(k, obj);
      if (coName) ctx.set(coName, obj);
    } else {
      for (const k of ["object", lower]) ctx.set(k, obj);
      if (coName) ctx.set(coName, obj);
    }
  }
  if (generic && /Form|Create|Update|Delete|Login|Password/.test(generic)) ctx.set("form", { kind: "escaped", label: "form", trace: [] });
  const extra = mroAttribute(mro, "extra_context");
  if (extra) {
    const ev = new OriginEval(project, extra.owner.def.file, null, false);
    if (extra.value.kind === "Dict") extra.value.keys.forEach((k, i) => { const key = k && constString(k); if (key) ctx.set(key, ev.of(extra.value.kind === "Dict" ? extra.value.values[i]! : extra.value)); });
  }
  const gcd = mroMethods(mro).get("get_context_data");
  if (gcd && gcd.owner.def) {
    const file = gcd.owner.def.file;
    const ev = new OriginEval(project, file, gcd.fn, true);
    walkBody(gcd.fn.body, {
      stmt: (s) => {
        if (s.kind === "FunctionDef" || s.kind === "ClassDef") return false;
        if (s.kind === "Assign") for (const t of s.targets) {
          if (t.kind === "Subscript") {
            const key = constString(t.slice);
            if (key !== null) ctx.set(key, withStep(project, file, ev.of(s.value), s.value, key));
          }
        }
        if (s.kind === "Expr" && s.value.kind === "Call" && s.value.func.kind === "Attribute" && s.value.func.attr === "update") {
          const { ctx: c } = contextOf(project, file, s.value.args[0], ev, gcd.fn);
          for (const [k, v] of c) ctx.set(k, v);
          for (const k of s.value.keywords) if (k.arg) ctx.set(k.arg, withStep(project, file, ev.of(k.value), k.value, k.arg));
        }
        if (s.kind === "Return" && s.value && s.value.kind === "Dict") {
          const { ctx: c, open: o } = contextOf(project, file, s.value, ev, gcd.fn);
          for (const [k, v] of c) ctx.set(k, v);
          open ||= o;
        }
        return undefined;
      },
    });
  }
  return { ctx, model, open };
}

function classSites(project: Project, file: PythonFile, cls: A.ClassDef, moduleName: string): RenderSite[] {
  const mro = classMro(project, { file, node: cls, qualname: `${moduleName}.${cls.name}` });
  const genericEntry = mro.find((m) => m.known && m.qualname.startsWith("django."));
  const generic = genericEntry?.known?.name ?? null;
  const isView = mro.some((m) => m.known && (m.known.role === "view" || m.known.role === "drf-view"));
  if (!isView) return [];
  const { ctx, model, open } = classContext(project, mro, generic);
  const sites: RenderSite[] = [];
  const viewName = flat(`${moduleName}.${cls.name}`);
  // Handlers (get/post) that render themselves.
  for (const s of cls.body) if (s.kind === "FunctionDef") sites.push(...functionSites(project, file, s, `${viewName}.${s.name}`, mro, ctx, cls.decorators));
  const tn = mroAttribute(mro, "template_name");
  let names = tn ? templateNames(tn.value, null, null) : [];
  if (!names.length && generic && model && GENERIC_SUFFIX[generic]) {
    const parts = model.file.moduleName.split(".");
    const app = parts.length >= 2 ? parts[parts.length - 2]! : parts[0]!;
    const suffix = constString(mroAttribute(mro, "template_name_suffix")?.value) ?? GENERIC_SUFFIX[generic]!;
    names = [`${app}/${model.name.toLowerCase()}${suffix}.html`];
  }
  const rendersItself = generic !== null && generic !== "View" && generic !== "RedirectView";
  if (names.length && rendersItself) sites.push({ file, view: viewName, at: cls, templateNames: names, context: ctx, open, exempt: cls.decorators.some(isCsrfExempt) });
  return sites;
}

function isTemplateTagModule(f: PythonFile): boolean {
  return /(^|\.)(templatetags|migrations|tests?)(\.|$)/.test(f.moduleName);
}

function collectSites(project: Project): RenderSite[] {
  const sites: RenderSite[] = [];
  for (const f of project.python) {
    if (isTemplateTagModule(f)) continue;
    if (!/render|TemplateResponse|template_name|get_template|View\b/.test(f.text)) continue;
    for (const s of f.ast.body) {
      if (s.kind === "FunctionDef") sites.push(...functionSites(project, f, s, `${f.moduleName}.${s.name}`, null, null));
      else if (s.kind === "ClassDef") sites.push(...classSites(project, f, s, f.moduleName));
    }
  }
  return sites;
}

/**
 * The key set of a context, sorted and joined: two contexts with the same keys
 * reach a template the same way for one site. Memoised per map: contexts are never
 * changed once built, and an extended or included template shares its parent's map.
 */
const contextKeysMemo = weakMemo<ReadonlyMap<string, ValueOrigin>, string>();
function contextKeys(ctx: ReadonlyMap<string, ValueOrigin>): string {
  return contextKeysMemo(ctx, () => [...ctx.keys()].sort().join(","));
}

/** The context an included template sees: the includer's (unless `only`) plus the `with` bindings. */
function includedContext(project: Project, inc: IncludeRef, ctx: ReadonlyMap<string, ValueOrigin>): ReadonlyMap<string, ValueOrigin> {
  // Nothing added or taken away: share the includer's map rather than copy it.
  if (!inc.only && !inc.bindings.size) return ctx;
  const out = new Map(inc.only ? [] : ctx);
  for (const [k, expr] of inc.bindings) out.set(k, originInTemplate(project, expr, ctx));
  return out;
}

export const viewLinksAnalysis = defineAnalysis("template-view-links", (project: Project): ViewLinks => {
  const set = project.use(templatesAnalysis);
  const sites = collectSites(project);
  const contexts = new Map<string, TemplateContext[]>();
  // template → site → context key sets already pushed (nested maps, not one string
  // key per push: building and hashing those strings was most of the propagation)
  const seen = new Map<Template, Map<RenderSite, Set<string>>>();
  const queue: { t: Template; tc: TemplateContext }[] = [];
  // Pushed once per (template, site, context keys); the new trace step is built only then.
  const push = (t: Template, site: RenderSite, context: ReadonlyMap<string, ValueOrigin>, via: readonly TraceStep[], newStep: () => TraceStep, overridden?: ReadonlySet<string>) => {
    if (via.length >= 12) return;
    let bySite = seen.get(t);
    if (!bySite) seen.set(t, (bySite = new Map()));
    let keys = bySite.get(site);
    if (!keys) bySite.set(site, (keys = new Set()));
    const k = overridden?.size ? `${contextKeys(context)}\u0001${[...overridden].sort().join(",")}` : contextKeys(context);
    if (keys.has(k)) return;
    keys.add(k);
    const tc: TemplateContext = { site, context, via: via.concat(newStep()), ...(overridden?.size ? { overridden } : {}) };
    const list = contexts.get(t.file.path) ?? [];
    list.push(tc);
    contexts.set(t.file.path, list);
    queue.push({ t, tc });
  };
  for (const site of sites) {
    for (const name of site.templateNames) {
      for (const t of set.byName.get(name) ?? []) push(t, site, site.context, [], () => ({ kind: "step", path: site.file.path, line: site.at.line, column: site.at.col, note: flat(`${site.view} renders '${name}'`) }));
    }
  }
  // A read index instead of `queue.shift()`, which moves the whole array each time (same order).
  for (let qi = 0; qi < queue.length; qi++) {
    const { t, tc } = queue[qi]!;
    if (t.extends) {
      const ext = t.extends;
      const parent = templateNamed(set, t, ext.name);
      // the parent renders under this template without the blocks it (or a template extending it) replaces
      const overridden = t.overrides.size ? new Set([...(tc.overridden ?? []), ...t.overrides]) : tc.overridden;
      if (parent && parent !== t) push(parent, tc.site, tc.context, tc.via, () => ({ kind: "step", path: t.file.path, line: ext.token.start.line, column: ext.token.start.col, note: `{% extends '${ext.name}' %}`, snippet: ext.token.raw }), overridden);
    }
    for (const inc of t.includes) {
      if (!inc.name) continue;
      // an include inside a block the rendering child replaces is never rendered for this view
      if (inc.blocks && tc.overridden && inc.blocks.some((b) => tc.overridden!.has(b))) continue;
      const child = templateNamed(set, t, inc.name);
      if (!child || child === t) continue;
      push(child, tc.site, includedContext(project, inc, tc.context), tc.via, () => ({ kind: "step", path: t.file.path, line: inc.token.start.line, column: inc.token.start.col, note: `{% include '${inc.name}' %}`, snippet: inc.token.raw }));
    }
  }
  return { sites, contexts, processors: processorContext(project) };
});

/** Keys returned by the project's context processors (TEMPLATES OPTIONS["context_processors"]), with their origins. */
function processorContext(project: Project): Map<string, ValueOrigin> {
  const out = new Map<string, ValueOrigin>();
  for (const b of templateConfig(project).backends) {
    for (const dotted of b.contextProcessors) {
      const def = resolveDefinition(project, dotted);
      if (!def || def.node.kind !== "FunctionDef") continue;
      const fn = def.node;
      const ev = new OriginEval(project, def.file, fn, true);
      walkBody(fn.body, {
        stmt: (s) => {
          if (s.kind === "FunctionDef" || s.kind === "ClassDef") return false;
          if (s.kind !== "Return" || !s.value) return undefined;
          const { ctx } = contextOf(project, def.file, s.value, ev, fn);
          for (const [k, v] of ctx) {
            const o = v.kind === "request" || v.kind === "stored" || v.kind === "object" ? { ...v, trace: v.trace.concat(step(def.file, s, "step", `context processor ${dotted} adds '${k}' to every template`)) } : v;
            const prev = out.get(k);
            if (!prev || rank(o) > rank(prev)) out.set(k, o);
          }
          return undefined;
        },
      });
    }
  }
  return out;
}

const CONSTANT_ROOTS = new Set(["csrf_token", "csrf_input", "perms", "messages", "STATIC_URL", "MEDIA_URL", "forloop", "loop", "block", "LANGUAGE_CODE", "LANGUAGE_BIDI", "debug", "sql_queries", "True", "False", "None", "true", "false", "none", "static", "url"]);
const FORM_API = /^(label|help_text|label_tag|html_name|id_for_label|auto_id|widget_type|field|is_hidden|use_fieldset|legend_tag|required|fields|visible_fields|hidden_fields|media|prefix|non_field_errors)$/;
/** What a bound form or field hands out as the submitted values, unescaped. */
const FORM_DATA = /^(value|data|cleaned_data|initial)$/;

/**
 * Origin of a template expression (`post.body`, `request.GET.q`, `"x"`) under a
 * context: context keys first, then what Django's context processors add
 * (request, user, perms...).
 */
export function originInTemplate(project: Project, expr: string, context: ReadonlyMap<string, ValueOrigin> | null): ValueOrigin {
  return originOf(project, templateExpr(expr), context);
}

/** A template expression read once: a base template's variable is looked up under every context that reaches it (thousands on NetBox). */
interface TemplateExpr {
  /** a literal, or a key, count or URL the app builds itself */
  constant: boolean;
  path: string[];
  root: string;
}

function templateExpr(expr: string): TemplateExpr {
  const e = expr.trim();
  const path = e.split(".");
  const root = path[0]!.replace(/\(.*$/, "");
  const constant = /^(["']).*\1$/.test(e) || /^-?\d+(\.\d+)?$/.test(e) || /^_\(\s*(["']).*\1\s*\)$/.test(e)
    // Keys, counts and URLs the app builds itself are not user text, whatever they hang off.
    || (path.length > 1 && /^(id|pk|count|exists|length|get_absolute_url|is_authenticated|is_staff|is_superuser)$/.test(path[path.length - 1]!))
    // django-tables2's `column.attrs.td.as_html`: AttributeDict.as_html() escapes every value (format_html_join)
    || (path.length > 2 && path[path.length - 1] === "as_html" && path.slice(1, -1).includes("attrs"));
  return { constant, path, root };
}

function originOf(project: Project, x: TemplateExpr, context: ReadonlyMap<string, ValueOrigin> | null): ValueOrigin {
  if (x.constant) return CONSTANT;
  if (escapedByMethod(project, x)) return { kind: "escaped", label: `${x.path.join(".")} (every method of that name escapes what it puts in)`, trace: [] };
  const ctxHit = context?.get(x.root);
  return ctxHit ? originThrough(project, x, ctxHit) : originOutside(x);
}

/** `{{ meta.as_html }}`: every project method or property of the last name returns sanitised markup (tags.ts escapedHtmlMethodAnywhere). */
function escapedByMethod(project: Project, x: TemplateExpr): boolean {
  return x.path.length >= 2 && escapedHtmlMethodAnywhere(project, x.path[x.path.length - 1]!.replace(/\(.*$/, ""));
}

/** The expression's origin when its root is a context key holding `ctxHit`. */
function originThrough(project: Project, x: TemplateExpr, ctxHit: ValueOrigin): ValueOrigin {
  if (escapedByMethod(project, x)) return { kind: "escaped", label: `${x.path.join(".")} (every method of that name escapes what it puts in)`, trace: ctxHit.trace };
  let cur: ValueOrigin = ctxHit;
  // on a bound form: 0 = the form, 1 = one of its fields (BoundField)
  let formDepth = 0;
  for (const raw of x.path.slice(1)) {
    const seg = raw.replace(/\(.*$/, "");
    if (/^\d+$/.test(seg)) continue;
    if (cur.kind === "object") cur = fieldOrigin(project, { path: "" }, { line: 0, col: 0, endLine: 0, endCol: 0 }, cur, seg);
    else if (cur.kind === "constant" || cur.kind === "escaped") break;
    // A bound form built from request data: its labels and help texts are the developer's.
    else if (cur.kind === "request" && FORM_API.test(seg)) { cur = CONSTANT; break; }
    // the submitted values themselves: raw request data
    else if (cur.form && FORM_DATA.test(seg)) cur = { ...cur, form: false };
    else if (cur.form && formDepth === 0) formDepth = 1;
    else if (cur.form) { cur = CONSTANT; break; }
  }
  // A bound form or field rendered whole ({{ form }}, {{ form.title }}, {{ field }}
  // over {% for field in form %}) is widget HTML Django built with the values escaped:
  // |safe on it changes nothing.
  if (cur.form) return { kind: "escaped", label: `${cur.label} (rendered by Django's widgets)`, trace: cur.trace };
  // `attachment.file.url` on a row whose model we lost (reached through a property): a file field's URL, which the storage
  // makes from MEDIA_URL and the stored name, so it cannot start a javascript: URL (known models: fieldOrigin's FILE_FIELDS);
  // not in JSON a field holds (`embed.image.url` of a chat message's embeds is whatever the sender put there)
  const n = x.path.length;
  if (cur.kind === "stored" && !cur.structured && n >= 3 && x.path[n - 1] === "url" && FILE_ATTR.test(x.path[n - 2]!)) return { kind: "constant", label: `${cur.label} (a stored file's URL)`, trace: [] };
  // `book.work.local_path` where we lost the row's model on the way: a link every project method of that name builds from this site's paths
  // (or a field every model declaring one of that name validates as an http(s) URL: BookWyrm's remote_id)
  if ((cur.kind === "stored" || cur.kind === "object") && !cur.structured && !cur.urlField && n >= 2) {
    const last = x.path[n - 1]!.replace(/\(.*$/, "");
    if (sitePathMethodAnywhere(project, last) || urlFieldAnywhere(project, last)) return { ...cur, urlField: true };
    // `submission.urls.confirm`, `submission.urls.review.full`: a URL template a class inside the model defines (urlman)
    const [cls, attr] = last === "full" ? [x.path[n - 3], x.path[n - 2]] : [x.path[n - 2], last];
    if (n >= 3 && cls && attr && nestedUrlTemplateAnywhere(project, cls, attr)) return { ...cur, urlField: true };
  }
  return cur;
}

/** The expression's origin when no context key holds its root: what Django's own context processors add. */
function originOutside(x: TemplateExpr): ValueOrigin {
  const { path, root } = x;
  if (root === "request") {
    const seg = path[1] ?? "";
    if (seg === "META" && serverMetaKey(path[2])) return CONSTANT;
    if (/^(GET|POST|COOKIES|META|headers|body|path|path_info|get_full_path|build_absolute_uri|query_params|data)$/.test(seg)) {
      // this site's own paths, and the Referer: a browser sends only the http(s) URL of the page a link was on, never a javascript: URL
      const urlField = /^(path|path_info|get_full_path|build_absolute_uri)$/.test(seg) || (seg === "META" && path[2] === "HTTP_REFERER") || (seg === "headers" && /^referer$/i.test(path[2] ?? ""));
      return { kind: "request", label: `request.${seg}`, trace: [], urlField };
    }
    if (seg === "user") return USER_TEXT_ATTRS.has(path[2] ?? "") ? { kind: "stored", label: `request.user.${path[2]}`, trace: [] } : CONSTANT;
    return UNKNOWN;
  }
  if (root === "user") return USER_TEXT_ATTRS.has(path[1] ?? "") ? { kind: "stored", label: `user.${path[1]}`, trace: [] } : path.length === 1 ? { kind: "stored", label: "user", trace: [] } : CONSTANT;
  if (CONSTANT_ROOTS.has(root)) return CONSTANT;
  return UNKNOWN;
}

/** Origin of a template variable over every context that reaches the template; null context means not linked. */
export function originForVar(project: Project, links: ViewLinks, template: Template, resolved: string, blocks: readonly string[] | null = null): { origin: ValueOrigin; tc: TemplateContext | null } {
  const reaching = links.contexts.get(template.file.path) ?? [];
  // a variable in a block every template rendering this one replaces is never output
  const tcs = blocks ? reaching.filter((tc) => !tc.overridden || !blocks.some((b) => tc.overridden!.has(b))) : reaching;
  if (reaching.length && !tcs.length) return { origin: CONSTANT, tc: null };
  const root = /^[A-Za-z_]\w*/.exec(resolved)?.[0] ?? "";
  const x = templateExpr(resolved);
  // What every template sees: Django's processors (request, user...) and the project's own.
  const builtin = originOf(project, x, links.processors.has(root) ? links.processors : null);
  if (!tcs.length) return { origin: builtin, tc: null };
  let best: { origin: ValueOrigin; tc: TemplateContext | null } | null = null;
  // Contexts reaching one template often hold the same value under the root (passed on by {% extends %}).
  const through = new Map<ValueOrigin, ValueOrigin>();
  for (const tc of tcs) {
    // A key a view does not pass renders as "" — unless the view's context may hold keys we could not see.
    // A value every template sees (request, user, a context processor's key) is not the view's doing: no view in its trace.
    const passed = tc.context.has(root);
    let o: ValueOrigin;
    if (passed) {
      const hit = x.constant ? undefined : tc.context.get(x.root);
      if (hit) {
        let t = through.get(hit);
        if (!t) through.set(hit, (t = originThrough(project, x, hit)));
        o = t;
      } else o = originOf(project, x, null);
    } else o = builtin.kind === "unknown" && !tc.site.open ? CONSTANT : builtin;
    if (!best || rank(o) > rank(best.origin)) best = { origin: o, tc: passed || o.kind === "unknown" ? tc : null };
  }
  return best!;
}

function rank(o: ValueOrigin): number {
  return ["constant", "escaped", "unknown", "object", "stored", "request"].indexOf(o.kind);
}
