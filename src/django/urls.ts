// URLconf resolution: from the root URLconf down through include()s (module
// strings, lists, (patterns, app_name) tuples, namespaces), i18n_patterns, DRF
// routers (register() and @action routes), admin.site.urls and static()/serve
// entries, to one flat list of routes. Every route carries its full pattern, its
// path parameters with their converters (what values the view argument can hold),
// the view it resolves to (a project FunctionDef, or the ClassDef behind
// `.as_view()` / a viewset), its URL name and where the pattern is declared.
//
//   const conf = project.use(urlsAnalysis);
//   for (const r of conf.routes) r.pattern, r.params, r.view.def, r.path, r.line
//
// The data-flow engine reads `paramsFor(project, fnOrClass)` to type view arguments.
import type { Project, PythonFile } from "../project/project.js";
import { defineAnalysis } from "../project/project.js";
import * as A from "../python/ast.js";
import { constString, dottedName, exprText, walkBody } from "../python/walk.js";
import { qualifiedName, resolveDefinition, scopeOf, type ResolvedDef } from "../python/scope.js";
import { classEntry, classMro, extraActions, isViewSet, mroAttribute, viewsetActions, type MroEntry } from "./classes.js";
import { appSettingsAnalysis } from "./appsettings.js";
import { settingsSummary } from "./production.js";
import { settingsAnalysis } from "./settings/index.js";
import { exact, flat } from "../project/compact.js";

export type ValueType = "int" | "uuid" | "slug" | "str" | "path" | "unknown";

export interface PathParam {
  name: string;
  /** as written: "int" | "str" | "slug" | "uuid" | "path" | a custom converter name | "re" for a regex group */
  converter: string;
  /** the group's regex, for re_path()/url()/router lookups */
  regex?: string;
  /** what the view argument can hold: int/uuid/slug are not injection carriers, str/path/unknown are */
  valueType: ValueType;
}

export type ViewKind = "function" | "class" | "viewset" | "admin" | "static" | "drf-root" | "unknown";

export interface RouteView {
  /** the view expression as written in the URLconf */
  text: string;
  kind: ViewKind;
  /** canonical dotted name of the function or class (third-party ones too), null when unknown */
  qualname: string | null;
  /** the project definition: a function, or the class behind `.as_view()` / a viewset */
  def: ResolvedDef | null;
  /** the class's method resolution order (class-based views and viewsets) */
  mro: readonly MroEntry[];
  /** decorators applied in the URLconf itself (`csrf_exempt(view)`), outermost first */
  wrappers: { name: string; path: string; line: number }[];
  /** keywords of `.as_view(...)` */
  initkwargs: A.Keyword[];
  /** DRF viewset route: HTTP method → action ("get" → "list") */
  actions?: Record<string, string>;
  /** DRF @action method name for extra-action routes */
  extraAction?: string;
  /** the file the view expression is written in */
  file: PythonFile;
}

export type RouteVia = "path" | "re_path" | "url" | "router" | "admin" | "static";

export interface Route {
  /** full pattern for display, prefixes joined, regex anchors removed, groups as `<name>` */
  pattern: string;
  /** any part of the pattern is a regex (re_path/url/router) */
  regex: boolean;
  params: PathParam[];
  /** URL name with namespaces, e.g. "shop:order-detail" */
  name: string | null;
  view: RouteView;
  /** where the route is declared: the path()/register()/static() call */
  path: string;
  line: number;
  span: A.Span;
  via: RouteVia;
  /** include() sites from the root down to this route */
  includes: { path: string; line: number }[];
  i18n: boolean;
  /** added inside `if settings.DEBUG:` */
  debugOnly: boolean;
  router?: { prefix: string; basename: string; detail: boolean };
}

export interface UrlConf {
  /** root URLconf modules and how each was found */
  roots: { module: string; path: string; reason: string }[];
  routes: Route[];
}

export const urlsAnalysis = defineAnalysis<UrlConf>("urls", (project) => resolveUrlConf(project));

/** Routes indexed by every project def they reach (the view, and each class in its MRO): built once per scan. */
const routesByDef = defineAnalysis<Map<A.FunctionDef | A.ClassDef, Route[]>>("routes-by-def", (project) => {
  const index = new Map<A.FunctionDef | A.ClassDef, Route[]>();
  const add = (node: A.FunctionDef | A.ClassDef, r: Route) => {
    const list = index.get(node);
    if (!list) index.set(node, [r]);
    else if (list[list.length - 1] !== r) list.push(r);
  };
  for (const r of project.use(urlsAnalysis).routes) {
    if (r.view.def) add(r.view.def.node, r);
    for (const m of r.view.mro) if (m.def) add(m.def.node, r);
  }
  return index;
});

/** Routes whose view is this function or class (a class also gets the routes of the routed classes inheriting from it). */
export function routesFor(project: Project, def: A.FunctionDef | A.ClassDef): Route[] {
  return project.use(routesByDef).get(def) ?? [];
}

