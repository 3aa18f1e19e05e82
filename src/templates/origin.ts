// Where a value a view puts in a template context comes from: the request
// (high), a model field users can edit (medium, stored XSS), a constant or an
// escaping function (nothing to report), or unknown. This is the small interface
// the template linker needs; the sources, sanitizers and field facts come from
// the data-flow catalog (src/dataflow/catalog), so there is one list of each.
// Where the data-flow engine evaluated a value, its verdict (request data, or constant/escaped) comes first.
import type { TraceStep } from "../findings.js";
import type { Project, PythonFile } from "../project/project.js";
import type * as A from "../python/ast.js";
import { defineAnalysis } from "../project/project.js";
import { qualifiedName, resolveExpr, scopeOf } from "../python/scope.js";
import { baseClass, constString, dottedName, walkBody, walkExpr } from "../python/walk.js";
import { REQUEST_ATTRS, REQUEST_PARAM_NAMES, USER_TEXT_ATTRS } from "../dataflow/catalog/sources.js";
import { SANITIZERS, cleanMethodCall, FETCH_METHODS } from "../dataflow/catalog/sanitizers.js";
import { CLEAN_MODEL_ATTRS, FIELD_SAFE, FILE_FIELDS } from "../dataflow/catalog/fields.js";
import { userWriter } from "./editable.js";
import { paramsFor, urlSupplies } from "../django/urls.js";
import { classMro, type MroEntry } from "../django/classes.js";
import { isCalledHelper, templateOriginsIn, type OriginInfo } from "../dataflow/api.js";
import { flat } from "../project/compact.js";
import { sitePathMethod, sitePathMethodAnywhere } from "../django/sitepaths.js";
import { urlOnlyField } from "../django/urlfields.js";
import { settingsAnalysis } from "../django/settings/index.js";
import { step } from "../dataflow/taint.js";

export type OriginKind = "request" | "stored" | "object" | "unknown" | "escaped" | "constant";

export interface ValueOrigin {
  kind: OriginKind;
  /** e.g. "request.GET['q']", "Post.body (TextField)" */
  label: string;
  /** from the source to the value (view side) */
  trace: TraceStep[];
  /** for "object": the model class, when known */
  model?: ModelRef | null;
  /** cannot start a javascript: URL: a URLField (its validator allows only http(s)/ftp), a path, a checked URL */
  urlField?: boolean;
  /** a Django form bound to this data: rendering the form or one of its fields escapes the values (see views.ts originInTemplate) */
  form?: boolean;
  /** structured data a JSON/array/hstore field holds: what follows are its keys, not model attributes (`embed.image.url`) */
  structured?: boolean;
}

export interface ModelRef {
  name: string;
  node: A.ClassDef;
  file: PythonFile;
}

const RANK: Record<OriginKind, number> = { request: 5, stored: 4, object: 3, unknown: 2, escaped: 1, constant: 0 };

export function worst(origins: ValueOrigin[]): ValueOrigin {
  let best: ValueOrigin = { kind: "constant", label: "constant", trace: [] };
  for (const o of origins) if (RANK[o.kind] > RANK[best.kind]) best = o;
  return best;
}

export const CONSTANT: ValueOrigin = { kind: "constant", label: "constant", trace: [] };
export const UNKNOWN: ValueOrigin = { kind: "unknown", label: "unknown origin", trace: [] };


const QUERY_METHODS = /^(get|filter|exclude|all|first|last|latest|earliest|order_by|select_related|prefetch_related|only|defer|distinct|reverse|none|get_or_create|create|annotate|values|values_list|in_bulk|iterator|search)$/;

/** Evaluates origins inside one function (a view, a get_context_data method). */
export class OriginEval {
  private assigns = new Map<string, { value: A.Expr; at: A.Span; iter: boolean }[]>();
  private params: Set<string>;
  private requestNames: Set<string>;
  private cache = new Map<A.Expr, ValueOrigin>();
  /** the data-flow engine's verdicts for this function's expressions (looked up on first use) */
  private engineOrigins: ((e: A.Expr) => OriginInfo | null) | null = null;

