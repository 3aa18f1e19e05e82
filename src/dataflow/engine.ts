// The data-flow engine: untrusted input → dangerous sinks, across functions,
// classes and modules. Hand-written (no maintained library analyses Python
// data flow from TypeScript).
//
// How it works
// - Every function in the project is analysed once, with its parameters bound
//   to symbolic "param" taints. The result is a Summary: what the return value
//   carries (which parameters, which real sources) and which parameters reach
//   which sinks. A call into a project function applies the callee's summary
//   (computed on demand, cached, cycles cut), so a helper is analysed once no
//   matter how many views call it.
// - A function is a view when its first parameter (after self) is `request`, or
//   it is a handler method of a View/APIView/viewset class; its URL parameters
//   are request input unless the URLconf types them `<int:...>`/`<uuid:...>`.
// - Within a function, statements are interpreted in order over a scoped
//   environment (a chain of maps, so branches cost what they assign, never a
//   copy of everything). Branches are joined; loop bodies run at most twice.
//   Guards in `if` tests (url_has_allowed_host_and_scheme, allowlist `in`,
//   isdigit, a root check on a normalised path) mark the guarded name safe in
//   the branch where they hold, and after the `if` when the other branch leaves.
// - Sources, sinks and sanitizers are data (catalog/*.ts).
import type { Confidence, TraceStep } from "../findings.js";
import type { Project, PythonFile } from "../project/project.js";
import { defineAnalysis } from "../project/project.js";
import * as A from "../python/ast.js";
import { baseClass, bindingTargets, constString, dottedName, exprText, leadingConst, localBindings, returnsOf, SITE_PATH, walkBody, walkExpr } from "../python/walk.js";
import { functionLocals, importOf, namesIn, qualifiedName, resolveDefinition, scopeOf, tryResolveDefinition, tryResolveExpr, type ResolvedDef } from "../python/scope.js";
import { classMro, mroAttribute, mroMethods, type MroEntry } from "../django/classes.js";
import { paramsFor, routesFor, urlSupplies } from "../django/urls.js";
import { isTestCode } from "../discovery/classify.js";
import { ALL_KINDS, bit, mask, RULE_FOR_KIND, type SinkKind } from "./kinds.js";
import { attributeDictUpdate, callSinks, FORMAT_HTML, FORMAT_HTML_URL, isLogCall, MASS_WRITES, uploadWriteArgs, type SinkSpec } from "./catalog/sinks.js";
import {
  FORM_BASE, MIDDLEWARE_METHODS, REQUEST_ATTRS, REQUEST_PARAM_NAMES, SECRET_SETTINGS, SENSITIVE_KEY, SENSITIVE_NAME, SERIALIZER_BASE, serverMetaKey, USER_TEXT_ATTRS,
  VIEW_BASE, type RequestAttr,
} from "./catalog/sources.js";
import { CHECK_METHODS, cleanMethodCall, FETCH_METHODS, sanitizerMethod, GUARDS, PASS_METHODS, PURE, QUERY_METHODS, SANITIZERS } from "./catalog/sanitizers.js";
import { CLEAN_MODEL_ATTRS, FIELD_SAFE, FILE_FIELDS } from "./catalog/fields.js";
import { appendSteps, CLEAN, flatten, join, mapTaints, pushStep, step, unionTaints, withStep, type ClassRef, type Taint, type TypeInfo, type Val } from "./taint.js";
import { OutputStore, outputVerdict, type OutputVerdict } from "./outputs.js";
import { receiverBuiltBy } from "./clients.js";
import { injectedByDecorator } from "./injected.js";
import { urlRunsScript } from "../templates/html.js";
import { sitePathMethodAnywhere } from "../django/sitepaths.js";
import { isRedirectHook, relevantFunctions } from "./relevance.js";
import { weakMemo } from "../project/memo.js";
import { flat } from "../project/compact.js";

export type ClassKind = "view" | "form" | "serializer" | "model" | "middleware" | "other";

export interface ClassInfo extends ClassRef {
  kind: ClassKind;
  qualname: string;
  mro: readonly MroEntry[];
}

export interface FnInfo {
  file: PythonFile;
  node: A.FunctionDef;
  cls: ClassInfo | null;
  /** dotted name within the module, e.g. "OrderView.get" */
  symbol: string;
  isView: boolean;
  /** index of the request parameter, or -1 */
  requestParam: number;
  /** the function whose body defines this one: variables it binds are this one's closure */
  outer: A.FunctionDef | null;
}

export interface SinkSite {
  path: string;
  span: A.Span;
  /** what the sink is, e.g. "cursor.execute()" */
  label: string;
  fn: FnInfo;
}

/** A finding-to-be: a taint that reached a sink. */
export interface Flow {
  rule: string;
  kind: SinkKind | "upload" | "mass";
  site: SinkSite;
  taint: Taint;
  confidence: Confidence;
  spec?: SinkSpec;
  /** extra words for the message (e.g. "only the file extension is checked") */
  detail?: string;
}

interface ParamSink {
  taint: Taint;
  kind: SinkKind | "upload" | "mass";
  spec?: SinkSpec;
  site: SinkSite;
  detail?: string;
  /** the parameter is the argument list of a command run without a shell: only its first item, the executable, counts */
  argv0?: true;
}

export interface Summary {
  ret: Val;
  paramSinks: ParamSink[];
}

const EMPTY_SUMMARY: Summary = { ret: CLEAN, paramSinks: [] };

const MAX_CALL_DEPTH = 200;

const VIEW_HANDLERS = new Set([
  "get", "post", "put", "patch", "delete", "head", "options", "dispatch", "list", "retrieve", "create", "update", "partial_update", "destroy",
  "get_queryset", "get_object", "get_context_data", "form_valid", "form_invalid", "perform_create", "perform_update", "perform_destroy", "get_success_url",
  "get_serializer_context", "setup", "http_method_not_allowed", "get_template_names", "render_to_response",
]);

/** Methods of a view class Django or DRF call with the URL's arguments: the HTTP handlers and viewset actions. */
const URL_DISPATCHED = new Set(["get", "post", "put", "patch", "delete", "head", "options", "trace", "dispatch", "setup", "http_method_not_allowed", "list", "retrieve", "create", "update", "partial_update", "destroy"]);

/** A view-class method that receives the URL's arguments: a handler, an action, or a DRF `@action` (`@detail_route`...). Other methods
 *  taking the request (`button_action(self, request, target)`) get what the view's own code passes them. */
function urlDispatched(fn: A.FunctionDef): boolean {
  return URL_DISPATCHED.has(fn.name) || fn.decorators.some((d) => /(^|\.)(action|detail_route|list_route)$/.test(dottedName(d.kind === "Call" ? d.func : d) ?? ""));
}

/** Shells and interpreters that run the argument after their command flag (`sh -c`, `python3 -c`, `cmd /c`). */
const INLINE_RUNNERS = /^((ba|z|da|k|c|tc|fi|a)?sh|python[\d.]*|perl|ruby|node|php|pwsh|powershell(\.exe)?|cmd(\.exe)?)$/i;
const INLINE_FLAGS = /^(-[a-z]*c|-e|\/c|-command)$/i;

/** `sh -c` when a list-form command hands its third item to a shell or interpreter to run, else null. */
function inlineCommand(e: A.Expr): string | null {
  if (e.kind !== "List" && e.kind !== "Tuple") return null;
  const exe = constString(e.elts[0]);
  const flag = constString(e.elts[1]);
  if (exe === null || flag === null || e.elts.length < 3) return null;
  const name = exe.split(/[\\/]/).pop()!;
  return INLINE_RUNNERS.test(name) && INLINE_FLAGS.test(flag) ? `${name} ${flag}` : null;
}

