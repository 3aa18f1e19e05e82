// The values the data-flow engine tracks. A Val is what we know about one
// Python value: the taints that may have reached it (empty: constant or
// otherwise clean), per-key values for dict/list literals, and a coarse type
// (form, serializer, model instance) so `form.cleaned_data["age"]` and
// `order.note` can be judged by their field types.
import type { TraceStep } from "../findings.js";
import type { Project, PythonFile } from "../project/project.js";
import type * as A from "../python/ast.js";
import { weakMemo } from "../project/memo.js";
import { exact, flat } from "../project/compact.js";

/**
 * Where a value comes from, strongest first.
 * request: the HTTP request (query, body, headers, cookies, URL parameters, uploads);
 * stored: a database field users can edit;
 * call: the result of a call we cannot see into;
 * unknown: a non-constant we know nothing about;
 * secret: a credential of the app itself (SECRET_KEY); only logging cares;
 * param: a symbolic parameter inside a function summary (replaced at call sites).
 */
export type Origin = "request" | "stored" | "call" | "unknown" | "secret" | "param";

export interface Taint {
  origin: Origin;
  /** for origin "param": index into the function's parameter list (-1 for a closure variable, `free`) */
  param?: number;
  /** for origin "param": a variable of an enclosing function this nested function reads (its closure);
   *  a call from where that variable is in scope puts its value there, as a parameter's argument */
  free?: string;
  /** a view's URL parameter (symbolic until we know whether a caller or the URLconf supplies it) */
  urlParam?: boolean;
  /** free-text cleaned_data / validated_data: still user text, but it passed a form */
  weak?: boolean;
  /** why logging this value leaks a credential (DJANGO-LOG-001), if it does */
  sensitive?: string;
  /** an uploaded file object or its content */
  upload?: boolean;
  /** for origin "param": the `.name` of what the parameter holds (an upload's basename when a caller passes an upload) */
  uploadName?: boolean;
  /** went through f-string, %, .format, + or join */
  formatted?: boolean;
  /** read from a cache shared between users (crosses a trust boundary for deserialisers) */
  shared?: boolean;
  /** one of a family the code chose: formatted after a constant prefix ("do_" + x), or checked to be
   *  one of the code's constants (`x in ALLOWED`): it cannot name an arbitrary attribute or key */
  prefixed?: boolean;
  /** passed through realpath/abspath/normpath/resolve (a root check then counts) */
  normalized?: boolean;
  /** a mapping of strings the request fills (a QueryDict, META, headers, cookies):
   *  what one of its keys reads is a single string (keysFixed) */
  strMap?: boolean;
  /** the request cannot choose this value's keys: one header, query value, path or URL
   *  parameter (a string), or the URL's keyword arguments (their names are the URLconf's).
   *  Unpacked with `**` it cannot pick which model fields are written (DJANGO-MASS-001).
   *  A parser (json.loads...) sets it false: the string may hold a mapping. */
  keysFixed?: boolean;
  /** inside a summary: a mapping filled under keys that are items of each of these parameters (`for f in allowed:
   *  out[f] = ...`, `if k in allowed`); where the caller passes the code's constants for one of them, the request
   *  chose no key (applySummary) */
  keysBy?: readonly number[];
  /** inside a summary: checked to be one of parameter `pinnedBy`'s items (`k in allowed`); pinned (prefixed)
   *  where the caller's argument is the code's own constants (applySummary) */
  pinnedBy?: number;
  /** a parameter's value after code we cannot see into (a parsed event, a client IP):
   *  where the caller passes a credential, the result is no longer it (LOG-001) */
  derived?: boolean;
  /** bitmask of sink kinds this value was sanitised for (kinds.ts) */
  safe: number;
  /** source first, then each step */
  steps: TraceStep[];
}

export interface ClassRef {
  file: PythonFile;
  node: A.ClassDef;
}

export type TypeInfo =
  | { kind: "form" | "serializer"; cls: ClassRef; init: Val }
  | { kind: "cleaned"; cls: ClassRef | null; init: Val }
  | { kind: "model"; cls: ClassRef | null; note: string }
  | { kind: "request" }
  /** a file opened by path: its taints are the path's; what it holds is the file's (FnAnalyzer.fileContent) */
  /** `packaged`: opened by a path built from the module's own `__file__` (a file shipped with the code) */
  | { kind: "file"; packaged?: boolean };

export interface Val {
  t: Taint[];
  /** per-key values of dict/list literals (string keys; list indexes as "0", "1", ...) */
  keys?: Map<string, Val>;
  /** what iterating it yields, where that is known better than the whole: the
   *  (key, value) pairs of `d.items()` for a dict whose keys are the code's constants */
  elem?: Val;
  type?: TypeInfo;
}

export const CLEAN: Val = Object.freeze({ t: [] }) as Val;
const MAX_TAINTS = 6;
const MAX_STEPS = 14;

const RANK: Record<Origin, number> = { request: 5, stored: 4, param: 3, call: 2, unknown: 1, secret: 0 };

export function originRank(o: Origin): number {
  return RANK[o];
}

const keyMemo = weakMemo<Taint, string>();

function taintKey(t: Taint): string {
  return keyMemo(t, () => computeKey(t));
}