  /** `editable`: judge model fields by whether users can write them (off while that analysis itself runs) */
  constructor(readonly project: Project, readonly file: PythonFile, readonly fn: A.FunctionDef | null, readonly isView: boolean, readonly editable = true) {
    const params = fn?.params ?? [];
    this.params = new Set(params.map((p) => p.name));
    this.requestNames = new Set(params.filter((p) => REQUEST_PARAM_NAMES.has(p.name)).map((p) => p.name));
    if (isView && params[0] && params[0].name !== "self" && params[0].name !== "cls") this.requestNames.add(params[0].name);
    if (fn) {
      walkBody(fn.body, {
        stmt: (s) => {
          if (s.kind === "FunctionDef" || s.kind === "ClassDef") return false;
          const add = (t: A.Expr, value: A.Expr, iter: boolean) => {
            if (t.kind === "Name") {
              const l = this.assigns.get(t.id) ?? [];
              l.push({ value, at: s, iter });
              this.assigns.set(t.id, l);
            } else if (t.kind === "Tuple" || t.kind === "List") for (const e of t.elts) add(e, value, iter);
          };
          if (s.kind === "Assign") for (const t of s.targets) add(t, s.value, false);
          else if (s.kind === "AnnAssign" && s.value) add(s.target, s.value, false);
          else if (s.kind === "AugAssign") add(s.target, s.value, false);
          else if (s.kind === "For") add(s.target, s.iter, true);
          else if (s.kind === "With") for (const it of s.items) if (it.target) add(it.target, it.context, false);
          return undefined;
        },
      });
    }
  }

  /** Assignments to a local name, for callers that follow a dict built step by step. */
  assignmentsOf(name: string): { value: A.Expr; at: A.Span }[] {
    return this.assigns.get(name) ?? [];
  }

  of(e: A.Expr, depth = 0): ValueOrigin {
    const hit = this.cache.get(e);
    if (hit) return hit;
    if (depth > 25) return UNKNOWN;
    const bound = this.boundForm(e, depth);
    if (bound) {
      this.cache.set(e, bound);
      return bound;
    }
    const known = this.fromEngine(e);
    if (known) {
      this.cache.set(e, known);
      return known;
    }
    // Break cycles (x = x + ...) by provisionally marking the node unknown.
    this.cache.set(e, UNKNOWN);
    let o = this.compute(e, depth + 1);
    // The engine follows request data through the project's own functions; where it
    // evaluated this expression and none arrived, our coarser reading (a call's result
    // as the worst of its arguments) must not claim there was.
    if (o.kind === "request" && this.engineOrigins?.(e)?.origin === "other") o = UNKNOWN;
    this.cache.set(e, o);
    return o;
  }

  /**
   * The data-flow engine's verdict, where it has one: request data (followed
   * through helpers and modules) and values it knows are constant or escaped for
   * HTML. Database values are left to this class, which knows which model fields
   * users can write and keeps rows as objects so template paths (`post.body`)
   * resolve field by field.
   */
  private fromEngine(e: A.Expr): ValueOrigin | null {
    // The signed-in user is a row users edit themselves; the engine does not track it.
    if (e.kind === "Attribute" && e.attr === "user") return null;
    const info = (this.engineOrigins ??= templateOriginsIn(this.project, this.fn))(e);
    if (!info) return null;
    if (info.origin === "request") {
      const src = info.trace.find((t) => t.kind === "source") ?? info.trace[0];
      // A path, or a URL checked with url_has_allowed_host_and_scheme, cannot be a javascript: URL.
      const urlField = info.safeFor.includes("redirect") || /request\.(path|path_info|get_full_path|build_absolute_uri)\b/.test(src?.note ?? "");
      return { kind: "request", label: src ? src.note.replace(/ \(.*\)$/, "") : "request data", trace: info.trace, urlField };
    }
    // The engine types forms rather than tainting them; a name bound to a form is judged here.
    if (info.origin === "none" && !(e.kind === "Name" && this.assignmentsOf(e.id).some((a) => this.boundForm(a.value, 0)))) return { kind: "constant", label: "constant or escaped", trace: [] };
    return null;
  }