/** Path parameters the URLconf passes to a view function or class (merged over all its routes). */
export function paramsFor(project: Project, def: A.FunctionDef | A.ClassDef): Map<string, PathParam[]> {
  const out = new Map<string, PathParam[]>();
  for (const r of routesFor(project, def)) for (const p of r.params) out.set(p.name, [...(out.get(p.name) ?? []), p]);
  return out;
}

/**
 * Whether the URL can fill a view function's parameter. A parameter with a default
 * that none of the function's routes passes is left at its default by Django (other
 * code may call the view with it: `return profile(request, slug, member_form=form)`);
 * every other parameter after the request can come from the URL, and so can any of
 * an unrouted view's (it may be wired in ways the resolver cannot follow).
 */
export function urlSupplies(project: Project, fn: A.FunctionDef, param: A.Param): boolean {
  if (param.default === null || param.star !== "") return true;
  const routes = routesFor(project, fn);
  return routes.length === 0 || routes.some((r) => r.params.some((p) => p.name === param.name));
}

/** The call a module-level name is assigned once (`search_view = SearchView.as_view()`), or null. */
function moduleLevelCall(project: Project, file: PythonFile, e: A.Name): A.Call | null {
  const v = scopeOf(project, file).assigns.get(e.id);
  return v?.kind === "Call" ? v : null;
}

// ---------------------------------------------------------------- roots

function findRoots(project: Project): UrlConf["roots"] {
  const found: UrlConf["roots"] = [];
  const add = (module: string, reason: string) => {
    const target = project.pythonByModule.get(module);
    if (target && !found.some((r) => r.module === module)) found.push({ module, path: target.path, reason });
  };
  for (const s of settingCandidates(project, "ROOT_URLCONF")) add(s.value, `ROOT_URLCONF in ${s.path}`);
  // django-hosts: each host(regex, urlconf) of ROOT_HOSTCONF's host_patterns serves a URLconf of its own
  for (const conf of settingCandidates(project, "ROOT_HOSTCONF")) {
    const file = project.pythonByModule.get(conf.value);
    if (!file) continue;
    walkBody(file.ast.body, {
      expr: (e) => {
        if (e.kind !== "Call" || !/^django_hosts(\.defaults)?\.host$/.test(qualifiedName(project, file, e.func) ?? "")) return;
        const arg = e.args[1] ?? e.keywords.find((k) => k.arg === "urlconf")?.value;
        const module = arg && qualifiedName(project, file, arg) === "django.conf.settings.ROOT_URLCONF" ? found[0]?.module : constString(arg);
        const name = constString(e.keywords.find((k) => k.arg === "name")?.value) ?? constString(e.args[0]) ?? "?";
        if (module) add(module, `django-hosts host "${name}" in ${file.path} (ROOT_HOSTCONF)`);
      },
    });
  }
  return found;
}

/**
 * The values a string setting can have: the evaluated production settings' value when
 * there is one, otherwise every literal assignment in the project, the production
 * settings module's first.
 */
function settingCandidates(project: Project, name: string): { value: string; path: string }[] {
  const st = project.use(settingsAnalysis);
  const evaluated = st.js(name);
  if (typeof evaluated === "string" && project.pythonByModule.has(evaluated)) return [{ value: evaluated, path: st.get(name)!.site.path }];
  const prod = settingsSummary(project).module;
  const out: { value: string; path: string; prod: boolean }[] = [];
  for (const f of project.python) {
    const s = constString(scopeOf(project, f).assigns.get(name));
    if (s) out.push({ value: s, path: f.path, prod: f.moduleName === prod });
  }
  return out.sort((a, b) => Number(b.prod) - Number(a.prod));
}

// ---------------------------------------------------------------- evaluation

interface Seg { text: string; regex: boolean }
interface Ctx {
  prefix: Seg[];
  params: PathParam[];
  ns: string[];
  includes: { path: string; line: number }[];
  i18n: boolean;
  debugOnly: boolean;
  stack: string[];
}
interface Entry { expr: A.Expr; file: PythonFile; i18n: boolean; debugOnly: boolean }

const PATH_FUNCS = /^django\.(urls|conf\.urls)\.(path|re_path|url)$/;

class Resolver {
  routes: Route[] = [];
  /** modules reached through include() */
  included = new Set<string>();
  private varCache = new Map<string, Entry[]>();

  constructor(private project: Project) {}

  q(file: PythonFile, e: A.Expr): string {
    return qualifiedName(this.project, file, e) ?? dottedName(e) ?? "";
  }

