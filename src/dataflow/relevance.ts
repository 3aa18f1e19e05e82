// Which functions the data-flow engine must analyse from the top level.
//
// Most functions of a project can produce no flow: nothing in them reaches a
// sink, directly or through a project function they call. On NetBox ~96% of the
// top-level analyses found no flow and cost ~88% of the engine's time. The engine
// still analyses the others when something needs them (a caller wants their
// summary, template output wants their verdicts: DataflowEngine.ensureAnalysed),
// just not up front.
//
// Read without values, so it must over-approximate what the engine can reach (a
// function kept here that finds nothing costs time; one left out loses findings):
// - a function reaches a sink when its own body (nested defs have their own
//   entry) holds a call the engine may treat as a sink (catalog sinks, loggers and
//   print, setattr, `**`/`defaults=` writes, file saves: sinkCall mirrors the
//   engine's checks without their conditions on values), reads `FILES` (an upload
//   assigned to a field), writes a `Location` header or is a view's redirect hook
//   (get_success_url: isRedirectHook); or when it calls a function that reaches a
//   sink. Calls are resolved as the engine resolves them (DataflowEngine.calleeOf),
//   so the call graph is the one the engine follows;
// - some sinks only count request data (paths, redirects, getattr names, mass
//   assignment, uploads: engine.ts deliver). Request data starts only in functions
//   mayHoldRequestData accepts and travels elsewhere as parameters, which a caller
//   fills; so a function reaching only such sinks is kept when it may hold request
//   data itself, and is otherwise analysed when a kept caller needs its summary;
// - a log call counts only credentials: request data (headers, cookies, passwords),
//   a secret setting, a form field named like a credential, or a value logged
//   under a credential's name. Unless it logs such a name, a function reaching
//   only log sinks is kept when request data can start in it or a credential can
//   (secretSource: it names a secret setting or a credential-like key, or calls
//   a function that does and may return it);
// - a function that calls a "view" found by its `request` parameter is kept too:
//   the engine's `called` set marks such views as helpers (api.ts isCalledHelper).
// Call counts (the fallback for functions nobody calls) only matter for functions
// with parameter sinks; for sinks that take any data all their callers are kept,
// and for request-only sinks the fallback reports only a view's URL parameters.
import type { Project, PythonFile } from "../project/project.js";
import type * as A from "../python/ast.js";
import { qualifiedName, scopeOf, tryResolveDefinition } from "../python/scope.js";
import { anyExpr, constString, exprHas, isLiteral, leadingConst, walkBody } from "../python/walk.js";
import { attributeDictUpdate, callSinks, FORMAT_HTML, isLogCall, LOG_METHODS, MASS_WRITES, SINKS, uploadWriteArgs } from "./catalog/sinks.js";
import { REQUEST_PARAM_NAMES, SECRET_SETTINGS, SENSITIVE_KEY, SENSITIVE_NAME } from "./catalog/sources.js";
import type { DataflowEngine, FnInfo } from "./engine.js";
import { receiverBuiltBy } from "./clients.js";

/** Last names of the catalog's callees (`system` of os.system). */
const CALLEE_LAST = new Set(SINKS.flatMap((s) => (s.callee ? [s.callee.split(".").pop()!] : [])));

/**
 * Class-based view methods whose return value Django sends the browser to:
 * FormMixin/ModelFormMixin/DeletionMixin.get_success_url, RedirectView.get_redirect_url,
 * LoginView/LogoutView.get_default_redirect_url and LogoutView.get_next_page.
 */
const REDIRECT_HOOKS = new Set(["get_success_url", "get_redirect_url", "get_default_redirect_url", "get_next_page"]);

/** A view method whose return value is a redirect target (the engine checks its returns as a redirect sink). */
export function isRedirectHook(info: FnInfo): boolean {
  return info.cls?.kind === "view" && REDIRECT_HOOKS.has(info.node.name);
}

/** What a sink counts: any data that is not constant, only credentials (request data among them), or only request data. */
type SinkNeed = "any" | "sensitive" | "request" | null;

/** The stronger of two needs: "any" over "sensitive" over "request". */
function stronger(a: SinkNeed, b: SinkNeed): SinkNeed {
  const rank = (n: SinkNeed) => (n === "any" ? 3 : n === "sensitive" ? 2 : n === "request" ? 1 : 0);
  return rank(a) >= rank(b) ? a : b;
}

/**
 * A call the engine may treat as a sink (engine.ts checkSinks, checkLog,
 * checkMass, checkUploadSave) with an argument that can carry data, and what the
 * sink counts: its syntactic conditions, not those on values. A literal argument
 * carries none.
 */