  /**
   * `SomeForm(request.POST)`: the form's values (`{{ field.value }}`) are request
   * data, while its labels and help texts are the developer's (see FORM_API in views.ts).
   */
  private boundForm(e: A.Expr, depth: number): ValueOrigin | null {
    if (e.kind !== "Call") return null;
    const r = resolveExpr(this.project, this.file, e.func);
    if (!r || r.node.kind !== "ClassDef" || !r.node.bases.some((b) => /Form$/.test(dottedName(baseClass(b)) ?? ""))) return null;
    const data = e.args[0] ?? e.keywords.find((k) => k.arg === "data")?.value;
    const o = data ? this.compute(data, depth + 1) : CONSTANT;
    if (o.kind !== "request") return { kind: "escaped", label: `${r.node.name}()`, trace: [] };
    return { ...o, form: true, label: `${r.node.name} bound to ${o.label}`, trace: o.trace.concat(step(this.file, e, "step", `bound to ${r.node.name}`)) };
  }

  private isRequest(e: A.Expr): boolean {
    if (e.kind === "Name") return this.requestNames.has(e.id);
    const d = dottedName(e);
    return d === "self.request";
  }

  private requestAttr(e: A.Expr): string | null {
    // request.GET / self.request.GET / request.GET.get(...) base
    if (e.kind === "Attribute" && this.isRequest(e.value) && REQUEST_ATTRS[e.attr]) return e.attr;
    return null;
  }

  private compute(e: A.Expr, depth: number): ValueOrigin {
    const p = this.project;
    const f = this.file;
    switch (e.kind) {
      case "Constant": return CONSTANT;
      case "JoinedStr": case "BinOp": case "BoolOp": case "IfExp": case "List": case "Tuple": case "Set": case "FormattedValue":
      case "ListComp": case "DictComp": case "Starred": case "Await": case "Compare": case "UnaryOp":
        if (e.kind === "Compare" || (e.kind === "UnaryOp" && e.op === "not")) return CONSTANT;
        if (e.kind === "IfExp") return worst([this.of(e.body, depth), this.of(e.orelse, depth)]);
        if (e.kind === "ListComp" || e.kind === "DictComp") return worst([e.kind === "DictComp" ? this.of(e.value, depth) : this.of(e.elt, depth), ...e.generators.map((g) => this.of(g.iter, depth))]);
        return worst(childExprs(e).map((c) => this.of(c, depth)));
      case "Dict": return worst(e.values.map((v) => this.of(v, depth)));
      case "Name": return this.name(e, depth);
      case "Attribute": return this.attribute(e, depth);
      case "Subscript": {
        const ra = this.requestAttr(e.value);
        if (ra) return { kind: "request", label: `${dottedName(e.value) ?? "request"}[...]`, trace: [step(f, e, "source", `${REQUEST_ATTRS[ra]!.note} read`)] };
        const base = dottedName(e.value);
        if (base && /(^|\.)cleaned_data$/.test(base)) return { kind: "request", label: `${base}[...]`, trace: [step(f, e, "source", "validated form input (cleaned_data) read")] };
        if (base && /^self\.kwargs$/.test(base)) return { kind: "request", label: "self.kwargs[...]", trace: [step(f, e, "source", "URL path parameter (self.kwargs) read")] };
        return this.of(e.value, depth);
      }
      case "Call": return this.call(e, depth);
      default: return UNKNOWN;
    }
  }

