// The view model: for every route, which code handles which HTTP method, what
// protects it (authentication, CSRF, throttling, sensitive-parameter filtering),
// and where it changes state (ORM writes, M2M changes, mail), following calls into
// project helpers two levels deep. The route inventory, AUTHZ-001, CSRF-001,
// RATE-001 and LOG-001 read this; none of them walks view bodies themselves.
import type { Project, PythonFile } from "../project/project.js";
import { defineAnalysis } from "../project/project.js";
import * as A from "../python/ast.js";
import { anyExpr, bodyWords, calleeName, constString, dottedName, isLiteral, stmtBodies, stmtExprs, usesAnyWord, walkExpr } from "../python/walk.js";
import { qualifiedName, resolveExpr, scopeOf, tryResolveDefinition, type ResolvedDef } from "../python/scope.js";
import { appSettingsAnalysis, djangoAtLeast, type AppSettings } from "./appsettings.js";
import { mroAttribute, mroMethods, type MroEntry } from "./classes.js";
import { nodeMemo, weakMemo } from "../project/memo.js";
import { urlsAnalysis, type Route } from "./urls.js";
import { exact } from "../project/compact.js";

export interface Site {
  path: string;
  line: number;
  span: A.Span;
}

export type WriteKind = "save" | "create" | "update" | "delete" | "m2m" | "mail" | "generic";

export interface Write {
  site: Site;
  /** what happens, e.g. "order.save()" or "cancel() → order.save()" */
  what: string;
  kind: WriteKind;
  /** "post": only reachable on POST-like requests; "get": inside a GET branch; "any": no method gate */
  gate: "post" | "get" | "any";
  /** the HTTP method of the handler it happens in ("*" for function views) */
  method: string;
  /** the variable the write acts on (`order` in `order.save()`), when it is one */
  target: string | null;
  /** housekeeping only: a last-seen/visit-count style update that no attacker gains from */
  bookkeeping: boolean;
}

export interface Handler {
  /** lower-case HTTP method, or "*" for a function view that accepts any */
  method: string;
  /** DRF action name when routed through a viewset */
  action?: string;
  fn: A.FunctionDef | null;
  file: PythonFile | null;
  /** the known third-party implementation (e.g. "UpdateView.post") when fn is null */
  inherited?: string;
}

export interface Applied {
  /** canonical dotted name, e.g. "django.contrib.auth.decorators.login_required" */
  name: string;
  expr: A.Expr;
  site: Site;
  /** how it was applied */
  how: "decorator" | "method_decorator" | "urlconf";
}

export type AuthLevel = "none" | "login" | "permission" | "staff" | "admin" | "custom" | "public";

export interface AuthInfo {
  level: AuthLevel;
  /** short human text for the route table, e.g. "login_required", "DRF IsAuthenticated" */
  detail: string;
  /** unsafe methods need auth but reads are open (IsAuthenticatedOrReadOnly) */
  readOnlyOpen?: boolean;
  /** where the requirement (or the explicit opt-out) is written */
  site?: Site;
  /** the DRF permission classes in force, and whether the view set them */
  drf?: { classes: string[]; explicit: boolean; site?: Site };
  /** an access mixin listed after the view base, so it never runs first */
  misorderedMixin?: { mixin: string; site: Site };
}

export interface CsrfInfo {
  status: "protected" | "exempt" | "token-only" | "session" | "no-middleware";
  detail: string;
  site?: Site;
  how?: Applied["how"] | "class";
}

export interface ViewModel {
  route: Route;
  /** the def/class line of the view in the project, when it is ours */
  defSite: Site | null;
  file: PythonFile | null;
  handlers: Handler[];
  /** upper-case methods accepted; null means any method */
  methods: string[] | null;
  methodsFrom: string;
  applied: Applied[];
  auth: AuthInfo;
  csrf: CsrfInfo;
  throttle: string | null;
  writes: Write[];
  sensitiveParams: boolean;
  drf: boolean;
  /** the view verifies a request signature (webhooks) */
  verifiesSignature: boolean;
  /** the view (or a decorator/helper it goes through) authenticates with a header/body API key, not cookies */
  headerToken: boolean;
  /** the view compares an OAuth-style `state` from the request with the session (its own CSRF defence) */
  stateChecked: boolean;
}

const HTTP = ["get", "post", "put", "patch", "delete"];
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const viewsAnalysis = defineAnalysis<Map<Route, ViewModel>>("views", (project) => {
  const out = new Map<Route, ViewModel>();
  const settings = project.use(appSettingsAnalysis);
  for (const r of project.use(urlsAnalysis).routes) {
    const m = buildView(project, settings, r);
    // built by push, kept for the scan (compact.ts)
    m.handlers = exact(m.handlers);
    m.applied = exact(m.applied);
    m.writes = exact(m.writes);
    out.set(r, m);
  }
  return out;
});

export function isUnsafe(m: string): boolean {
  return UNSAFE.has(m.toUpperCase());
}

/** Methods a view model accepts that change state (any method counts when unrestricted). */
export function acceptsUnsafe(v: ViewModel): boolean {
  return v.methods === null || v.methods.some(isUnsafe);
}

// ---------------------------------------------------------------- building

function siteOf(file: PythonFile, span: A.Span): Site {
  return { path: file.path, line: span.line, span };
}

function defSpan(d: A.FunctionDef | A.ClassDef): A.Span {
  return { line: d.nameLine, col: d.col, endLine: d.nameLine, endCol: d.col + 1 };
}