function sinkCall(project: Project, info: FnInfo, c: A.Call, q: string | null, method: string | null): SinkNeed {
  let need: SinkNeed = null;
  for (const s of callSinks(c, q, method, () => receiverBuiltBy(project, info.file, info.node, c))) {
    if (!carrying(s.arg)) continue;
    if (s.spec.accept !== "request") return "any";
    need = "request";
  }
  if (isLogCall(c, q, method)) {
    const args = [...c.args, ...c.keywords.map((k) => k.value)].filter(carrying);
    // a value logged under a credential's name is a credential, whatever it holds (engine.ts checkLog)
    if (args.some((a) => exprHas(a, (x) => (x.kind === "Name" && SENSITIVE_NAME.test(x.id)) || (x.kind === "Attribute" && SENSITIVE_NAME.test(x.attr)) || (x.kind === "Constant" && typeof x.value === "string" && SENSITIVE_NAME.test(x.value))))) return "any";
    if (args.length) need = stronger(need, "sensitive");
  }
  // format_html('<a href="{}">', url): a javascript: URL in an attribute (engine.ts checkFormatHtmlUrls)
  if (q === FORMAT_HTML && c.args.slice(1).some(carrying)) need = stronger(need, "request");
  // mass assignment and uploads count request data only
  if (q === "setattr" && c.args.length >= 3 && !leadingConst(c.args[1])) return "request";
  if (carrying(attributeDictUpdate(c) ?? undefined)) return "request";
  if (c.keywords.some((k) => (k.arg === null || k.arg === "defaults") && carrying(k.value))) {
    if (method !== null && MASS_WRITES.has(method)) return "request";
    if (q !== null && resolvesToClass(project, q)) return "request";
  }
  if (uploadWriteArgs(c, method).some(({ index, keyword }) => carrying(keyword ? c.keywords[index]!.value : c.args[index]))) return "request";
  return need;
}

/**
 * Whether request data can start in `fn` (or a function nested in it): it is a
 * view or takes the request, it is a method of a view, form, serializer or
 * middleware (self.request, self.kwargs, cleaned_data, validated_data), or its
 * body names a request. Elsewhere the engine finds request data only in
 * parameters, which callers fill.
 */
export function mayHoldRequestData(eng: DataflowEngine, fn: A.FunctionDef): boolean {
  const info = eng.fnOf(fn);
  if (!info || info.isView || info.requestParam >= 0) return true;
  const kind = info.cls?.kind;
  if (kind === "view" || kind === "form" || kind === "serializer" || kind === "middleware") return true;
  return namesRequest(fn);
}

const REQUEST_WORDS = new Set([...REQUEST_PARAM_NAMES, "_request"]);

function isRequestWord(e: A.Expr): boolean {
  return e.kind === "Name" ? REQUEST_WORDS.has(e.id) : e.kind === "Attribute" && REQUEST_WORDS.has(e.attr);
}

/**
 * What relevantFunctions' walk saw of a function's own body (nested defs and
 * classes have their own walk): true when it names a request, else the nested
 * defs and classes whose bodies it did not read (false: none). The templates'
 * editable-fields analysis asks about nearly every function, and this spares it
 * a second walk of each.
 */
const ownRequestWords = new WeakMap<A.FunctionDef, boolean | A.Stmt[]>();

/** Whether the function's body, nested functions included, names a request. */
function namesRequest(fn: A.FunctionDef): boolean {
  const own = ownRequestWords.get(fn);
  if (own === undefined) return anyExpr(fn.body, isRequestWord);
  if (typeof own === "boolean") return own;
  return own.some((s) => (s.kind === "FunctionDef" ? namesRequest(s) : anyExpr((s as A.ClassDef).body, isRequestWord)));
}

/** An expression where a credential other than request data can start (engine.ts: secret settings, vars(settings), a form field named like a credential). */
function secretSourceAt(e: A.Expr): boolean {
  if (e.kind === "Attribute") return SECRET_SETTINGS.has(e.attr) || e.attr === "__dict__" || e.attr === "_wrapped";
  if (e.kind === "Call") return e.func.kind === "Name" && (e.func.id === "vars" || e.func.id === "dir");
  return e.kind === "Constant" && typeof e.value === "string" && SENSITIVE_KEY.test(e.value);
}

function carrying(e: A.Expr | undefined): boolean {
  return e !== undefined && !isLiteral(e);
}

function resolvesToClass(project: Project, q: string): boolean {
  return tryResolveDefinition(project, q)?.node.kind === "ClassDef";
}