  private name(e: A.Name, depth: number): ValueOrigin {
    const p = this.project;
    if (e.id === "True" || e.id === "False" || e.id === "None") return CONSTANT;
    const assigned = this.assigns.get(e.id);
    if (assigned?.length) {
      const parts = assigned.map((a) => {
        const o = this.of(a.value, depth);
        if (o.kind === "constant" || o.kind === "escaped") return o;
        return { ...o, trace: o.trace.concat(step(this.file, a.at, "step", a.iter ? `iterated into ${e.id}` : `assigned to ${e.id}`)) };
      });
      return worst(parts);
    }
    if (this.params.has(e.id)) {
      if (this.requestNames.has(e.id) || e.id === "self" || e.id === "cls") return UNKNOWN;
      const param = this.fn?.params.find((q) => q.name === e.id);
      // a "view" no route reaches that other code calls is a helper: its callers fill its parameters
      if (this.isView && this.fn && param && !isCalledHelper(p, this.fn) && urlSupplies(p, this.fn, param)) {
        // <int:pk>, <slug:slug>, <uuid:id> cannot carry markup.
        const routed = paramsFor(p, this.fn).get(e.id);
        if (routed?.length && routed.every((r) => r.valueType === "int" || r.valueType === "uuid" || r.valueType === "slug")) return CONSTANT;
        return { kind: "request", label: `URL parameter ${e.id}`, trace: [step(this.file, this.fn, "source", `URL path parameter ${e.id} received by ${this.fn.name}()`)] };
      }
      return UNKNOWN;
    }
    // A module-level constant.
    const q = qualifiedName(p, this.file, e);
    if (q && /^[A-Z][A-Z0-9_]+$/.test(e.id)) return CONSTANT;
    if (q && q.startsWith("django.conf.settings")) return CONSTANT;
    return UNKNOWN;
  }

  private attribute(e: A.Attribute, depth: number): ValueOrigin {
    const p = this.project;
    const f = this.file;
    const ra = this.requestAttr(e);
    if (ra) return { kind: "request", label: dottedName(e) ?? `request.${ra}`, trace: [step(f, e, "source", `${REQUEST_ATTRS[ra]!.note} read`)] };
    const d = dottedName(e);
    if (d && /^self\.kwargs$/.test(d)) return { kind: "request", label: "self.kwargs", trace: [step(f, e, "source", "URL path parameters (self.kwargs) read")] };
    if (d && /^(settings|django\.conf\.settings)\./.test(qualifiedName(p, f, e) ?? "")) return CONSTANT;
    if (e.value.kind === "Attribute" && this.isRequest(e.value.value) && e.value.attr === "user") return userAttr(p, f, e, e.attr);
    if (this.isRequest(e.value) && e.attr === "user") return { kind: "object", label: "request.user", trace: [step(f, e, "source", "the signed-in user (request.user)")], model: null };
    const base = this.of(e.value, depth);
    if (base.kind === "object") return fieldOrigin(p, f, e, base, e.attr, this.editable);
    if (CLEAN_MODEL_ATTRS.has(e.attr)) return CONSTANT;
    return base;
  }

