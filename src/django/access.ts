// Object-level access: where a view fetches a model instance by an identifier the
// client controls (a URL parameter, request data, self.kwargs), whether that
// lookup is scoped to the requesting user or followed by an ownership/permission
// check, and what the view then does with the object (changes it or shows it).
// AUTHZ-001's IDOR checks read this.
import type { Project, PythonFile } from "../project/project.js";
import * as A from "../python/ast.js";
import { anyExpr, constString, dottedName, exprHas, returnsOf, stmtBodies, stmtExprs, usesAnyWord, walkExpr } from "../python/walk.js";
import { qualifiedName, resolveDefinition, resolveExpr, type ResolvedDef } from "../python/scope.js";
import { classMro, mroAttribute, mroMethods, type MroEntry } from "./classes.js";
import { nodeMemo, weakMemo } from "../project/memo.js";
import { comparesOwnerWithUser, OWNER_ATTR, writeKind, type Site } from "./views.js";
import { exact } from "../project/compact.js";

export interface ObjectAccess {
  /** the lookup call */
  site: Site;
  /** model name as written, e.g. "Order" */
  model: string;
  modelDef: ResolvedDef | null;
  /** the model has a relation to the user model (owner/customer/user...), or null when unknown */
  userOwned: boolean | null;
  /** the lookup path to the user ("customer", "order__customer"), when there is one */
  ownerField: string | null;
  /** where the identifier comes from, e.g. "URL parameter pk" */
  keyFrom: string;
  /** the lookup filters by the requesting user */
  scoped: boolean;
  /** a check on the object or the user's permissions that can refuse */
  check: "owner" | "permission" | "staff" | null;
  /** the only user check is request.user.is_authenticated */
  onlyAuthenticatedCheck: boolean;
  use: "write" | "read" | "none";
  /** the variable the object is bound to */
  variable: string | null;
  /** the first write to the object, when there is one */
  writeSite?: Site;
  writeWhat?: string;
}

const LOOKUP_METHODS = new Set(["get", "first", "last", "get_or_404", "earliest", "latest"]);
const USERISH = /(^|\.)(request|self\.request)\.user(\.|$)|^user$|^current_user$/;

/** `check` of a class view guarded only by PermissionRequiredMixin/UserPassesTestMixin: a check that may not look at the object. */
export const MIXIN_CHECK = "PermissionRequiredMixin/UserPassesTestMixin";

function siteOf(file: PythonFile, span: A.Span): Site {
  return { path: file.path, line: span.line, span };
}

function mentions(e: A.Expr | A.Stmt | undefined, pred: (x: A.Expr) => boolean): boolean {
  if (!e) return false;
  const exprs = "kind" in e && isExpr(e) ? [e] : stmtExprs(e as A.Stmt);
  return exprs.some((root) => exprHas(root, pred));
}

function isExpr(e: A.Expr | A.Stmt): e is A.Expr {
  return !["FunctionDef", "ClassDef", "Return", "Assign", "AugAssign", "AnnAssign", "Expr", "If", "For", "While", "With", "Try", "Import", "ImportFrom", "Raise", "Delete", "Global", "Nonlocal", "Assert", "Match", "Pass", "Break", "Continue", "UnknownStmt"].includes(e.kind);
}

function isUserExpr(x: A.Expr, userVars: Set<string>): boolean {
  const d = dottedName(x);
  if (!d) return false;
  return USERISH.test(d) || userVars.has(d.split(".")[0]!);
}

/** The model class behind `Order`, `Order.objects`, `Order.objects.filter(...)`. */
function modelOf(project: Project, file: PythonFile, e: A.Expr): { name: string; def: ResolvedDef | null } | null {
  let cur: A.Expr = e;
  for (let i = 0; i < 12; i++) {
    if (cur.kind === "Call") cur = cur.func;
    else if (cur.kind === "Attribute") {
      if (cur.attr === "objects" || cur.attr === "_default_manager") {
        cur = cur.value;
        break;
      }
      cur = cur.value;
    } else break;
  }
  if (cur.kind !== "Name" && cur.kind !== "Attribute") return null;
  const name = dottedName(cur);
  if (!name || /^(self|request)(\.|$)/.test(name)) return null;
  const def = resolveExpr(project, file, cur);
  if (def && def.node.kind !== "ClassDef") return null;
  if (!def && !/^[A-Z]/.test(name.split(".").pop()!)) return null;
  return { name: name.split(".").pop()!, def };
}

/** Does a model class relate to the user model (ForeignKey/OneToOne/M2M to AUTH_USER_MODEL/User), directly or via its parent object? */
export function userOwnedModel(project: Project, def: ResolvedDef | null, depth = 0): boolean | null {
  const path = ownerPath(project, def, depth);
  return path === undefined ? null : path !== null;
}

/**
 * The lookup path from a model to its user: "customer" for a direct foreign key,
 * "order__customer" through a parent; null when there is none, undefined when the
 * model is not in the project.
 */