/** Fields of a format string that start the value of a URL attribute (href="{}", src={0}, action='{url}'): positions, or names. */
function urlAttributeFields(fmt: string): (number | string)[] {
  const out: (number | string)[] = [];
  let auto = 0;
  const field = /\{\{|\{([^{}!:]*)[^{}]*\}/g;
  for (let m = field.exec(fmt); m; m = field.exec(fmt)) {
    if (m[0] === "{{") continue;
    const name = m[1]!;
    const id: number | string = name === "" ? auto++ : /^\d+$/.test(name) ? Number(name) : name;
    const before = fmt.slice(0, m.index);
    const attr = /(?:^|[\s"'])(href|src|action|formaction|xlink:href)\s*=\s*["']?$/i.exec(before)?.[1];
    // `<img src="{}">`: an image's URL runs no javascript: URL (templates/html.ts urlRunsScript)
    if (attr && urlRunsScript(/<([a-zA-Z][\w-]*)[^<]*$/.exec(before)?.[1], attr)) out.push(id);
  }
  return out;
}

/** django.core.signing's signers: what they unsign is what the server signed */
const SIGNER = /^django\.core\.signing\.(Signer|TimestampSigner)$/;

/** keyword arguments that pass the data a call works on: a file object */
const FILE_KEYWORDS = new Set(["fileobj", "fp", "file"]);

/** file-object methods that return what the file holds */
const FILE_READS = new Set(["read", "readline", "readlines"]);
/** container methods that add their arguments to the receiver */
const MUTATORS = new Set(["append", "extend", "add", "insert", "update", "appendleft", "write"]);
/** manager methods whose result is not rows of the model (create/get_or_create are handled apart) */
const ORM_NOT_ROWS = new Set(["count", "exists", "update", "delete", "aggregate", "bulk_create", "bulk_update", "create", "get_or_create", "update_or_create"]);

/** Whether the confidence of a flow from this taint is high, medium or low. */
export function confidenceOf(t: Taint): Confidence {
  switch (t.origin) {
    case "request": return t.weak ? "medium" : "high";
    case "stored": case "call": return "medium";
    default: return "low";
  }
}

// ---------------------------------------------------------------------------

export class DataflowEngine {
  readonly flows: Flow[] = [];
  readonly fns = new Map<A.FunctionDef, FnInfo>();
  private readonly classes = new Map<A.ClassDef, ClassInfo>();
  private readonly summaries = new Map<A.FunctionDef, Summary>();
  /** Functions defined in a function's own body, by name (null: defined twice) */
  private readonly localDefs = new Map<A.FunctionDef, Map<string, A.FunctionDef | null>>();
  /** nested functions handed over as callbacks where their closure is in sight (applyClosure) */
  readonly closuresApplied = new Set<A.FunctionDef>();
  private readonly inProgress = new Set<A.FunctionDef>();
  readonly callers = new Map<A.FunctionDef, number>();
  /** Functions some project code calls (kept after the run: a "view" found by its
   *  `request` parameter that other code calls is a helper, its arguments the callers') */
  readonly called = new WeakSet<A.FunctionDef>();
  /**
   * What template output (templateOriginsIn in api.ts) needs of each evaluated
   * expression, and nothing more: constant or escaped for HTML, the request-data
   * taint it carries, or that no request data reaches it. The templates analysis
   * judges the rest itself, as it does expressions the engine never evaluated.
   */
  readonly outputs = new OutputStore();

  /** `everyFunction`: analyse every function from the top level, as before relevance.ts (tests compare the two) */
  constructor(readonly project: Project, private readonly everyFunction = false) {}

  run(): void {
    for (const file of this.project.python) this.index(file, file.ast.body, null, "");
    const roots = this.everyFunction ? null : relevantFunctions(this);
    for (const fn of this.fns.values()) if (!roots || roots.has(fn.node)) this.summary(fn.node);
    this.fallbackUnknown();
    // Call counts only serve the fallback. Summaries stay: a function template
    // output asks about later (ensureAnalysed) may call functions analysed here.
    this.callers.clear();
  }

  /** Analyse a function the run left out (it can reach no sink) when its verdicts are wanted. */
  ensureAnalysed(node: A.FunctionDef): void {
    this.summary(node);
  }

  /** `owner`: the function whose own body this is (its nested defs are its local functions) */
  private index(file: PythonFile, body: A.Stmt[], cls: ClassInfo | null, prefix: string, owner: A.FunctionDef | null = null): void {
    for (const s of body) {
      if (s.kind === "FunctionDef") {
        const symbol = prefix ? flat(`${prefix}.${s.name}`) : s.name;
        this.fns.set(s, this.fnInfo(file, s, cls, symbol, owner));
        if (owner) {
          let local = this.localDefs.get(owner);
          if (!local) this.localDefs.set(owner, (local = new Map()));
          local.set(s.name, local.has(s.name) ? null : s); // two defs of one name: which one runs depends on the path
        }
        this.index(file, s.body, null, symbol, s);
      } else if (s.kind === "ClassDef") {
        const info = this.classInfo(file, s, prefix);
        this.index(file, s.body, info, prefix ? `${prefix}.${s.name}` : s.name);
      } else {
        for (const b of nestedBodies(s)) this.index(file, b, cls, prefix, owner);
      }
    }
  }

  classInfo(file: PythonFile, node: A.ClassDef, prefix = ""): ClassInfo {
    const cached = this.classes.get(node);
    if (cached) return cached;
    const qualname = flat(`${file.moduleName}.${prefix ? `${prefix}.` : ""}${node.name}`);
    let mro: readonly MroEntry[] = [];
    try {
      mro = classMro(this.project, { file, node, qualname } as ResolvedDef & { node: A.ClassDef });
    } catch {
      mro = [];
    }
    const names = mro.map((m) => m.qualname);
    const baseNames = node.bases.map((b) => dottedName(baseClass(b)) ?? "");
    const all = [...names.slice(1), ...baseNames];
    let kind: ClassKind = "other";
    if (all.some((q) => /(^|\.)(Model|AbstractUser|AbstractBaseUser|PermissionsMixin)$/.test(q) && !/Serializer|Form|View/.test(q))) kind = "model";
    else if (all.some((q) => SERIALIZER_BASE.test(q))) kind = "serializer";
    else if (all.some((q) => FORM_BASE.test(q) && !/View$|Mixin$/.test(q))) kind = "form";
    else if (mro.some((m) => m.known && ["view", "drf-view", "viewset"].includes(m.known.role)) || all.some((q) => VIEW_BASE.test(q))) kind = "view";
    else if (/Middleware$/.test(node.name) || node.body.some((s) => s.kind === "FunctionDef" && (s.name === "process_request" || s.name === "process_view"))) kind = "middleware";
    const info: ClassInfo = { file, node, kind, qualname, mro };
    this.classes.set(node, info);
    return info;
  }

  private fnInfo(file: PythonFile, node: A.FunctionDef, cls: ClassInfo | null, symbol: string, outer: A.FunctionDef | null): FnInfo {
    const isMethod = cls !== null && !node.decorators.some((d) => dottedName(d) === "staticmethod");
    const first = isMethod ? 1 : 0;
    const p = node.params[first];
    let requestParam = -1;
    // pytest's `request` fixture is not an HTTP request, nor its test or fixture a view
    if (isPytestFunction(file, node)) return { file, node, cls, symbol, isView: false, requestParam, outer };
    if (p && p.star === "" && (REQUEST_PARAM_NAMES.has(p.name) || annotatedRequest(p))) requestParam = first;
    else node.params.forEach((q, i) => { if (requestParam === -1 && q.name === "request" && q.star === "") requestParam = i; });
    // A method of a class that is no view (a helper taking the request along) is a view only where a route names it:
    // its other parameters are its callers' values, not URL parameters.
    let isView = requestParam === first && (!cls || cls.kind === "view" || cls.kind === "middleware" || (cls.kind === "other" && !requestPolicy(cls) && routesFor(this.project, cls.node).length > 0));
    if (cls && cls.kind === "view" && (VIEW_HANDLERS.has(node.name) || requestParam === first)) isView = true;
    if (cls && cls.kind === "middleware" && MIDDLEWARE_METHODS.has(node.name)) isView = requestParam !== -1;
    // a template library's tag or filter (`@register.simple_tag def sort_link(request, default=None)`): templates call it, no route
    if (isView && isTemplateTag(node)) isView = false;
    return { file, node, cls, symbol, isView, requestParam, outer };
  }

  /** The nearest function around `info`'s that binds `id`: whose variable a read of `id` there is (null: a global). */
  closureBinder(info: FnInfo, id: string): A.FunctionDef | null {
    for (let o = info.outer; o; o = this.fns.get(o)?.outer ?? null) if (functionLocals(o).has(id)) return o;
    return null;
  }

  /** The summary of a function, computing it on first use. */
  summary(node: A.FunctionDef): Summary {
    const done = this.summaries.get(node);
    if (done) return done;
    if (this.inProgress.has(node)) return EMPTY_SUMMARY;
    // very long call chains: treat the callee as opaque here (it is still analysed from the top level)
    if (this.inProgress.size > MAX_CALL_DEPTH) return EMPTY_SUMMARY;
    const info = this.fns.get(node);
    if (!info) return EMPTY_SUMMARY;
    this.inProgress.add(node);
    let s: Summary;
    try {
      s = new FnAnalyzer(this, info).run();
    } catch (e) {
      this.project.note({ path: info.file.path, kind: "analysis-error", line: node.line, message: `data flow: ${info.symbol} not analysed (${(e as Error).message})` });
      s = EMPTY_SUMMARY;
    } finally {
      this.inProgress.delete(node);
    }
    this.summaries.set(node, s);
    return s;
  }

  emit(flow: Flow): void {
    this.flows.push(flow);
  }

  /**
   * Functions nobody in the project calls are entry points: a view's URL
   * parameters are request input; other parameters that reach "any"-accepting
   * sinks are unknown non-constants (low).
   */
  private fallbackUnknown(): void {
    for (const [node, s] of this.summaries) {
      if ((this.callers.get(node) ?? 0) > 0) continue;
      const info = this.fns.get(node)!;
      const closureSeen = this.closuresApplied.has(node);
      for (const ps of s.paramSinks) {
        if (closureSeen && ps.taint.free !== undefined) continue; // delivered where the callback was handed over
        if (ps.taint.urlParam && info.isView) {
          this.deliver({ ...ps.taint, origin: "request" }, ps.kind, ps.site, ps.spec, ps.detail);
          continue;
        }
        if (ps.kind === "upload" || ps.kind === "mass" || ps.kind === "log") continue;
        if (!ps.spec || ps.spec.accept !== "any") continue;
        // a routed view's parameter the URL never fills, with nobody calling the view: it holds its default
        const p = info.isView && !info.cls ? node.params[ps.taint.param!] : undefined;
        if (p && !urlSupplies(this.project, node, p)) continue;
        if (info.cls && ps.taint.param === 0 && info.cls.kind !== "other") continue;
        this.deliver({ ...ps.taint, origin: "unknown" }, ps.kind, ps.site, ps.spec, ps.detail);
      }
    }
  }

  /** A real (non-parameter) taint reached a sink: keep it when the sink accepts it. */
  deliver(t: Taint, kind: Flow["kind"], site: SinkSite, spec?: SinkSpec, detail?: string): void {
    if (kind === "log") {
      // after validation only a credential-named field is still a credential, not the whole body/headers
      if (!t.sensitive || (t.weak && / /.test(t.sensitive))) return;
      const conf: Confidence = t.origin === "request" || t.origin === "secret" ? "high" : "medium";
      this.emit({ rule: RULE_FOR_KIND.log, kind, site, taint: t, confidence: conf, detail: `the logged value is ${/^[`\w]/.test(t.sensitive) && !/ /.test(t.sensitive) ? `the credential ${t.sensitive.startsWith("`") ? t.sensitive : `\`${t.sensitive}\``}` : t.sensitive}` });
      return;
    }
    if (kind === "upload") {
      if (!t.upload || t.origin !== "request") return;
      this.emit({ rule: "DJANGO-UPLOAD-001", kind, site, taint: t, confidence: "high", ...(detail ? { detail } : {}) });
      return;
    }
    if (kind === "mass") {
      // setattr(obj, name, v) is about the name; `**value` about keys, which one string or the URL's kwargs cannot choose
      if (t.origin !== "request" || t.weak || (site.label === "setattr()" ? t.prefixed : t.keysFixed)) return;
      this.emit({ rule: "DJANGO-MASS-001", kind, site, taint: t, confidence: confidenceOf(t), ...(detail ? { detail } : {}) });
      return;
    }
    if (t.safe & bit(kind)) return;
    if (t.origin === "secret") return;
    if (spec?.when === "noConstPrefix" && t.prefixed) return;
    if (spec) {
      if (spec.accept === "request" && t.origin !== "request") return;
      if (spec.rawOnly && t.weak) return;
      if (spec.accept === "source" && t.origin !== "request" && t.origin !== "stored" && !(spec.sharedCache && t.shared)) return;
      if (spec.needsFormatting && t.origin !== "request" && !t.formatted) return;
    }
    this.emit({ rule: RULE_FOR_KIND[kind], kind, site, taint: t, confidence: confidenceOf(t), ...(spec ? { spec } : {}), ...(detail ? { detail } : {}) });
  }

  /** Each call's callee, resolved once: the relevance filter asks first, then every evaluation of the call (loops twice). */
  private readonly callees = new WeakMap<A.Call, Callee | null>();

  /**
   * The project function or class a call reaches, read from the call alone:
   * `self.m()`/`cls.m()` and `super().m()` along the class's MRO, a class
   * attribute naming a class (`self.form_class()`), a function defined in the
   * caller or around it (nestedDef), else the callee's qualified name `q`
   * resolved to its definition.
   */
  calleeOf(info: FnInfo, c: A.Call, q: string | null): Callee | null {
    let r = this.callees.get(c);
    if (r === undefined) this.callees.set(c, (r = this.resolveCall(info, c, q)));
    return r;
  }

  private resolveCall(info: FnInfo, c: A.Call, q: string | null): Callee | null {
    const func = c.func;
    // self.method(...) / cls.method(...) along the class MRO
    if (func.kind === "Attribute" && func.value.kind === "Name" && (func.value.id === "self" || func.value.id === "cls") && info.cls) {
      const m = mroMethods(info.cls.mro).get(func.attr);
      if (m && m.owner.def) return { node: m.fn, file: m.owner.def.file, bound: true };
      // self.form_class(...): a class attribute naming a project class
      const ref = classAttrRef(this.project, info, func.attr);
      if (ref) return { node: ref.node, file: ref.file, bound: false };
      return null;
    }
    if (func.kind === "Attribute" && func.value.kind === "Call" && func.value.func.kind === "Name" && func.value.func.id === "super" && info.cls) {
      const m = mroMethods(info.cls.mro.slice(1)).get(func.attr);
      if (m && m.owner.def) return { node: m.fn, file: m.owner.def.file, bound: true };
      return null;
    }
    // Service(...).charge(...), `svc = Service(...)` then svc.charge(...), or self.svc.charge(...) with
    // `self.svc = Service(...)` in __init__: a method of a project class the code builds
    if (func.kind === "Attribute" && (func.value.kind === "Call" || func.value.kind === "Name" || func.value.kind === "Attribute")) {
      const built = this.constructedClass(info, func.value);
      if (built) {
        const m = mroMethods(this.classInfo(built.file, built.node).mro).get(func.attr);
        if (m && m.owner.def) return { node: m.fn, file: m.owner.def.file, bound: true };
      }
    }
    // a function defined in the caller's own body shadows any module-level name
    if (func.kind === "Name") {
      const local = this.nestedDef(info, func.id);
      if (local) return { node: local, file: info.file, bound: false };
    }
    if (!q) return null;
    const d = tryResolveDefinition(this.project, q);
    if (!d) return null;
    // Module.Class.method called through the class: unbound unless it is a classmethod/staticmethod
    const bound = d.node.kind === "FunctionDef" && q.split(".").length >= 2 && d.node.decorators.some((x) => dottedName(x) === "classmethod");
    return { node: d.node, file: d.file, bound };
  }

  fnOf(node: A.FunctionDef): FnInfo | undefined {
    return this.fns.get(node);
  }

  /** `fn` defines functions in its own body. */
  hasNestedDefs(fn: A.FunctionDef): boolean {
    return this.localDefs.has(fn);
  }

  /** The function a name in `info`'s body stands for when a function body defines it: `info`'s own
   *  nested def, or one of a function around it (a sibling helper, the enclosing function's own). */
  nestedDef(info: FnInfo, id: string): A.FunctionDef | null {
    const own = this.localDefs.get(info.node)?.get(id);
    if (own) return own;
    const binder = info.outer && !functionLocals(info.node).has(id) ? this.closureBinder(info, id) : null;
    return (binder && this.localDefs.get(binder)?.get(id)) || null;
  }

  /**
   * The plain project class (not a model, form, serializer or view, which the
   * engine types itself) whose instance `e` is, read from the function's own code:
   * a constructor call, or a name the function assigns once, from one.
   */
  private constructedClass(info: FnInfo, e: A.Expr): ClassRef | null {
    let call: A.Expr | undefined = e;
    let file = info.file;
    if (e.kind === "Name") call = singleAssignments(info.node, () => singleAssignmentsOf(info.node)).get(e.id);
    else if (e.kind === "Attribute") {
      const set = e.value.kind === "Name" && e.value.id === "self" && info.cls ? instanceAttribute(info.cls.mro, e.attr) : null;
      call = set?.value;
      if (set) file = set.file;
    }
    if (!call || call.kind !== "Call" || (call.func.kind !== "Name" && call.func.kind !== "Attribute")) return null;
    const cls = classRefOf(this.project, file, call.func);
    return cls && this.classInfo(cls.file, cls.node).kind === "other" ? cls : null;
  }

  private readonly fieldTypes = new Map<A.ClassDef, Map<string, string | null>>();

  /** fieldType, answered once per class and field (every access to `row.field` asks). */
  fieldTypeOf(cls: ClassRef, name: string): string | null {
    let byName = this.fieldTypes.get(cls.node);
    if (!byName) this.fieldTypes.set(cls.node, (byName = new Map()));
    let f = byName.get(name);
    if (f === undefined) byName.set(name, (f = fieldType(this, cls, name)));
    return f;
  }
}

/** The `self.<name>` attributes a method assigns, with the value when it assigns one exactly once. */
const selfAssignments = weakMemo<A.FunctionDef, Map<string, A.Expr | null>>();
function selfAssignmentsOf(fn: A.FunctionDef): Map<string, A.Expr | null> {
  const out = new Map<string, A.Expr | null>();
  walkBody(fn.body, {
    stmt: (st) => {
      if (st.kind === "FunctionDef" || st.kind === "ClassDef") return false;
      const value = st.kind === "Assign" || st.kind === "AnnAssign" ? st.value : null;
      for (const t of bindingTargets(st)) {
        if (t.kind === "Attribute" && t.value.kind === "Name" && t.value.id === "self") out.set(t.attr, out.has(t.attr) ? null : value);
      }
      return undefined;
    },
  });
  return out;
}

/**
 * What `self.<name>` holds on every instance of a class: the value `__init__` (along
 * the MRO) assigns it once, or else the class attribute of that name.
 */
function instanceAttribute(mro: readonly MroEntry[], name: string): { value: A.Expr; file: PythonFile } | null {
  const init = mroMethods(mro).get("__init__");
  if (init?.owner.def) {
    const assigned = selfAssignments(init.fn, () => selfAssignmentsOf(init.fn));
    if (assigned.has(name)) {
      const value = assigned.get(name);
      return value ? { value, file: init.owner.def.file } : null;
    }
  }
  const a = mroAttribute(mro, name);
  return a ? { value: a.value, file: a.owner.def.file } : null;
}

/** What a call reaches in the project (DataflowEngine.calleeOf). */
export interface Callee {
  node: A.FunctionDef | A.ClassDef;
  file: PythonFile;
  /** called through an instance or a classmethod: the first parameter is bound */
  bound: boolean;
}

/** A class attribute naming a class (`form_class = SearchForm`, `model = Post`) along a view's MRO. */
function classAttrRef(project: Project, info: FnInfo, attr: string): ClassRef | null {
  const a = info.cls ? mroAttribute(info.cls.mro, attr) : null;
  return a ? classRefOf(project, a.owner.def.file, a.value) : null;
}

function classRefOf(project: Project, file: PythonFile, e: A.Expr): ClassRef | null {
  const d = tryResolveExpr(project, file, e);
  return d && d.node.kind === "ClassDef" ? { file: d.file, node: d.node } : null;
}

/** Local names a function's own body assigns exactly once, with the value (for reading an object's class from its constructor call). */
const singleAssignments = weakMemo<A.FunctionDef, Map<string, A.Expr>>();
/**
 * Classes whose methods take the request without being views: DRF's permission,
 * throttle, authentication, filter, pagination, parser, renderer and versioning
 * classes, and the admin's. Their other parameters are the view, the object or
 * the queryset the framework passes (`has_object_permission(self, request, view,
 * obj)`), not URL parameters.
 */
const REQUEST_POLICY = /(^|\.)(Base(Permission|Throttle|Authentication|FilterBackend|Pagination|Parser|Renderer|Metadata|Versioning)|[A-Za-z]*(Throttle|Authentication|Pagination)|ModelAdmin|InlineModelAdmin|TabularInline|StackedInline|AdminSite)$/;

function requestPolicy(cls: ClassInfo): boolean {
  if (cls.mro.some((m) => REQUEST_POLICY.test(m.qualname)) || cls.node.bases.some((b) => REQUEST_POLICY.test(dottedName(baseClass(b)) ?? ""))) return true;
  // a permission class by its methods, whatever its bases
  return cls.node.body.some((s) => s.kind === "FunctionDef" && (s.name === "has_permission" || s.name === "has_object_permission"));
}

function singleAssignmentsOf(fn: A.FunctionDef): Map<string, A.Expr> {
  const seen = new Map<string, A.Expr | null>();
  walkBody(fn.body, {
    stmt: (st) => {
      if (st.kind === "FunctionDef" || st.kind === "ClassDef") return false;
      for (const t of bindingTargets(st)) {
        if (t.kind !== "Name") continue;
        seen.set(t.id, seen.has(t.id) || st.kind !== "Assign" ? null : st.value);
      }
      return undefined;
    },
  });
  const out = new Map<string, A.Expr>();
  for (const [k, v] of seen) if (v) out.set(k, v);
  return out;
}

/** `x._meta`, `x._meta.fields`, `x._meta.get_field("a").verbose_name`...: Django's model metadata. */
function readsModelMeta(e: A.Expr): boolean {
  for (let x = e; ; ) {
    if (x.kind === "Attribute") {
      if (x.attr === "_meta") return true;
      x = x.value;
    } else if (x.kind === "Call") x = x.func;
    else return false;
  }
}

/** The value carries taints (its own or per key): withStep would add the step; a clean one it returns as is. */
function carries(v: Val): boolean {
  return v.t.length > 0 || v.keys !== undefined;
}

/** A pytest test (`test*` in a test module) or fixture (`@pytest.fixture`), which pytest calls with its own `request`. */
function isPytestFunction(file: PythonFile, node: A.FunctionDef): boolean {
  if (node.decorators.some((d) => /(^|\.)fixture$/.test(dottedName(d.kind === "Call" ? d.func : d) ?? ""))) return true;
  return node.name.startsWith("test") && isTestCode(file.path);
}

/** What a resolve() match says of the route it found: its name, view, or pattern. */
const ROUTE_IDENTITY = new Set(["url_name", "view_name", "func", "route", "_func_path"]);

/** `@register.filter`, `@register.simple_tag(...)`, `@register.inclusion_tag(...)`: a function templates call. */
function isTemplateTag(node: A.FunctionDef): boolean {
  return node.decorators.some((d) => {
    const callee = d.kind === "Call" ? d.func : d;
    return callee.kind === "Attribute" && (callee.attr === "filter" || callee.attr === "simple_tag" || callee.attr === "inclusion_tag");
  });
}

/** What a request source's taint carries besides its origin. */
function sourceFlags(src: RequestAttr): Partial<Taint> {
  return {
    ...(src.sensitive ? { sensitive: src.note } : {}),
    ...(src.upload ? { upload: true } : {}),
    ...(src.ownPath ? { safe: bit("redirect") } : {}),
    ...(src.strMap ? { strMap: true } : {}),
    ...(src.scalar ? { keysFixed: true } : {}),
  };
}

/** Facts every part of a boolean test states, when any one part may have decided it: per name, the kinds all agree on. */
function agreedFacts(parts: GuardFact[][], whenTrue: boolean): GuardFact[] {
  const per = parts.map((p) => p.filter((f) => f.whenTrue === whenTrue));
  const out: GuardFact[] = [];
  for (const f of per[0] ?? []) {
    let safe = f.safe;
    for (const other of per.slice(1)) safe &= other.find((g) => g.name === f.name)?.safe ?? 0;
    if (safe) out.push({ name: f.name, safe, whenTrue, note: f.note });
  }
  return out;
}

/** A key the code chose: constant, or request data pinned to one of the code's constants (`k in ALLOWED`). */
function codeChosen(key: Val): boolean {
  return key.t.every((t) => t.prefixed);
}

/** The one parameter whose taints alone make up `v` (a helper's argument, unchanged), or null. */
function paramOf(v: Val): number | null {
  const p = v.t[0]?.param;
  return p !== undefined && v.t.every((t) => t.origin === "param" && t.param === p && t.free === undefined) ? p : null;
}

/** The parameters a key is an item of (`for f in allowed`, `k in allowed`), when one value of the
 *  caller's decides it; null when the key is not (only) that. */
function keysParams(key: Val): number[] | null {
  const live = key.t.filter((t) => !t.prefixed);
  if (live.length !== 1) return null;
  const t = live[0]!;
  const ps: number[] = [];
  if (t.origin === "param" && t.free === undefined && t.param !== undefined) ps.push(t.param);
  if (t.pinnedBy !== undefined && !ps.includes(t.pinnedBy)) ps.push(t.pinnedBy);
  return ps.length ? ps : null;
}

/**
 * What a mapping holds after `out[key] = value` with a computed key (or a dict
 * comprehension): keys the code chose (a constant list's items, an allowlisted
 * key) are not the request's choice, keys from the request are, and keys from a
 * helper's parameter are whatever its caller passes (keysBy).
 */
function storedUnder(key: Val, value: Val): Val {
  if (codeChosen(key)) return mapTaints(value, (t) => (t.keysFixed ? t : { ...t, keysFixed: true }));
  const ps = keysParams(key);
  if (ps) return mapTaints(value, (t) => ({ ...t, keysBy: ps }));
  return key.t.some((t) => t.origin === "request" && !t.prefixed) ? keysFree(value) : value;
}

/** What a request calls its own path and URL: a project method of the same name says nothing about them. */
const REQUEST_PATH_NAMES = new Set(["path_info", "get_full_path", "get_full_path_info", "build_absolute_uri", "get_raw_uri", "get_host"]);

/** Calls that can turn a string into a mapping whose keys the string chooses. */
const MAPPING_PARSER = /(^|\.)(loads|load|safe_load|full_load|unsafe_load|literal_eval|parse_qs|parse_qsl|QueryDict)$|^jwt\.decode$/;

/** After a mapping parser: a one-string value may now be a mapping with keys of the request's choosing. */
function keysFree(v: Val): Val {
  // false, not absent: inside a summary it overrides what the caller's argument had
  return mapTaints(v, (t) => (t.keysFixed === false ? t : { ...t, keysFixed: false }));
}

/** A value computed from credentials by code we cannot see into is no longer the credential. */
function dropSensitive(v: Val): Val {
  return mapTaints(v, (t) => {
    // inside a summary: the caller's argument may be a credential, and this is no longer it
    if (t.origin === "param" && !t.derived) return { ...t, derived: true };
    if (!t.sensitive) return t;
    // a rest copy, not `delete`: deleting a property puts a V8 object in slow dictionary mode
    const { sensitive: _, ...o } = t;
    return o;
  });
}

/** `request.META` / `self.request.META` (serverMetaKey entries of it are not request data) */
function isMeta(e: A.Expr): boolean {
  return e.kind === "Attribute" && e.attr === "META" && REQUEST_PARAM_NAMES.has(dottedName(e.value)?.replace(/^self\./, "") ?? "");
}

function annotatedRequest(p: A.Param): boolean {
  const a = p.annotation ? dottedName(p.annotation) : null;
  return !!a && /(^|\.)(HttpRequest|Request|WSGIRequest|ASGIRequest)$/.test(a);
}

function nestedBodies(s: A.Stmt): A.Stmt[][] {
  switch (s.kind) {
    case "If": case "For": case "While": return [s.body, s.orelse];
    case "With": return [s.body];
    case "Try": return [s.body, ...s.handlers.map((h) => h.body), s.orelse, s.finalbody];
    case "Match": return s.cases.map((c) => c.body);
    default: return [];
  }
}

// ---------------------------------------------------------------------------

const NO_VARS: ReadonlyMap<string, Val> = new Map();

/** A scoped environment: a child sees its parents; writes stay local until merged. */
class Env {
  /** own writes; most branch and loop scopes write nothing, so the map is made on the first */
  private own: Map<string, Val> | null = null;
  constructor(readonly parent: Env | null) {}
  get(name: string): Val | undefined {
    for (let e: Env | null = this; e; e = e.parent) {
      const v = e.own?.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  set(name: string, v: Val): void {
    (this.own ??= new Map()).set(name, v);
  }
  /** this scope's own writes (not its parents') */
  get vars(): ReadonlyMap<string, Val> {
    return this.own ?? NO_VARS;
  }
  child(): Env {
    return new Env(this);
  }
}

interface GuardFact {
  name: string;
  /** kinds the name is safe for when the fact holds */
  safe: number;
  /** the fact holds when the test is true (false: when it is false) */
  whenTrue: boolean;
  note: string;
  /** the name then equals one of the code's constants (`k in ALLOWED`, `k == "bio"`): it cannot name an arbitrary attribute or key */
  pinned?: boolean;
  /** the name then is one of parameter `pinnedBy`'s items (`k in allowed`, a helper's allowlist): the caller decides */
  pinnedBy?: number;
}

const MAX_LOOP_DEPTH_FOR_SECOND_PASS = 1;
/** URL parameter types that hold no text a sink could misread (urls.ts PathParam.valueType) */
const SAFE_URL_TYPES: ReadonlySet<string> = new Set(["int", "uuid", "slug"]);

class FnAnalyzer {
  private readonly file: PythonFile;
  private readonly fn: A.FunctionDef;
  private ret: Val = CLEAN;
  private readonly paramSinks: ParamSink[] = [];
  private loopDepth = 0;
  private readonly requestNames = new Set<string>();
  /** how the function validates uploaded files (size + content checks); read from its body when an upload reaches a save */
  private uploadChecks: { size: boolean; content: boolean; extension: boolean } | null = null;
  /** template-output verdicts of the expressions evaluated here (the last evaluation wins) */
  private readonly outputs = new Map<A.Expr, OutputVerdict>();
  /** a view method whose return value Django redirects to (relevance.ts isRedirectHook) */
  private readonly redirectHook: boolean;

  constructor(private readonly eng: DataflowEngine, private readonly info: FnInfo) {
    this.file = info.file;
    this.fn = info.node;
    this.redirectHook = isRedirectHook(info);
  }

  run(): Summary {
    const env = new Env(null);
    const params = this.fn.params;
    const isMethod = this.info.cls !== null && !this.fn.decorators.some((d) => dottedName(d) === "staticmethod");
    const urlParams = this.info.isView ? this.urlParamTypes() : null;
    // a nested function reading the request of the view around it reads the request
    for (let o = this.info.outer; o; o = this.eng.fnOf(o)?.outer ?? null) {
      const rp = this.eng.fnOf(o)?.requestParam ?? -1;
      const name = rp >= 0 ? o.params[rp]!.name : null;
      if (name && !functionLocals(this.fn).has(name) && this.eng.closureBinder(this.info, name) === o) this.requestNames.add(name);
    }
    params.forEach((p, i) => {
      if (isMethod && i === 0) {
        env.set(p.name, this.selfVal());
        return;
      }
      if (i === this.info.requestParam) {
        this.requestNames.add(p.name);
        env.set(p.name, { t: [], type: { kind: "request" } });
        return;
      }
      // FormView.form_valid(self, form) / DRF perform_create(self, serializer): bound to the request's data
      if (this.info.cls?.kind === "view" && (p.name === "form" || p.name === "serializer")) {
        const attr = p.name === "form" ? "form_class" : "serializer_class";
        const cls = classAttrRef(this.eng.project, this.info, attr);
        const init = this.requestTaint(p, p.name === "form" ? "request data bound to the view's form" : "request data bound to the view's serializer", false);
        if (cls) {
          const kind = this.eng.classInfo(cls.file, cls.node).kind;
          env.set(p.name, { t: [], type: { kind: kind === "serializer" ? "serializer" : "form", cls, init } });
        } else env.set(p.name, { t: [], type: { kind: "cleaned", cls: null, init } });
        return;
      }
      if (this.info.cls?.kind === "serializer" && (p.name === "validated_data" || p.name === "attrs")) {
        env.set(p.name, { t: [], type: { kind: "cleaned", cls: this.info.cls, init: this.requestTaint(p, "serializer input", true) } });
        return;
      }
      // `@validate_body(Serializer)` calling the view with `data=` what it validated: not a URL parameter
      const injected = this.info.isView && this.info.requestParam >= 0 && i > this.info.requestParam && !p.star && !urlParams?.has(p.name) ? injectedByDecorator(this.eng.project, this.file, this.fn, p.name) : null;
      if (injected) {
        const note = `\`${p.name}\` passed in by ${this.info.symbol}()'s decorator`;
        if (injected === "validated") env.set(p.name, { t: [], type: { kind: "cleaned", cls: null, init: this.requestTaint(p, `request data validated by a serializer, ${note}`, true) } });
        else env.set(p.name, injected === "request" ? this.requestTaint(p, `request data, ${note}`, false) : CLEAN);
        return;
      }
      if (this.info.isView && i > this.info.requestParam && this.info.requestParam >= 0 && (this.info.cls ? urlDispatched(this.fn) : urlSupplies(this.eng.project, this.fn, p))) {
        // `**kwargs` of a routed view whose every URL parameter is a number, UUID or slug holds nothing else
        if ((p.star === "**" || p.star === "*") && this.urlArgsTyped()) { env.set(p.name, CLEAN); return; }
        const ty = urlParams?.get(p.name);
        if (ty !== undefined && SAFE_URL_TYPES.has(ty)) { env.set(p.name, CLEAN); return; }
        const ann = p.annotation ? dottedName(p.annotation) : null;
        if (ann === "int" || ann === "uuid.UUID" || ann === "UUID") { env.set(p.name, CLEAN); return; }
        const note = p.star === "**" ? "URL keyword arguments" : `URL parameter \`${p.name}\` of ${this.info.symbol}()`;
        env.set(p.name, { t: [{ origin: "param", param: i, urlParam: true, keysFixed: true, safe: 0, steps: [this.step(p, note, "source")] }] });
        return;
      }
      const step = this.step(p, `parameter \`${p.name}\` of ${this.info.symbol}()`, "source");
      env.set(p.name, { t: [{ origin: "param", param: i, safe: 0, steps: [step] }] });
    });
    try {
      this.execBody(this.fn.body, env);
    } finally {
      // what template output needs, kept even when the analysis stops half-way
      this.eng.outputs.store(this.fn, this.outputs);
    }
    return { ret: this.ret, paramSinks: this.paramSinks };
  }

  private urlArgsTypedMemo: boolean | undefined;

  /**
   * The view is routed, and every route to it (through a subclass too) passes only
   * numbers, UUIDs and slugs (`<int:pk>`, `<slug:tournament_slug>`): its URL
   * arguments cannot carry a scheme, a host, a path separator or markup.
   */
  private urlArgsTyped(): boolean {
    if (this.urlArgsTypedMemo !== undefined) return this.urlArgsTypedMemo;
    const target = this.info.cls ? this.info.cls.node : this.fn;
    let typed = false;
    try {
      const routes = routesFor(this.eng.project, target);
      typed = routes.length > 0 && routes.every((r) => r.params.every((p) => SAFE_URL_TYPES.has(p.valueType)));
    } catch {
      typed = false;
    }
    return (this.urlArgsTypedMemo = typed);
  }

  private urlParamTypes(): Map<string, string> | null {
    const target = this.info.cls ? this.info.cls.node : this.fn;
    try {
      const m = paramsFor(this.eng.project, target);
      if (m.size === 0) return null;
      const out = new Map<string, string>();
      for (const [name, ps] of m) {
        const types = new Set(ps.map((p) => p.valueType));
        out.set(name, types.size === 1 ? [...types][0]! : "str");
      }
      return out;
    } catch {
      return null;
    }
  }

  private selfVal(): Val {
    const cls = this.info.cls!;
    switch (cls.kind) {
      case "model": return { t: [], type: { kind: "model", cls, note: `${cls.node.name} field` } };
      case "form": return { t: [], type: { kind: "form", cls, init: this.requestTaint(this.fn, `data bound to ${cls.node.name}`, false) } };
      case "serializer": return { t: [], type: { kind: "serializer", cls, init: this.requestTaint(this.fn, `data bound to ${cls.node.name}`, false) } };
      default: return CLEAN;
    }
  }

  private requestTaint(at: A.Span, note: string, weak: boolean, extra: Partial<Taint> = {}): Val {
    return { t: [{ origin: "request", safe: 0, ...(weak ? { weak } : {}), ...extra, steps: [this.step(at, note, "source")] }] };
  }

  /** A trace step at `at` in this file (taint.ts step). */
  step(at: A.Span, note: string, kind: TraceStep["kind"] = "step"): TraceStep {
    return step(this.file, at, kind, note);
  }

  // ------------------------------------------------------------ statements

  /** Returns true when the body always leaves (return/raise/continue/break). */
  private execBody(body: readonly A.Stmt[], env: Env): boolean {
    for (const s of body) if (this.execStmt(s, env)) return true;
    return false;
  }

  private execStmt(s: A.Stmt, env: Env): boolean {
    switch (s.kind) {
      case "Expr": this.eval(s.value, env); return false;
      case "Assign": {
        const v = this.eval(s.value, env);
        for (const t of s.targets) this.assign(t, v, env, s);
        return false;
      }
      case "AnnAssign":
        if (s.value) this.assign(s.target, this.eval(s.value, env), env, s);
        return false;
      case "AugAssign": {
        const cur = this.eval(s.target, env);
        const v = this.eval(s.value, env);
        let joined = join(cur, withStep(v, this.step(s, `appended to \`${exprText(s.target)}\``), { formatted: true }));
        if (cur.keys) joined = { ...joined, keys: cur.keys }; // `parts += [...]` keeps the leading items
        this.assign(s.target, joined, env, s, false);
        return false;
      }
      case "Return":
        if (s.value) {
          const v = this.eval(s.value, env);
          this.ret = join(this.ret, v);
          // a class-based view redirects to what these hooks return (FormView's success URL, RedirectView's target)
          if (this.redirectHook) this.sinkCheck(v, { kind: "redirect", arg: 0, accept: "request", label: `the URL ${this.fn.name}() returns` }, s.value);
        }
        return true;
      case "Raise":
        if (s.exc) this.eval(s.exc, env);
        return true;
      case "Pass": return false;
      case "Break": case "Continue": return true;
      case "If": return this.execIf(s, env);
      case "For": {
        const it = this.eval(s.iter, env);
        const elem = this.elementOf(it, s.iter);
        return this.execLoop(s.body, s.orelse, env, (e) => this.assign(s.target, elem, e, s));
      }
      case "While": {
        this.eval(s.test, env);
        return this.execLoop(s.body, s.orelse, env, () => undefined);
      }
      case "With": {
        for (const item of s.items) {
          const v = this.eval(item.context, env);
          if (item.target) this.assign(item.target, v, env, s);
        }
        return this.execBody(s.body, env);
      }
      case "Try": {
        const before = env.child();
        const bodyLeaves = this.execBody(s.body, before);
        const branches: { env: Env; leaves: boolean }[] = [];
        const main = before.child();
        const mainLeaves = bodyLeaves || this.execBody(s.orelse, main);
        branches.push({ env: main, leaves: mainLeaves });
        for (const h of s.handlers) {
          const he = before.child();
          if (h.type) this.eval(h.type, he);
          if (h.name) he.set(h.name, CLEAN);
          branches.push({ env: he, leaves: this.execBody(h.body, he) });
        }
        const leaves = this.mergeBranches(env, branches, [before]);
        const finLeaves = this.execBody(s.finalbody, env);
        return leaves || finLeaves;
      }
      case "Match": {
        const subj = this.eval(s.subject, env);
        const branches = s.cases.map((c) => {
          const ce = env.child();
          for (const n of namesIn(c.pattern)) ce.set(n, subj);
          if (c.guard) this.eval(c.guard, ce);
          return { env: ce, leaves: this.execBody(c.body, ce) };
        });
        branches.push({ env: env.child(), leaves: false });
        return this.mergeBranches(env, branches, []);
      }
      case "Delete": return false;
      case "Assert": {
        this.eval(s.test, env);
        for (const f of this.guardFacts(s.test, env)) if (f.whenTrue) this.applyFact(f, env);
        return false;
      }
      case "FunctionDef": case "ClassDef":
        env.set(s.name, CLEAN);
        return false;
      case "Import": case "ImportFrom": case "Global": return false;
      case "UnknownStmt":
        for (const e of s.exprs) this.eval(e, env);
        return this.execBody(s.body, env);
    }
    return false;
  }

  private execIf(s: A.If, env: Env): boolean {
    this.eval(s.test, env);
    const facts = this.guardFacts(s.test, env);
    const thenEnv = env.child();
    const elseEnv = env.child();
    for (const f of facts) this.applyFact(f, f.whenTrue ? thenEnv : elseEnv);
    const thenLeaves = this.execBody(s.body, thenEnv);
    const elseLeaves = this.execBody(s.orelse, elseEnv);
    return this.mergeBranches(env, [{ env: thenEnv, leaves: thenLeaves }, { env: elseEnv, leaves: elseLeaves }], []);
  }

  /**
   * Merge branch environments into `env`. Branches that leave do not flow on.
   * `chain` lists intermediate envs whose writes also count (try bodies).
   */
  private mergeBranches(env: Env, branches: { env: Env; leaves: boolean }[], chain: Env[]): boolean {
    const live = branches.filter((b) => !b.leaves);
    if (live.length === 0) {
      for (const c of chain) for (const [k, v] of c.vars) env.set(k, join(env.get(k) ?? CLEAN, v));
      return true;
    }
    const keys = new Set<string>();
    for (const b of live) for (let e: Env | null = b.env; e && e !== env; e = e.parent) for (const k of e.vars.keys()) keys.add(k);
    for (const k of keys) {
      const vals = live.map((b) => b.env.get(k) ?? CLEAN);
      env.set(k, join(...vals));
    }
    return false;
  }

  private execLoop(body: A.Stmt[], orelse: A.Stmt[], env: Env, bind: (e: Env) => void): boolean {
    this.loopDepth++;
    const passes = this.loopDepth <= MAX_LOOP_DEPTH_FOR_SECOND_PASS ? 2 : 1;
    for (let i = 0; i < passes; i++) {
      const le = env.child();
      bind(le);
      this.execBody(body, le);
      // the loop may run zero times: join with what was there
      for (const [k, v] of le.vars) env.set(k, join(env.get(k) ?? CLEAN, v));
    }
    this.loopDepth--;
    return this.execBody(orelse, env) && false;
  }

  private assign(target: A.Expr, v: Val, env: Env, at: A.Span, note = true): void {
    switch (target.kind) {
      case "Name": {
        const val = note && carries(v) ? withStep(v, this.step(at, `assigned to \`${target.id}\``)) : v;
        env.set(target.id, val);
        return;
      }
      case "Tuple": case "List": {
        target.elts.forEach((el, i) => {
          const part = v.keys?.get(String(i)) ?? { t: v.t };
          this.assign(el.kind === "Starred" ? el.value : el, part, env, at, note);
        });
        return;
      }
      case "Starred": this.assign(target.value, v, env, at, note); return;
      case "Attribute": {
        const d = dottedName(target);
        if (d) env.set(d, note && carries(v) ? withStep(v, this.step(at, `assigned to \`${d}\``)) : v);
        this.eval(target.value, env);
        this.checkUploadAssign(target, v, at);
        return;
      }
      case "Subscript": {
        const base = dottedName(target.value);
        const key = constKey(target.slice);
        if (base === null) { this.eval(target.value, env); return; }
        const cur = env.get(base) ?? this.eval(target.value, env);
        if (key !== null && key.toLowerCase() === "location") {
          this.sinkCheck(v, { kind: "redirect", arg: 0, accept: "request", label: "Location header" }, target);
        }
        const stepped = withStep(v, this.step(at, `stored in \`${base}[${key === null ? "…" : JSON.stringify(key)}]\``));
        if (key !== null) {
          const keys = new Map(cur.keys ?? []);
          keys.set(key, stepped);
          env.set(base, { ...cur, keys });
        } else {
          // `out[f] = data[f]` with `f` from the code's own names (a loop over a constant list, an allowlisted key): the
          // request chose no key; with `f` from the request (`for f in request.POST`), it chose them all; with `f` from a
          // helper's parameter, its caller's argument decides (storedUnder)
          const stored = storedUnder(this.eval(target.slice, env), flatten(stepped));
          env.set(base, { ...cur, t: unionTaints(cur.t, stored.t) });
        }
        return;
      }
      default: return;
    }
  }

  // ------------------------------------------------------------ guards

  /** `settings.DEBUG` (on: true) or `not settings.DEBUG` (on: false). */
  private isDebugFlag(e: A.Expr, on: boolean): boolean {
    if (e.kind === "UnaryOp" && e.op === "not") return this.isDebugFlag(e.operand, !on);
    return on && (e.kind === "Name" || e.kind === "Attribute") && /(^|\.)settings\.DEBUG$/.test(qualifiedName(this.eng.project, this.file, e) ?? "");
  }

  /** `x.resolve()` (pathlib) or `os.path.realpath(x)`/`abspath(x)`: the name whose path it normalises. */
  private normalisedOperand(e: A.Expr): string | null {
    if (e.kind !== "Call") return null;
    if (e.func.kind === "Attribute" && e.func.attr === "resolve" && e.args.length === 0) return dottedName(e.func.value);
    const q = qualifiedName(this.eng.project, this.file, e.func) ?? "";
    return /^(os\.path|posixpath)\.(realpath|abspath)$/.test(q) && e.args[0] ? dottedName(e.args[0]) : null;
  }

  private guardFacts(test: A.Expr, env: Env): GuardFact[] {
    if (test.kind === "UnaryOp" && test.op === "not") return this.guardFacts(test.operand, env).map((f) => ({ ...f, whenTrue: !f.whenTrue }));
    if (test.kind === "BoolOp") {
      // We judge production, which runs with DEBUG off: `not settings.DEBUG and not check(url)`
      // guards as `not check(url)` does, and so does `settings.DEBUG or check(url)` as `check(url)`.
      let live = test.values.filter((v) => !(test.op === "and" ? this.isDebugFlag(v, false) : this.isDebugFlag(v, true)));
      // `if url and not url_has_allowed_host_and_scheme(url): url = reverse("home")`: when the test is
      // false because `url` is empty, the value is empty; the truthiness test of the checked name adds nothing
      if (test.op === "and" && live.length > 1) {
        const checked = new Set(live.flatMap((v) => (v.kind === "Name" || v.kind === "Attribute" ? [] : this.guardFacts(v, env).map((f) => f.name))));
        const rest = live.filter((v) => !((v.kind === "Name" || v.kind === "Attribute") && checked.has(dottedName(v) ?? "")));
        if (rest.length) live = rest;
      }
      if (live.length === 1) return this.guardFacts(live[0]!, env);
      const parts = live.map((v) => this.guardFacts(v, env));
      // `a and b`: facts of both hold when true; `a or b`: facts of both hold when false
      const both = parts.flat().filter((f) => (test.op === "and" ? f.whenTrue : !f.whenTrue));
      // `a and b` false (or `a or b` true): one of them decided, so what every one of them says of a name holds
      // (`if p != root and not p.startswith(root + os.sep): p = None`: past it, p is the root or inside it)
      return [...both, ...agreedFacts(parts, test.op !== "and")];
    }
    // `ok = url_has_allowed_host_and_scheme(url, ...)` then `if not ok: return`: the check the name holds
    if (test.kind === "Name") {
      const held = singleAssignments(this.fn, () => singleAssignmentsOf(this.fn)).get(test.id);
      return held?.kind === "Call" ? this.guardFacts(held, env) : [];
    }
    if (test.kind === "Compare" && test.ops.length === 1) {
      const op = test.ops[0]!;
      const left = dottedName(test.left);
      const right = test.comparators[0]!;
      // urlparse(url).hostname in ALLOWED_HOSTS: the URL's host is allowlisted
      if ((op === "in" || op === "not in" || op === "==" || op === "!=") && test.left.kind === "Attribute" && ["hostname", "netloc"].includes(test.left.attr) && test.left.value.kind === "Call" && /(^|\.)(urlparse|urlsplit)$/.test(dottedName(test.left.value.func) ?? "") && this.isConstantish(right, env)) {
        const target = test.left.value.args[0];
        const name = target ? dottedName(target) : null;
        if (name) return [{ name, safe: mask(["redirect", "ssrf"]), whenTrue: op === "in" || op === "==", note: "host checked against an allowlist" }];
      }
      // `match = resolve(url)` then `if match.url_name != "thread": return None`: the URL is a path of one of this
      // site's routes (resolve() alone is not enough: a catch-all route resolves `//evil.example/x` too)
      const match = op === "==" || op === "!=" || op === "in" || op === "not in" ? this.routeMatch(test.left) : null;
      const urls = match ? this.resolvedUrls(match) : [];
      if (urls.length && !this.eval(right, env).t.some((t) => t.origin === "request")) {
        return urls.map((name) => ({ name, safe: mask(["redirect", "ssrf"]), whenTrue: op === "==" || op === "in", note: "resolves to the route it is compared with" }));
      }
      if (left && (op === "in" || op === "not in") && this.isConstantish(right, env)) {
        return [{ name: left, safe: ALL_KINDS, whenTrue: op === "in", note: `checked against an allowlist`, pinned: true }];
      }
      const container = left && (op === "in" || op === "not in") ? paramOf(this.eval(right, env)) : null;
      if (container !== null) {
        return [{ name: left!, safe: 0, whenTrue: op === "in", note: `checked against the allowlist \`${dottedName(right) ?? "…"}\``, pinnedBy: container }];
      }
      if (left && (op === "==" || op === "!=") && this.isConstantish(right, env)) {
        return [{ name: left, safe: ALL_KINDS, whenTrue: op === "==", note: `compared with a constant`, pinned: true }];
      }
      return [];
    }
    if (test.kind === "Call") {
      const q = qualifiedName(this.eng.project, this.file, test.func);
      const guard = q ? GUARDS[q] : undefined;
      if (guard) {
        const target = test.args[0] ?? test.keywords.find((k) => k.arg === "url")?.value;
        const name = target ? dottedName(target) : null;
        if (name) return [{ name, safe: mask(guard), whenTrue: true, note: `checked with ${q!.split(".").pop()}()` }];
      }
      const local = guard ? null : this.projectGuard(test, q);
      if (local) return [local];
      if (test.func.kind === "Attribute") {
        const recv = dottedName(test.func.value);
        if (recv && CHECK_METHODS.has(test.func.attr)) return [{ name: recv, safe: ALL_KINDS, whenTrue: true, note: `checked with .${test.func.attr}()` }];
        if (recv && (test.func.attr === "startswith" || test.func.attr === "is_relative_to")) {
          const v = env.get(recv);
          if (v && v.t.length && v.t.every((t) => t.normalized)) return [{ name: recv, safe: bit("path"), whenTrue: true, note: "confined to a root directory" }];
        }
        // `path.resolve().is_relative_to(root)`, `os.path.realpath(path).startswith(root)`: the normalised path is confined
        const normalisedOf = this.normalisedOperand(test.func.value);
        if (normalisedOf && (test.func.attr === "startswith" || test.func.attr === "is_relative_to") && test.args.length >= 1) {
          return [{ name: normalisedOf, safe: bit("path"), whenTrue: true, note: "confined to a root directory" }];
        }
        // `if not method.startswith("get_"): continue`: the name is one of a family the code chose, as `getattr(obj, "get_" + x)` is
        const prefix = test.func.attr === "startswith" ? constString(test.args[0]) : null;
        if (recv && prefix && /^\w+$/.test(prefix)) return [{ name: recv, safe: bit("code"), whenTrue: true, note: `checked to start with "${prefix}"` }];
      }
      if (q && /(^|\.)(fullmatch|match)$/.test(q) && q.startsWith("re.")) {
        const target = test.args[1];
        const name = target ? dottedName(target) : null;
        const pat = constString(test.args[0]);
        if (name && pat && /^\^?\[[^\]]*\][+*]?\$?$|^\^?\\[dw][+*]\$?$/.test(pat) && !/[/.]/.test(pat.replace(/\\[dw]/g, ""))) {
          return [{ name, safe: ALL_KINDS, whenTrue: true, note: "matched against a strict pattern" }];
        }
      }
    }
    return [];
  }

  /**
   * The resolve() match whose route a compared value names: `match.url_name` (view_name,
   * func, route), or a local built only from such a match (`name = m.url_name`, then
   * `name = f"{m.namespace}:{name}"`, as Misago's threads/nexturl.py does).
   */
  private routeMatch(e: A.Expr): A.Expr | null {
    if (e.kind === "Attribute") return ROUTE_IDENTITY.has(e.attr) ? e.value : null;
    if (e.kind !== "Name") return null;
    const b = localBindings(this.fn, e.id);
    if (b.other || b.appended.length || !b.assigned.length) return null;
    let base: string | null = null;
    let ok = true;
    for (const v of b.assigned) {
      walkExpr(v, (x) => {
        if (!ok) return false;
        if (x.kind === "Attribute" && x.value.kind === "Name" && (ROUTE_IDENTITY.has(x.attr) || x.attr === "namespace")) {
          if (base !== null && base !== x.value.id) ok = false;
          base = x.value.id;
          return false;
        }
        if (x.kind === "Call" || (x.kind === "Name" && x.id !== e.id) || x.kind === "Attribute") ok = false;
        return undefined;
      });
    }
    return ok && base !== null ? new A.Name(base, e.line, e.col, e.endLine, e.endCol) : null;
  }

  /**
   * The names of the URL a match is Django's resolve() of: `m = resolve(url)` (or of
   * `url.split("?")[0]`, `urlparse(url).path`), and the name that path was cut from
   * (`path = next_url`, then `path = path[:path.index("?")]`): what follows "?" cannot
   * change the host.
   */
  private resolvedUrls(m: A.Expr): string[] {
    const call = m.kind === "Name" ? singleAssignments(this.fn, () => singleAssignmentsOf(this.fn)).get(m.id) : m;
    if (call?.kind !== "Call" || !/^django\.urls(\.base|\.resolvers)?\.resolve$/.test(qualifiedName(this.eng.project, this.file, call.func) ?? "")) return [];
    const cut = (x: A.Expr | undefined): A.Expr | undefined => {
      for (let i = 0; x && i < 4; i++) {
        if (x.kind === "Subscript") x = x.value;
        else if (x.kind === "Attribute" && x.attr === "path" && x.value.kind === "Call") x = x.value.args[0];
        else if (x.kind === "Call" && x.func.kind === "Attribute" && /^(split|partition|strip|rstrip|lstrip)$/.test(x.func.attr)) x = x.func.value;
        else break;
      }
      return x;
    };
    const first = cut(call.args[0]);
    const name = first ? dottedName(first) : null;
    if (!name) return [];
    const out = [name];
    // a local cut from another name: every value it is given is that name or a cut of itself
    const b = first!.kind === "Name" ? localBindings(this.fn, name) : null;
    const values = b && !b.other && !b.appended.length ? b.assigned : [];
    const roots = new Set(values.map((v) => (cut(v)?.kind === "Name" ? (cut(v) as A.Name).id : "")));
    roots.delete(name);
    if (roots.size === 1 && !roots.has("")) out.push([...roots][0]!);
    return out;
  }

  /**
   * A project function used as a predicate on a URL (`if _allow_redirect(url):`)
   * whose body checks the URL's host (url_has_allowed_host_and_scheme, urlparse
   * netloc/hostname, resolve()) guards redirects and outbound requests.
   */
  private projectGuard(test: A.Call, q: string | null): GuardFact | null {
    const target = test.args[0];
    const name = target ? dottedName(target) : null;
    if (!name || !q) return null;
    const d = tryResolveDefinition(this.eng.project, q);
    if (!d || d.node.kind !== "FunctionDef") return null;
    let checksHost = false;
    walkBody(d.node.body, {
      expr: (e) => {
        if (checksHost) return;
        if (e.kind === "Attribute" && (e.attr === "netloc" || e.attr === "hostname")) checksHost = true;
        if (e.kind === "Call") {
          const n = dottedName(e.func) ?? "";
          if (/(^|\.)(url_has_allowed_host_and_scheme|is_safe_url|resolve)$/.test(n)) checksHost = true;
        }
      },
    });
    return checksHost ? { name, safe: mask(["redirect", "ssrf"]), whenTrue: true, note: `checked by ${d.node.name}()` } : null;
  }

  private applyFact(f: GuardFact, env: Env): void {
    // a root check on `resolved = os.path.realpath(path)` confines `path` too: both name the same file
    if (f.safe & bit("path")) {
      const held = singleAssignments(this.fn, () => singleAssignmentsOf(this.fn)).get(f.name);
      const source = held ? this.normalisedOperand(held) : null;
      if (source && source !== f.name) this.applyFact({ name: source, safe: bit("path"), whenTrue: f.whenTrue, note: `${f.note} (as its real path \`${f.name}\`)` }, env);
    }
    const v = env.get(f.name);
    if (!v) return;
    env.set(f.name, mapTaints(v, (t) => ({ ...t, safe: t.safe | f.safe, ...(f.pinned ? { prefixed: true } : {}), ...(f.pinnedBy !== undefined ? { pinnedBy: f.pinnedBy } : {}), steps: pushStep(t.steps, { ...t.steps[t.steps.length - 1]!, kind: "step", note: `\`${f.name}\` ${f.note}` }) })));
  }

  private isConstantish(e: A.Expr, env: Env): boolean {
    if (e.kind === "Constant" || e.kind === "List" || e.kind === "Tuple" || e.kind === "Set" || e.kind === "Dict") {
      return this.eval(e, env).t.length === 0;
    }
    if (e.kind === "Name" || e.kind === "Attribute") {
      const v = this.eval(e, env);
      return v.t.every((t) => t.origin === "unknown" || t.origin === "call") && !v.t.some((t) => t.origin === "request");
    }
    return false;
  }

  // ------------------------------------------------------------ expressions

  eval(e: A.Expr, env: Env): Val {
    const v = this.evalInner(e, env);
    // A literal is constant to template output whether or not the engine saw it.
    if (e.kind !== "Constant") {
      const out = outputVerdict(v);
      if (out === null) this.outputs.delete(e);
      else this.outputs.set(e, out);
    }
    return v;
  }

  private evalInner(e: A.Expr, env: Env): Val {
    switch (e.kind) {
      case "Constant": return CLEAN;
      case "Name": return this.evalName(e, env);
      case "JoinedStr": {
        const parts = e.values.map((v) => this.eval(v, env));
        const second = e.values[1];
        const after = second === undefined ? "" : second.kind === "Constant" && typeof second.value === "string" ? second.value : null;
        return this.formatted(parts, e, "built into an f-string", this.leadingText(e.values[0]), e.values[0]?.kind === "FormattedValue" ? parts[0] : undefined, after);
      }
      case "FormattedValue": return flatten(this.eval(e.value, env));
      case "Attribute": return this.evalAttribute(e, env);
      case "Subscript": return this.evalSubscript(e, env);
      case "Slice": return CLEAN;
      case "Call": return this.evalCall(e, env);
      case "BinOp": {
        const l = this.eval(e.left, env);
        const r = this.eval(e.right, env);
        // what follows the chain's first operand (`request.path + "?" + q` is ((path + "?") + q))
        if (e.op === "+") return this.formatted([l, r], e, "concatenated with +", this.leadingText(e.left), l, leadingConst(secondOperand(e)));
        if (e.op === "%") {
          const fmt = constString(e.left);
          const lead = fmt?.startsWith("%s") ? (e.right.kind === "Tuple" ? r.keys?.get("0") : r) : undefined;
          return this.formatted([l, r], e, "formatted with %", leadingConst(e.left), lead, fmt === null ? null : textAfterField(fmt.slice(2), "%"));
        }
        return join(flatten(l), flatten(r));
      }
      case "BoolOp": return join(...e.values.map((v) => this.eval(v, env)));
      case "UnaryOp": { const v = this.eval(e.operand, env); return e.op === "not" ? CLEAN : v; }
      case "Compare": this.eval(e.left, env); for (const c of e.comparators) this.eval(c, env); return CLEAN;
      case "IfExp": {
        this.eval(e.test, env);
        const facts = this.guardFacts(e.test, env);
        const te = env.child(); const fe = env.child();
        for (const f of facts) this.applyFact(f, f.whenTrue ? te : fe);
        return join(this.eval(e.body, te), this.eval(e.orelse, fe));
      }
      case "Lambda": {
        // Its body may run any time from here on (a callback, a key function): its sinks are checked
        // with the values in sight here. Its parameters are whatever its caller passes (clean here:
        // a lambda's caller is rarely in sight). The lambda itself is a function, not data.
        const le = env.child();
        for (const p of e.params) le.set(p.name, CLEAN);
        this.eval(e.body, le);
        return CLEAN;
      }
      case "List": case "Tuple": case "Set": {
        const vals = e.elts.map((x) => this.eval(x, env));
        const keys = new Map<string, Val>();
        vals.forEach((v, i) => keys.set(String(i), v));
        return { t: unionTaints(...vals.map((v) => flatten(v).t)), keys };
      }
      case "Dict": {
        const keys = new Map<string, Val>();
        const loose: Taint[][] = [];
        e.keys.forEach((k, i) => {
          const v = this.eval(e.values[i]!, env);
          if (k === null) { loose.push(flatten(v).t); if (v.keys) for (const [kk, vv] of v.keys) keys.set(kk, vv); return; }
          const ks = constKey(k);
          this.eval(k, env);
          if (ks !== null) keys.set(ks, v);
          else loose.push(flatten(v).t);
        });
        return { t: unionTaints(...loose), keys };
      }
      case "ListComp": case "SetComp": case "GeneratorExp": case "DictComp": {
        const ce = env.child();
        for (const g of e.generators) {
          const it = this.eval(g.iter, ce);
          this.assign(g.target, this.elementOf(it, g.iter), ce, g.iter);
          for (const c of g.ifs) {
            this.eval(c, ce);
            for (const f of this.guardFacts(c, ce)) if (f.whenTrue) this.applyFact(f, ce);
          }
        }
        if (e.kind === "DictComp") {
          const key = flatten(this.eval(e.key, ce));
          const value = flatten(this.eval(e.value, ce));
          // `{k: v for k, v in data.items() if k in ALLOWED}`: the keys are the code's, the values the data's
          return codeChosen(key) || keysParams(key) ? storedUnder(key, value) : join(key, value);
        }
        return flatten(this.eval(e.elt, ce));
      }
      case "Starred": return this.eval(e.value, env);
      case "Await": return this.eval(e.value, env);
      case "Yield": {
        // a generator hands out what it yields (or what the generator it delegates to yields): its return value for callers
        if (e.value) this.ret = join(this.ret, this.eval(e.value, env));
        return CLEAN; // the value sent in by the caller's send(), not data we track
      }
      case "NamedExpr": { const v = this.eval(e.value, env); this.assign(e.target, v, env, e); return v; }
      case "Unknown": for (const c of e.children) this.eval(c, env); return CLEAN;
    }
    return CLEAN;
  }

  /** The constant text a value starts with (walk.ts leadingConst), or a path of this site when it is a link every
   *  project method of its name builds (`f"{book.local_path}?{query}"`: django/sitepaths.ts). */
  private leadingText(e: A.Expr | undefined): string | null {
    const text = leadingConst(e);
    if (text !== null || !e) return text;
    const x = e.kind === "FormattedValue" ? e.value : e;
    const name = x.kind === "Attribute" ? x.attr : x.kind === "Call" && x.func.kind === "Attribute" && !x.args.length ? x.func.attr : null;
    // a name that says what it links to (local_path, docs_url), not one a request or a file has too (request.path, f.url)
    return name && name.includes("_") && !REQUEST_PATH_NAMES.has(name) && sitePathMethodAnywhere(this.eng.project, name, true) ? SITE_PATH : null;
  }

  /**
   * `lead`: the value the result starts with, when it starts with a value rather
   * than text; `afterLead`: the text right after it ("" when nothing follows, null
   * when another value does or it is unknown).
   */
  private formatted(parts: Val[], at: A.Span, note: string, prefix: string | null = null, lead?: Val, afterLead: string | null = null): Val {
    const flat = parts.map(flatten);
    if (flat.every((p) => p.t.length === 0)) return CLEAN;
    // a fixed "https://host/..." or "/path" prefix pins the destination of a URL
    const pinned = prefix !== null && /^(https?:\/\/[^/?#%{]+[/?#]|\/[^/\\%{]|[?#])/.test(prefix);
    // so does a leading URL of this site (request.path, build_absolute_uri()) followed by text that cannot start
    // another host: on the site's root, request.path is "/", and "/" + "/evil.example" is "//evil.example"
    const leadTaints = lead ? flatten(lead).t : [];
    const ownSite = !pinned && afterLead !== null && !/^[/\\]/.test(afterLead) && leadTaints.length > 0 && leadTaints.every((t) => (t.safe & bit("redirect")) !== 0);
    const how = pinned ? (prefix === SITE_PATH ? `${note} after a path of this site` : `${note} after the fixed prefix ${JSON.stringify(prefix!.slice(0, 40))}`) : ownSite ? `${note} after this site's own URL` : note;
    return withStep({ t: unionTaints(...flat.map((p) => p.t)) }, this.step(at, how), { formatted: true, ...(prefix ? { prefixed: true } : {}), ...(pinned || ownSite ? { safe: mask(["redirect", "ssrf"]) } : {}) });
  }

  private elementOf(it: Val, iter: A.Expr): Val {
    if (iter.kind === "Call" && dottedName(iter.func) === "range") return CLEAN;
    if (it.elem) return it.elem;
    if (it.type?.kind === "model") return it;
    if (it.type?.kind === "file") return this.fileContent(iter, it.type.packaged);
    return flatten(it);
  }

  /** What a file opened by path holds: the file's data, not the path's (a request-chosen path is DJANGO-PATH-001's finding).
   *  A file shipped with the code (`packaged`: a template or SQL file next to the module) is as trusted as the code. */
  private fileContent(at: A.Span, packaged = false): Val {
    return packaged ? CLEAN : { t: [{ origin: "call", safe: 0, steps: [this.step(at, "content of a file", "source")] }] };
  }

  /** A path built from the module's own `__file__` (`os.path.join(os.path.dirname(__file__), "x.j2")`), inline or
   *  through the function's or the module's names (`HERE = os.path.dirname(__file__)`). */
  private besideCode(e: A.Expr, depth: number): boolean {
    if (depth > 4) return false;
    let found = false;
    walkExpr(e, (x) => {
      if (found || x.kind !== "Name") return;
      if (x.id === "__file__") { found = true; return; }
      const held = singleAssignments(this.fn, () => singleAssignmentsOf(this.fn)).get(x.id) ?? scopeOf(this.eng.project, this.file).assigns.get(x.id);
      if (held && this.besideCode(held, depth + 1)) found = true;
    });
    return found;
  }

  private evalName(e: A.Name, env: Env): Val {
    return this.nameVal(e.id, e, env);
  }

  private nameVal(id: string, at: A.Span, env: Env): Val {
    const v = env.get(id);
    if (v !== undefined) return v;
    if (this.requestNames.has(id)) return { t: [], type: { kind: "request" } };
    const binder = this.info.outer ? this.eng.closureBinder(this.info, id) : null;
    if (binder) return { t: [{ origin: "param", param: -1, free: id, safe: 0, steps: [this.step(at, `\`${id}\` of the enclosing ${binder.name}()`, "source")] }] };
    return this.globalVal(id, at);
  }

  /**
   * A closure variable of `callee` at a call from this function: its value here
   * when this function is the one binding it or shares it (nested in that one),
   * null when the callee left the scope it was defined in (a returned wrapper).
   */
  private closureArg(callee: FnInfo, id: string, at: A.Span, env: Env): Val | null {
    const binder = this.eng.closureBinder(callee, id);
    if (!binder) return null;
    if (binder === this.fn) return env.get(id) ?? CLEAN;
    if (!functionLocals(this.fn).has(id) && this.info.outer && this.eng.closureBinder(this.info, id) === binder) return this.nameVal(id, at, env);
    return null;
  }

  /** A name not bound in the function (nor around it): module constants and definitions are clean; anything else unknown. */
  private globalVal(id: string, at: A.Span): Val {
    const scope = scopeOf(this.eng.project, this.file);
    if (scope.defs.has(id)) return CLEAN;
    const assigned = scope.assigns.get(id);
    if (assigned) return this.moduleConstVal(assigned, id, at);
    const imp = importOf(scope, id);
    if (imp) {
      if (!imp.name) return CLEAN; // a module
      const target = this.eng.project.pythonByModule.get(imp.module);
      if (!target) return CLEAN; // third-party names: classes, functions, constants
      const ts = scopeOf(this.eng.project, target);
      if (ts.defs.has(imp.name)) return CLEAN;
      const a = ts.assigns.get(imp.name);
      if (a) return this.moduleConstVal(a, id, at);
      return CLEAN;
    }
    if (BUILTINS.has(id)) return CLEAN;
    return { t: [{ origin: "unknown", safe: 0, steps: [this.step(at, `\`${id}\` (not defined in this function)`, "source")] }] };
  }

  private moduleConstVal(value: A.Expr, id: string, at: A.Span): Val {
    if (value.kind === "Constant" || value.kind === "List" || value.kind === "Tuple" || value.kind === "Set" || value.kind === "Dict" || value.kind === "Call" || value.kind === "JoinedStr" || value.kind === "BinOp" || value.kind === "Name" || value.kind === "Attribute") {
      // module-level values are configuration computed at import time, not request data
      return CLEAN;
    }
    return { t: [{ origin: "unknown", safe: 0, steps: [this.step(at, `module-level \`${id}\``, "source")] }] };
  }

  private isRequestRef(e: A.Expr, env: Env): boolean {
    if (e.kind === "Name") {
      const v = env.get(e.id);
      if (v?.type?.kind === "request") return true;
      return v === undefined && this.requestNames.has(e.id);
    }
    if (e.kind === "Attribute" && e.attr === "request" && e.value.kind === "Name" && e.value.id === "self") return true;
    if (e.kind === "Attribute" && e.attr === "_request") return this.isRequestRef(e.value, env);
    return false;
  }

  private evalAttribute(e: A.Attribute, env: Env): Val {
    const d = dottedName(e);
    if (d) {
      const bound = env.get(d);
      if (bound !== undefined) return bound;
    }
    if (this.isUserText(e, env)) return this.userText(e, e.attr);
    // request.<source>
    if (this.isRequestRef(e.value, env)) {
      const src = REQUEST_ATTRS[e.attr];
      if (src && !src.call) {
        return this.requestTaint(e, src.note, false, sourceFlags(src));
      }
      return CLEAN; // request.user, request.method, request.session...
    }
    // self.kwargs / self.args in class-based views
    if (e.value.kind === "Name" && e.value.id === "self" && this.info.cls) {
      const ck = this.info.cls.kind;
      if (ck === "view" && (e.attr === "kwargs" || e.attr === "args")) return this.urlArgsTyped() ? CLEAN : this.requestTaint(e, `URL parameters (self.${e.attr})`, false, { keysFixed: true });
      if (ck === "view" && (e.attr === "object" || e.attr === "object_list")) return { t: [this.storedTaint(e, `self.${e.attr}`)], type: { kind: "model", cls: this.modelOfView(), note: `self.${e.attr}` } };
      if ((ck === "form" || ck === "serializer") && (e.attr === "data" || e.attr === "initial_data")) return this.requestTaint(e, `raw form data (self.${e.attr})`, false, { sensitive: `raw form data (self.${e.attr})` });
    }
    // django.conf.settings.X
    const q = d ? qualifiedName(this.eng.project, this.file, e) : null;
    if (q && q.startsWith("django.conf.settings.")) {
      const name = q.slice("django.conf.settings.".length);
      if (SECRET_SETTINGS.has(name) || name === "__dict__" || name === "_wrapped") return { t: [{ origin: "secret", safe: 0, sensitive: `settings.${name}`, steps: [this.step(e, `settings.${name}`, "source")] }] };
      return CLEAN;
    }
    const base = this.eval(e.value, env);
    const ty = base.type;
    if (ty) {
      switch (ty.kind) {
        case "request": return CLEAN;
        case "form": case "serializer":
          if (e.attr === "cleaned_data" || e.attr === "validated_data") return { t: [], type: { kind: "cleaned", cls: ty.cls, init: ty.init } };
          if (e.attr === "data" || e.attr === "initial_data") return withStep(ty.init, this.step(e, `${e.attr} of ${ty.cls.node.name}`), { weak: false });
          if (e.attr === "instance") return { t: [this.storedTaint(e, `${ty.cls.node.name}.instance`)], type: { kind: "model", cls: this.modelOfForm(ty.cls), note: "instance" } };
          if (e.attr === "errors" || e.attr === "fields") return CLEAN;
          return CLEAN;
        case "cleaned":
          // a form/serializer of unknown class: cleaned_data keeps the (weak) request taint
          if (e.attr === "cleaned_data" || e.attr === "validated_data") return base;
          if (e.attr === "data" || e.attr === "initial_data") return withStep(ty.init, this.step(e, `${e.attr} of the form`));
          return CLEAN;
        case "model": return this.modelField(ty, e.attr, e, base);
      }
    }
    if (base.t.length === 0) return CLEAN;
    if (CLEAN_MODEL_ATTRS.has(e.attr) || /_id$|_count$|^is_|^has_/.test(e.attr)) return CLEAN;
    // an uploaded file's name: Django keeps only its basename (UploadedFile._set_name), so it cannot climb
    // out of a folder; it is still the sender's text everywhere else (a shell command, HTML)
    if (e.attr === "name" && base.t.some((t) => t.upload)) {
      return withStep(flatten(base), this.step(e, "the upload's file name (Django keeps only its basename)"), { safe: bit("path") });
    }
    // the name of what a parameter holds: an upload's basename where a caller passes an upload (applySummary)
    if (e.attr === "name" && base.t.some((t) => t.origin === "param")) return mapTaints(flatten(base), (t) => (t.origin === "param" ? { ...t, uploadName: true } : t));
    return flatten(base);
  }

  private modelField(ty: Extract<TypeInfo, { kind: "model" }>, attr: string, at: A.Span, base: Val): Val {
    if (CLEAN_MODEL_ATTRS.has(attr) || /_id$|_count$|^is_|^has_|^get_.*_display$/.test(attr)) return CLEAN;
    if (ty.cls) {
      const f = this.eng.fieldTypeOf(ty.cls, attr);
      if (f && FIELD_SAFE[f] === "all") return CLEAN;
      if (f && FILE_FIELDS.has(f)) return CLEAN;
      if (f && FIELD_SAFE[f]) return withStep({ t: base.t.length ? base.t : [this.storedTaint(at, `${ty.cls.node.name}.${attr}`)] }, this.step(at, `field \`${attr}\``), { safe: mask(FIELD_SAFE[f] as SinkKind[]) });
      if (f) return withStep({ t: base.t.length ? base.t : [this.storedTaint(at, `${ty.cls.node.name}.${attr}`)] }, this.step(at, `${ty.cls.node.name}.${attr} (${f})`));
      if (mroMethods(this.eng.classInfo(ty.cls.file, ty.cls.node).mro).has(attr)) return CLEAN;
    }
    const t = base.t.length ? base.t : [this.storedTaint(at, `${ty.note}.${attr}`)];
    return withStep({ t }, this.step(at, `field \`${attr}\``));
  }

  /** `request.user.first_name` and the like (also `get_full_name`): the account owner typed it. */
  private isUserText(e: A.Attribute, env: Env): boolean {
    return USER_TEXT_ATTRS.has(e.attr) && e.value.kind === "Attribute" && e.value.attr === "user" && this.isRequestRef(e.value.value, env);
  }

  private userText(at: A.Span, what: string): Val {
    return { t: [this.storedTaint(at, `request.user.${what}, typed by the user at sign-up or in their profile`)] };
  }

  private storedTaint(at: A.Span, note: string): Taint {
    return { origin: "stored", safe: 0, steps: [this.step(at, `database value (${note})`, "source")] };
  }

  /** A form's clean_<field>() that checks a URL's host makes the field safe for redirects/SSRF. */
  private fieldCleanerGuards(cls: ClassRef, key: string): number {
    const m = mroMethods(this.eng.classInfo(cls.file, cls.node).mro).get(`clean_${key}`);
    if (!m) return 0;
    let checksHost = false;
    walkBody(m.fn.body, {
      expr: (e) => {
        if (e.kind === "Call" && /(^|\.)(url_has_allowed_host_and_scheme|is_safe_url|safe_referrer|resolve)$/.test(dottedName(e.func) ?? "")) checksHost = true;
        if (e.kind === "Attribute" && (e.attr === "netloc" || e.attr === "hostname")) checksHost = true;
      },
    });
    return checksHost ? mask(["redirect", "ssrf"]) : 0;
  }

  private modelOfView(): ClassRef | null {
    return classAttrRef(this.eng.project, this.info, "model");
  }

  private modelOfForm(cls: ClassRef): ClassRef | null {
    const meta = cls.node.body.find((s): s is A.ClassDef => s.kind === "ClassDef" && s.name === "Meta");
    const m = meta?.body.find((s): s is A.Assign => s.kind === "Assign" && s.targets.some((t) => t.kind === "Name" && t.id === "model"));
    return m ? classRefOf(this.eng.project, cls.file, m.value) : null;
  }

  private evalSubscript(e: A.Subscript, env: Env): Val {
    const base = this.eval(e.value, env);
    this.eval(e.slice, env);
    const key = constKey(e.slice);
    if (isMeta(e.value) && serverMetaKey(key)) return CLEAN;
    return this.readKey(base, key, e, e.slice.kind === "Slice");
  }

  /** `x[key]` / `x.get(key)`: per-key values, cleaned_data field types, sensitive header names. */
  private readKey(base: Val, key: string | null, at: A.Span, slice = false): Val {
    if (slice) return withStep(flatten(base), this.step(at, "sliced"));
    if (base.type?.kind === "cleaned") return this.cleanedField(base.type, key, at);
    if (base.keys && key !== null && base.keys.has(key)) return base.keys.get(key)!;
    const flat = flatten(base);
    if (!flat.t.length) return CLEAN;
    // one entry of headers/cookies/POST is a credential only when its (constant) name says so
    const keySensitive = key !== null && SENSITIVE_KEY.test(key) ? key : undefined;
    const step = this.step(at, key !== null ? `key ${JSON.stringify(key)} read` : "item read");
    return mapTaints(flat, (t) => {
      const { sensitive, strMap, ...rest } = t;
      const out: Taint = { ...rest, steps: pushStep(t.steps, step) };
      if (sensitive && keySensitive) out.sensitive = keySensitive;
      // inside a summary: where the caller passes a credential-bearing mapping (a parsed request body),
      // one entry of it is a credential only when its name says so (BookWyrm's activity.get("actor"))
      if (t.origin === "param" && key !== null) {
        if (keySensitive) out.sensitive = keySensitive;
        else out.derived = true;
      }
      if (strMap) out.keysFixed = true;
      return out;
    });
  }

  private cleanedField(ty: Extract<TypeInfo, { kind: "cleaned" }>, key: string | null, at: A.Span): Val {
    if (key !== null && ty.cls) {
      const f = this.eng.fieldTypeOf(ty.cls, key);
      if (f && FIELD_SAFE[f] === "all") return CLEAN;
      const safe = f && FIELD_SAFE[f] ? mask(FIELD_SAFE[f] as SinkKind[]) : 0;
      const upload = f !== null && FILE_FIELDS.has(f);
      const cleaner = this.fieldCleanerGuards(ty.cls, key);
      const sensitive = SENSITIVE_KEY.test(key) ? key : undefined;
      const init = flatten(ty.init);
      const step = init.t.length ? this.step(at, `cleaned_data[${JSON.stringify(key)}]${f ? ` (${f})` : ""}${cleaner ? ` (host checked in clean_${key}())` : ""}`) : null;
      return mapTaints(init, (t) => {
        const { sensitive: _s, upload: up, ...rest } = t;
        const o: Taint = { ...rest, weak: true, safe: t.safe | safe | cleaner, steps: pushStep(t.steps, step!) };
        if (sensitive) o.sensitive = sensitive;
        if (up !== undefined && !upload) o.upload = up;
        return o;
      });
    }
    const init = flatten(ty.init);
    const step = init.t.length ? this.step(at, "validated form data") : null;
    const keySensitive = key !== null && SENSITIVE_KEY.test(key) ? key : undefined;
    return mapTaints(init, (t) => {
      const { sensitive: _s, ...rest } = t;
      const o: Taint = { ...rest, weak: true, steps: pushStep(t.steps, step!) };
      if (keySensitive) o.sensitive = keySensitive;
      return o;
    });
  }

  // ------------------------------------------------------------ calls

  private evalCall(c: A.Call, env: Env): Val {
    const project = this.eng.project;
    const func = c.func;
    let recv: Val | null = null;
    if (func.kind === "Attribute") recv = this.eval(func.value, env);
    else if (func.kind !== "Name") this.eval(func, env);
    const args = c.args.map((a) => this.eval(a, env));
    const kws = c.keywords.map((k) => this.eval(k.value, env));
    // a nested function handed over to be called later (transaction.on_commit(run), Thread(target=run))
    // runs with this function's variables: what it does with them is done here
    if (this.info.outer || this.eng.hasNestedDefs(this.fn)) {
      for (const a of c.args) if (a.kind === "Name") this.applyClosure(a, env);
      for (const k of c.keywords) if (k.value.kind === "Name") this.applyClosure(k.value, env);
    }
    const q = func.kind === "Name" || func.kind === "Attribute" ? qualifiedName(project, this.file, func) : null;
    const method = func.kind === "Attribute" ? func.attr : null;

    this.checkSinks(c, q, method, recv, args, kws);
    if (q === FORMAT_HTML) this.checkFormatHtmlUrls(c, args, kws);
    this.checkLog(c, q, method, args, kws);
    this.checkMass(c, q, method, args, kws);
    this.checkUploadSave(c, method, args, kws);

    const argAll = (): Val => join(...args.map(flatten), ...kws.map(flatten));

    // container mutation: out.append(x), parts.extend(xs), d.update(...), s.add(x)
    if (method && MUTATORS.has(method) && func.kind === "Attribute") {
      const target = dottedName(func.value);
      const added = argAll();
      if (target && added.t.length && env.get(target) !== undefined) {
        env.set(target, join(env.get(target)!, withStep(added, this.step(c, `added to \`${target}\``))));
      }
    }

    // request methods that are sources
    if (func.kind === "Attribute" && this.isRequestRef(func.value, env)) {
      const src = REQUEST_ATTRS[method!];
      if (!src?.call) return CLEAN;
      // build_absolute_uri() of this page, a constant or one of this site's paths stays on this site
      const loc = method === "build_absolute_uri" && args[0] ? flatten(args[0]).t : null;
      const ownUrl = method === "build_absolute_uri" && (loc === null || loc.every((t) => (t.safe & bit("redirect")) !== 0));
      return this.requestTaint(c, src.note, false, { ...sourceFlags(src), ...(ownUrl ? { safe: bit("redirect") } : {}) });
    }

    // cursor.execute(sql, params) / .fetchall(): rows from the database, not the parameters
    if (method && FETCH_METHODS.has(method)) return { t: [{ origin: "call", safe: 0, steps: [this.step(c, `rows read by .${method}()`, "source")] }] };

    // map(sql.Identifier, names), map(int, ids): each item goes through the sanitizer
    if (q === "map" && c.args.length >= 2 && c.args[0]!.kind !== "Starred") {
      const fq = qualifiedName(project, this.file, c.args[0]!);
      const s = fq ? SANITIZERS[fq] : undefined;
      if (s === "all") return CLEAN;
      if (s !== undefined) return withStep(join(...args.slice(1).map(flatten)), this.step(c, `each item sanitised by ${fq!.split(".").pop()}()`), { safe: mask(s) });
    }
    // sanitizers, and a sanitiser object's method (`cleaner = bleach.Cleaner(tags=...)`, then `cleaner.clean(html)`)
    const sq = q && SANITIZERS[q] !== undefined ? q : method ? sanitizerMethod(this.receiverMaker(c), method) : null;
    if (sq) {
      const s = SANITIZERS[sq]!;
      if (s === "all") return CLEAN;
      return withStep(argAll(), this.step(c, `sanitised by ${sq.split(".").pop()}()`), { safe: mask(s) });
    }
    // a value verified by the server's own signature (django.core.signing): only what the server signed
    // comes back, so it sends a browser or a request nowhere the server did not choose
    if (q === "django.core.signing.loads" || (method && /^unsign(_object)?$/.test(method) && this.signerReceiver(c))) {
      return withStep(argAll(), this.step(c, "verified by its signature (django.core.signing)"), { safe: mask(["redirect", "ssrf", "path"]) });
    }
    if (q === "open" || q === "io.open" || q === "codecs.open") {
      // a file object: its path was checked as a sink above
      const opened = withStep(argAll(), this.step(c, "opened"), { safe: bit("path") });
      const packaged = c.args[0] !== undefined && !opened.t.some((t) => t.origin === "request" || t.origin === "param") && this.besideCode(c.args[0], 0);
      return { ...opened, type: { kind: "file", ...(packaged ? { packaged } : {}) } };
    }
    if (q && /^(os\.path\.(realpath|abspath|normpath)|posixpath\.(realpath|abspath|normpath))$/.test(q)) {
      return withStep(argAll(), this.step(c, `normalised by ${q}()`), { normalized: true });
    }
    if (method === "resolve" && recv && recv.t.length) return withStep(recv, this.step(c, "normalised by .resolve()"), { normalized: true });
    if (q === "os.path.join" || q === "posixpath.join" || q === "pathlib.Path" || q === "pathlib.PurePath") {
      return withStep(argAll(), this.step(c, `joined into a path by ${q.split(".").slice(-2).join(".")}()`), { normalized: false });
    }
    if (q && (q === "django.shortcuts.get_object_or_404" || q === "django.shortcuts.get_list_or_404")) {
      const cls = c.args[0] ? classRefOf(this.eng.project, this.file, c.args[0]) : null;
      return { t: [this.storedTaint(c, `${q.split(".").pop()}(${cls?.node.name ?? "…"})`)], type: { kind: "model", cls, note: cls?.node.name ?? "row" } };
    }
    // enumerate(x) gives (index, item) pairs: the index is a count, the item is x's
    if (q === "enumerate" && c.args[0] && c.args[0].kind !== "Starred") {
      const items = this.elementOf(args[0]!, c.args[0]);
      return { t: flatten(items).t, elem: { t: [], keys: new Map([["0", CLEAN], ["1", items]]) } };
    }
    if (q === "dict" || q === "list" || q === "tuple" || q === "set" || q === "sorted" || q === "reversed" || q === "str" || q === "repr" || q === "bytes" || q === "enumerate" || q === "zip" || q === "iter" || q === "next" || q === "filter" || q === "map" || q === "min" || q === "max") {
      return argAll();
    }
    // vars(settings) / settings.__dict__: every setting, secrets included
    if ((q === "vars" || q === "dir") && c.args[0] && qualifiedName(project, this.file, c.args[0]) === "django.conf.settings") {
      return { t: [{ origin: "secret", safe: 0, sensitive: "every setting (vars(settings))", steps: [this.step(c, "vars(settings)", "source")] }] };
    }
    if (q === "json.loads" || q === "json.load") return keysFree(withStep(argAll(), this.step(c, "parsed by json.loads()")));
    if (q && PURE.has(q)) return withStep(argAll(), this.step(c, `through ${q}()`));

    // ORM reads: Model.objects.<...>, querysets
    const recvName = func.kind === "Attribute" ? dottedName(func.value) ?? "" : "";
    if (func.kind === "Attribute" && (/\.objects(\.|$)/.test(recvName) || /(^|\.)objects$/.test(recvName))) {
      if (ORM_NOT_ROWS.has(method!)) {
        return method === "create" || method === "get_or_create" ? this.ormVal(c, func) : CLEAN;
      }
      return this.ormVal(c, func);
    }

    // self.get_serializer(data=...) / self.get_form(): the view's serializer_class / form_class bound to request data
    if ((method === "get_serializer" || method === "get_form") && func.kind === "Attribute" && func.value.kind === "Name" && func.value.id === "self" && this.info.cls) {
      const own = mroMethods(this.info.cls.mro).get(method);
      // an override usually passes extra context; the data still binds to serializer_class/form_class
      if (!own || classAttrRef(this.eng.project, this.info, method === "get_serializer" ? "serializer_class" : "form_class")) {
        const cls = classAttrRef(this.eng.project, this.info, method === "get_serializer" ? "serializer_class" : "form_class");
        const di = c.keywords.findIndex((k) => k.arg === "data");
        const init = method === "get_form" ? this.requestTaint(c, "request data bound to the view's form", false) : di >= 0 ? flatten(kws[di]!) : CLEAN;
        if (cls) {
          const kind = this.eng.classInfo(cls.file, cls.node).kind;
          return { t: [], type: { kind: kind === "form" ? "form" : "serializer", cls, init } };
        }
        return { t: [], type: { kind: "cleaned", cls: null, init } };
      }
    }

    // project functions and classes
    const target = this.resolveCallee(c, q, env);
    const filtered = this.filterSetRows(c, target, args, kws);
    if (filtered) return filtered;
    if (target) {
      if (target.node.kind === "FunctionDef") return this.applySummary(c, target.node, target.bound, recv, args, kws, env);
      const cls = this.eng.classInfo(target.file, target.node);
      const init = argAll();
      if (cls.kind === "form" || cls.kind === "serializer") {
        const data = c.args[cls.kind === "serializer" ? 1 : 0] ? args[cls.kind === "serializer" ? 1 : 0]! : kws[c.keywords.findIndex((k) => k.arg === "data")] ?? CLEAN;
        return { t: [], type: { kind: cls.kind, cls, init: flatten(data) } };
      }
      if (cls.kind === "model") return { t: [], type: { kind: "model", cls, note: cls.node.name } };
      return init;
    }

    // a cache shared between users is data that crosses a trust boundary
    if (q && /^django\.core\.cache\.(cache|caches)\b/.test(q)) return { t: [{ origin: "call", shared: true, safe: 0, steps: [this.step(c, `value read from the shared cache (${q.split(".").slice(-2).join(".")}())`, "source")] }] };

    // template output is escaped by the engine (a template built from user data is DJANGO-TEMPLATE-001's finding)
    if (method === "render" || q === "django.template.loader.render_to_string" || q === "django.shortcuts.render") {
      return withStep(join(recv ? flatten(recv) : CLEAN, argAll()), this.step(c, "rendered by a template (autoescaped)"), { safe: mask(["xss", "template"]) });
    }

    if (func.kind === "Attribute" && this.isUserText(func, env)) return this.userText(c, `${func.attr}()`);
    // a method of a model's metadata (Model._meta.get_fields(), get_field()...) hands out what the code declared
    if (func.kind === "Attribute" && readsModelMeta(func)) return CLEAN;

    // Paginator(rows, per_page) holds the rows, and a page of it some of them: the page number and size
    // the request asks for only choose which (DefectDojo's get_page_items(request, events, 25))
    if (q === "django.core.paginator.Paginator") return args[0] ?? kws[c.keywords.findIndex((k) => k.arg === "object_list")] ?? CLEAN;
    if (recv && (method === "get_page" || (method === "page" && this.builtByPaginator(c)))) return recv;

    // methods on values we track
    if (method && recv) {
      if (recv.type?.kind === "cleaned" && (method === "get" || method === "pop")) return this.readKey(recv, constKey(c.args[0]), c);
      if (recv.type?.kind === "form" || recv.type?.kind === "serializer") {
        if (method === "save") return { t: [this.storedTaint(c, `${recv.type.cls.node.name}.save()`)], type: { kind: "model", cls: this.modelOfForm(recv.type.cls), note: "saved row" } };
        return CLEAN;
      }
      if (method === "get_object" || method === "get_queryset") {
        if (func.kind === "Attribute" && func.value.kind === "Name" && func.value.id === "self" && this.info.cls) {
          const m = mroMethods(this.info.cls.mro).get(method);
          if (m && this.eng.fnOf(m.fn)) return this.applySummary(c, m.fn, true, recv, args, kws, env);
          return { t: [this.storedTaint(c, `self.${method}()`)], type: { kind: "model", cls: this.modelOfView(), note: "object" } };
        }
      }
      if (recv.type?.kind === "file" && FILE_READS.has(method)) return this.fileContent(c, recv.type.packaged);
      if (recv.type?.kind === "model") {
        if (method === "save" || method === "delete" || method === "full_clean" || method === "refresh_from_db") return CLEAN;
        if (cleanMethodCall(method, c.args)) return CLEAN;
        return recv.t.length ? { t: recv.t, type: recv.type } : this.ormVal(c, func as A.Attribute);
      }
      if (cleanMethodCall(method, c.args)) return CLEAN;
      if (method === "urlencode" && recv.t.length) return withStep(flatten(recv), this.step(c, "percent-encoded by .urlencode()"), { safe: mask(["sql", "cmd", "path", "xss", "code", "template"]) });
      if (method === "get" || method === "getlist" || method === "pop" || method === "__getitem__") {
        const key = constKey(c.args[0]);
        if (isMeta((func as A.Attribute).value) && serverMetaKey(key)) return flatten(args[1] ?? CLEAN);
        const v = this.readKey(recv, key, c);
        const dflt = args[1] ?? CLEAN;
        return join(v, flatten(dflt));
      }
      // d.items() of a dict with constant keys, or filled under keys the code chose: each pair's key is one of
      // those (only loose taints whose keys the request chose can choose keys)
      if (method === "items" && (recv.keys?.size || recv.t.some((t) => t.keysFixed))) {
        const values = flatten(recv);
        return { t: values.t, elem: { t: [], keys: new Map([["0", { t: recv.t.filter((t) => !t.keysFixed) }], ["1", values]]) } };
      }
      if (method === "dict" || method === "copy" || method === "items" || method === "values" || method === "lists") return recv.t.length || recv.keys ? withStep(flatten(recv), null) : CLEAN;
      if (method === "format" || method === "join") {
        const sep = c.func.kind === "Attribute" ? constString(c.func.value) : null;
        // "?".join([url, query]): whatever follows the first item is query or fragment and cannot change
        // the destination; the first item keeps its own taints (in a helper it is the caller's argument)
        const items = method === "join" && sep !== null && ["?", "&", "#"].includes(sep) ? args[0] : undefined;
        const first = items?.keys?.get("0");
        if (first) {
          const rest: Val = { t: [...items!.t, ...[...items!.keys!].flatMap(([k, v]) => (k === "0" ? [] : flatten(v).t))] };
          const after = withStep(rest, null, { safe: mask(["redirect", "ssrf"]) });
          return this.formatted([recv, first, after], c, "joined with str.join()");
        }
        const parts = [recv, ...args, ...kws];
        const fmt = method === "format" && c.func.kind === "Attribute" ? constString(c.func.value) : null;
        const field = fmt !== null ? /^\{0?\}/.exec(fmt) : null;
        const lead = field ? args[0] : undefined;
        return this.formatted(parts, c, method === "join" ? "joined with str.join()" : "formatted with str.format()", method === "format" && c.func.kind === "Attribute" ? leadingConst(c.func.value) : null, lead, field ? textAfterField(fmt!.slice(field[0].length), "{") : null);
      }
      // a query builder keeps what its receiver was (rows of some origin): its lookup values select rows, they are not in them
      if (recv.t.length && QUERY_METHODS.has(method)) return { t: flatten(recv).t };
      if (recv.t.length && PASS_METHODS.has(method)) return join(flatten(recv), argAll());
      if (recv.t.length) return join(flatten(recv), dropSensitive(argAll()));
    }

    // unresolved call: its own result, plus whatever the arguments carry
    const parses = MAPPING_PARSER.test(q ?? method ?? "");
    if (q && /^(django\.|rest_framework\.)/.test(q) && !/loads|load$/.test(q) && !q.startsWith("django.core.cache.")) return parses ? keysFree(argAll()) : argAll();
    const result: Val = { t: [{ origin: "call", safe: 0, steps: [this.step(c, `result of ${q ?? method ?? "a call"}()`, "source")] }] };
    // a value computed from headers by code we cannot see (a client IP, a parsed date) is not the headers themselves;
    // keyword arguments are usually options (request=..., user=...), positional ones the data being transformed,
    // and so is a file object passed by keyword (tarfile.open(fileobj=upload), gzip.GzipFile(fileobj=...))
    const fileKw = c.keywords.flatMap((k, i) => (k.arg !== null && FILE_KEYWORDS.has(k.arg) ? [flatten(kws[i]!)] : []));
    const carried = dropSensitive(join(...args.map(flatten), ...fileKw));
    return join(result, parses ? keysFree(carried) : carried);
  }

  /**
   * django-filter's `SomeFilter(request.GET, queryset=rows)` (or the rows second,
   * FilterSet(data, queryset)): the request's data only picks which of the rows it
   * keeps, so the object (and its `.qs`) holds those rows, not request data. Known
   * by a FilterSet base, or, for a class we cannot resolve (`filter_class = A if x
   * else B`), by django-filter's signature: request data first.
   */
  private filterSetRows(c: A.Call, target: Callee | null, args: Val[], kws: Val[]): Val | null {
    const qi = c.keywords.findIndex((k) => k.arg === "queryset");
    const rows = qi >= 0 ? kws[qi] : c.args[1] && c.args[1].kind !== "Starred" && c.args[0]?.kind !== "Starred" ? args[1] : undefined;
    if (!rows) return null;
    if (target) {
      if (target.node.kind !== "ClassDef") return null;
      const mro = this.eng.classInfo(target.file, target.node).mro;
      if (!mro.some((m) => /(^|\.)FilterSet$/.test(m.qualname))) return null;
    } else {
      const first = c.args[0] ?? c.keywords.find((k) => k.arg === "data")?.value;
      if (!first || !/(^|\.)request\.(GET|POST|data|query_params)$/.test(dottedName(first) ?? "")) return null;
    }
    return rows;
  }

  private ormVal(c: A.Call, func: A.Attribute): Val {
    const chain = dottedName(func.value) ?? "";
    const modelName = chain.split(".objects")[0]!;
    let cls: ClassRef | null = null;
    if (modelName) {
      const head = modelName.split(".");
      const expr = head.reduce<A.Expr | null>((acc, part) => (acc ? new A.Attribute(acc, part, c.line, c.col, c.endLine, c.endCol) : new A.Name(part, c.line, c.col, c.endLine, c.endCol)), null);
      if (expr) cls = classRefOf(this.eng.project, this.file, expr);
    }
    return { t: [this.storedTaint(c, `${chain}.${func.attr}()`)], type: { kind: "model", cls, note: cls?.node.name ?? "row" } };
  }

  private resolveCallee(c: A.Call, q: string | null, env: Env): Callee | null {
    const func = c.func;
    // self.x = ... earlier in this function: the call goes to whatever was stored there
    if (func.kind === "Attribute" && func.value.kind === "Name" && (func.value.id === "self" || func.value.id === "cls") && env.get(`${func.value.id}.${func.attr}`) !== undefined) return null;
    return this.eng.calleeOf(this.info, c, q);
  }

  /** What made a method call's receiver: the constructor written in place (`Paginator(...).page(n)`) or the one a variable was bound to. */
  private receiverMaker(c: A.Call): string | null {
    if (c.func.kind !== "Attribute") return null;
    const recv = c.func.value;
    return recv.kind === "Call" ? qualifiedName(this.eng.project, this.file, recv.func) : receiverBuiltBy(this.eng.project, this.file, this.fn, c)?.replace(/\(\)$/, "") ?? null;
  }

  /** `Paginator(...).page(n)`, or a local variable the function made with a Paginator. */
  private builtByPaginator(c: A.Call): boolean {
    return this.receiverMaker(c) === "django.core.paginator.Paginator";
  }

  /** `signing.Signer(...).unsign(x)`, or a variable made with a Signer/TimestampSigner or by a project factory returning one. */
  private signerReceiver(c: A.Call): boolean {
    const made = this.receiverMaker(c);
    if (!made) return false;
    if (SIGNER.test(made)) return true;
    // `signer = _get_signer()`, a project function that returns `TimestampSigner(salt=...)` (Baserow)
    const d = resolveDefinition(this.eng.project, made);
    if (d?.node.kind !== "FunctionDef") return false;
    const returns = returnsOf(d.node);
    return returns.length > 0 && returns.every((r) => r.value!.kind === "Call" && SIGNER.test(qualifiedName(this.eng.project, d.file, r.value!.func) ?? ""));
  }

  /** `callback` names a function defined around here: its closure's sinks, with the values in sight here. */
  private applyClosure(callback: A.Name, env: Env): void {
    const bound = env.get(callback.id);
    if (bound !== undefined && bound !== CLEAN) return; // rebound since its def
    const def = this.eng.nestedDef(this.info, callback.id);
    if (!def || def === this.fn) return;
    this.eng.closuresApplied.add(def);
    this.applySummary(callback, def, false, null, [], [], env, true);
  }

  /**
   * The callee's summary at a call: its parameter sinks and return value with
   * this call's arguments in place of its parameters, and this function's
   * variables in place of its closure's. `closureOnly`: a function handed over
   * as a callback (applyClosure), whose parameters someone else fills later.
   */
  private applySummary(call: A.Call | A.Name, node: A.FunctionDef, bound: boolean, recv: Val | null, args: Val[], kws: Val[], env: Env, closureOnly = false): Val {
    const c: A.Span = call;
    // a function calling itself is not called by anyone for that (fallbackUnknown)
    if (node !== this.fn && !closureOnly) this.eng.callers.set(node, (this.eng.callers.get(node) ?? 0) + 1);
    if (!closureOnly) this.eng.called.add(node);
    const s = this.eng.summary(node);
    const callee = this.eng.fnOf(node);
    const name = callee?.symbol ?? node.name;
    const params = node.params;
    const offset = bound ? 1 : 0;
    const argFor = (i: number): Val => {
      const c = call as A.Call; // (a callback's parameters are never asked for: closureOnly)
      if (bound && i === 0) return recv ?? CLEAN;
      const p = params[i];
      if (!p) return CLEAN;
      if (p.star === "*") return join(...args.slice(i - offset).map(flatten));
      if (p.star === "**") {
        const named = new Set(params.map((x) => x.name));
        const keys = new Map<string, Val>();
        const loose: Val[] = [];
        c.keywords.forEach((k, j) => { if (k.arg && !named.has(k.arg)) keys.set(k.arg, kws[j]!); else if (!k.arg) loose.push(kws[j]!); });
        return { t: unionTaints(...loose.map((l) => flatten(l).t)), keys };
      }
      const pos = i - offset;
      const firstStar = c.args.findIndex((a) => a.kind === "Starred");
      if (pos >= 0 && pos < c.args.length && (firstStar === -1 || pos < firstStar) && !p.keywordOnly) return args[pos]!;
      const kwi = c.keywords.findIndex((k) => k.arg === p.name);
      if (kwi >= 0) return kws[kwi]!;
      if (firstStar !== -1 && pos >= firstStar) return flatten(args[firstStar]!);
      const dbl = c.keywords.findIndex((k) => k.arg === null);
      if (dbl >= 0) return flatten(kws[dbl]!);
      return CLEAN;
    };
    // Each parameter's argument, flattened, and its call step are computed once per call, not once per taint.
    const flatArgs: (Val | undefined)[] = [];
    const flatArg = (i: number): Val => {
      let fl = flatArgs[i];
      if (fl === undefined) {
        const a = argFor(i);
        flatArgs[i] = fl = a.type?.kind === "request" ? CLEAN : flatten(a);
      }
      return fl;
    };
    const callSteps: (TraceStep | undefined)[] = [];
    // the same for the closure variables the callee reads
    let freeArgs: Map<string, { flat: Val; call: TraceStep } | null> | undefined;
    const freeArg = (id: string) => {
      let a = (freeArgs ??= new Map()).get(id);
      if (a === undefined) {
        const v = callee ? this.closureArg(callee, id, c, env) : null;
        a = v && { flat: v.type?.kind === "request" ? CLEAN : flatten(v), call: this.step(c, `\`${id}\` read by ${name}()`) };
        freeArgs.set(id, a);
      }
      return a;
    };
    // a key or name the callee took from, or checked against, one of its parameters (keysBy, pinnedBy): decided by
    // what the caller passes there, the code's own constants or the request's data
    const byArgs = (t: Taint, x: Taint): Taint => {
      if (t.keysBy === undefined && t.pinnedBy === undefined) return x;
      const { keysBy: _k, pinnedBy: _p, ...rest } = x;
      const r: Taint = rest;
      if (t.pinnedBy !== undefined && codeChosen(flatArg(t.pinnedBy))) r.prefixed = true;
      if (t.keysBy !== undefined) {
        const args = t.keysBy.map(flatArg);
        if (args.some(codeChosen)) r.keysFixed = true;
        else if (args.every((a) => a.t.some((o) => o.origin === "request" && !o.prefixed))) r.keysFixed = false;
      }
      return r;
    };
    const substitute = (t: Taint, tail: TraceStep | null, f: (combined: Taint) => void) => {
      if (t.origin !== "param") { f(byArgs(t, tail ? { ...t, steps: pushStep(t.steps, tail) } : t)); return; }
      if (closureOnly && t.free === undefined) return;
      let flat: Val;
      let call: TraceStep;
      if (t.free !== undefined) {
        const a = freeArg(t.free);
        if (!a) {
          // called where its closure is not in sight: a value of unknown origin, as a global would be
          const { param: _p, free: _f, ...rest } = t;
          f({ ...rest, origin: "unknown", steps: tail ? pushStep(t.steps, tail) : t.steps });
          return;
        }
        ({ flat, call } = a);
        if (!flat.t.length) return;
      } else {
        const i = t.param!;
        flat = flatArg(i);
        if (!flat.t.length) return;
        call = (callSteps[i] ??= this.step(c, `passed to ${name}() as \`${params[i]?.name ?? i}\``));
      }
      for (const outer of flat.t) {
        const steps = appendSteps(outer.steps, call, t.steps, tail);
        const keysFixed = t.keysFixed ?? outer.keysFixed;
        // what the callee computed from a credential with code we cannot see into is not the credential
        const { sensitive, ...rest } = outer;
        const base = t.derived && sensitive ? rest : t.sensitive && sensitive ? { ...rest, sensitive: t.sensitive } : outer;
        f(byArgs(t, { ...base, safe: outer.safe | t.safe | (t.uploadName && outer.upload ? bit("path") : 0), formatted: !!(outer.formatted || t.formatted), normalized: t.normalized ?? outer.normalized, steps, ...(t.weak ? { weak: true } : {}), ...(keysFixed !== undefined ? { keysFixed } : {}) }));
      }
    };
    // sinks inside the callee reached through its parameters
    for (const ps of s.paramSinks) {
      // `_call_binary(command)` running `subprocess.Popen(command)`: the caller's list decides by its first item
      const whole = ps.argv0 && ps.taint.param !== undefined ? argFor(ps.taint.param) : null;
      if (whole?.keys) {
        const exe = whole.keys.get("0") ?? CLEAN;
        for (const t of exe.t) this.recordSink({ ...t, steps: appendSteps(t.steps, this.step(c, `passed to ${name}() as its command's executable`), ps.taint.steps, null) }, ps.kind, ps.site, ps.spec, ps.detail);
        continue;
      }
      substitute(ps.taint, null, (combined) => this.recordSink(combined, ps.kind, ps.site, ps.spec, ps.detail, ps.argv0 === true && whole !== null));
    }
    if (closureOnly) return CLEAN;
    // what the call returns
    const out: Taint[] = [];
    const retStep = s.ret.t.length || s.ret.keys ? this.step(c, `returned from ${name}()`) : null;
    for (const t of s.ret.t) substitute(t, retStep, (combined) => out.push(combined));
    const res: Val = { t: unionTaints(out) };
    if (s.ret.type) {
      const ty = s.ret.type;
      if (ty.kind === "cleaned" || ty.kind === "form" || ty.kind === "serializer") {
        res.type = { ...ty, init: { t: unionTaints(...ty.init.t.map((t) => { const acc: Taint[] = []; substitute(t, null, (x) => acc.push(x)); return acc; })) } } as TypeInfo;
      } else res.type = ty;
    }
    if (s.ret.keys) {
      const keys = new Map<string, Val>();
      for (const [k, v] of s.ret.keys) {
        const acc: Taint[] = [];
        for (const t of v.t) substitute(t, retStep, (x) => acc.push(x));
        keys.set(k, { t: unionTaints(acc), ...(v.type ? { type: v.type } : {}) });
      }
      res.keys = keys;
    }
    return res;
  }

  // ------------------------------------------------------------ sinks

  private site(at: A.Span, label: string): SinkSite {
    return { path: this.file.path, span: { line: at.line, col: at.col, endLine: at.endLine, endCol: at.endCol }, label, fn: this.info };
  }

  /** A taint reached a sink: a finding now, or a parameter sink in this summary. */
  private recordSink(t: Taint, kind: ParamSink["kind"], site: SinkSite, spec?: SinkSpec, detail?: string, argv0 = false): void {
    if (t.origin === "param") {
      this.paramSinks.push({ taint: t, kind, site, ...(spec ? { spec } : {}), ...(detail ? { detail } : {}), ...(argv0 ? { argv0: true as const } : {}) });
      return;
    }
    this.eng.deliver(t, kind, site, spec, detail);
  }

  /** `argv0`: `v` is a command's argument list that arrived whole as a parameter (its items are unknown here). */
  private sinkCheck(v: Val, spec: SinkSpec, at: A.Span, detail?: string, argv0 = false): void {
    const site = this.site(at, spec.label);
    for (const t of flatten(v).t) this.recordSink({ ...t, steps: pushStep(t.steps, { ...this.step(at, `reaches ${spec.label}`), kind: "sink" }) }, spec.kind, site, spec, detail, argv0 && t.origin === "param" && t.steps.length <= 1);
  }

  private checkSinks(c: A.Call, q: string | null, method: string | null, recv: Val | null, args: Val[], kws: Val[]): void {
    for (const { spec, arg: argExpr, index, keyword, key } of callSinks(c, q, method, () => receiverBuiltBy(this.eng.project, this.file, this.fn, c))) {
      let v = index < 0 ? recv : keyword ? kws[index] : args[index];
      if (v && key !== undefined) v = v.keys?.get(key) ?? null;
      if (!v) continue;
      if (spec.when === "notShell") {
        // ["sh", "-c", command] / ["python3", "-c", code]: the shell or interpreter runs the item after the flag
        // (the items after it are its positional arguments, the safe way to pass it data)
        const inline = inlineCommand(argExpr);
        const command = inline ? v.keys?.get("2") : undefined;
        if (inline && command) this.sinkCheck(command, { ...spec, accept: "any", label: `${inline} in ${spec.label.replace(/ executable$/, "")}` }, c);
        // list form: otherwise only the executable (first element) matters
        if (v.keys && (argExpr.kind === "List" || argExpr.kind === "Tuple")) v = v.keys.get("0") ?? CLEAN;
        else if (v.keys?.has("0")) v = v.keys.get("0")!;
        // a parameter handed over as the whole list: its caller's list decides (applySummary)
        else if (!v.keys && argExpr.kind === "Name" && !inline) {
          this.sinkCheck(v, spec, c, undefined, true);
          continue;
        }
      }
      if (spec.kind === "cmd" && spec.when === "shell" && v.keys?.size) v = flatten(v);
      if (spec.kind === "template" && spec.method === "from_string" && this.sandboxed()) continue;
      if (spec.when === "formatMisuse" && !(argExpr.kind === "JoinedStr" || argExpr.kind === "BinOp" || (argExpr.kind === "Call" && argExpr.func.kind === "Attribute" && argExpr.func.attr === "format") || v.t.some((t) => t.formatted))) continue;
      this.sinkCheck(v, spec, c);
    }
  }

  /**
   * format_html('<a href="{}">', url) escapes `url` for HTML, but a javascript: URL
   * needs no markup: request data that starts a URL attribute's value is XSS unless
   * a host check (url_has_allowed_host_and_scheme, which refuses other schemes) passed it.
   */
  private checkFormatHtmlUrls(c: A.Call, args: Val[], kws: Val[]): void {
    const fmt = constString(c.args[0]);
    if (fmt === null) return;
    for (const field of urlAttributeFields(fmt)) {
      const i = typeof field === "number" ? field + 1 : -1;
      const k = typeof field === "string" ? c.keywords.findIndex((kw) => kw.arg === field) : -1;
      const v = i > 0 ? (c.args[i] && c.args[i]!.kind !== "Starred" ? args[i] : undefined) : k >= 0 ? kws[k] : undefined;
      if (!v) continue;
      const unchecked = mapTaints(flatten(v), (t) => ((t.safe & bit("redirect")) !== 0 ? null : t));
      this.sinkCheck(unchecked, { kind: "xss", arg: 0, accept: "request", label: FORMAT_HTML_URL }, c, "format_html() escapes markup, but a javascript: URL needs none");
    }
  }

  /**
   * The module works with Jinja2's sandbox (imports from jinja2.sandbox: SandboxedEnvironment, or the
   * SecurityError it raises, as paperless-ngx does around an environment another module makes):
   * from_string() there is the sandbox's. An environment a function makes itself is judged by
   * its constructor (the from_string sink's exceptBuiltBy).
   */
  private sandboxed(): boolean {
    for (const imp of scopeOf(this.eng.project, this.file).imports.values()) if (imp.module.startsWith("jinja2.sandbox")) return true;
    return false;
  }

  private checkLog(c: A.Call, q: string | null, method: string | null, args: Val[], kws: Val[]): void {
    if (!isLogCall(c, q, method)) return;
    // label and site only once something tainted is logged (most log calls log constants)
    let label: string | null = null;
    let site: SinkSite | null = null;
    const check = (v: Val, e: A.Expr) => {
      const taints = flatten(v).t;
      if (!taints.length) return;
      label ??= q === "print" ? "print()" : `${exprText(c.func)}()`;
      site ??= this.site(c, label);
      const named = sensitiveName(e);
      for (const t of taints) {
        const tt: Taint = named && !t.sensitive ? { ...t, sensitive: named } : t;
        this.recordSink({ ...tt, steps: pushStep(tt.steps, { ...this.step(c, `written to ${label}`), kind: "sink" }) }, "log", site);
      }
    };
    c.args.forEach((a, i) => check(args[i]!, a));
    c.keywords.forEach((k, i) => { if (k.arg !== "exc_info" && k.arg !== "stack_info") check(kws[i]!, k.value); });
  }

  private checkMass(c: A.Call, q: string | null, method: string | null, args: Val[], kws: Val[]): void {
    // Only `**kwargs` and `defaults=` matter below: the callee is looked at only when one is passed.
    const unpacks = c.keywords.some((k) => k.arg === null || k.arg === "defaults");
    const writes = unpacks && method !== null && MASS_WRITES.has(method)
      && c.func.kind === "Attribute" && /objects|_set\b|\.filter\(|\.all\(|\.exclude\(|queryset/i.test(exprText(c.func.value));
    const ctor = unpacks && !writes && q !== null && (() => { try { const d = resolveDefinition(this.eng.project, q); return d?.node.kind === "ClassDef" && this.eng.classInfo(d.file, d.node).kind === "model"; } catch { return false; } })();
    if (writes || ctor) {
      c.keywords.forEach((k, i) => {
        if (k.arg !== null && k.arg !== "defaults") return;
        const site = this.site(c, `${exprText(c.func)}(**…)`);
        // a dict literal's constant keys are the code's choice, whatever its values hold: only its loose taints (`**` inside it, computed keys) choose fields
        const v = kws[i]!;
        for (const t of v.keys ? v.t : flatten(v).t) this.recordSink({ ...t, steps: pushStep(t.steps, { ...this.step(c, `unpacked into ${exprText(c.func)}()`), kind: "sink" }) }, "mass", site, undefined, "every field of the model can be set from the request");
      });
    }
    if (attributeDictUpdate(c)) {
      const site = this.site(c, `${exprText(c.func)}()`);
      // a dict literal's constant keys are the code's choice: only its loose taints choose attributes
      const v = args[0]!;
      for (const t of v.keys ? v.t : flatten(v).t) this.recordSink({ ...t, steps: pushStep(t.steps, { ...this.step(c, `written into ${exprText((c.func as A.Attribute).value)}`), kind: "sink" }) }, "mass", site, undefined, "every attribute of the object, model fields included, can be set from the request");
    }
    if (q === "setattr" && c.args.length >= 3 && !leadingConst(c.args[1])) {
      const site = this.site(c, "setattr()");
      for (const t of flatten(args[1]!).t) this.recordSink({ ...t, steps: pushStep(t.steps, { ...this.step(c, "used as the attribute name in setattr()"), kind: "sink" }) }, "mass", site, undefined, "the attribute name comes from the request, so any field can be overwritten");
    }
  }

  // ------------------------------------------------------------ uploads

  private scanUploadChecks(): { size: boolean; content: boolean; extension: boolean } {
    const checks = { size: false, content: false, extension: false };
    walkBody(this.fn.body, {
      expr: (e) => {
        if (e.kind === "Attribute") {
          if (e.attr === "size" || e.attr === "_size") checks.size = true;
          if (e.attr === "content_type") checks.content = true;
        }
        if (e.kind === "Call") {
          const n = dottedName(e.func) ?? "";
          if (/(^|\.)(verify|what|from_buffer|from_file|guess|validate_image_file_extension|full_clean|is_valid|validate_[a-z_]+|open)$/.test(n) && /Image|imghdr|magic|filetype|validat|full_clean|is_valid|puremagic/.test(n)) checks.content = true;
          if (/(^|\.)(is_valid|full_clean)$/.test(n)) { checks.size = true; checks.content = true; }
          if (e.func.kind === "Attribute" && (e.func.attr === "endswith" || e.func.attr === "splitext" || e.func.attr === "lower") && /name/.test(exprText(e.func.value) + exprText(e))) checks.extension = true;
          if (/splitext$/.test(n)) checks.extension = true;
        }
      },
    });
    return checks;
  }

  private uploadVerdict(): string | null {
    const checks = (this.uploadChecks ??= this.scanUploadChecks());
    if (checks.size && checks.content) return null;
    if (checks.extension) return "only the file name's extension is checked, not the content or size";
    return "neither its size nor its type is validated";
  }

  private checkUploadSave(c: A.Call, method: string | null, args: Val[], kws: Val[]): void {
    const vals = uploadWriteArgs(c, method).map(({ index, keyword }) => (keyword ? kws[index]! : args[index]!));
    if (!vals.length) return;
    const verdict = this.uploadVerdict();
    if (verdict === null) return;
    const site = this.site(c, `${exprText(c.func)}()`);
    for (const v of vals) for (const t of flatten(v).t) {
      if (!t.upload && t.origin !== "param") continue;
      this.recordSink({ ...t, steps: pushStep(t.steps, { ...this.step(c, `saved by ${exprText(c.func)}()`), kind: "sink" }) }, "upload", site, undefined, verdict);
    }
  }

  private checkUploadAssign(target: A.Attribute, v: Val, at: A.Span): void {
    if (!v.t.length && !v.keys) return;
    // a form, view or service keeping the upload on itself (`self.file = request.FILES`) stores nothing yet; a model's field does
    if (target.value.kind === "Name" && target.value.id === "self" && this.info.cls?.kind !== "model") return;
    const uploads = flatten(v).t.filter((t) => t.upload);
    if (!uploads.length) return;
    const verdict = this.uploadVerdict();
    if (verdict === null) return;
    const site = this.site(at, `${exprText(target)} =`);
    for (const t of uploads) this.recordSink({ ...t, steps: pushStep(t.steps, { ...this.step(at, `stored in ${exprText(target)}`), kind: "sink" }) }, "upload", site, undefined, verdict);
  }
}

// ---------------------------------------------------------------------------

const BUILTINS = new Set([
  "True", "False", "None", "print", "len", "str", "int", "float", "dict", "list", "tuple", "set", "range", "open", "isinstance", "super", "object",
  "Exception", "ValueError", "TypeError", "KeyError", "getattr", "setattr", "hasattr", "sorted", "min", "max", "sum", "any", "all", "enumerate", "zip",
  "map", "filter", "bool", "bytes", "repr", "type", "id", "iter", "next", "abs", "round", "format", "vars", "locals", "globals", "__name__", "__file__",
  "eval", "exec", "compile", "__import__", "staticmethod", "classmethod", "property", "NotImplementedError", "PermissionError", "FileNotFoundError",
  "OSError", "IOError", "RuntimeError", "StopIteration", "frozenset", "callable", "reversed", "chr", "ord", "hex", "divmod", "pow", "hash", "self", "cls",
]);

/** The second operand of a chain of `+` (`b` in `a + b + c`, which parses as `(a + b) + c`). */
function secondOperand(e: A.BinOp): A.Expr {
  let cur = e;
  while (cur.left.kind === "BinOp" && cur.left.op === "+") cur = cur.left;
  return cur.right;
}

/** The literal text after a format field, up to the next field (`open`: "%" or "{"); null when a field follows at once. */
function textAfterField(rest: string, open: string): string | null {
  const i = rest.indexOf(open);
  if (i === 0) return null;
  return i < 0 ? rest : rest.slice(0, i);
}

function constKey(e: A.Expr | undefined): string | null {
  if (!e) return null;
  if (e.kind === "Constant" && (e.type === "str" || e.type === "int")) return String(e.value);
  return null;
}


function sensitiveName(e: A.Expr): string | undefined {
  let found: string | undefined;
  const visit = (x: A.Expr) => {
    if (found) return;
    if (x.kind === "Name" && SENSITIVE_NAME.test(x.id)) found = `\`${x.id}\``;
    else if (x.kind === "Attribute" && SENSITIVE_NAME.test(x.attr)) found = `\`${exprText(x)}\``;
    else if (x.kind === "Subscript") {
      const k = constKey(x.slice);
      if (k && SENSITIVE_NAME.test(k)) found = `\`${k}\``;
    } else if (x.kind === "JoinedStr") x.values.forEach(visit);
    else if (x.kind === "FormattedValue") visit(x.value);
  };
  visit(e);
  return found;
}

/** The declared type name of a field on a form/serializer/model class (along project bases, then Meta.model). */
export function fieldType(eng: DataflowEngine, cls: ClassRef, name: string, depth = 0): string | null {
  if (depth > 6) return null;
  for (const s of cls.node.body) {
    if (s.kind === "Assign" && s.targets.some((t) => t.kind === "Name" && t.id === name) && s.value.kind === "Call") {
      return (dottedName(s.value.func) ?? "").split(".").pop() ?? null;
    }
    if (s.kind === "AnnAssign" && s.target.kind === "Name" && s.target.id === name && s.value?.kind === "Call") {
      return (dottedName(s.value.func) ?? "").split(".").pop() ?? null;
    }
  }
  const info = eng.classInfo(cls.file, cls.node);
  for (const m of info.mro.slice(1)) {
    if (!m.def) continue;
    const f = fieldType(eng, { file: m.def.file, node: m.def.node }, name, depth + 1);
    if (f) return f;
  }
  const meta = cls.node.body.find((s): s is A.ClassDef => s.kind === "ClassDef" && s.name === "Meta");
  const model = meta?.body.find((s): s is A.Assign => s.kind === "Assign" && s.targets.some((t) => t.kind === "Name" && t.id === "model"));
  if (model) {
    const q = qualifiedName(eng.project, cls.file, model.value);
    const d = q ? resolveDefinition(eng.project, q) : null;
    if (d && d.node.kind === "ClassDef" && d.node !== cls.node) return fieldType(eng, { file: d.file, node: d.node }, name, depth + 1);
  }
  return null;
}

export const dataflowAnalysis = defineAnalysis("dataflow", (project: Project) => {
  const eng = new DataflowEngine(project);
  eng.run();
  return eng;
});

/** The engine, computed once per project. */
export function dataflow(project: Project): DataflowEngine {
  return project.use(dataflowAnalysis);
}