function buildView(project: Project, settings: AppSettings, route: Route): ViewModel {
  const v = route.view;
  const applied: Applied[] = v.wrappers.map((w) => ({
    name: w.name, expr: new A.Name(w.name, w.line, 1, w.line, 1),
    site: { path: w.path, line: w.line, span: { line: w.line, col: 1, endLine: w.line, endCol: 1 } }, how: "urlconf",
  }));
  const model: ViewModel = {
    route, defSite: null, file: null, handlers: [], methods: null, methodsFrom: "no method restriction", applied,
    auth: { level: "none", detail: "none" }, csrf: { status: "protected", detail: "protected" }, throttle: null,
    writes: [], sensitiveParams: false, drf: false, verifiesSignature: false, headerToken: false, stateChecked: false,
  };
  const csrfMiddleware = settings.middleware === null || settings.middleware.some((m) => /CsrfViewMiddleware$/.test(m));
  const loginMiddleware = (settings.middleware ?? []).find((m) => /LoginRequiredMiddleware$/.test(m));
  const loginByDefault = !!loginMiddleware && (!/^django\./.test(loginMiddleware) || djangoAtLeast(project, 5, 1));

  if (v.kind === "admin") {
    Object.assign(model, { methods: ["GET", "POST"], methodsFrom: "admin site", auth: { level: "admin", detail: "staff (admin login)" }, csrf: { status: "protected", detail: "protected" } });
    return model;
  }
  if (v.kind === "static") {
    Object.assign(model, { methods: ["GET"], methodsFrom: "serve", auth: { level: "public", detail: "public" }, csrf: { status: "protected", detail: "n/a (safe methods)" } });
    return model;
  }
  if (v.kind === "drf-root") {
    model.drf = true;
    model.methods = ["GET"];
    model.methodsFrom = "DefaultRouter API root";
    model.auth = drfAuth(project, settings, [], null);
    model.csrf = drfCsrf(settings, []);
    return model;
  }

  const def = v.def;
  if (def && def.node.kind === "FunctionDef") {
    const fn = def.node;
    model.file = def.file;
    model.defSite = siteOf(def.file, defSpan(fn));
    for (const d of fn.decorators) model.applied.push(appliedOf(project, def.file, d, "decorator"));
    model.handlers = [{ method: "*", fn, file: def.file }];
    const restricted = methodsFromDecorators(model.applied) ?? methodsFromGuard(fn);
    if (restricted) {
      model.methods = restricted.methods;
      model.methodsFrom = restricted.from;
    }
    model.drf = model.applied.some((a) => /rest_framework\.decorators\.api_view$/.test(a.name));
  } else if (v.mro.length) {
    const cls = def?.node.kind === "ClassDef" ? (def as ResolvedDef & { node: A.ClassDef }) : null;
    if (cls) {
      model.file = cls.file;
      model.defSite = siteOf(cls.file, defSpan(cls.node));
    }
    for (const e of v.mro) {
      if (!e.def) continue;
      for (const d of e.def.node.decorators) {
        const a = appliedOf(project, e.def.file, d, "decorator");
        if (a.how === "method_decorator" && !methodDecoratorTargets(d).some((n) => n === "dispatch" || HTTP.includes(n))) continue;
        model.applied.push(a);
      }
    }
    model.drf = v.mro.some((e) => e.known?.role === "drf-view" || e.known?.role === "viewset");
    model.handlers = classHandlers(project, v.mro, v.actions);
    const methodDecor = mroMethods(v.mro);
    for (const name of ["dispatch", ...HTTP]) {
      const m = methodDecor.get(name);
      if (!m?.owner.def) continue;
      for (const d of m.fn.decorators) model.applied.push(appliedOf(project, m.owner.def.file, d, "method_decorator"));
    }
    let methods = [...new Set(model.handlers.map((h) => h.method.toUpperCase()))];
    const allowed = constStrings(mroAttribute(v.mro, "http_method_names")?.value);
    if (allowed) methods = methods.filter((m) => allowed.includes(m.toLowerCase()));
    const deco = methodsFromDecorators(model.applied);
    if (deco) methods = methods.filter((m) => deco.methods.includes(m));
    model.methods = methods.sort(methodOrder);
    model.methodsFrom = v.actions ? "router actions" : "handler methods";
    model.verifiesSignature = false;
  } else {
    // a third-party function view (obtain_auth_token...) or something we cannot see
    const q = v.qualname ?? "";
    if (/obtain_auth_token$/.test(q)) {
      model.drf = true;
      model.methods = ["POST"];
      model.methodsFrom = "ObtainAuthToken";
    }
    const deco = methodsFromDecorators(model.applied);
    if (deco) {
      model.methods = deco.methods;
      model.methodsFrom = deco.from;
    }
  }

  // authentication
  model.auth = authOf(project, settings, model, loginByDefault);
  // CSRF
  const exempt = model.applied.find((a) => /(^|\.)csrf_exempt$/.test(a.name));
  const classExempt = v.mro.length ? mroAttribute(v.mro, "csrf_exempt") : null;
  if (!csrfMiddleware) model.csrf = { status: "no-middleware", detail: "off (no CsrfViewMiddleware)" };
  else if (exempt) model.csrf = { status: "exempt", detail: `exempt (${exempt.how === "urlconf" ? "in URLconf" : exempt.how === "method_decorator" ? "method_decorator" : "@csrf_exempt"})`, site: exempt.site, how: exempt.how };
  else if (classExempt && classExempt.value.kind === "Constant" && classExempt.value.value === true) model.csrf = { status: "exempt", detail: "exempt (csrf_exempt = True)", site: siteOf(classExempt.owner.def.file, classExempt.value), how: "class" };
  else if (model.drf) model.csrf = drfCsrf(settings, v.mro, model.applied);
  else if (!model.methods || model.methods.some(isUnsafe)) model.csrf = { status: "protected", detail: "protected" };
  else model.csrf = { status: "protected", detail: "n/a (safe methods)" };

  model.throttle = throttleOf(project, settings, model);
  model.sensitiveParams = model.applied.some((a) => /(^|\.)(sensitive_post_parameters|sensitive_variables)$/.test(a.name));
  model.writes = writesOf(project, model);
  model.verifiesSignature = model.handlers.some((h) => h.fn && h.file && verifiesSignature(project, h.file, h.fn, 0));
  model.headerToken = model.applied.some((a) => a.how !== "urlconf" && model.file !== null && decoratorReadsApiKey(project, model.file, a.expr))
    || model.handlers.some((h) => h.fn && h.file && callsApiKeyView(project, h.file, h.fn));
  if (model.headerToken && model.auth.level === "none") model.auth = { level: "custom", detail: "API key (header)" };
  if (model.headerToken && model.csrf.status === "exempt") model.csrf = { ...model.csrf, detail: "exempt (API key auth)" };
  if (!model.throttle) model.throttle = bodyThrottle(project, model);
  model.stateChecked = model.handlers.some((h) => h.fn && mentionsStateAndSession(h.fn));
  return model;
}

function methodOrder(a: string, b: string): number {
  const order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
  return order.indexOf(a) - order.indexOf(b);
}

function constStrings(e: A.Expr | undefined): string[] | null {
  if (!e || (e.kind !== "List" && e.kind !== "Tuple")) return null;
  return e.elts.flatMap((x) => (x.kind === "Constant" && typeof x.value === "string" ? [x.value] : []));
}

function appliedOf(project: Project, file: PythonFile, d: A.Expr, how: Applied["how"]): Applied {
  const site = siteOf(file, d);
  const fnExpr = d.kind === "Call" ? d.func : d;
  let name = qualifiedName(project, file, fnExpr) ?? dottedName(fnExpr) ?? "";
  if (/(^|\.)method_decorator$/.test(name) && d.kind === "Call" && d.args[0]) {
    const inner = d.args[0];
    const target = inner.kind === "List" || inner.kind === "Tuple" ? inner.elts : [inner];
    // method_decorator([a, b]) applies several; keep the first that matters (the caller reads all via expandMethodDecorator)
    const first = target[0]!;
    const q = qualifiedName(project, file, first.kind === "Call" ? first.func : first) ?? "";
    return { name: q, expr: first, site, how: "method_decorator" };
  }
  // `helpdesk_staff_member_required = user_passes_test(is_helpdesk_staff)` in the project: the decorator it names
  const alias = authDecoratorAlias(project, name);
  if (alias) return { name: alias.name, expr: d.kind === "Call" ? d : alias.expr, site, how };
  return { name, expr: d, site, how };
}

/** A module-level name a project binds to one of Django's auth decorators (`x = user_passes_test(test)`, `x = login_required(...)`): that decorator. */
function authDecoratorAlias(project: Project, q: string): { name: string; expr: A.Call } | null {
  const dot = q.lastIndexOf(".");
  const file = dot > 0 ? project.pythonByModule.get(q.slice(0, dot)) : undefined;
  if (!file) return null;
  const value = scopeOf(project, file).assigns.get(q.slice(dot + 1));
  if (value?.kind !== "Call") return null;
  const name = qualifiedName(project, file, value.func) ?? "";
  return LOGIN.test(name) || PERM.test(name) || STAFF.test(name) ? { name, expr: value } : null;
}

function methodDecoratorTargets(d: A.Expr): string[] {
  if (d.kind !== "Call") return [];
  const n = d.keywords.find((k) => k.arg === "name")?.value;
  const s = constString(n);
  return s ? [s] : [];
}