  private call(e: A.Call, depth: number): ValueOrigin {
    const p = this.project;
    const f = this.file;
    const q = qualifiedName(p, f, e.func);
    if (q && (SANITIZERS[q] === "all" || (Array.isArray(SANITIZERS[q]) && (SANITIZERS[q] as readonly string[]).includes("xss")))) return { kind: "escaped", label: q, trace: [] };
    if (q && /(^|\.)(_|gettext|gettext_lazy|ugettext|ugettext_lazy|pgettext|ngettext|reverse|reverse_lazy|len|int|float|bool|count)$/.test(q)) return CONSTANT;
    if (q && /^(django\.utils\.safestring\.(mark_safe|SafeString|SafeText)|markupsafe\.Markup|jinja2\.Markup|str)$/.test(q)) return e.args[0] ? this.of(e.args[0], depth) : CONSTANT;
    if (q && /^json\.loads$/.test(q)) return e.args[0] ? this.of(e.args[0], depth) : UNKNOWN;
    if (q && /(^|\.)(get_object_or_404|get_list_or_404)$/.test(q)) {
      const model = e.args[0] ? modelRef(p, f, e.args[0]) : null;
      return { kind: "object", label: model ? `${model.name} row` : "database row", trace: [step(f, e, "source", `${model?.name ?? "model"} row loaded from the database`)], model };
    }
    if (e.func.kind === "Attribute") {
      const m = e.func.attr;
      const recv = e.func.value;
      const ra = this.requestAttr(recv);
      if (ra) return { kind: "request", label: `${dottedName(recv)}.${m}(...)`, trace: [step(f, e, "source", `${REQUEST_ATTRS[ra]!.note} read`)] };
      if (this.isRequest(recv) && REQUEST_ATTRS[m]?.call) return { kind: "request", label: `request.${m}()`, trace: [step(f, e, "source", `${REQUEST_ATTRS[m]!.note} read`)] };
      const rd = dottedName(recv);
      if (rd && /(^|\.)cleaned_data$/.test(rd)) return { kind: "request", label: `${rd}.${m}(...)`, trace: [step(f, e, "source", "validated form input (cleaned_data) read")] };
      if (rd && /^self\.kwargs$/.test(rd)) return { kind: "request", label: "self.kwargs.get(...)", trace: [step(f, e, "source", "URL path parameter (self.kwargs) read")] };
      // Model.objects.<query>(...) and chains on it
      if (QUERY_METHODS.test(m)) {
        const chain = managerModel(p, f, e);
        if (chain !== undefined) return { kind: "object", label: chain ? `${chain.name} rows` : "database rows", trace: [step(f, e, "source", `${chain?.name ?? "model"} rows loaded from the database`)], model: chain };
      }
      if (cleanMethodCall(m, e.args)) return CONSTANT;
      // cursor.execute(sql, params) / .fetchall(): rows from the database, not the parameters
      if (FETCH_METHODS.has(m)) return UNKNOWN;
      if (m === "get_absolute_url") return CONSTANT;
      // string methods, dict.get...: the receiver's origin, joined with the arguments'
      const parts = [this.of(recv, depth), ...e.args.map((a) => this.of(a, depth))];
      if (m === "join") return worst(e.args.map((a) => this.of(a, depth)).concat(this.of(recv, depth)));
      return worst(parts);
    }
    if (q === "dict" || q === "list" || q === "tuple" || q === "sorted" || q === "reversed") return worst([...e.args.map((a) => this.of(a, depth)), ...e.keywords.map((k) => this.of(k.value, depth))]);
    return UNKNOWN;
  }
}

function childExprs(e: A.Expr): A.Expr[] {
  const out: A.Expr[] = [];
  walkExpr(e, (x) => {
    if (x === e) return;
    out.push(x);
    return false;
  });
  return out;
}

/** The model behind `Model.objects....` chains (null model when it cannot be resolved; undefined when not a query). */
function managerModel(project: Project, file: PythonFile, e: A.Call): ModelRef | null | undefined {
  let cur: A.Expr = e;
  while (cur.kind === "Call" && cur.func.kind === "Attribute") {
    const recv: A.Expr = cur.func.value;
    if (recv.kind === "Attribute" && recv.attr === "objects") return modelRef(project, file, recv.value);
    cur = recv;
  }
  if (cur.kind === "Attribute" && cur.attr === "objects") return modelRef(project, file, cur.value);
  return undefined;
}

export function modelRef(project: Project, file: PythonFile, e: A.Expr): ModelRef | null {
  const r = resolveExpr(project, file, e);
  if (!r || r.node.kind !== "ClassDef") return null;
  return { name: r.node.name, node: r.node, file: r.file };
}

/** The field declared as `name = models.X(...)` in a model class (its type name and call). */
type ModelFieldInfo = { type: string; call: A.Call; at: A.Span };

/** A model field, declared on the model or inherited from a project base model (an abstract `Message` its `DeletedMessage` extends). */
export function modelField(project: Project, m: ModelRef, name: string): ModelFieldInfo | null {
  const own = fieldIn(m.node, name);
  if (own !== undefined) return own;
  let mro: readonly MroEntry[];
  try {
    mro = classMro(project, { file: m.file, node: m.node, qualname: `${m.file.moduleName}.${m.name}` });
  } catch {
    return null;
  }
  for (const e of mro.slice(1)) {
    const f = e.def?.node.kind === "ClassDef" ? fieldIn(e.def.node, name) : undefined;
    if (f !== undefined) return f;
  }
  return null;
}