  /** The entries a module-level list variable ends up holding (in statement order, `+=`, append, extend). */
  moduleVar(file: PythonFile, name: string, stack: string[]): Entry[] {
    const key = `${file.moduleName}:${name}`;
    const hit = this.varCache.get(key);
    if (hit) return hit;
    if (stack.includes(key)) return [];
    const env = new Map<string, Entry[]>();
    const st = [...stack, key];
    const run = (body: A.Stmt[], debugOnly: boolean) => {
      for (const s of body) {
        if (s.kind === "Assign") {
          const entries = this.evalList(file, s.value, env, { i18n: false, debugOnly }, st);
          for (const t of s.targets) if (t.kind === "Name") env.set(t.id, entries);
        } else if (s.kind === "AugAssign" && s.target.kind === "Name" && s.op.startsWith("+")) {
          env.set(s.target.id, [...(env.get(s.target.id) ?? []), ...this.evalList(file, s.value, env, { i18n: false, debugOnly }, st)]);
        } else if (s.kind === "Expr" && s.value.kind === "Call" && s.value.func.kind === "Attribute" && s.value.func.value.kind === "Name") {
          const target = s.value.func.value.id;
          const m = s.value.func.attr;
          const arg = m === "insert" ? s.value.args[1] : s.value.args[0];
          if (!arg || !env.has(target)) continue;
          if (m === "append" || m === "insert") env.set(target, [...env.get(target)!, { expr: arg, file, i18n: false, debugOnly }]);
          else if (m === "extend") env.set(target, [...env.get(target)!, ...this.evalList(file, arg, env, { i18n: false, debugOnly }, st)]);
        } else if (s.kind === "If") {
          const debug = debugOnly || mentionsDebug(s.test);
          run(s.body, debug);
          run(s.orelse, debugOnly);
        } else if (s.kind === "Try") {
          run(s.body, debugOnly);
          for (const h of s.handlers) run(h.body, debugOnly);
          run(s.orelse, debugOnly);
          run(s.finalbody, debugOnly);
        }
      }
    };
    run(file.ast.body, false);
    let out = env.get(name);
    if (!out) {
      // imported from another module: `from .api import urlpatterns as api_urls`
      const imp = scopeOf(this.project, file).imports.get(name);
      const target = imp?.name ? this.project.pythonByModule.get(imp.module) : undefined;
      out = target ? this.moduleVar(target, imp!.name!, st) : [];
    }
    this.varCache.set(key, out);
    return out;
  }

  /** Flatten a urlpatterns-like expression into its entries. */
  evalList(file: PythonFile, e: A.Expr, env: Map<string, Entry[]>, flags: { i18n: boolean; debugOnly: boolean }, stack: string[]): Entry[] {
    const one = (x: A.Expr): Entry[] => [{ expr: x, file, ...flags }];
    switch (e.kind) {
      case "List": case "Tuple":
        return e.elts.flatMap((x) => (x.kind === "Starred" ? this.evalList(file, x.value, env, flags, stack) : this.evalList(file, x, env, flags, stack)));
      case "BinOp":
        return e.op === "+" ? [...this.evalList(file, e.left, env, flags, stack), ...this.evalList(file, e.right, env, flags, stack)] : [];
      case "Name": {
        const local = env.get(e.id);
        if (local) return local.map((x) => ({ ...x, i18n: x.i18n || flags.i18n, debugOnly: x.debugOnly || flags.debugOnly }));
        const imp = scopeOf(this.project, file).imports.get(e.id);
        const target = imp?.name ? this.project.pythonByModule.get(imp.module) : undefined;
        const from = target ? this.moduleVar(target, imp!.name!, stack) : imp ? [] : this.moduleVar(file, e.id, stack);
        return from.map((x) => ({ ...x, i18n: x.i18n || flags.i18n, debugOnly: x.debugOnly || flags.debugOnly }));
      }
      case "Attribute":
        return e.attr === "urls" || e.attr === "urlpatterns" ? one(e) : [];
      case "Call": {
        const q = this.q(file, e.func);
        const tail = q.slice(q.lastIndexOf(".") + 1);
        if (tail === "i18n_patterns") return e.args.flatMap((a) => this.evalList(file, a.kind === "Starred" ? a.value : a, env, { ...flags, i18n: true }, stack));
        if (tail === "format_suffix_patterns" || tail === "list") return e.args[0] ? this.evalList(file, e.args[0], env, flags, stack) : [];
        // a list of URL lists joined into one: reduce(add, groups), sum(groups, []), chain(*groups), chain.from_iterable(groups)
        const joined = (tail === "reduce" && /(^|\.)(add|iadd|concat)$/.test(e.args[0] ? this.q(file, e.args[0]) : "")) ? e.args[1]
          : tail === "sum" ? e.args[0] : tail === "from_iterable" ? e.args[0] : tail === "chain" ? e.args[0]?.kind === "Starred" ? e.args[0].value : undefined : undefined;
        if (joined) return this.evalList(file, joined, env, flags, stack);
        if (tail === "chain") return e.args.flatMap((a) => this.evalList(file, a, env, flags, stack));
        if (PATH_FUNCS.test(q) || tail === "path" || tail === "re_path" || tail === "url") return one(e);
        if (tail === "static" || tail === "staticfiles_urlpatterns" || tail === "debug_toolbar_urls") return one(e);
        return [];
      }
      default:
        return [];
    }
  }