function methodsFromDecorators(applied: Applied[]): { methods: string[]; from: string } | null {
  for (const a of applied) {
    const tail = a.name.slice(a.name.lastIndexOf(".") + 1);
    if (tail === "require_POST") return { methods: ["POST"], from: "@require_POST" };
    if (tail === "require_GET") return { methods: ["GET"], from: "@require_GET" };
    if (tail === "require_safe") return { methods: ["GET", "HEAD"], from: "@require_safe" };
    if ((tail === "require_http_methods" || tail === "api_view") && a.expr.kind === "Call") {
      const list = constStrings(a.expr.args[0]);
      if (list) return { methods: list.map((m) => m.toUpperCase()).sort(methodOrder), from: `@${tail}` };
      if (tail === "api_view" && !a.expr.args.length) return { methods: ["GET"], from: "@api_view" };
    }
    if (tail === "api_view" && a.expr.kind !== "Call") return { methods: ["GET"], from: "@api_view" };
  }
  return null;
}

/** `if request.method != "POST": return ...` as the view's first statement. */
function methodsFromGuard(fn: A.FunctionDef): { methods: string[]; from: string } | null {
  const first = fn.body.find((s) => !(s.kind === "Expr" && s.value.kind === "Constant"));
  if (!first || first.kind !== "If" || !endsFlow(first.body)) return null;
  const t = first.test;
  if (t.kind === "Compare" && t.ops[0] === "!=" && isRequestMethod(t.left)) {
    const m = constString(t.comparators[0]);
    if (m) return { methods: [m.toUpperCase()], from: "method check" };
  }
  if (t.kind === "Compare" && t.ops[0] === "not in" && isRequestMethod(t.left)) {
    const list = constStrings(t.comparators[0]);
    if (list) return { methods: list.map((x) => x.toUpperCase()), from: "method check" };
  }
  return null;
}

function endsFlow(body: A.Stmt[]): boolean {
  const last = body[body.length - 1];
  return !!last && (last.kind === "Return" || last.kind === "Raise");
}

function isRequestMethod(e: A.Expr): boolean {
  return /(^|\.)request\.method$/.test(dottedName(e) ?? "");
}

function classHandlers(project: Project, mro: readonly MroEntry[], actions: Record<string, string> | undefined): Handler[] {
  const methods = mroMethods(mro);
  const out: Handler[] = [];
  if (actions) {
    for (const [m, action] of Object.entries(actions)) {
      const own = methods.get(action);
      if (own?.owner.def) out.push({ method: m, action, fn: own.fn, file: own.owner.def.file });
      else out.push({ method: m, action, fn: null, file: null, inherited: inheritedFrom(mro, action) });
    }
    return out;
  }
  for (const m of HTTP) {
    const own = methods.get(m);
    if (own?.owner.def) {
      out.push({ method: m, fn: own.fn, file: own.owner.def.file });
      continue;
    }
    const k = mro.find((e) => e.known?.handlers?.includes(m));
    if (k) out.push({ method: m, fn: null, file: null, inherited: `${k.known!.name}.${m}` });
  }
  void project;
  return out;
}

function inheritedFrom(mro: readonly MroEntry[], action: string): string {
  const k = mro.find((e) => e.known?.actions?.includes(action));
  return k ? `${k.known!.name}.${action}` : action;
}

// ---------------------------------------------------------------- auth

const LOGIN = /(^|\.)(login_required|otp_required|verified_email_required)$/;
const PERM = /(^|\.)(permission_required|user_passes_test)$/;
const STAFF = /(^|\.)(staff_member_required|superuser_required|user_is_staff)$/;

function authOf(project: Project, settings: AppSettings, model: ViewModel, loginByDefault: boolean): AuthInfo {
  const v = model.route.view;
  const notRequired = model.applied.find((a) => /(^|\.)login_not_required$/.test(a.name));
  // every decorator applies: the strongest says what the view requires (BookWyrm stacks
  // method_decorator(login_required) over method_decorator(permission_required(...)))
  let declared: AuthInfo | null = null;
  const strength = (l: AuthLevel) => (l === "permission" ? 3 : l === "staff" ? 2 : 1);
  for (const a of model.applied) {
    const level: AuthLevel | null = PERM.test(a.name) ? "permission" : STAFF.test(a.name) ? "staff" : LOGIN.test(a.name) ? "login" : null;
    if (level && (!declared || strength(level) > strength(declared.level))) declared = { level, detail: a.name.slice(a.name.lastIndexOf(".") + 1), site: a.site };
  }
  if (declared) return declared;
  // project decorators that check the user themselves
  for (const a of model.applied) {
    const file = model.file ?? v.file;
    const d = resolveExpr(project, file, a.expr.kind === "Call" ? a.expr.func : a.expr);
    if (d?.node.kind === "FunctionDef" && (checksUser(d.node) || guardDecorator(project, d.file, d.node))) return { level: "custom", detail: `@${d.node.name}`, site: a.site };
  }
  let info: AuthInfo = { level: "none", detail: "none" };
  if (v.mro.length) {
    const own = v.mro[0]!;
    let viewBaseSeen: string | null = null;
    for (const e of v.mro) {
      const role = e.known?.role;
      if (role === "view" || role === "drf-view" || role === "viewset") viewBaseSeen ??= e.known!.name;
      if (role === "login-mixin" || role === "permission-mixin" || role === "test-mixin") {
        const level: AuthLevel = role === "login-mixin" ? "login" : "permission";
        const site = own.def ? siteOf(own.def.file, defSpan(own.def.node)) : undefined;
        if (viewBaseSeen) {
          info = { level: "none", detail: `none (${e.known!.name} after ${viewBaseSeen})`, misorderedMixin: { mixin: e.known!.name, site: site! } };
          break;
        }
        info = { level, detail: e.known!.name, ...(site ? { site } : {}) };
        break;
      }
    }
    if (info.level === "none" && !info.misorderedMixin) {
      // a project mixin whose dispatch checks the user
      for (const e of v.mro) {
        if (!e.def || e === own) continue;
        const dispatch = e.def.node.body.find((s): s is A.FunctionDef => s.kind === "FunctionDef" && (s.name === "dispatch" || s.name === "test_func" || s.name === "has_permission"));
        if (dispatch && checksUser(dispatch)) {
          info = { level: "custom", detail: e.def.node.name, site: siteOf(e.def.file, defSpan(e.def.node)) };
          break;
        }
      }
    }
    if (model.drf && info.level === "none" && !info.misorderedMixin) info = drfAuth(project, settings, v.mro, model);
    // a class whose every handler of its own turns users away by itself (UnFavoritePackage.post:
    // `if not request.user.is_authenticated: return ...`)
    // (model.handlers: the project's own, and those a Django base provides, which check nobody)
    const hs = model.handlers;
    if (info.level === "none" && !info.misorderedMixin && !model.drf && hs.length && hs.every((h) => h.fn && refusesUnlessUser(h.fn))) {
      info = { level: "custom", detail: "its handlers check request.user themselves", site: siteOf(hs[0]!.file!, defSpan(hs[0]!.fn!)) };
    }
  } else if (model.drf) {
    info = drfAuth(project, settings, [], model);
  } else if (v.def?.node.kind === "FunctionDef" && refusesUnlessUser(v.def.node)) {
    // a function view that refuses by itself: `if not request.user.is_authenticated: return HttpResponseForbidden()`
    info = { level: "custom", detail: "checks request.user itself", site: siteOf(v.def.file, defSpan(v.def.node)) };
  }
  if ((info.level === "none" || (model.drf && info.drf && !info.drf.classes.length)) && !info.misorderedMixin && loginByDefault && !notRequired) {
    return { level: "login", detail: "LoginRequiredMiddleware" };
  }
  if (notRequired && info.level === "none") return { level: "none", detail: "login_not_required", site: notRequired.site };
  return info;
}