/** The field a class body declares under `name`: its info, null when the name is bound to something else, undefined when unbound. */
function fieldIn(cls: A.ClassDef, name: string): ModelFieldInfo | null | undefined {
  for (const s of cls.body) {
    if (s.kind !== "Assign" || !s.targets.some((t) => t.kind === "Name" && t.id === name)) continue;
    if (s.value.kind !== "Call") return null;
    const fn = s.value.func;
    const type = fn.kind === "Attribute" ? fn.attr : fn.kind === "Name" ? fn.id : "";
    return { type, call: s.value, at: s };
  }
  return undefined;
}

/** model → reverse accessor name (`related_name`, or `<model>_set`) → the model that points at it */
export const reverseRelationsAnalysis = defineAnalysis("template-reverse-relations", (project: Project) => {
  const out = new Map<A.ClassDef, Map<string, ModelRef>>();
  for (const f of project.python) {
    if (!/models/.test(f.moduleName) || !/ForeignKey|OneToOneField|ManyToManyField/.test(f.text)) continue;
    for (const cls of f.ast.body) {
      if (cls.kind !== "ClassDef") continue;
      for (const s of cls.body) {
        if (s.kind !== "Assign" || s.value.kind !== "Call") continue;
        const fn = s.value.func;
        const type = fn.kind === "Attribute" ? fn.attr : fn.kind === "Name" ? fn.id : "";
        if (!/^(ForeignKey|OneToOneField|ManyToManyField)$/.test(type)) continue;
        const target = s.value.args[0] ?? s.value.keywords.find((k) => k.arg === "to")?.value;
        if (!target) continue;
        const tm = relatedModel(project, f, cls.name, target);
        if (!tm) continue;
        const rn = constString(s.value.keywords.find((k) => k.arg === "related_name")?.value);
        const name = rn ?? (type === "OneToOneField" ? cls.name.toLowerCase() : `${cls.name.toLowerCase()}_set`);
        const m = out.get(tm.node) ?? new Map<string, ModelRef>();
        m.set(name, { name: cls.name, node: cls, file: f });
        out.set(tm.node, m);
      }
    }
  }
  return out;
});

/** The first class of each name in a models module, in project order (what modelByName falls back to). */
const modelsByName = defineAnalysis("template-models-by-name", (project: Project): Map<string, ModelRef> => {
  const out = new Map<string, ModelRef>();
  for (const f of project.python) {
    if (!/models/.test(f.moduleName)) continue;
    for (const [name, d] of scopeOf(project, f).defs) if (d.kind === "ClassDef" && !out.has(name)) out.set(name, { name, node: d, file: f });
  }
  return out;
});

/** A model named by string ("Product", "catalog.Product"): same module first, then any models module. */
function modelByName(project: Project, file: PythonFile, name: string): ModelRef | null {
  const short = name.split(".").pop()!;
  const local = scopeOf(project, file).defs.get(short);
  if (local && local.kind === "ClassDef") return { name: short, node: local, file };
  return project.use(modelsByName).get(short) ?? null;
}

/**
 * The model a relation field of `cls` points at: a class, a name ("User", "accounts.User",
 * "self"), or settings.AUTH_USER_MODEL (the project's user model, when the settings name one of
 * its models: BookWyrm's `fields.ForeignKey("User")` and `user.local_path` on it).
 */
function relatedModel(project: Project, file: PythonFile, cls: string, target: A.Expr): ModelRef | null {
  const ts = constString(target);
  if (ts !== null) return modelByName(project, file, ts === "self" ? cls : ts);
  if (/(^|\.)AUTH_USER_MODEL$/.test(dottedName(target) ?? "")) {
    const label = project.use(settingsAnalysis).js("AUTH_USER_MODEL");
    return typeof label === "string" ? project.use(modelsByName).get(label.split(".").pop()!) ?? null : null;
  }
  return modelRef(project, file, target);
}

function userAttr(project: Project, file: PythonFile, at: A.Span, attr: string): ValueOrigin {
  if (!USER_TEXT_ATTRS.has(attr)) return CONSTANT;
  return { kind: "stored", label: `user.${attr}`, trace: [step(file, at, "source", `user.${attr}, set by the user at sign-up or in their profile`)] };
}