  handleEntries(entries: Entry[], ctx: Ctx): void {
    for (const en of entries) this.handleEntry(en, { ...ctx, i18n: ctx.i18n || en.i18n, debugOnly: ctx.debugOnly || en.debugOnly });
  }

  /** URL lists being expanded by handleEntry (a list appended to itself would never end) */
  private readonly expanding = new Set<A.Expr>();

  handleEntry(en: Entry, ctx: Ctx): void {
    const { expr, file } = en;
    // a whole URL list appended to a list of lists (`groups.append(admin_urls)`, later joined by reduce(add, groups))
    if (expr.kind === "Name" || expr.kind === "List" || expr.kind === "Tuple") {
      if (this.expanding.has(expr)) return; // `groups.append(groups)`
      this.expanding.add(expr);
      try {
        this.handleEntries(this.evalList(file, expr, new Map(), { i18n: en.i18n, debugOnly: en.debugOnly }, []), ctx);
      } finally {
        this.expanding.delete(expr);
      }
      return;
    }
    if (expr.kind === "Attribute") {
      const r = this.routerOf(file, expr.value);
      if (r) this.routerRoutes(r, ctx, file, expr);
      return;
    }
    if (expr.kind !== "Call") return;
    const q = this.q(file, expr.func);
    const tail = q.slice(q.lastIndexOf(".") + 1);
    if (tail === "static" || tail === "staticfiles_urlpatterns") {
      // static(settings.MEDIA_URL, ...) → the setting's literal value when we can read it
      const prefixExpr = expr.args[0];
      const setting = tail === "static" ? (prefixExpr ? dottedName(prefixExpr)?.replace(/^settings\./, "") ?? null : null) : "STATIC_URL";
      const literal = (prefixExpr && constString(prefixExpr)) ?? (setting ? this.project.use(appSettingsAnalysis).strings.get(setting) : undefined);
      const display = literal && !/^https?:/.test(literal) ? `${literal.replace(/^\//, "")}<path:path>` : `<${setting ?? "?"}>`;
      this.push({
        ctx, file, call: expr, via: "static", seg: { text: display, regex: false }, ownParams: display.endsWith("<path:path>") ? pathParams(display) : [], name: null,
        view: { ...emptyView(file, q), kind: "static", qualname: "django.views.static.serve", text: `${tail}(${expr.args.map(exprText).join(", ")})` },
      });
      return;
    }
    if (tail === "debug_toolbar_urls") return;
    const via: RouteVia = tail === "path" ? "path" : tail === "re_path" ? "re_path" : "url";
    const routeArg = expr.args[0] ?? expr.keywords.find((k) => k.arg === "route")?.value;
    const viewArg = expr.args[1] ?? expr.keywords.find((k) => k.arg === "view")?.value;
    if (!routeArg || !viewArg) return;
    const routeText = this.routeString(file, routeArg);
    const regex = via !== "path";
    const seg: Seg = { text: routeText, regex };
    const ownParams = regex ? regexParams(routeText) : pathParams(routeText);
    const nameArg = expr.keywords.find((k) => k.arg === "name")?.value ?? expr.args[3];
    const name = constString(nameArg);

    // include(...) or a (patterns, app_name, namespace) tuple
    const inc = this.includeTarget(file, viewArg);
    if (inc) {
      const child: Ctx = {
        ...ctx,
        prefix: [...ctx.prefix, seg],
        params: ctx.params.concat(ownParams),
        includes: [...ctx.includes, { path: file.path, line: expr.line }],
      };
      if (inc.kind === "admin") {
        this.push({
          ctx, file, call: expr, via: "admin", seg, ownParams, name: "admin:index",
          view: { ...emptyView(file, inc.text), kind: "admin", qualname: "django.contrib.admin.sites.AdminSite", text: inc.text },
        });
        return;
      }
      if (inc.namespace) child.ns = [...ctx.ns, inc.namespace];
      if (inc.kind === "router") {
        this.routerRoutes(inc.router, child, file, viewArg);
        return;
      }
      if (inc.kind === "module") {
        const target = this.project.pythonByModule.get(inc.module);
        if (!target) return;
        if (ctx.stack.includes(inc.module)) return;
        this.included.add(inc.module);
        const appName = constString(scopeOf(this.project, target).assigns.get("app_name"));
        const ns = inc.namespace ?? appName;
        child.ns = ns ? [...ctx.ns, ns] : ctx.ns;
        child.stack = [...ctx.stack, inc.module];
        this.handleEntries(this.moduleVar(target, "urlpatterns", []), child);
        return;
      }
      this.handleEntries(inc.entries, child);
      return;
    }
    this.push({ ctx, file, call: expr, via, seg, ownParams, name, view: this.viewRef(file, viewArg) });
  }