function ownerPath(project: Project, def: ResolvedDef | null, depth = 0): string | null | undefined {
  if (!def || def.node.kind !== "ClassDef") return undefined;
  let via: string | null = null;
  for (const s of def.node.body) {
    if (s.kind !== "Assign" || s.value.kind !== "Call" || s.targets[0]?.kind !== "Name") continue;
    const name = s.targets[0].id;
    const field = dottedName(s.value.func) ?? "";
    if (!/(ForeignKey|OneToOneField|ManyToManyField)$/.test(field)) continue;
    const to = s.value.args[0] ?? s.value.keywords.find((k) => k.arg === "to")?.value;
    if (!to) continue;
    const text = dottedName(to) ?? (to.kind === "Constant" ? String(to.value) : to.kind === "Call" ? dottedName(to.func) ?? "" : "");
    if (/AUTH_USER_MODEL|(^|\.)User$|get_user_model|auth\.User/.test(text)) {
      // a many-to-many to users (who use, like or follow it) makes nobody its owner
      if (/ManyToManyField$/.test(field)) continue;
      return name;
    }
    if (depth < 1 && to.kind !== "Constant" && via === null) {
      const parent = resolveExpr(project, def.file, to);
      const up = parent && parent !== def ? ownerPath(project, parent, depth + 1) : null;
      if (up) via = `${name}__${up}`;
    }
  }
  return via;
}

const accessesMemo = nodeMemo<A.FunctionDef, Map<string, readonly ObjectAccess[]>>();

/**
 * Object lookups in a function view (or a class-based view's handler) keyed by
 * something the client controls. Callers only read the answer: it is shared by
 * every view whose handler this is (NetBox's generic views share their get/post).
 */
export function objectAccesses(project: Project, file: PythonFile, fn: A.FunctionDef, routeParams: Set<string>, mro: readonly MroEntry[], checkedParams: ReadonlySet<string>): readonly Readonly<ObjectAccess>[] {
  // the view's class matters only through whether its get_queryset() is scoped to the user
  const scopedQs = scopedQueryset(mro);
  const key = `${[...routeParams].sort().join(",")}|${scopedQs}|${[...checkedParams].sort().join(",")}`;
  const byKey = accessesMemo(project, fn, () => new Map());
  let hit = byKey.get(key);
  if (!hit) byKey.set(key, (hit = exact(findObjectAccesses(project, file, fn, routeParams, scopedQs, checkedParams))));
  return hit;
}

/**
 * URL parameters a view's DRF permission classes check the requester against
 * before any handler runs: a project permission class whose has_permission()
 * asks about `request.user` and reads the URL's container through the view
 * (`view.kwargs["slug"]`, or `view.project_id`, a view property returning
 * `self.kwargs.get("project_id")`). Plane's ProjectEntityPermission lets a user
 * through only as a member of the project in the URL; a lookup the handler
 * then limits to that project (`Cycle.objects.get(pk=cycle_id, project_id=project_id)`)
 * reaches only that project's rows.
 */
export function permissionCheckedParams(project: Project, classes: readonly string[], mro: readonly MroEntry[]): Set<string> {
  const out = new Set<string>();
  const viewAttrs = new Set<string>();
  for (const c of classes) {
    const cls = classByName(project, c);
    const hp = cls?.body.find((x): x is A.FunctionDef => x.kind === "FunctionDef" && x.name === "has_permission");
    if (!hp || !deepMentionsRequester(hp)) continue;
    walkBodyExprs(hp.body, (x) => {
      if (x.kind === "Attribute" && x.value.kind === "Name" && x.value.id === "view" && x.attr !== "kwargs") viewAttrs.add(x.attr);
      const key = kwargsKey(x, "view");
      if (key) out.add(key);
    });
  }
  if (!viewAttrs.size) return out;
  const methods = mroMethods(mro);
  for (const a of viewAttrs) {
    const m = methods.get(a);
    if (!m) { out.add(a); continue; }
    walkBodyExprs(m.fn.body, (x) => {
      const key = kwargsKey(x, "self");
      if (key) out.add(key);
    });
  }
  return out;
}

/**
 * URL parameters a handler's own decorators check the requester against: a project
 * decorator whose wrapper asks about `request.user` and reads `kwargs["slug"]`
 * (Plane's `@allow_permission([ROLE.ADMIN])`, a membership check on the URL's
 * workspace and project).
 */
export function decoratorCheckedParams(project: Project, file: PythonFile, fn: A.FunctionDef): Set<string> {
  const out = new Set<string>();
  for (const d of fn.decorators) {
    const target = d.kind === "Call" ? d.func : d;
    if (target.kind !== "Name" && target.kind !== "Attribute") continue;
    const def = resolveExpr(project, file, target);
    if (def?.node.kind !== "FunctionDef" || !deepMentionsRequester(def.node)) continue;
    walkBodyExprs(def.node.body, (x) => {
      const key = kwargsKey(x, null);
      if (key) out.add(key);
    });
  }
  return out;
}

/** `owner.kwargs["k"]` / `owner.kwargs.get("k")` (a bare `kwargs` when owner is null): the URL keyword argument it reads. */
function kwargsKey(x: A.Expr, owner: string | null): string | null {
  const isKwargs = (e: A.Expr) => owner === null ? e.kind === "Name" && e.id === "kwargs" : e.kind === "Attribute" && e.attr === "kwargs" && e.value.kind === "Name" && e.value.id === owner;
  if (x.kind === "Subscript" && isKwargs(x.value)) return constString(x.slice);
  if (x.kind === "Call" && x.func.kind === "Attribute" && x.func.attr === "get" && isKwargs(x.func.value) && x.args[0]) return constString(x.args[0]);
  return null;
}

function classByName(project: Project, dotted: string): A.ClassDef | null {
  return classDefByName(project, dotted)?.node ?? null;
}