/** A call whose name says it checks a permission and refuses otherwise (`check_object_permissions`, `check_see_thread_permission`). */
const CHECK_CALL = /^check_\w*perm\w*$/;

/** Tests that let a user through only when they hold: signed in, active, staff, a permission. */
const USER_GRANT = /^(is_authenticated|is_active|is_staff|is_superuser|has_perm|has_perms)$/;

/**
 * The function itself turns users away: an `if` whose branch ends by returning or
 * raising, testing that the requesting user lacks something
 * (`if not request.user.is_authenticated: return HttpResponseForbidden()`,
 * `if request.user.is_anonymous: raise PermissionDenied`; `user = request.user`
 * first counts too), or a call named like a permission check, which by
 * convention raises (`self.check_permissions(request, thread)`). A test of another object (`if not article.is_active`) or one
 * that lets the user on (`if request.user.is_authenticated: return redirect("home")`
 * in a login view) turns nobody away.
 */
function refusesUnlessUser(fn: A.FunctionDef): boolean {
  const users = new Set(["user"]);
  for (const s of fn.body) {
    if (s.kind === "Assign" && s.targets.length === 1 && s.targets[0]!.kind === "Name" && REQUEST_USER.test(dottedName(s.value) ?? "")) users.add(s.targets[0]!.id);
  }
  const ofUser = (x: A.Expr): boolean => {
    const base = x.kind === "Attribute" ? x.value : x.kind === "Call" && x.func.kind === "Attribute" ? x.func.value : null;
    const d = base ? dottedName(base) ?? "" : "";
    return REQUEST_USER.test(d) || users.has(d);
  };
  const grant = (x: A.Expr): A.Expr | null => {
    if (x.kind === "Attribute" && USER_GRANT.test(x.attr) && ofUser(x)) return x;
    if (x.kind === "Call" && x.func.kind === "Attribute" && USER_GRANT.test(x.func.attr) && ofUser(x)) return x;
    return null;
  };
  // the test holds when the user lacks a grant: `not <grant>`, `<user>.is_anonymous`, or any of those in an `or`
  const refuses = (t: A.Expr): boolean => {
    if (t.kind === "UnaryOp" && t.op === "not") return grant(t.operand) !== null;
    if (t.kind === "Attribute" && t.attr === "is_anonymous") return ofUser(t);
    if (t.kind === "BoolOp" && t.op === "or") return t.values.some(refuses);
    return false;
  };
  const visit = (body: readonly A.Stmt[]): boolean => body.some((s) => {
    if (s.kind === "If") {
      const last = s.body[s.body.length - 1];
      if ((last?.kind === "Return" || last?.kind === "Raise") && refuses(s.test)) return true;
    }
    // `self.check_permissions(request, thread)`, `check_see_thread_permission(...)`: by convention these raise PermissionDenied
    if (s.kind === "Expr" && s.value.kind === "Call" && CHECK_CALL.test(calleeName(s.value) ?? "")) return true;
    return s.kind !== "FunctionDef" && s.kind !== "ClassDef" && stmtBodies(s).some(visit);
  });
  return visit(fn.body);
}

/** A function that looks at request.user (is_authenticated, has_perm, is_staff...) and can refuse. */
const USER_CHECKS = ["is_authenticated", "has_perm", "has_perms", "is_staff", "is_superuser", "redirect_to_login", "PermissionDenied", "login_required", "is_anonymous", "user_passes_test", "permission_required", "has_object_permission"];

function checksUser(fn: A.FunctionDef): boolean {
  return usesAnyWord(fn.body, USER_CHECKS) || comparesOwnerWithUser(fn);
}

/** What a refusal looks like: a 401/403 response, a login redirect, PermissionDenied. */
function refuses(body: readonly A.Stmt[]): boolean {
  return usesAnyWord(body, ["HttpResponseForbidden", "redirect_to_login", "PermissionDenied", "NotAuthenticated"])
    || anyExpr(body, (x) => x.kind === "Call" && x.keywords.some((k) => k.arg === "status" && k.value.kind === "Constant" && (k.value.value === 401 || k.value.value === 403)));
}

/**
 * A project decorator that runs the view only when a check passes and otherwise
 * refuses, itself or through a helper of its module: Mathesar's
 * `@require(guard)` returns `_unauthorized_response(request)` (a 401 or a login
 * redirect) unless `guard(request)` holds. What the guard checks is the guard's
 * business; the view is not open.
 */
function guardDecorator(project: Project, file: PythonFile, fn: A.FunctionDef): boolean {
  if (refuses(fn.body)) return true;
  return anyExpr(fn.body, (x) => {
    if (x.kind !== "Call" || x.func.kind !== "Name") return false;
    const d = resolveExpr(project, file, x.func);
    return d?.node.kind === "FunctionDef" && d.file === file && d.node !== fn && refuses(d.node.body);
  });
}

const REQUEST_USER = /(^|\.)(request|self\.request)\.user$/;
/** An attribute naming who owns an object (`owner`, `order.customer_id`, `note.created_by`). */
export const OWNER_ATTR = /(owner|user|author|customer|created_by|creator)(_id)?$/;

/** The function compares an owner-like field with the requesting user (`obj.user != self.request.user`): an ownership check. */
export function comparesOwnerWithUser(fn: A.FunctionDef): boolean {
  return anyExpr(fn.body, (x) => {
    if (x.kind !== "Compare") return false;
    const sides = [x.left, ...x.comparators];
    const isUser = (y: A.Expr) => REQUEST_USER.test(dottedName(y) ?? "");
    return sides.some(isUser) && sides.some((y) => y.kind === "Attribute" && OWNER_ATTR.test(y.attr) && !isUser(y));
  });
}

const DRF_PERM: Record<string, { level: AuthLevel; detail: string; readOnlyOpen?: boolean }> = {
  AllowAny: { level: "none", detail: "AllowAny" },
  IsAuthenticated: { level: "login", detail: "IsAuthenticated" },
  IsAdminUser: { level: "staff", detail: "IsAdminUser" },
  IsAuthenticatedOrReadOnly: { level: "login", detail: "IsAuthenticatedOrReadOnly", readOnlyOpen: true },
  DjangoModelPermissions: { level: "permission", detail: "DjangoModelPermissions" },
  DjangoModelPermissionsOrAnonReadOnly: { level: "permission", detail: "DjangoModelPermissionsOrAnonReadOnly", readOnlyOpen: true },
  DjangoObjectPermissions: { level: "permission", detail: "DjangoObjectPermissions" },
  TokenHasReadWriteScope: { level: "permission", detail: "TokenHasReadWriteScope" },
};