  /** A route string: a literal, an f-string, or a module-level name; runtime parts (a SITE_ROOT prefix) read as empty. */
  routeString(file: PythonFile, e: A.Expr): string {
    const lit = constString(e);
    if (lit !== null) return lit;
    if (e.kind === "JoinedStr") return e.values.map((v) => (v.kind === "Constant" ? String(v.value) : "")).join("");
    if (e.kind === "Attribute" && e.value.kind === "Name" && e.value.id === "settings") {
      const v = this.project.use(settingsAnalysis).js(e.attr);
      return typeof v === "string" ? v : "";
    }
    if (e.kind === "Name") {
      // the module's plain literal for it (`prefix = ""`), ignoring runtime overrides
      for (const st of file.ast.body) {
        if (st.kind === "Assign" && st.targets.some((t) => t.kind === "Name" && t.id === e.id)) {
          const lit2 = constString(st.value);
          if (lit2 !== null) return lit2;
        }
      }
      return "";
    }
    return "<?>";
  }

  push(p: { ctx: Ctx; file: PythonFile; call: A.Call; via: RouteVia; seg: Seg; ownParams: PathParam[]; name: string | null; view: RouteView; router?: Route["router"] }): void {
    const segs = [...p.ctx.prefix, p.seg];
    this.routes.push({
      pattern: displayPattern(segs),
      regex: segs.some((s) => s.regex),
      params: viewArgs(p.ctx.params.concat(p.ownParams), p.view.def?.node),
      name: p.name ? [...p.ctx.ns, p.name].join(":") : null,
      view: p.view,
      path: p.file.path,
      line: p.call.line,
      span: p.call,
      via: p.via,
      includes: p.ctx.includes,
      i18n: p.ctx.i18n,
      debugOnly: p.ctx.debugOnly,
      ...(p.router ? { router: p.router } : {}),
    });
  }

  includeTarget(file: PythonFile, e: A.Expr):
    | { kind: "module"; module: string; namespace: string | null }
    | { kind: "entries"; entries: Entry[]; namespace: string | null }
    | { kind: "router"; router: RouterInfo; namespace: string | null }
    | { kind: "admin"; text: string; namespace: null }
    | null {
    if (e.kind === "Attribute" && e.attr === "urls") {
      const r = this.routerOf(file, e.value);
      if (r) return { kind: "router", router: r, namespace: null };
      if (/(^|\.)(site|admin_site|\w*site)$/i.test(dottedName(e.value) ?? "") || /AdminSite|admin\.site/.test(this.q(file, e.value))) return { kind: "admin", text: dottedName(e) ?? "admin.site.urls", namespace: null };
      return null;
    }
    if (e.kind === "Tuple") {
      // (patterns, app_name[, namespace]) — the form include() returns
      const [pats, app, ns] = e.elts;
      if (!pats) return null;
      const inner = this.includeTarget(file, pats);
      const namespace = constString(ns) ?? constString(app);
      if (inner) return { ...inner, namespace: namespace ?? inner.namespace } as NonNullable<ReturnType<Resolver["includeTarget"]>>;
      return { kind: "entries", entries: this.evalList(file, pats, new Map(), { i18n: false, debugOnly: false }, []), namespace };
    }
    if (e.kind !== "Call") return null;
    const q = this.q(file, e.func);
    if (!/(^|\.)include$/.test(q)) return null;
    const arg = e.args[0];
    if (!arg) return null;
    const nsKw = constString(e.keywords.find((k) => k.arg === "namespace")?.value);
    const mod = constString(arg);
    if (mod) return { kind: "module", module: mod, namespace: nsKw };
    if (arg.kind === "Tuple") {
      const [pats, app] = arg.elts;
      const appName = constString(app);
      const m2 = constString(pats);
      if (m2) return { kind: "module", module: m2, namespace: nsKw ?? appName };
      if (pats) {
        const inner = this.includeTarget(file, pats);
        if (inner && inner.kind !== "admin") return { ...inner, namespace: nsKw ?? appName };
        return { kind: "entries", entries: this.evalList(file, pats, new Map(), { i18n: false, debugOnly: false }, []), namespace: nsKw ?? appName };
      }
      return null;
    }
    if (arg.kind === "Attribute" && arg.attr === "urls") {
      const r = this.routerOf(file, arg.value);
      if (r) return { kind: "router", router: r, namespace: nsKw };
    }
    // include(module_object) — `from . import api_urls; include(api_urls)`
    if (arg.kind === "Name" || arg.kind === "Attribute") {
      const target = qualifiedName(this.project, file, arg);
      if (target && this.project.pythonByModule.has(target)) return { kind: "module", module: target, namespace: nsKw };
    }
    return { kind: "entries", entries: this.evalList(file, arg, new Map(), { i18n: false, debugOnly: false }, []), namespace: nsKw };
  }