function classDefByName(project: Project, dotted: string): (ResolvedDef & { node: A.ClassDef }) | null {
  const d = resolveDefinition(project, dotted);
  return d?.node.kind === "ClassDef" ? (d as ResolvedDef & { node: A.ClassDef }) : null;
}

/**
 * Calls that ask whether the user may act: Django's and DRF's (`has_perm`,
 * `check_object_permissions`), django-guardian's (`get_objects_for_user`,
 * `get_perms`) and a project's own helpers named the same way
 * (`has_perms_owner_aware`, `check_document_permission`, `user_can_edit`).
 */
const PERMISSION_CALL = /^(\w*has_\w*perm\w*|check_\w*perm\w*|\w+_has_perms?|user_can\w*|can_\w+|get_objects_for_user|get_perms)$/;

function isPermissionCall(x: A.Expr): boolean {
  return x.kind === "Call" && (x.func.kind === "Attribute" || x.func.kind === "Name") && PERMISSION_CALL.test(x.func.kind === "Name" ? x.func.id : x.func.attr);
}

function findObjectAccesses(project: Project, file: PythonFile, fn: A.FunctionDef, routeParams: Set<string>, scopedQs: boolean, checkedParams: ReadonlySet<string>): ObjectAccess[] {
  const out: ObjectAccess[] = [];
  const tainted = new Set<string>(routeParams);
  const userVars = new Set<string>();
  const lookups = new Map<string, ObjectAccess>();
  // objects this request made from client data (`s = Serializer(data=request.data)`, `o = M.objects.create(...)`):
  // the id the server gave them (`s.instance.id`, `o.pk`) is no key the client chose
  const made = new Set<string>();
  const serverId = (x: A.Expr): boolean => {
    if (x.kind !== "Attribute" || (x.attr !== "id" && x.attr !== "pk")) return false;
    const base = x.value.kind === "Attribute" && x.value.attr === "instance" ? x.value.value : x.value;
    return base.kind === "Name" && made.has(base.id);
  };
  const fromClient = (e: A.Expr): string | null => {
    let why: string | null = null;
    walkExpr(e, (x) => {
      if (why || serverId(x)) return false;
      const d = dottedName(x) ?? "";
      if (x.kind === "Name" && routeParams.has(x.id)) why = `URL parameter ${x.id}`;
      else if (x.kind === "Name" && tainted.has(x.id)) why = `request data (${x.id})`;
      else if (/(^|\.)request\.(GET|POST|data|query_params|body|COOKIES)$/.test(d)) why = `request.${d.split(".").pop()}`;
      else if (/(^|\.)self\.kwargs$/.test(d)) why = "URL parameter (self.kwargs)";
    });
    return why;
  };
  const all: A.Stmt[] = [];
  const flatten = (body: A.Stmt[]) => {
    for (const s of body) {
      if (s.kind === "FunctionDef" || s.kind === "ClassDef") continue;
      all.push(s);
      for (const b of stmtBodies(s)) flatten(b);
    }
  };
  flatten(fn.body);

  // Route parameters the handler vets itself before its lookups: a query of the requester's own
  // membership rows keyed by the parameter, tested (`if Member.objects.filter(member=request.user,
  // workspace__slug=slug).exists():`) or fetched (`.get(...)` raises for a non-member). Line of the check.
  const vetted = new Map<string, number>();
  for (const s of all) {
    const exprs = s.kind === "If" || s.kind === "While" || s.kind === "Assert" ? [s.test] : s.kind === "Expr" || s.kind === "Assign" ? [s.value] : [];
    for (const root of exprs) walkExpr(root, (x) => {
      if (x.kind !== "Call" || x.func.kind !== "Attribute") return;
      const fetches = x.func.attr === "get" || ((x.func.attr === "exists" || x.func.attr === "first") && s.kind !== "Expr");
      if (!fetches || !(lookupCall(x) || lookupCallReceiver(x.func.value))) return;
      const kws = [...x.keywords, ...filterKeywordsOf(x.func.value)];
      if (!kws.some((k) => isRequesterScope(k.value, userVars))) return;
      for (const k of kws) {
        const param = k.value.kind === "Name" && routeParams.has(k.value.id) ? k.value.id : kwargsKey(k.value, "self");
        if (param !== null && !vetted.has(param)) vetted.set(param, s.line);
      }
    });
  }
  for (const s of all) {
    if (s.kind === "Assign" && s.targets.length === 1 && s.targets[0]!.kind === "Tuple" && scopedByHelper(project, file, s.value)) {
      for (const t of s.targets[0]!.elts) if (t.kind === "Name") userVars.add(t.id);
    }
    if (s.kind === "Assign" && s.targets.length === 1 && s.targets[0]!.kind === "Name") {
      const name = s.targets[0]!.id;
      // the requester, or rows of the requester's own (`mine = Member.objects.filter(member=request.user).values_list("workspace_id")`,
      // then `workspace_id__in=mine`)
      if (isRequesterScope(s.value, userVars) || scopedByHelper(project, file, s.value) || requesterRows(s.value, userVars)) userVars.add(name);
      else if (fromClient(s.value) && !lookupCall(s.value)) {
        tainted.add(name);
        if (s.value.kind === "Call" && !(s.value.func.kind === "Attribute" && /^(get|filter|first|last|values|values_list)$/.test(s.value.func.attr))) made.add(name);
      }
    }
    for (const root of stmtExprs(s)) walkExpr(root, (x) => {
      if (x.kind !== "Call") return;
      const lk = lookupCall(x) ?? (directWrite(x) ? { kind: "method" as const } : null);
      if (!lk) return;
      const qsExpr = lk.kind === "shortcut" ? x.args[0] : x.func.kind === "Attribute" ? x.func.value : undefined;
      if (!qsExpr) return;
      // the lookup's own arguments; an update()'s are the new values, not keys (its keys are in the filter before it)
      const keyArgs = lk.kind === "shortcut" ? [...x.args.slice(1), ...x.keywords.map((k) => k.value)] : directWrite(x) ? [] : [...x.args, ...x.keywords.map((k) => k.value)];
      const filterArgs = filterArgsOf(qsExpr);
      let keyFrom: string | null = null;
      for (const a of [...keyArgs, ...filterArgs]) keyFrom ??= fromClient(a);
      if (!keyFrom) return;
      const model = modelOf(project, file, qsExpr);
      const usesQs = mentions(qsExpr, (y) => y.kind === "Call" && y.func.kind === "Attribute" && y.func.attr === "get_queryset");
      // limited to a container the permission checks covered (project_id=project_id), or that container itself
      // (Project.objects.get(id=self.kwargs["project_id"])); `pk=pk` is the object's own ID, whatever else a check read it for
      const inChecked = [...x.keywords, ...filterKeywordsOf(qsExpr)].some((k) => {
        const param = k.value.kind === "Name" && routeParams.has(k.value.id) ? k.value.id : kwargsKey(k.value, "self");
        if (k.arg === null || param === null) return false;
        // the handler's own membership check on that parameter, before the lookup: whatever it keys
        if ((vetted.get(param) ?? Infinity) <= x.line) return true;
        return checkedParams.has(param) && !(param === "pk" && /^(pk|id)$/.test(k.arg));
      });
      const scoped = inChecked || [...keyArgs, ...filterArgs, qsExpr].some((a) => mentions(a, (y) => isRequesterScope(y, userVars))) || (usesQs && scopedQs);
      if (!model && !usesQs) return;
      const variable = s.kind === "Assign" && s.targets[0]?.kind === "Name" && (s.value === x || containsNode(s.value, x)) ? s.targets[0].id : null;
      const acc: ObjectAccess = {
        site: siteOf(file, x), model: model?.name ?? "object", modelDef: model?.def ?? null,
        userOwned: model ? userOwnedModel(project, model.def) : null, ownerField: model ? ownerPath(project, model.def) ?? null : null, keyFrom, scoped,
        check: null, onlyAuthenticatedCheck: false, use: "none", variable,
      };
      // a lookup written straight away: Order.objects.filter(pk=pk).delete()
      if (directWrite(x)) {
        acc.use = "write";
        acc.writeSite = acc.site;
        acc.writeWhat = `${(x.func as A.Attribute).attr}()`;
      }
      out.push(acc);
      if (variable) lookups.set(variable, acc);
    });
  }
  if (!out.length) return out;

  // checks: comparisons of obj.<field> with the user, permission calls, staff tests
  let onlyAuth = false;
  let permission = false;
  let staff = false;
  let superuser = false;
  for (const s of all) {
    const tests: A.Expr[] = s.kind === "If" || s.kind === "While" ? [s.test] : s.kind === "Assert" ? [s.test] : [];
    for (const root of stmtExprs(s)) walkExpr(root, (x) => {
      // by the name written, or the name an import gives it (`from guardian.shortcuts import get_perms as perms_of`)
      if (isPermissionCall(x) || (x.kind === "Call" && PERMISSION_CALL.test(qualifiedName(project, file, x.func)?.split(".").pop() ?? ""))) permission = true;
    });
    for (const t of tests) {
      // is_staff lets every back-office account through; is_superuser alone is a real privilege
      if (staffOnlyTest(t)) staff = true;
      else if (mentions(t, (y) => y.kind === "Attribute" && y.attr === "is_superuser")) superuser = true;
      if (mentions(t, (y) => y.kind === "Attribute" && (y.attr === "is_authenticated" || y.attr === "is_anonymous"))) onlyAuth = true;
      for (const [v, acc] of lookups) {
        if (!mentions(t, (y) => y.kind === "Name" && y.id === v)) continue;
        // compared with the user, an owner-ish field, or a field of an object already scoped to the user
        if (mentions(t, (y) => isUserExpr(y, userVars) || (y.kind === "Attribute" && OWNER_ATTR.test(y.attr)))) acc.check = "owner";
        else if (mentions(t, (y) => y.kind === "Attribute" && rootName(y) !== v && rootName(y) !== null && (userVars.has(rootName(y)!) || serverSetOnRequest(y)))) acc.check = "owner";
      }
    }
  }
  for (const acc of out) {
    if (!acc.check) acc.check = permission || superuser ? "permission" : staff ? "staff" : null;
    acc.onlyAuthenticatedCheck = !acc.check && onlyAuth;
  }

  // uses: writes to the object, or the object handed to a response
  for (const s of all) {
    for (const root of stmtExprs(s)) walkExpr(root, (x) => {
      if (x.kind !== "Call") return;
      const kind = writeKind(project, file, x);
      if (kind && x.func.kind === "Attribute") {
        const base = rootName(x.func.value);
        const acc = base ? lookups.get(base) : out.find((a) => containsNode(x.func, a.site.span as A.Expr));
        if (acc && acc.use !== "write") {
          acc.use = "write";
          acc.writeSite = siteOf(file, x);
          acc.writeWhat = `${dottedName(x.func) ?? x.func.attr}()`;
        }
        return;
      }
      // the object handed to a project helper that writes to it: archive(note)
      x.args.forEach((arg, i) => {
        if (arg.kind !== "Name" || !lookups.has(arg.id)) return;
        const acc = lookups.get(arg.id)!;
        if (acc.use === "write" || (x.func.kind !== "Name" && x.func.kind !== "Attribute")) return;
        const d = resolveExpr(project, file, x.func);
        if (d?.node.kind !== "FunctionDef") return;
        const param = d.node.params[i]?.name;
        if (param && !acc.check && helperChecks(d.node, param)) acc.check = "owner";
        const inner = param ? helperWrite(project, d.file, d.node, param) : null;
        if (inner) {
          acc.use = "write";
          acc.writeSite = siteOf(file, x);
          acc.writeWhat = `${dottedName(x.func)}() → ${inner}`;
        }
      });
    });
    if (s.kind === "Return" || s.kind === "Assign" || s.kind === "Expr") {
      for (const [v, acc] of lookups) {
        if (acc.use === "none" && shownIn(s, v) && !(s.kind === "Assign" && s.targets.some((t) => t.kind === "Name" && t.id === v))) acc.use = "read";
      }
    }
  }
  return out;
}