/** The functions the engine analyses from the top level. */
export function relevantFunctions(eng: DataflowEngine): Set<A.FunctionDef> {
  const project = eng.project;
  // callee → the functions calling it
  const callersOf = new Map<A.FunctionDef, A.FunctionDef[]>();
  const keep = new Set<A.FunctionDef>();
  // functions reaching a sink that counts any data / credentials / only request data, and those naming a credential
  const reachAny: A.FunctionDef[] = [];
  const reachSensitive: A.FunctionDef[] = [];
  const reachRequest: A.FunctionDef[] = [];
  const secretSources: A.FunctionDef[] = [];
  // Resolving a callee's qualified name costs; only calls that may need it get one (see needsName)
  const fnNames = new Set<string>();
  for (const info of eng.fns.values()) fnNames.add(info.node.name);
  for (const info of eng.fns.values()) {
    const file: PythonFile = info.file;
    const scope = scopeOf(project, file);
    let need: SinkNeed = null;
    let callsView = false;
    let secret = false;
    let request: boolean | A.Stmt[] = false;
    const addCaller = (callee: A.FunctionDef) => {
      const l = callersOf.get(callee);
      if (l) l.push(info.node);
      else callersOf.set(callee, [info.node]);
    };
    const addCallback = (id: string) => {
      const def = info.outer || eng.hasNestedDefs(info.node) ? eng.nestedDef(info, id) : null;
      if (def && def !== info.node) addCaller(def);
    };
    walkBody(info.node.body, {
      stmt: (s) => {
        if (s.kind !== "FunctionDef" && s.kind !== "ClassDef") return undefined;
        if (request === false) request = [s];
        else if (request !== true) request.push(s);
        return false;
      },
      expr: (e) => {
        if (!secret && secretSourceAt(e)) secret = true;
        if (request !== true && isRequestWord(e)) request = true;
        if (e.kind === "Call") {
          const func = e.func;
          // a nested function handed over as a callback: the engine applies its closure here (applyClosure)
          for (const a of e.args) if (a.kind === "Name") addCallback(a.id);
          for (const k of e.keywords) if (k.value.kind === "Name") addCallback(k.value.id);
          if (func.kind !== "Name" && func.kind !== "Attribute") return;
          const last = func.kind === "Name" ? func.id : func.attr;
          const method = func.kind === "Attribute" ? func.attr : null;
          // A qualified name ends with the call's own last name, and a project function it reaches
          // bears that name, except through an alias: a bare name an import or assignment binds.
          const alias = func.kind === "Name" && (scope.imports.has(last) || scope.assigns.has(last));
          const projectFn = alias || fnNames.has(last);
          const needsName = projectFn || CALLEE_LAST.has(last) || last === "print" || last === "setattr" || LOG_METHODS.has(last)
            || e.keywords.some((k) => k.arg === null || k.arg === "defaults");
          const q = needsName ? qualifiedName(project, file, func) : null;
          if (need !== "any") need = stronger(need, sinkCall(project, info, e, q, method));
          if (!projectFn) return;
          let callee: A.FunctionDef | A.ClassDef | undefined;
          try {
            callee = eng.calleeOf(info, e, q)?.node;
          } catch {
            callee = undefined;
          }
          if (callee?.kind !== "FunctionDef") return;
          addCaller(callee);
          const target = eng.fnOf(callee);
          if (target && (target.isView || target.requestParam >= 0)) callsView = true;
        } else if (e.kind === "Attribute" ? e.attr === "FILES" : e.kind === "Name" && e.id === "FILES") {
          if (need === null) need = "request"; // an upload stored in a field
        } else if (e.kind === "Subscript" && constString(e.slice)?.toLowerCase() === "location") {
          if (need === null) need = "request"; // a Location header
        }
      },
    });
    ownRequestWords.set(info.node, request);
    // a view's get_success_url()/get_redirect_url(): Django redirects to what it returns
    if (isRedirectHook(info)) need = stronger(need, "request");
    if (need === "any") reachAny.push(info.node);
    else if (need === "sensitive") reachSensitive.push(info.node);
    else if (need === "request") reachRequest.push(info.node);
    if (secret) secretSources.push(info.node);
    if (callsView) keep.add(info.node);
  }
  const closure = (start: A.FunctionDef[]): Set<A.FunctionDef> => {
    const reached = new Set(start);
    const queue = [...start];
    while (queue.length) {
      for (const caller of callersOf.get(queue.pop()!) ?? []) {
        if (!reached.has(caller)) {
          reached.add(caller);
          queue.push(caller);
        }
      }
    }
    return reached;
  };
  for (const fn of closure(reachAny)) keep.add(fn);
  // a credential other than request data reaches a caller through a return value
  const mayHoldSecret = closure(secretSources);
  for (const fn of closure(reachSensitive)) if (!keep.has(fn) && (mayHoldSecret.has(fn) || mayHoldRequestData(eng, fn))) keep.add(fn);
  for (const fn of closure(reachRequest)) if (!keep.has(fn) && mayHoldRequestData(eng, fn)) keep.add(fn);
  return keep;
}