  viewRef(file: PythonFile, e: A.Expr): RouteView {
    const wrappers: RouteView["wrappers"] = [];
    // `search_view = SearchView.as_view()` at module level, then `path("s/", search_view)`
    let cur = e.kind === "Name" ? moduleLevelCall(this.project, file, e) ?? e : e;
    for (let i = 0; i < 10; i++) {
      if (cur.kind !== "Call") break;
      if (cur.func.kind === "Attribute" && cur.func.attr === "as_view") {
        // a registry or class decorator handing the class back: `extensions.get(PageView).as_view()`
        const recv = cur.func.value;
        const cls = classEntry(this.project, file, recv) ?? (recv.kind === "Call" && recv.args.length === 1 && recv.args[0]!.kind !== "Starred" ? classEntry(this.project, file, recv.args[0]!) : null);
        const mro = cls?.def ? classMro(this.project, cls.def) : cls ? [cls] : [];
        const view: RouteView = {
          text: flat(exprText(e)), kind: isViewSet(mro) ? "viewset" : "class", qualname: cls?.qualname ?? this.q(file, cur.func.value),
          def: cls?.def ?? null, mro, wrappers, initkwargs: cur.keywords, file,
        };
        const mapping = cur.args[0];
        if (mapping?.kind === "Dict") {
          view.actions = {};
          mapping.keys.forEach((k, j) => {
            const m = constString(k ?? undefined);
            const a = constString(mapping.values[j]);
            if (m && a) view.actions![m.toLowerCase()] = a;
          });
        }
        return view;
      }
      const fn = cur.func.kind === "Call" ? cur.func.func : cur.func;
      const target = cur.args[0];
      if (!target || target.kind === "Starred") break;
      wrappers.push({ name: this.q(file, fn), path: file.path, line: cur.line });
      cur = target;
    }
    const str = constString(cur);
    const qual = str ?? qualifiedName(this.project, file, cur);
    const def = qual ? resolveDefinition(this.project, qual) : null;
    if (def?.node.kind === "ClassDef") {
      const mro = classMro(this.project, def as ResolvedDef & { node: A.ClassDef });
      return { text: flat(exprText(e)), kind: isViewSet(mro) ? "viewset" : "class", qualname: def.qualname, def, mro, wrappers, initkwargs: [], file };
    }
    return { text: flat(exprText(e)), kind: def || qual ? "function" : "unknown", qualname: def?.qualname ?? (qual === null ? null : flat(qual)), def, mro: [], wrappers, initkwargs: [], file };
  }

  // ------------------------------------------------------------ DRF routers

  /** The router a name refers to (defined here or imported), with its register() calls. */
  routerOf(file: PythonFile, e: A.Expr, depth = 0): RouterInfo | null {
    if (depth > 6 || e.kind !== "Name") return null;
    const scope = scopeOf(this.project, file);
    const value = scope.assigns.get(e.id);
    if (value && value.kind === "Call") {
      const q = this.q(file, value.func);
      if (!/Router$/.test(q)) return null;
      const ts = value.keywords.find((k) => k.arg === "trailing_slash")?.value;
      const trailing = ts && ts.kind === "Constant" && ts.value === false ? "" : "/";
      const registrations: A.Call[] = [];
      const walk = (body: A.Stmt[]) => {
        for (const s of body) {
          if (s.kind === "Expr" && s.value.kind === "Call" && s.value.func.kind === "Attribute" && s.value.func.attr === "register" && s.value.func.value.kind === "Name" && s.value.func.value.id === e.id) registrations.push(s.value);
          else if (s.kind === "If" || s.kind === "Try") walk(s.kind === "If" ? [...s.body, ...s.orelse] : [...s.body, ...s.orelse, ...s.finalbody]);
          else if (s.kind === "For") walk(s.body);
        }
      };
      walk(file.ast.body);
      return { file, name: e.id, kind: /DefaultRouter$/.test(q) ? "default" : "simple", trailing, registrations };
    }
    const imp = scope.imports.get(e.id);
    const target = imp?.name ? this.project.pythonByModule.get(imp.module) : undefined;
    if (target) return this.routerOf(target, new A.Name(imp!.name!, e.line, e.col, e.endLine, e.endCol), depth + 1);
    return null;
  }