/** ORM methods whose keyword arguments are lookups or field values: a row given there is a foreign key, not shown. */
const ORM_KEYWORD_METHODS = new Set(["filter", "exclude", "get", "create", "get_or_create", "update_or_create", "update", "exists", "count"]);

/**
 * The statement uses the looked-up object `v` other than as a foreign key of a query or a new
 * row (`Favorite.objects.create(status=status, user=request.user)`, `Boost.objects.filter(boosted_status=status)`):
 * only then can it reach the response (BookWyrm's favourite and unboost views show nothing of the status).
 */
function shownIn(s: A.Stmt, v: string): boolean {
  let shown = false;
  const visit = (x: A.Expr): false | void => {
    if (shown) return false;
    if (x.kind === "Name" && x.id === v) { shown = true; return false; }
    if (x.kind === "Call" && x.func.kind === "Attribute" && ORM_KEYWORD_METHODS.has(x.func.attr)) {
      walkExpr(x.func, visit);
      for (const a of x.args) walkExpr(a, visit);
      for (const k of x.keywords) if (!(k.arg !== null && k.value.kind === "Name" && k.value.id === v)) walkExpr(k.value, visit);
      return false;
    }
  };
  for (const root of stmtExprs(s)) walkExpr(root, visit);
  return shown;
}