function computeKey(t: Taint): string {
  const s = t.steps[0];
  // kept for the taint's life (keyMemo): flat, not 22 concatenation pieces
  return flat(`${t.origin}|${t.param ?? ""}${t.free ?? ""}|${s ? `${s.path}:${s.line}:${s.column}` : ""}|${t.safe}|${t.weak ? 1 : 0}|${t.sensitive ?? ""}|${t.formatted ? 1 : 0}|${t.normalized ? 1 : 0}|${t.upload ? 1 : 0}${t.uploadName ? 1 : 0}|${t.keysFixed ? 1 : 0}|${t.derived ? 1 : 0}|${t.keysBy?.join(",") ?? ""}|${t.pinnedBy ?? ""}`);
}

/** Union of taint lists, deduplicated, strongest kept when over the cap. */
export function unionTaints(...lists: Taint[][]): Taint[] {
  let nonEmpty: Taint[][] | null = null;
  let only: Taint[] | null = null;
  for (const l of lists) {
    if (!l.length || l === only) continue;
    if (only === null) only = l;
    else (nonEmpty ??= [only]).push(l);
  }
  if (only === null) return [];
  if (nonEmpty === null) return only;
  // First of each key, in order. Lists are short (at most MAX_TAINTS each), so a
  // scan of the keys so far costs less than a Map and the array copied out of it.
  let out: Taint[] = [];
  const keys: string[] = [];
  for (let i = 0; i < nonEmpty.length; i++) {
    const l = nonEmpty[i]!;
    for (let j = 0; j < l.length; j++) {
      const t = l[j]!;
      const k = taintKey(t);
      if (keys.includes(k)) continue;
      keys.push(k);
      out.push(t);
    }
  }
  if (out.length > MAX_TAINTS) {
    // keep every param taint (summaries need them) and the strongest others
    out.sort((a, b) => originRank(b.origin) - originRank(a.origin) || a.steps.length - b.steps.length);
    return out.slice(0, MAX_TAINTS);
  }
  return exact(out);
}

export function join(...vals: Val[]): Val {
  const nonEmpty = vals.filter((v) => v.t.length || v.keys || v.type);
  if (nonEmpty.length === 0) return CLEAN;
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  const out: Val = { t: unionTaints(...nonEmpty.map((v) => v.t)) };
  const typed = nonEmpty.find((v) => v.type);
  if (typed) out.type = typed.type;
  // branches that both built a dict/list: keep per-key values (a key one branch lacks takes that branch's loose taints)
  if (nonEmpty.every((v) => v.keys)) {
    const keys = new Map<string, Val>();
    const names = new Set(nonEmpty.flatMap((v) => [...v.keys!.keys()]));
    for (const k of names) keys.set(k, join(...nonEmpty.map((v) => v.keys!.get(k) ?? { t: v.t })));
    out.keys = keys;
  }
  return out;
}

/** Drop per-key detail and type: the value as one opaque string/object. */
export function flatten(v: Val): Val {
  if (!v.keys) return v.type ? { t: v.t } : v;
  const parts = [v.t, ...[...v.keys.values()].map((k) => flatten(k).t)];
  return { t: unionTaints(...parts) };
}

export function mapTaints(v: Val, f: (t: Taint) => Taint | null): Val {
  const t = v.t.map(f).filter((x): x is Taint => x !== null);
  return { ...v, t, ...(v.keys ? { keys: new Map([...v.keys].map(([k, kv]) => [k, mapTaints(kv, f)])) } : {}), ...(v.elem ? { elem: mapTaints(v.elem, f) } : {}) };
}

export function withStep(v: Val, step: TraceStep | null, extra: Partial<Taint> = {}): Val {
  if (!v.t.length && !v.keys) return v;
  return mapTaints(v, (t) => ({ ...t, ...extra, safe: t.safe | (extra.safe ?? 0), steps: step ? pushStep(t.steps, step) : t.steps }));
}

/**
 * pushStep of `call`, then of `inner`'s steps after its first (a summary's
 * parameter placeholder), then of `tail` when given: the same list, copied once.
 * (A cap in between only ever drops middle steps and never the last one, which is
 * all a push compares with, so capping once at the end gives the same list.)
 */
export function appendSteps(steps: readonly TraceStep[], call: TraceStep, inner: readonly TraceStep[], tail: TraceStep | null): TraceStep[] {
  const out = steps.slice();
  let last = out[out.length - 1];
  const add = (step: TraceStep) => {
    if (last && sameStep(last, step)) return;
    out.push(step);
    last = step;
  };
  add(call);
  for (let i = 1; i < inner.length; i++) add(inner[i]!);
  if (tail) add(tail);
  if (out.length > MAX_STEPS) out.splice(1, out.length - MAX_STEPS);
  return exact(out);
}

/** A step repeating the one before it (same place, same note) is not added again. */
function sameStep(a: TraceStep, b: TraceStep): boolean {
  return a.path === b.path && a.line === b.line && a.note === b.note;
}

/** A trace step at `at` in `file`. Its code line is read when a finding reports
 *  it (engine.ts): most steps belong to values that never reach a sink. */
export function step(file: { path: string }, at: A.Span, kind: TraceStep["kind"], note: string): TraceStep {
  return { kind, path: file.path, line: at.line, column: at.col, note: flat(note) };
}

export function pushStep(steps: TraceStep[], step: TraceStep): TraceStep[] {
  const last = steps[steps.length - 1];
  if (last && sameStep(last, step)) return steps;
  // concat, not [...steps, step]: a spread with one more element reserves 16 spare slots (compact.ts)
  const out = steps.concat(step);
  if (out.length > MAX_STEPS) out.splice(1, out.length - MAX_STEPS);
  return out;
}