function drfAuth(project: Project, settings: AppSettings, mro: readonly MroEntry[], model: ViewModel | null): AuthInfo {
  let classes: string[] | null = null;
  let site: Site | undefined;
  let explicit = false;
  const attr = mro.length ? mroAttribute(mro, "permission_classes") : null;
  if (attr) {
    explicit = true;
    site = siteOf(attr.owner.def.file, attr.value);
    const items = attr.value.kind === "List" || attr.value.kind === "Tuple" ? attr.value.elts : [attr.value];
    classes = items.flatMap(allOf).map((x) => qualifiedName(project, attr.owner.def.file, x) ?? dottedName(x) ?? "?");
  }
  const deco = model?.applied.find((a) => /(^|\.)permission_classes$/.test(a.name) && a.expr.kind === "Call");
  if (!attr && deco && deco.expr.kind === "Call") {
    explicit = true;
    site = deco.site;
    const arg = deco.expr.args[0];
    const items = arg && (arg.kind === "List" || arg.kind === "Tuple") ? arg.elts : arg ? [arg] : [];
    classes = items.flatMap(allOf).map((x) => qualifiedName(project, model!.file ?? model!.route.view.file, x) ?? dottedName(x) ?? "?");
  }
  const getPerms = mro.length ? mroMethods(mro).get("get_permissions") : undefined;
  if (getPerms && getPerms.owner.def) {
    // the permission classes get_permissions() can hand out
    const file = getPerms.owner.def.file;
    const used = bodyCalls(project, file, getPerms.fn).flatMap((c) => (c.name && /^[A-Z]/.test(c.name.split(".").pop()!) ? [c.name] : []));
    return { level: "custom", detail: "get_permissions()", site: siteOf(file, defSpan(getPerms.fn)), drf: { classes: [...new Set([...(classes ?? []), ...used])], explicit: true } };
  }
  if (!classes) classes = settings.drf.permission ?? ["rest_framework.permissions.AllowAny"];
  const drf = { classes, explicit, ...(site ? { site } : {}) };
  if (classes.includes("?")) return { level: "custom", detail: explicit ? "DRF permission_classes (not readable statically)" : "DRF project default (not readable statically)", drf };
  if (!classes.length) return { level: "none", detail: "permission_classes = []", ...(site ? { site } : {}), drf };
  // all classes must pass: the strongest one decides
  let best: AuthInfo | null = null;
  const rank: Record<AuthLevel, number> = { none: 0, public: 0, custom: 2, login: 1, permission: 3, staff: 4, admin: 4 };
  for (const c of classes) {
    const tail = c.slice(c.lastIndexOf(".") + 1);
    let info: AuthInfo;
    const known = DRF_PERM[tail];
    if (known && /^rest_framework\.|^[A-Za-z]+$/.test(c)) info = { level: known.level, detail: known.detail, ...(known.readOnlyOpen ? { readOnlyOpen: true } : {}) };
    else {
      const d = tryResolveDefinition(project, c);
      info = d && d.node.kind === "ClassDef" && alwaysAllows(d.node) ? { level: "none", detail: tail } : { level: "custom", detail: tail };
    }
    if (!best || rank[info.level] > rank[best.level] || (rank[info.level] === rank[best.level] && best.readOnlyOpen && !info.readOnlyOpen)) best = info;
  }
  const detail = `DRF ${classes.map((c) => c.slice(c.lastIndexOf(".") + 1)).join(", ")}${explicit ? "" : " (default)"}`;
  return { ...best!, detail, ...(site ? { site } : {}), drf };
}

/** DRF's composed permissions: `A & B` must both pass, as two list items do (`A | B`, `~A` stay one item we cannot read). */
function allOf(e: A.Expr): A.Expr[] {
  return e.kind === "BinOp" && e.op === "&" ? [...allOf(e.left), ...allOf(e.right)] : [e];
}

/** A permission class whose has_permission just returns True. */
function alwaysAllows(cls: A.ClassDef): boolean {
  const hp = cls.body.find((s): s is A.FunctionDef => s.kind === "FunctionDef" && s.name === "has_permission");
  if (!hp) return false;
  const real = hp.body.filter((s) => !(s.kind === "Expr" && s.value.kind === "Constant"));
  return real.length === 1 && real[0]!.kind === "Return" && real[0]!.value?.kind === "Constant" && real[0]!.value.value === true;
}

function drfCsrf(settings: AppSettings, mro: readonly MroEntry[], applied: Applied[] = []): CsrfInfo {
  const attr = mro.length ? mroAttribute(mro, "authentication_classes") : null;
  let classes: string[] | null = null;
  if (attr) classes = (attr.value.kind === "List" || attr.value.kind === "Tuple" ? attr.value.elts : [attr.value]).map((x) => dottedName(x) ?? "?");
  const deco = applied.find((a) => /(^|\.)authentication_classes$/.test(a.name) && a.expr.kind === "Call");
  if (!classes && deco && deco.expr.kind === "Call") {
    const arg = deco.expr.args[0];
    classes = (arg && (arg.kind === "List" || arg.kind === "Tuple") ? arg.elts : arg ? [arg] : []).map((x) => dottedName(x) ?? "?");
  }
  classes ??= settings.drf.authentication ?? ["SessionAuthentication", "BasicAuthentication"];
  if (classes.some((c) => /SessionAuthentication$/.test(c))) return { status: "session", detail: "enforced (DRF session)" };
  return { status: "token-only", detail: "n/a (token auth)" };
}

// ---------------------------------------------------------------- throttling

function throttleOf(project: Project, settings: AppSettings, model: ViewModel): string | null {
  const rl = model.applied.find((a) => /ratelimit/i.test(a.name));
  if (rl) return "ratelimit";
  const axes = model.applied.find((a) => /(^|\.)axes_dispatch$|(^|\.)watch_login$/.test(a.name));
  if (axes) return axes.name.slice(axes.name.lastIndexOf(".") + 1);
  const mro = model.route.view.mro;
  const attr = mro.length ? mroAttribute(mro, "throttle_classes") : null;
  if (attr) {
    const items = attr.value.kind === "List" || attr.value.kind === "Tuple" ? attr.value.elts : [attr.value];
    return items.length ? `DRF ${items.map((x) => dottedName(x)?.split(".").pop() ?? "?").join(", ")}` : null;
  }
  const deco = model.applied.find((a) => /(^|\.)throttle_classes$/.test(a.name) && a.expr.kind === "Call");
  if (deco && deco.expr.kind === "Call") {
    const arg = deco.expr.args[0];
    const items = arg && (arg.kind === "List" || arg.kind === "Tuple") ? arg.elts : [];
    return items.length ? `DRF ${items.map((x) => dottedName(x)?.split(".").pop() ?? "?").join(", ")}` : null;
  }
  if (mro.some((e) => e.def && /ratelimit/i.test(e.qualname)) || mro.some((e) => /RatelimitMixin$/.test(e.qualname))) return "ratelimit";
  if (model.drf && settings.drf.throttle?.includes("?")) return "DRF project default (not readable statically)";
  if (model.drf && settings.drf.throttle?.length) return `DRF ${settings.drf.throttle.map((c) => c.split(".").pop()).join(", ")} (default)`;
  void project;
  return null;
}

/** Brute-force protection that covers every login through authenticate(): django-axes, django-defender. */
export function globalLoginProtection(settings: AppSettings): string | null {
  const all = [...settings.installedApps, ...(settings.middleware ?? []), ...settings.authBackends];
  if (all.some((x) => /^axes(\.|$)/.test(x))) return "django-axes";
  if (all.some((x) => /^defender(\.|$)/.test(x))) return "django-defender";
  return null;
}

// ---------------------------------------------------------------- state changes

const WRITE_QS = new Set(["create", "get_or_create", "update_or_create", "bulk_create", "bulk_update", "update"]);
const MAIL_FUNCS = ["send_mail", "send_mass_mail", "mail_admins", "mail_managers"];
const MAIL_CALL = new RegExp(`^django\\.core\\.mail\\.(${MAIL_FUNCS.join("|")})$`);
const NOT_ORM_SAVE = /(image|img|thumb|pil|buffer|workbook|wb|zip|pdf|doc|canvas|fig|plot|file_obj)$/i;
const NOT_STATE_BASE = /(^|\.)(session|cache|caches|messages|headers|META|COOKIES|GET|POST|response|resp|context|ctx|kwargs|data|params|result|results|seen|errors)$/;

function receiverText(e: A.Expr): string {
  if (e.kind === "Call") return `${receiverText(e.func)}()`;
  if (e.kind === "Attribute") return `${receiverText(e.value)}.${e.attr}`;
  if (e.kind === "Name") return e.id;
  return "…";
}