function rootName(e: A.Expr): string | null {
  let cur = e;
  while (cur.kind === "Attribute" || cur.kind === "Subscript") cur = cur.value;
  return cur.kind === "Name" ? cur.id : null;
}

function containsNode(hay: A.Expr, needle: A.Expr | A.Span): boolean {
  let hit = false;
  walkExpr(hay, (x) => {
    if (hit) return false;
    if (x === needle || (x.line === needle.line && x.col === needle.col && x.endLine === needle.endLine && x.endCol === needle.endCol && x.kind === "Call")) hit = true;
  });
  return hit;
}

/** `get_object_or_404(qs, ...)`, `qs.get(...)`, `qs.filter(...).first()`. */
function lookupCall(e: A.Expr): { kind: "shortcut" | "method" } | null {
  if (e.kind !== "Call") return null;
  const name = dottedName(e.func) ?? "";
  if (/(^|\.)(get_object_or_404|get_list_or_404)$/.test(name)) return { kind: "shortcut" };
  if (e.func.kind === "Attribute" && LOOKUP_METHODS.has(e.func.attr)) {
    // `.get()` on a dict (`request.GET.get`) is not a lookup: the receiver must look like a queryset
    let cur: A.Expr = e.func.value;
    for (let i = 0; i < 10; i++) {
      if (cur.kind === "Attribute") {
        if (cur.attr === "objects" || cur.attr.endsWith("_set") || cur.attr === "_default_manager") return { kind: "method" };
        cur = cur.value;
      } else if (cur.kind === "Call") {
        if (cur.func.kind === "Attribute" && ["filter", "exclude", "all", "select_related", "prefetch_related", "select_for_update", "get_queryset", "only", "defer"].includes(cur.func.attr)) return { kind: "method" };
        cur = cur.func;
      } else return null;
    }
  }
  return null;
}

/** `qs.filter(...).update(...)` / `.delete()` on a filtered queryset. */
function directWrite(e: A.Call): boolean {
  return e.func.kind === "Attribute" && (e.func.attr === "update" || e.func.attr === "delete") && filterArgsOf(e.func.value).length > 0 && !!lookupCallReceiver(e.func.value);
}

function lookupCallReceiver(e: A.Expr): boolean {
  let cur: A.Expr = e;
  for (let i = 0; i < 10; i++) {
    if (cur.kind === "Attribute") {
      if (cur.attr === "objects" || cur.attr.endsWith("_set")) return true;
      cur = cur.value;
    } else if (cur.kind === "Call") cur = cur.func;
    else return false;
  }
  return false;
}