/** What file and image fields are called (`file`, `image`, `photo`, `avatar_thumbnail`...). */
export const FILE_ATTR = /^(file|image|img|photo|picture|avatar|attachment|document|thumbnail|logo|icon|upload|media)(_\w+)?$/i;

/** Attribute of a model row: a text field users can edit is stored data; numbers, dates, keys are not. */
export function fieldOrigin(project: Project, file: { path: string }, at: A.Span, base: ValueOrigin, name: string, editable = true): ValueOrigin {
  if (CLEAN_MODEL_ATTRS.has(name) || name === "get_absolute_url") return CONSTANT;
  const m = base.model;
  const fld = m ? modelField(project, m, name) : null;
  if (fld) {
    // a stored file: Django's storage makes its name (the upload's, reduced to letters, digits, "-", "_" and ".")
    // and its URL (MEDIA_URL and that name), so neither holds markup nor starts a javascript: URL (engine.ts modelField agrees)
    if (FILE_FIELDS.has(fld.type)) return { kind: "constant", label: `${m!.name}.${name} (a stored file)`, trace: [] };
    const safe = FIELD_SAFE[fld.type];
    if (safe === "all" && !/^(ForeignKey|OneToOneField|ManyToManyField)$/.test(fld.type)) return CONSTANT;
    if (Array.isArray(safe) && safe.includes("xss")) return CONSTANT;
    if (/^(ForeignKey|OneToOneField|ManyToManyField)$/.test(fld.type)) {
      const target = fld.call.args[0] ?? fld.call.keywords.find((k) => k.arg === "to")?.value;
      const tm = target ? relatedModel(project, m!.file, m!.name, target) : null;
      return { kind: "object", label: `${m!.name}.${name}`, trace: base.trace, model: tm };
    }
    const writer = editable ? userWriter(project, m!, name) : null;
    if (editable && !writer) return { kind: "constant", label: `${m!.name}.${name} (set only by staff or code)`, trace: [] };
    return {
      kind: "stored",
      label: `${m!.name}.${name} (${fld.type})`,
      // Stored XSS starts where users write the field; loading the row is a step after it.
      trace: [
        ...(writer ? [{ ...writer.step, kind: "source" as const }] : []),
        { kind: "step", path: m!.file.path, line: fld.at.line, column: fld.at.col, note: flat(`${m!.name}.${name} is a ${fld.type} users can write`) },
        ...base.trace.map((t) => (writer && t.kind === "source" ? { ...t, kind: "step" as const } : t)),
      ],
      urlField: fld.type === "URLField" || urlOnlyField(project, m!.file, fld.call),
      ...(/^(JSONField|ArrayField|HStoreField)$/.test(fld.type) ? { structured: true } : {}),
    };
  }
  // a constant the model class declares (`STATUS_DRAFT = "D"`, the choices' values)
  if (m && /^[A-Z][A-Z0-9_]*$/.test(name) && m.node.body.some((s) => s.kind === "Assign" && s.value.kind === "Constant" && s.targets.some((t) => t.kind === "Name" && t.id === name))) return CONSTANT;
  if (m && base.kind === "object" && QUERY_METHODS.test(name)) return base;
  const rel = m ? project.use(reverseRelationsAnalysis).get(m.node)?.get(name) : undefined;
  if (rel) return { kind: "object", label: `${m!.name}.${name}`, trace: base.trace, model: rel };
  if (m && name === "user") return { kind: "object", label: `${m.name}.user`, trace: base.trace, model: null };
  if (m && /^(username|first_name|last_name|email)$/.test(name) && m.name === "User") return { kind: "stored", label: `User.${name}`, trace: base.trace };
  const sitePath = m ? sitePathMethod(project, m, name) : sitePathMethodAnywhere(project, name);
  return { kind: "stored", label: `${m?.name ?? base.label}.${name}`, trace: [...base.trace], ...(sitePath ? { urlField: true } : {}) };
}