function querysetish(e: A.Expr): boolean {
  let cur: A.Expr = e;
  for (let i = 0; i < 12; i++) {
    if (cur.kind === "Attribute") {
      if (cur.attr === "objects" || cur.attr.endsWith("_set") || cur.attr === "_default_manager") return true;
      cur = cur.value;
    } else if (cur.kind === "Call") {
      if (cur.func.kind === "Attribute" && ["filter", "exclude", "all", "select_related", "prefetch_related", "select_for_update", "get_queryset", "order_by", "using"].includes(cur.func.attr)) return true;
      cur = cur.func;
    } else return false;
  }
  return false;
}

const writeKindMemo = nodeMemo<A.Call, WriteKind | null>();

/** A call that changes state, and how: "save", "delete", "create", ... or null. */
export function writeKind(project: Project, file: PythonFile, c: A.Call): WriteKind | null {
  // asked of the same call sites by every route through a shared base class, and by the IDOR checks
  return writeKindMemo(project, c, () => classifyWrite(project, file, c));
}

/** Many-to-many manager methods that change the relation. */
const M2M_WRITES = ["add", "remove", "set", "clear"];

/** The method names a state-changing call can end in (the receiver decides the rest). */
const WRITE_ATTRS = new Set(["save", "delete", ...WRITE_QS, ...M2M_WRITES, "send", ...MAIL_FUNCS]);

function classifyWrite(project: Project, file: PythonFile, c: A.Call): WriteKind | null {
  // Most calls are method calls whose name alone rules them out (qualifying a name keeps
  // its last attribute): answer those before building the qualified name and receiver text.
  if (c.func.kind === "Attribute" && !WRITE_ATTRS.has(c.func.attr)) return null;
  const q = qualifiedName(project, file, c.func) ?? "";
  if (MAIL_CALL.test(q)) return "mail";
  if (c.func.kind !== "Attribute") return null;
  const attr = c.func.attr;
  const recv = c.func.value;
  const rtext = receiverText(recv);
  if (NOT_STATE_BASE.test(rtext) || /^(request|self\.request)\.(session|user\.(session|groups))/.test(rtext) && attr !== "save") return null;
  if (attr === "save") return recv.kind === "Name" && NOT_ORM_SAVE.test(recv.id) ? null : "save";
  if (attr === "delete") return "delete";
  if (attr === "update") return querysetish(recv) ? "update" : null;
  if (WRITE_QS.has(attr)) return querysetish(recv) || recv.kind === "Attribute" ? "create" : null;
  if (M2M_WRITES.includes(attr) && recv.kind === "Attribute" && !(recv.value.kind === "Name" && recv.value.id === "self")) {
    if (attr === "set" && c.args.length !== 1) return null;
    return "m2m";
  }
  if (attr === "send" && (recv.kind === "Call" && /Email(Message|MultiAlternatives)$/.test(qualifiedName(project, file, recv.func) ?? "") || recv.kind === "Name" && /(mail|msg|message|email)/i.test(recv.id))) return "mail";
  return null;
}

type Gate = Write["gate"];

const BOOKKEEPING = /(refresh|touch|track|record_|last_active|last_seen|last_login|mark_seen|visit|bump|increment|hit_count|view_count|(^|\.)_?(get|ensure|load)_)/i;

/** A model named as a cache or a log (`CachedFile.objects.create(...)`, `AccessLog.objects.create(...)`): a GET that
 *  writes one records or caches; nobody gains from making a victim's browser do it. */
const CACHE_OR_LOG_MODEL = /^(Cached[A-Z]\w*|\w*Cache|\w*(Log|LogEntry|Logs))$/;

function cacheOrLogWrite(c: A.Call): boolean {
  let x: A.Expr = c.func;
  while (x.kind === "Attribute" || x.kind === "Call") x = x.kind === "Attribute" ? x.value : x.func;
  return x.kind === "Name" && CACHE_OR_LOG_MODEL.test(x.id) && dottedName(c.func)?.includes(".objects.") === true;
}

/**
 * `Prefs.objects.get_or_create(user=request.user, ...)`: the requester's own row made
 * on first use (display properties, preferences). A forged request only does what the
 * victim's own first visit does.
 */
function ownRowEnsured(c: A.Call): boolean {
  return c.func.kind === "Attribute" && c.func.attr === "get_or_create" && c.keywords.some((k) => /^(self\.)?request\.user$/.test(dottedName(k.value) ?? ""));
}

/** `x.save(update_fields=["last_seen"])`: only timestamps and counters change. */
function timestampOnly(c: A.Call): boolean {
  const uf = c.keywords.find((k) => k.arg === "update_fields")?.value;
  const names = constStrings(uf);
  return !!names && names.length > 0 && names.every((n) => /^(last_\w+|\w+_(at|on|date|time|count)|views|hits|seen|visits)$/.test(n));
}

/** How an `if` test gates its branches: POST-only, GET-only, or not at all. */
function classifyTest(t: A.Expr): { body: Gate | null; orelse: Gate | null } {
  if (t.kind === "UnaryOp" && t.op === "not") {
    const inner = classifyTest(t.operand);
    return { body: inner.orelse, orelse: inner.body };
  }
  if (t.kind === "BoolOp") {
    const parts = t.values.map(classifyTest);
    if (t.op === "and") return { body: parts.find((p) => p.body)?.body ?? null, orelse: null };
    return { body: null, orelse: parts.every((p) => p.orelse) ? parts[0]!.orelse : null };
  }
  if (t.kind === "Compare" && isRequestMethod(t.left)) {
    const op = t.ops[0];
    const m = constString(t.comparators[0])?.toUpperCase();
    const list = constStrings(t.comparators[0])?.map((x) => x.toUpperCase());
    const safe = (x: string) => x === "GET" || x === "HEAD";
    if (op === "==" && m) return safe(m) ? { body: "get", orelse: "post" } : { body: "post", orelse: null };
    if (op === "!=" && m) return safe(m) ? { body: "post", orelse: "get" } : { body: null, orelse: "post" };
    if (op === "in" && list) return list.every((x) => !safe(x)) ? { body: "post", orelse: null } : { body: null, orelse: null };
    if (op === "not in" && list) return list.every((x) => !safe(x)) ? { body: null, orelse: "post" } : { body: null, orelse: null };
  }
  if (t.kind === "Call" && t.func.kind === "Attribute" && t.func.attr === "is_valid") return { body: "post", orelse: null };
  const d = dottedName(t) ?? "";
  if (/(^|\.)request\.(POST|FILES|data|body)$/.test(d)) return { body: "post", orelse: null };
  return { body: null, orelse: null };
}

/** Reads that only succeed with a request body: request.POST["x"], request.FILES["x"], request.body, request.data["x"]. */
function needsBody(s: A.Stmt): boolean {
  let hit = false;
  for (const e of stmtExprs(s)) walkExpr(e, (x) => {
    if (hit) return false;
    if (x.kind === "Subscript" && /(^|\.)request\.(POST|FILES|data)$/.test(dottedName(x.value) ?? "")) hit = true;
    if (x.kind === "Attribute" && x.attr === "body" && /(^|\.)request$/.test(dottedName(x.value) ?? "")) hit = true;
  });
  return hit;
}

