// What other analyses and the rules ask the data-flow engine.
//
// - flowsFor(project, ruleId): the flows (source → sink) that feed one rule, one
//   per sink location, strongest origin first.
// - originOf(project, file, expr): where a value in a function comes from, for
//   the templates analysis linking `render(request, "t.html", {"x": ...})`
//   context values to template variables.
// - contextOrigins(project, file, call): the same for every key of the context
//   passed to render()/render_to_string()/TemplateResponse().
import type { Confidence, TraceStep } from "../findings.js";
import type { Project, PythonFile } from "../project/project.js";
import type * as A from "../python/ast.js";
import { dataflow, type Flow } from "./engine.js";
import { SINK_KINDS, type SinkKind } from "./kinds.js";
import { flatten, originRank, type Taint, type Val } from "./taint.js";
import { qualifiedName } from "../python/scope.js";

export type OriginKind = "request" | "stored" | "call" | "unknown" | "none";

export interface OriginInfo {
  /** request data → "request"; a user-editable database field → "stored"; a call we cannot see into → "call";
   *  another non-constant → "unknown"; constants, escaped values, format_html(...) → "none" */
  origin: OriginKind;
  /** how sure a finding built on this origin is (null when origin is "none") */
  confidence: Confidence | null;
  /** source first, then each step (file/line); empty for "none" */
  trace: TraceStep[];
  /** sink kinds the value was sanitised for (e.g. ["xss"] after escape()) */
  safeFor: SinkKind[];
}

const NONE: OriginInfo = { origin: "none", confidence: null, trace: [], safeFor: [] };

const RANK_ORDER: Record<string, number> = { high: 3, medium: 2, low: 1 };

/** Flows feeding one rule, deduplicated per sink span (the strongest origin wins). */
export function flowsFor(project: Project, ruleId: string): Flow[] {
  const eng = dataflow(project);
  const best = new Map<string, Flow>();
  for (const f of eng.flows) {
    if (f.rule !== ruleId) continue;
    const k = `${f.site.path}:${f.site.span.line}:${f.site.span.col}:${f.kind}`;
    const cur = best.get(k);
    if (!cur || RANK_ORDER[f.confidence]! > RANK_ORDER[cur.confidence]! || (RANK_ORDER[f.confidence] === RANK_ORDER[cur.confidence] && f.taint.steps.length < cur.taint.steps.length)) best.set(k, f);
  }
  return [...best.values()].sort((a, b) => (a.site.path < b.site.path ? -1 : a.site.path > b.site.path ? 1 : a.site.span.line - b.site.span.line));
}

function infoOf(v: Val | undefined, forKind?: SinkKind): OriginInfo {
  if (!v) return NONE;
  const flat = flatten(v);
  const bitOf = (k: SinkKind) => 1 << SINK_KINDS.indexOf(k);
  const live = flat.t.filter((t) => t.origin !== "secret" && (!forKind || !(t.safe & bitOf(forKind))));
  if (!live.length) return NONE;
  live.sort((a, b) => originRank(b.origin) - originRank(a.origin));
  const t: Taint = live[0]!;
  const origin: OriginKind = t.origin === "param" ? (t.urlParam ? "request" : "unknown") : (t.origin as OriginKind);
  const confidence: Confidence = origin === "request" ? (t.weak ? "medium" : "high") : origin === "stored" || origin === "call" ? "medium" : "low";
  return { origin, confidence, trace: t.steps, safeFor: SINK_KINDS.filter((k) => t.safe & bitOf(k)) };
}

/**
 * Where the value of `expr` (an expression inside a function of `file`) comes
 * from, as the engine saw it at that point. `forKind` drops taints already
 * sanitised for that sink kind (pass "xss" for template output).
 */
export function originOf(project: Project, file: PythonFile, expr: A.Expr, forKind?: SinkKind): OriginInfo {
  const eng = dataflow(project);
  void file;
  return infoOf(eng.exprVals.get(expr), forKind);
}

const RENDER_CONTEXT_ARG: Record<string, number> = {
  "django.shortcuts.render": 2,
  "django.shortcuts.render_to_response": 1,
  "django.template.loader.render_to_string": 1,
  "django.template.response.TemplateResponse": 2,
  "django.template.response.SimpleTemplateResponse": 1,
};

/**
 * For a render()/render_to_string()/TemplateResponse() call: the origin of each
 * context key ("x" in {"x": value}). Null when the call is not one of those or
 * the context is not a dict the engine could follow.
 */
export function contextOrigins(project: Project, file: PythonFile, call: A.Call, forKind: SinkKind = "xss"): Map<string, OriginInfo> | null {
  const q = qualifiedName(project, file, call.func);
  const idx = q ? RENDER_CONTEXT_ARG[q] : undefined;
  if (idx === undefined) return null;
  const arg = call.args[idx] ?? call.keywords.find((k) => k.arg === "context")?.value;
  if (!arg) return new Map();
  const v = dataflow(project).exprVals.get(arg);
  if (!v) return null;
  const out = new Map<string, OriginInfo>();
  for (const [k, kv] of v.keys ?? []) out.set(k, infoOf(kv, forKind));
  return out;
}