/** The filter()/exclude() calls along a queryset chain (`X.objects.filter(a=1).exclude(b=2)`). */
function filterCallsOf(e: A.Expr, methods: readonly string[] = ["filter", "exclude"]): A.Call[] {
  const out: A.Call[] = [];
  let cur: A.Expr = e;
  for (let i = 0; i < 12; i++) {
    if (cur.kind === "Call") {
      if (cur.func.kind === "Attribute" && methods.includes(cur.func.attr)) out.push(cur);
      cur = cur.func;
    } else if (cur.kind === "Attribute") cur = cur.value;
    else break;
  }
  return out;
}

/** Keyword arguments of filter() calls along a queryset chain (what it keeps, not what it leaves out). */
function filterKeywordsOf(e: A.Expr): A.Keyword[] {
  return filterCallsOf(e, ["filter"]).flatMap((c) => c.keywords);
}

/** Arguments of filter()/exclude() calls along a queryset chain. */
function filterArgsOf(e: A.Expr): A.Expr[] {
  return filterCallsOf(e).flatMap((c) => [...c.args, ...c.keywords.map((k) => k.value)]);
}

/** The class's get_queryset (along its MRO) filters by the requesting user. */
export function scopedQueryset(mro: readonly MroEntry[]): boolean {
  // once per class (classMro shares one array per class): asked for every handler of every view
  return scopedMemo(mro, () => findScopedQueryset(mro));
}

const scopedMemo = weakMemo<readonly MroEntry[], boolean>();

function findScopedQueryset(mro: readonly MroEntry[]): boolean {
  const methods = mroMethods(mro);
  // each get_queryset along the MRO, as far as one hands over to the next (`super().get_queryset()`)
  for (const e of mro) {
    const gq = e.def?.node.body.find((s): s is A.FunctionDef => s.kind === "FunctionDef" && s.name === "get_queryset");
    if (!gq) continue;
    if (deepMentionsRequester(gq)) return true;
    if (!anyExpr(gq.body, callsSuperGetQueryset)) break;
  }
  // restricted once per request before the handler runs: `self.queryset = self.queryset.restrict(request.user, ...)`
  return ["initial", "dispatch", "setup"].some((n) => {
    const f = methods.get(n);
    return !!f && deepMentionsRequester(f.fn) && anyExpr(f.fn.body, (x) => x.kind === "Attribute" && x.attr === "queryset");
  });
}

function callsSuperGetQueryset(x: A.Expr): boolean {
  return x.kind === "Call" && x.func.kind === "Attribute" && x.func.attr === "get_queryset" && x.func.value.kind === "Call" && dottedName(x.func.value.func) === "super";
}

const dispatchPermMemo = weakMemo<readonly MroEntry[], boolean>();

/**
 * A class-based view whose dispatch() (its own, or a project mixin's) checks
 * access before any handler runs: it asks for a permission (`has_perm(...)`, a
 * helper named like one) or compares an owner-like field with the requesting
 * user (`obj.user != self.request.user`). Every object its handlers fetch is
 * behind that check, as a check written in the handler itself would be
 * (findObjectAccesses).
 */
export function dispatchChecksAccess(mro: readonly MroEntry[]): boolean {
  return dispatchPermMemo(mro, () => mro.some((e) => {
    const d = e.def?.node.body.find((s): s is A.FunctionDef => s.kind === "FunctionDef" && s.name === "dispatch");
    if (!d) return false;
    return comparesOwnerWithUser(d) || anyExpr(d.body, isPermissionCall);
  }));
}

/** The function mentions the requesting user or their tenant anywhere (isRequesterScope; a syntactic fact: memoised per node, no project needed). */
function deepMentionsRequester(fn: A.FunctionDef): boolean {
  return userMemo(fn, () => findRequesterMention(fn));
}

const userMemo = weakMemo<A.FunctionDef, boolean>();

function findRequesterMention(fn: A.FunctionDef): boolean {
  let hit = false;
  const visit = (body: A.Stmt[]) => {
    for (const s of body) {
      if (mentions(s, (x) => isRequesterScope(x, new Set()))) hit = true;
      for (const b of stmtBodies(s)) visit(b);
    }
  };
  visit(fn.body);
  return hit;
}

export interface ClassObjectAccess {
  model: string;
  modelDef: ResolvedDef | null;
  userOwned: boolean | null;
  ownerField: string | null;
  scoped: boolean;
  /** what refuses access to other users' objects, when something does */
  check: string | null;
  /** where the queryset/model is declared (for messages) */
  declared: Site | null;
}

/** Single-object class-based views (DetailView/UpdateView/DeleteView, DRF detail routes): which objects they can reach. */
export function classObjectAccess(project: Project, mro: readonly MroEntry[]): ClassObjectAccess | null {
  const modelAttr = mroAttribute(mro, "model");
  const qsAttr = mroAttribute(mro, "queryset");
  const methods = mroMethods(mro);
  let model: { name: string; def: ResolvedDef | null } | null = null;
  let declared: Site | null = null;
  if (qsAttr) {
    model = modelOf(project, qsAttr.owner.def.file, qsAttr.value);
    declared = siteOf(qsAttr.owner.def.file, qsAttr.value);
  } else if (modelAttr) {
    model = modelOf(project, modelAttr.owner.def.file, modelAttr.value);
    declared = siteOf(modelAttr.owner.def.file, modelAttr.value);
  }
  const gq = methods.get("get_queryset");
  if (!model && gq?.owner.def) {
    walkBodyExprs(gq.fn.body, (x) => {
      if (!model && x.kind === "Attribute" && x.attr === "objects") model = modelOf(project, gq.owner.def!.file, x);
    });
  }
  if (!model) return null;
  const m = model as { name: string; def: ResolvedDef | null };
  const scoped = scopedQueryset(mro) || (qsAttr ? mentions(qsAttr.value, (x) => isUserExpr(x, new Set())) : false);
  let check: string | null = null;
  const go = methods.get("get_object");
  if (go && deepMentionsRequester(go.fn)) check = "get_object() checks the requester";
  if (go && usesAnyWord(go.fn.body, ["check_object_permissions", "has_perm", "PermissionDenied", "Http404"])) check = "get_object() checks permissions";
  // a get_object() check names itself; a UserPassesTestMixin may test only is_staff (see staffOnlyGate)
  if (mro.some((e) => e.known?.role === "permission-mixin") || (!check && mro.some((e) => e.known?.role === "test-mixin"))) check = MIXIN_CHECK;
  return { model: m.name, modelDef: m.def, userOwned: userOwnedModel(project, m.def), ownerField: ownerPath(project, m.def) ?? null, scoped, check, declared };
}