function writesOf(project: Project, model: ViewModel): Write[] {
  const out: Write[] = [];
  const v = model.route.view;
  const methods: ReadonlyMap<string, { fn: A.FunctionDef; owner: MroEntry }> = v.mro.length ? mroMethods(v.mro) : new Map();
  // a handler for a method http_method_names or a method decorator turns away never runs
  const allowed = model.methods ? new Set(model.methods) : null;
  for (const h of model.handlers) {
    if (allowed && h.method !== "*" && !allowed.has(h.method.toUpperCase())) continue;
    if (h.fn && h.file) {
      const hm = h.method === "*" ? "*" : h.method;
      const start: Gate = h.method === "*" ? "any" : h.method === "get" ? "get" : "post";
      scanFunction(project, h.file, h.fn, start, hm, 0, null, out, methods, new Set());
    }
    if (!h.fn) {
      // inherited writes of generic views and DRF mixins, plus the project hooks they call
      const known = v.mro.find((e) => e.known && (e.known.writes ?? []).includes(h.action ?? h.method));
      if (known && model.defSite) {
        out.push({ site: model.defSite, bookkeeping: false, what: `${known.known!.name}.${h.action ?? h.method} (inherited)`, kind: h.action === "destroy" || h.method === "delete" || known.known!.name === "DeleteView" ? "delete" : "save", gate: h.method === "get" ? "get" : "post", method: h.method, target: null });
      }
      const hooks = h.action === "create" ? ["perform_create"] : h.action === "update" || h.action === "partial_update" ? ["perform_update"] : h.action === "destroy" ? ["perform_destroy"] : h.method === "post" || h.method === "put" ? ["form_valid"] : h.method === "delete" ? ["form_valid", "delete"] : [];
      for (const name of hooks) {
        const m = methods.get(name);
        if (m?.owner.def) scanFunction(project, m.owner.def.file, m.fn, "post", h.method, 0, null, out, methods, new Set());
      }
    }
  }
  // one entry per site and kind
  const seen = new Set<string>();
  return out.filter((w) => {
    const k = `${w.site.path}:${w.site.line}:${w.site.span.col}:${w.method}:${w.what}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function scanFunction(
  project: Project, file: PythonFile, fn: A.FunctionDef, gate: Gate, method: string, depth: number,
  via: { site: Site; name: string } | null, out: Write[], methods: ReadonlyMap<string, { fn: A.FunctionDef; owner: MroEntry }>, stack: Set<A.FunctionDef>,
): void {
  if (stack.has(fn) || depth > 2) return;
  stack.add(fn);
  for (const c of gatedCalls(project, file, fn, gate)) {
    if (c.kind) {
      const what = `${receiverText(c.call.func)}()`;
      const recv = c.call.func.kind === "Attribute" ? c.call.func.value : null;
      out.push({
        site: via?.site ?? siteOf(file, c.call),
        what: via ? `${via.name}() → ${what}` : what,
        kind: c.kind, gate: c.gate, method,
        target: !via && recv?.kind === "Name" ? recv.id : null,
        bookkeeping: (via !== null && BOOKKEEPING.test(via.name)) || timestampOnly(c.call) || cacheOrLogWrite(c.call) || ownRowEnsured(c.call) || c.defaultRow,
      });
      continue;
    }
    if (depth >= 2) continue;
    // follow calls into project functions and self.methods (the MRO decides what self.x is)
    let target: { fn: A.FunctionDef; file: PythonFile } | null = null;
    if (c.selfMethod !== null) {
      const m = methods.get(c.selfMethod);
      if (m?.owner.def) target = { fn: m.fn, file: m.owner.def.file };
    } else {
      const d = calleeOf(project, file, c.call);
      if (d?.node.kind === "FunctionDef") target = { fn: d.node, file: d.file };
    }
    if (target) scanFunction(project, target.file, target.fn, c.gate, method, depth + 1, via ?? { site: siteOf(file, c.call), name: receiverText(c.call.func) }, out, methods, stack);
  }
  stack.delete(fn);
}

/** A call in a body that writes, or that the write scan follows, with the method gate in force where it is. */
interface GatedCall {
  call: A.Call;
  gate: Gate;
  kind: WriteKind | null;
  /** `self.<name>(...)`: resolved against each view's own MRO; other callees are resolved when followed */
  selfMethod: string | null;
  /** a write that creates the row a lookup did not find, from constants only (defaultRowWrite) */
  defaultRow: boolean;
}

const gatedMemo = nodeMemo<A.FunctionDef, Partial<Record<Gate, readonly GatedCall[]>>>();

/**
 * The calls scanFunction acts on in a body entered under `start`, in walk order.
 * They depend only on the function and the starting gate, not on the view, so
 * each function is walked once per gate however many routes reach it.
 */
function gatedCalls(project: Project, file: PythonFile, fn: A.FunctionDef, start: Gate): readonly GatedCall[] {
  const byGate = gatedMemo(project, fn, () => ({}));
  return (byGate[start] ??= exact(collectGatedCalls(project, file, fn, start)));
}

function collectGatedCalls(project: Project, file: PythonFile, fn: A.FunctionDef, start: Gate): GatedCall[] {
  const out: GatedCall[] = [];
  // `missing`: the body of an `except X.DoesNotExist:` after a lookup, while inside it
  const visitBody = (body: A.Stmt[], g: Gate, missing: A.Stmt[] | null): void => {
    let cur = g;
    for (const s of body) {
      if (s.kind === "FunctionDef" || s.kind === "ClassDef") continue;
      if (cur !== "post" && needsBody(s)) cur = "post";
      for (const e of stmtExprs(s)) visitExpr(e, cur, missing);
      if (s.kind === "If") {
        const t = classifyTest(s.test);
        visitBody(s.body, t.body ?? cur, missing);
        visitBody(s.orelse, t.orelse ?? cur, missing);
        // an early return leaves the rest of the body to the other branch's gate
        if (endsFlow(s.body) && t.orelse) cur = t.orelse;
        else if (endsFlow(s.body) && s.orelse.length === 0 && t.body === "get") cur = "post";
        continue;
      }
      if (s.kind === "Try") {
        const looksUp = anyExpr(s.body, (x) => x.kind === "Call" && x.func.kind === "Attribute" && x.func.attr === "get");
        visitBody(s.body, cur, missing);
        for (const h of s.handlers) visitBody(h.body, cur, looksUp && h.type && /DoesNotExist$/.test(dottedName(h.type) ?? "") ? h.body : missing);
        visitBody(s.orelse, cur, missing);
        visitBody(s.finalbody, cur, missing);
        continue;
      }
      for (const b of stmtBodies(s)) visitBody(b, cur, missing);
    }
  };
  const visitExpr = (e: A.Expr, gate: Gate, missing: A.Stmt[] | null): void => {
    walkExpr(e, (x) => {
      if (x.kind === "Lambda") return false;
      if (x.kind !== "Call") return;
      const kind = writeKind(project, file, x);
      // a call that neither writes nor names a function (`handlers[k]()`) leads nowhere
      if (!kind && x.func.kind !== "Name" && x.func.kind !== "Attribute") return;
      const selfMethod = x.func.kind === "Attribute" && x.func.value.kind === "Name" && x.func.value.id === "self" ? x.func.attr : null;
      out.push({ call: x, gate, kind, selfMethod, defaultRow: kind !== null && missing !== null && defaultRowWrite(x, missing) });
    });
  };
  visitBody(fn.body, start, null);
  return out;
}

/**
 * A write, in the handler of a lookup that found nothing, that creates the row from
 * constants only: `SiteSettings(id=1).save()` or `Config.objects.create(pk=1)` when
 * `SiteSettings.objects.get(id=1)` raised DoesNotExist (BookWyrm's settings singleton, made on
 * first use). Every visit would make the same row, so a forged one gains nothing. A row
 * made from the request (`Favorite.objects.create(user=request.user, book=book)`) is not this.
 */
function defaultRowWrite(c: A.Call, handler: A.Stmt[]): boolean {
  const literalCall = (call: A.Expr | undefined): boolean =>
    call?.kind === "Call" && call.args.every(isLiteral) && call.keywords.every((k) => k.arg !== null && isLiteral(k.value));
  if (c.func.kind !== "Attribute") return false;
  if (c.func.attr === "create" || c.func.attr === "get_or_create") return literalCall(c);
  if (c.func.attr !== "save" || c.func.value.kind !== "Name") return false;
  const name = c.func.value.id;
  // `row = Model(...)` in the handler, made from constants
  return handler.some((st) => st.kind === "Assign" && st.targets.some((t) => t.kind === "Name" && t.id === name) && literalCall(st.value));
}

const calleeMemo = nodeMemo<A.Call, ResolvedDef | null>();

/** The project definition a call's callee names (`helper(...)`, `utils.helper(...)`), once per call site. */
function calleeOf(project: Project, file: PythonFile, c: A.Call): ResolvedDef | null {
  if (c.func.kind !== "Name" && c.func.kind !== "Attribute") return null;
  return calleeMemo(project, c, () => resolveExpr(project, file, c.func));
}

// ---------------------------------------------------------------- signatures

const SIGNATURE = /(^|\.)(compare_digest|constant_time_compare|construct_event|verify_signature|verify_webhook|validate_signature|verify_header|WebhookSignature\.verify_header|RequestValidator|verify|check_signature)$/;

/** The function (or a helper it calls, two levels down) verifies an HMAC/provider signature. */
export function verifiesSignature(project: Project, file: PythonFile, fn: A.FunctionDef, depth: number): boolean {
  // sized for the depths asked (0–2): an array grown from [] reserves 17 slots
  const byDepth = signatureMemo(project, fn, () => new Array<boolean>(3));
  return (byDepth[depth] ??= bodyCalls(project, file, fn).some((c) => {
    if (SIGNATURE.test(c.name) || /^hmac\./.test(c.name) || /signature/i.test(c.name)) return true;
    const d = depth < 2 ? calleeOf(project, file, c.call) : null;
    return d?.node.kind === "FunctionDef" && verifiesSignature(project, d.file, d.node, depth + 1);
  }));
}

const signatureMemo = nodeMemo<A.FunctionDef, boolean[]>();

function mentionsStateAndSession(fn: A.FunctionDef): boolean {
  const w = bodyWords(fn.body);
  return w.has("state") && w.has("session");
}

/** Routes grouped by view model, for rules that report once per view. */
export function viewModels(project: Project): ViewModel[] {
  return [...project.use(viewsAnalysis).values()];
}

/** Display name of a view for messages and tables: "orders.views.cancel_order" → "orders.views.cancel_order". */
export function viewLabel(v: ViewModel): string {
  const r = v.route.view;
  const base = r.qualname ?? r.text;
  if (r.extraAction) return `${base}.${r.extraAction}`;
  return base;
}

function walkBodyCalls(body: A.Stmt[], visit: (c: A.Call) => void): void {
  for (const s of body) {
    for (const e of stmtExprs(s)) walkExpr(e, (x) => { if (x.kind === "Call") visit(x); });
    walkBodyCalls(stmtBodies(s).flat(), visit);
  }
}

/** A call in a body and its canonical (or dotted) name; calleeOf says what it reaches, when a check follows it. */
interface BodyCall {
  call: A.Call;
  name: string;
}

const bodyCallsMemo = nodeMemo<A.FunctionDef, readonly BodyCall[]>();

/**
 * Every call in a function (nested defs included), in source order. The
 * signature, throttle and API-key checks each look for a kind of call here and
 * follow callees; one walk per function serves all of them and every route.
 */
function bodyCalls(project: Project, file: PythonFile, fn: A.FunctionDef): readonly BodyCall[] {
  return bodyCallsMemo(project, fn, () => {
    const out: BodyCall[] = [];
    walkBodyCalls(fn.body, (c) => out.push({ call: c, name: qualifiedName(project, file, c.func) ?? dottedName(c.func) ?? "" }));
    return exact(out);
  });
}

// ---------------------------------------------------------------- header tokens

const API_KEY_TEXT = /api[_-]?key|authorization|x-api|bearer|HTTP_AUTHORIZATION|token/i;

/** A project decorator (or its inner wrapper) that reads an API key from request headers/META. */
function decoratorReadsApiKey(project: Project, file: PythonFile, d: A.Expr): boolean {
  const target = resolveExpr(project, file, d.kind === "Call" ? d.func : d);
  return target?.node.kind === "FunctionDef" && readsApiKey(target.node);
}

/** a syntactic fact about the function: memoised per node, no project needed */
const apiKeyMemo = weakMemo<A.FunctionDef, boolean>();

function readsApiKey(fn: A.FunctionDef): boolean {
  return apiKeyMemo(fn, () => anyExpr(fn.body, (x) => x.kind === "Attribute" && (x.attr === "headers" || x.attr === "META")) &&
    anyExpr(fn.body, (x) => (x.kind === "Constant" && typeof x.value === "string" && API_KEY_TEXT.test(x.value)) || (x.kind === "Name" && API_KEY_TEXT.test(x.id)) || (x.kind === "Attribute" && API_KEY_TEXT.test(x.attr))));
}

const apiKeyViewMemo = nodeMemo<A.FunctionDef, boolean>();

/** A function view that hands the request to project functions decorated with an API-key check. */
function callsApiKeyView(project: Project, file: PythonFile, fn: A.FunctionDef): boolean {
  return apiKeyViewMemo(project, fn, () => bodyCalls(project, file, fn).some((c) => {
    const d = calleeOf(project, file, c.call);
    return d?.node.kind === "FunctionDef" && d.node.decorators.some((x) => decoratorReadsApiKey(project, d.file, x));
  }));
}

const THROTTLE_CALL = /(ratelimit|rate_limit|throttl|TokenBucket|bucket|brute|lockout|axes|too_many)/i;

/** Rate limiting done by hand inside the view (or a helper it calls): `TokenBucket.authorize_login(...)`, `is_ratelimited(...)`. */
function bodyThrottle(project: Project, model: ViewModel): string | null {
  for (const h of model.handlers) {
    const found = h.fn && h.file ? throttleCall(project, h.file, h.fn, 0) : null;
    if (found) return `custom (${found})`;
  }
  return null;
}

const throttleMemo = nodeMemo<A.FunctionDef, (string | null)[]>();

/** The first throttling call in a function or, one level down, in a helper it calls or a form class it builds. */
function throttleCall(project: Project, file: PythonFile, fn: A.FunctionDef, depth: number): string | null {
  const byDepth = throttleMemo(project, fn, () => new Array<string | null>(2));
  if (byDepth[depth] !== undefined) return byDepth[depth];
  let found: string | null = null;
  for (const c of bodyCalls(project, file, fn)) {
    if (THROTTLE_CALL.test(c.name)) found = c.name.split(".").slice(-2).join(".");
    const d = !found && depth < 1 ? calleeOf(project, file, c.call) : null;
    if (d?.node.kind === "FunctionDef") found = throttleCall(project, d.file, d.node, depth + 1);
    // a form the view builds may throttle in its clean() methods
    if (d?.node.kind === "ClassDef") {
      for (const m of d.node.body) if (!found && m.kind === "FunctionDef") found = throttleCall(project, d.file, m, depth + 1);
    }
    if (found) break;
  }
  return (byDepth[depth] = found);
}