  routerRoutes(router: RouterInfo, ctx: Ctx, includeFile: PythonFile, at: A.Expr): void {
    const file = router.file;
    const t = router.trailing;
    if (router.kind === "default") {
      this.push({
        ctx, file: includeFile, call: callAt(at), via: "router", seg: { text: "", regex: true }, ownParams: [], name: "api-root",
        view: { ...emptyView(file, `${router.name} (DefaultRouter)`), kind: "drf-root", qualname: "rest_framework.routers.APIRootView" },
      });
    }
    for (const reg of router.registrations) {
      const prefix = constString(reg.args[0] ?? reg.keywords.find((k) => k.arg === "prefix")?.value) ?? "<?>";
      const vsExpr = reg.args[1] ?? reg.keywords.find((k) => k.arg === "viewset")?.value;
      if (!vsExpr) continue;
      const base = this.viewRef(file, vsExpr);
      const basename = constString(reg.args[2] ?? reg.keywords.find((k) => k.arg === "basename" || k.arg === "base_name")?.value) ?? defaultBasename(base, prefix);
      const actions = viewsetActions(base.mro);
      const lookupName = constString(mroAttribute(base.mro, "lookup_url_kwarg")?.value) ?? constString(mroAttribute(base.mro, "lookup_field")?.value) ?? "pk";
      const lookupRegex = constString(mroAttribute(base.mro, "lookup_value_regex")?.value) ?? "[^/.]+";
      const lookup: PathParam = { name: lookupName, converter: "re", regex: lookupRegex, valueType: regexValueType(lookupRegex) };
      const pre = prefix.replace(/^\^/, "").replace(/\/$/, "");
      const mk = (detail: boolean, suffix: string, name: string, mapping: Record<string, string>, extra?: string) => {
        const text = `${pre}${detail ? "/<" + lookupName + ">" : ""}${suffix ? "/" + suffix : ""}${t}`;
        this.push({
          ctx, file, call: reg, via: "router", seg: { text, regex: true }, ownParams: detail ? [lookup] : [], name,
          view: { ...base, actions: mapping, ...(extra ? { extraAction: extra } : {}) },
          router: { prefix, basename, detail },
        });
      };
      const listMap = pick({ get: "list", post: "create" }, actions);
      if (Object.keys(listMap).length) mk(false, "", `${basename}-list`, listMap);
      const extras = base.mro.length ? extraActions(this.project, base.mro) : [];
      for (const x of extras.filter((x) => !x.detail)) mk(false, x.urlPath, `${basename}-${x.urlName}`, Object.fromEntries(x.methods.map((m) => [m, x.name])), x.name);
      const detailMap = pick({ get: "retrieve", put: "update", patch: "partial_update", delete: "destroy" }, actions);
      if (Object.keys(detailMap).length) mk(true, "", `${basename}-detail`, detailMap);
      for (const x of extras.filter((x) => x.detail)) mk(true, x.urlPath, `${basename}-${x.urlName}`, Object.fromEntries(x.methods.map((m) => [m, x.name])), x.name);
    }
  }
}

interface RouterInfo {
  file: PythonFile;
  name: string;
  kind: "default" | "simple";
  trailing: string;
  registrations: A.Call[];
}

function pick(map: Record<string, string>, have: Set<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).filter(([, a]) => have.has(a)));
}

function defaultBasename(view: RouteView, prefix: string): string {
  const qs = mroAttribute(view.mro, "queryset")?.value;
  if (qs) {
    let cur: A.Expr = qs;
    while (cur.kind === "Call" || cur.kind === "Attribute") cur = cur.kind === "Call" ? cur.func : cur.value;
    if (cur.kind === "Name") return cur.id.toLowerCase();
  }
  return prefix.replace(/[^\w-]/g, "");
}

function callAt(e: A.Expr): A.Call {
  return e.kind === "Call" ? e : new A.Call(e, [], [], e.line, e.col, e.endLine, e.endCol);
}

function emptyView(file: PythonFile, text: string): RouteView {
  return { text, kind: "unknown", qualname: null, def: null, mro: [], wrappers: [], initkwargs: [], file };
}

function mentionsDebug(e: A.Expr): boolean {
  if (e.kind === "BoolOp" && e.op === "and") return e.values.some(mentionsDebug);
  if (e.kind === "Compare") return [e.left, ...e.comparators].some((x) => /(^|\.)DEBUG$/.test(dottedName(x) ?? ""));
  return /(^|\.)DEBUG$/.test(dottedName(e) ?? "");
}

// ---------------------------------------------------------------- patterns

const CONVERTER_TYPES: Record<string, ValueType> = { int: "int", uuid: "uuid", slug: "slug", str: "str", path: "path" };

export function pathParams(route: string): PathParam[] {
  const out: PathParam[] = [];
  for (const m of route.matchAll(/<(?:(\w+):)?(\w+)>/g)) {
    const converter = m[1] ?? "str";
    out.push({ name: m[2]!, converter, valueType: CONVERTER_TYPES[converter] ?? "unknown" });
  }
  return out;
}

/**
 * The capturing groups of a regex, in order, with their bodies (balanced
 * parentheses): `(?P<name>...)` by name, unnamed ones with name "" (viewArgs
 * decides what the view receives). Escapes and character classes are skipped.
 */