function walkBodyExprs(body: A.Stmt[], visit: (e: A.Expr) => void): void {
  for (const s of body) {
    for (const e of stmtExprs(s)) walkExpr(e, (x) => { visit(x); });
    for (const b of stmtBodies(s)) walkBodyExprs(b, visit);
  }
}

const DRF_GRANTING = /^(IsAdminUser|DjangoObjectPermissions|DjangoModelPermissions)$/;

/**
 * DRF permission classes that give object-level protection: DRF's object/model permissions
 * or IsAdminUser, or a project class with has_object_permission or built on one of those
 * (peering-manager's `TokenPermissions(DjangoModelPermissions)`: writes need the model's
 * change/delete permission, which staff grant for every row of a shared model).
 */
export function drfObjectPermission(project: Project, classes: string[], use: "read" | "write"): string | null {
  for (const c of classes) {
    const tail = c.slice(c.lastIndexOf(".") + 1);
    // DRF's model and object permissions require nothing for GET unless a perms_map says so
    if (DRF_GRANTING.test(tail)) {
      if (use === "write" || tail === "IsAdminUser") return tail;
      continue;
    }
    const d = classDefByName(project, c);
    if (!d) continue;
    let mro: readonly MroEntry[];
    try {
      mro = classMro(project, d);
    } catch {
      mro = [];
    }
    const readPerms = mro.some((e) => e.def?.node.body.some((s) => s.kind === "Assign" && s.targets.some((t) => t.kind === "Name" && t.id === "perms_map") && exprHas(s.value, (x) => constString(x) === "GET")));
    for (const e of mro) {
      if (e.def?.node.body.some((s) => s.kind === "FunctionDef" && s.name === "has_object_permission")) return tail;
      const base = e.qualname.slice(e.qualname.lastIndexOf(".") + 1);
      if (e.def === null && e.qualname.startsWith("rest_framework.") && DRF_GRANTING.test(base) && (use === "write" || base === "IsAdminUser" || readPerms)) return `${tail} (a ${base})`;
    }
  }
  return null;
}

/** A write in a helper's body to (an attribute of) one of its parameters: `note.save()` in `def archive(note)`. */
function helperWrite(project: Project, file: PythonFile, fn: A.FunctionDef, param: string): string | null {
  let found: string | null = null;
  walkBodyExprs(fn.body, (x) => {
    if (found || x.kind !== "Call" || x.func.kind !== "Attribute") return;
    if (rootName(x.func.value) === param && writeKind(project, file, x)) found = `${dottedName(x.func) ?? x.func.attr}()`;
  });
  return found;
}

/** `project = _get_project_for_user(request, code)`: a project helper given the request (or the user) and looking objects up: it scopes them. */
function scopedByHelper(project: Project, file: PythonFile, e: A.Expr): boolean {
  const call = e.kind === "Call" ? e : null;
  if (!call || (call.func.kind !== "Name" && call.func.kind !== "Attribute")) return false;
  const passesUser = call.args.some((a) => { const d = dottedName(a) ?? ""; return d === "request" || d === "self.request" || USERISH.test(d); });
  if (!passesUser) return false;
  const d = resolveExpr(project, file, call.func);
  return d?.node.kind === "FunctionDef" && (deepMentionsRequester(d.node) || /user|owner|member|perm|access|allowed/i.test(d.node.name));
}

/**
 * Attributes and methods Django's HttpRequest and DRF's Request have that do not
 * say who is asking: client data (GET, headers, the language it asked for, the
 * API version it named), the URL it reached, or things the same for every user
 * (`request.site`). Filtering by one of these scopes nothing.
 */
const REQUEST_NOT_IDENTITY = new Set([
  "GET", "POST", "data", "query_params", "body", "FILES", "COOKIES", "META", "headers", "path", "path_info", "method", "content_type",
  "content_params", "encoding", "scheme", "resolver_match", "urlconf", "current_app", "site", "LANGUAGE_CODE", "version", "versioning_scheme",
  "accepted_renderer", "accepted_media_type", "htmx", "stream", "read", "readline", "readlines", "parsers", "negotiator", "upload_handlers",
  "get_host", "get_port", "get_full_path", "get_full_path_info", "build_absolute_uri", "get_signed_cookie", "is_secure", "accepts", "csp_nonce",
  // what the server keeps for the visitor, but read for preferences as often as for who they are
  "session",
]);

/** `request.project.id`, `request.tenant`, `request.space`: identity middleware or an auth decorator put on the request, not client data. */
function serverSetOnRequest(e: A.Expr): boolean {
  const m = /^(?:self\.)?request\.(\w+)/.exec(dottedName(e) ?? "");
  return !!m && !REQUEST_NOT_IDENTITY.has(m[1]!);
}

/**
 * The requester, or what identity middleware put on the request for them (their
 * tenant: `request.space`, `request.organization`): a lookup filtered by either is
 * limited to what the requester may reach, which is what multi-tenant projects do
 * (`Storage.objects.filter(space=self.request.space)`).
 */
/** A queryset (or its values) filtered by the requester: `Member.objects.filter(member=request.user).values_list("id", flat=True)`. */
function requesterRows(e: A.Expr, userVars: Set<string>): boolean {
  return lookupCallReceiver(e) && filterKeywordsOf(e).some((k) => isRequesterScope(k.value, userVars));
}

function isRequesterScope(x: A.Expr, userVars: Set<string>): boolean {
  return isUserExpr(x, userVars) || serverSetOnRequest(x);
}

/** A helper that refuses a parameter object unless it belongs to the requester: `if check.project_id != request.project.id: return 403`. */
function helperChecks(fn: A.FunctionDef, param: string): boolean {
  let hit = false;
  const visit = (body: A.Stmt[]) => {
    for (const s of body) {
      if ((s.kind === "If" || s.kind === "Assert") && mentions(s.test, (y) => y.kind === "Name" && y.id === param)
        && mentions(s.test, (y) => isRequesterScope(y, new Set()))) hit = true;
      for (const b of stmtBodies(s)) visit(b);
    }
  };
  visit(fn.body);
  return hit;
}

const STAFF_ATTR = (y: A.Expr) => y.kind === "Attribute" && y.attr === "is_staff";
const SUPERUSER_ATTR = (y: A.Expr) => y.kind === "Attribute" && y.attr === "is_superuser";

/**
 * A user test that any staff account passes: `u.is_staff`, `not request.user.is_staff`,
 * `u.is_staff or u.is_superuser` — not `u.is_staff and u.is_superuser`, not a permission check.
 */
function staffOnlyTest(e: A.Expr): boolean {
  if (!mentions(e, STAFF_ATTR)) return false;
  if (mentions(e, (y) => y.kind === "Attribute" && /^(has_perms?|has_module_perms|groups|user_permissions|get_all_permissions)$/.test(y.attr))) return false;
  let both: A.BoolOp | null = null;
  walkExpr(e, (y) => {
    if (!both && y.kind === "BoolOp" && mentions(y, STAFF_ATTR) && mentions(y, SUPERUSER_ATTR)) both = y;
  });
  if (!both) return !mentions(e, SUPERUSER_ATTR);
  const b = both as A.BoolOp;
  // `not a and not b` refuses only when both fail (either passes); `not a or not b` needs both
  const negated = b.values.every((v) => v.kind === "UnaryOp" && v.op === "not");
  return (b.op === "or") !== negated;
}

/** A test function (or lambda) whose every verdict is a staff-only test or a constant. */
function staffOnlyFunction(project: Project, file: PythonFile | null, e: A.Expr): boolean {
  if (e.kind === "Lambda") return staffOnlyTest(e.body);
  const d = file && (e.kind === "Name" || e.kind === "Attribute") ? resolveExpr(project, file, e) : null;
  return d?.node.kind === "FunctionDef" ? staffOnlyBody(d.node) : false;
}

function staffOnlyBody(fn: A.FunctionDef): boolean {
  if (usesAnyWord(fn.body, ["has_perm", "has_perms", "has_module_perms", "has_object_permission", "get_perms", "groups"])) return false;
  const verdicts = returnsOf(fn).map((r) => r.value!).filter((v) => v.kind !== "Constant");
  return verdicts.length > 0 && verdicts.every(staffOnlyTest);
}

/**
 * The view's only access gate is "is the user staff": `@staff_member_required`,
 * `@user_passes_test(lambda u: u.is_staff)`, a `UserPassesTestMixin` whose
 * test_func returns `is_staff`. Null when a permission or superuser check is
 * applied too, or the test cannot be read.
 */
export function staffOnlyGate(project: Project, file: PythonFile | null, applied: readonly { name: string; expr: A.Expr }[], mro: readonly MroEntry[]): string | null {
  let gate: string | null = null;
  for (const a of applied) {
    const tail = a.name.slice(a.name.lastIndexOf(".") + 1);
    if (/^(permission_required|superuser_required)$/.test(tail)) return null;
    if (/^(staff_member_required|user_is_staff)$/.test(tail)) gate ??= `@${tail}`;
    else if (tail === "user_passes_test") {
      const test = a.expr.kind === "Call" ? a.expr.args[0] ?? a.expr.keywords.find((k) => k.arg === "test_func")?.value : undefined;
      if (!test || !staffOnlyFunction(project, file, test)) return null;
      gate ??= "@user_passes_test testing is_staff";
    }
  }
  if (mro.some((e) => e.known?.role === "permission-mixin")) return null;
  if (mro.some((e) => e.known?.role === "test-mixin")) {
    const tf = mroMethods(mro).get("test_func");
    if (!tf || !staffOnlyBody(tf.fn)) return null;
    gate ??= `${tf.owner.def?.node.name ?? "UserPassesTestMixin"}.test_func() testing is_staff`;
  }
  return gate;
}