export function regexParams(rx: string): PathParam[] {
  const out: PathParam[] = [];
  for (let i = 0; i < rx.length; i++) {
    const ch = rx[i];
    if (ch === "\\") { i++; continue; }
    if (ch === "[") { i = classEnd(rx, i); continue; }
    if (ch !== "(") continue;
    const named = rx.startsWith("(?P<", i) ? /^\(\?P<(\w+)>/.exec(rx.slice(i, i + 80)) : null;
    if (rx[i + 1] === "?" && !named) continue; // (?:...), lookarounds, flags
    const start = i + (named ? named[0].length : 1);
    const body = rx.slice(start, groupEnd(rx, start));
    out.push({ name: named ? named[1]! : "", converter: "re", regex: body, valueType: regexValueType(body) });
  }
  return out;
}

/** Index of the `)` closing a group whose body starts at `start` (the end when unbalanced). */
function groupEnd(rx: string, start: number): number {
  let depth = 1;
  let i = start;
  for (; i < rx.length && depth > 0; i++) {
    if (rx[i] === "\\") i++;
    else if (rx[i] === "[") i = classEnd(rx, i);
    else if (rx[i] === "(") depth++;
    else if (rx[i] === ")") depth--;
  }
  return depth === 0 ? i - 1 : i;
}

/** Index of the `]` closing a character class opened at `open` (a leading `]` or `^]` is literal). */
function classEnd(rx: string, open: number): number {
  let i = open + 1;
  if (rx[i] === "^") i++;
  if (rx[i] === "]") i++;
  for (; i < rx.length; i++) {
    if (rx[i] === "\\") i++;
    else if (rx[i] === "]") return i;
  }
  return rx.length;
}

/**
 * What Django passes the view from a pattern's groups: named groups as keyword
 * arguments, unnamed ones then ignored; with no named group, every unnamed one as
 * a positional argument after the request. Those take the names of the view
 * function's parameters they land in (`*args` takes the rest); for a class-based
 * view they go to `self.args` and are named `#0`, `#1`... for display only.
 */
function viewArgs(all: PathParam[], view: A.FunctionDef | A.ClassDef | undefined): PathParam[] {
  if (!all.some((p) => p.name === "")) return all;
  if (all.some((p) => p.name !== "")) return exact(all.filter((p) => p.name !== ""));
  const params = view?.kind === "FunctionDef" ? view.params.slice(1) : [];
  const star = params.findIndex((q) => q.star !== "" || q.keywordOnly);
  const positional = star === -1 ? params : params.slice(0, star);
  const rest = params.find((q) => q.star === "*")?.name;
  return all.map((p, k) => ({ ...p, name: positional[k]?.name ?? rest ?? `#${k}` }));
}

export function regexValueType(body: string): ValueType {
  const b = body.replace(/\{\d+(,\d*)?\}$/, "+");
  if (/^(\\d|\[0-9\])[+*]?$/.test(b)) return "int";
  if (/^\[(0-9a-f|a-f0-9|0-9a-fA-F|a-fA-F0-9|0-9A-Fa-f)-?\][+*]$|^\[-?(0-9a-f|a-f0-9|0-9a-fA-F)\][+*]$/.test(b) || /^\[0-9a-f\]\{8\}-/.test(body)) return "uuid";
  // a class of only letters, digits, `_` and `-` ([-\w], [a-z-], [A-Za-z0-9_-]...): no slash, dot, quote or space
  if (/^\[(?:a-z|A-Z|0-9|\\w|\\d|_|\\-|-)+\][+*]$/.test(b)) return "slug";
  if (/^\\w[+*]$/.test(b)) return "slug";
  // one of a few literal words: `(tarball|wheel|checksum)`
  if (/^[\w-]+(\|[\w-]+)*$/.test(body)) return "slug";
  if (/^\.[+*]$/.test(b)) return "path";
  if (/^\[\^\/\.?\][+*]$|^\[\^\/\][+*]$/.test(b)) return "str";
  return "unknown";
}

function displayPattern(segs: Seg[]): string {
  return segs
    .map((s) => {
      if (!s.regex) return s.text;
      let t = s.text.replace(/^\^/, "").replace(/(\$|\\Z)$/, "");
      t = t.replace(/\(\?P<(\w+)>(?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)/g, "<$1>");
      return t.replace(/\\([./\-_])/g, "$1");
    })
    .join("");
}

// ---------------------------------------------------------------- entry point

function resolveUrlConf(project: Project): UrlConf {
  const res = new Resolver(project);
  let roots = findRoots(project);
  const base: Ctx = { prefix: [], params: [], ns: [], includes: [], i18n: false, debugOnly: false, stack: [] };
  if (roots.length === 0) {
    // No ROOT_URLCONF we can read: every URLconf module that no other one includes is a root.
    const candidates = project.python.filter((f) => /(^|\.)urls$/.test(f.moduleName) && scopeOf(project, f).assigns.has("urlpatterns") || /(^|\.)urls$/.test(f.moduleName) && f.text.includes("urlpatterns"));
    const probe = new Resolver(project);
    for (const c of candidates) probe.handleEntries(probe.moduleVar(c, "urlpatterns", []), { ...base, stack: [c.moduleName] });
    roots = candidates.filter((c) => !probe.included.has(c.moduleName)).map((c) => ({ module: c.moduleName, path: c.path, reason: "URLconf module not included by any other (no ROOT_URLCONF found)" }));
  }
  for (const r of roots) {
    const f = project.pythonByModule.get(r.module)!;
    res.handleEntries(res.moduleVar(f, "urlpatterns", []), { ...base, stack: [r.module] });
  }
  return { roots, routes: res.routes };
}
