// What other analyses and the rules ask the data-flow engine.
//
// - flowsFor(project, ruleId): the flows (source → sink) that feed one rule, one
//   per sink location, strongest origin first.
// - templateOriginsIn(project, fn): whether a value in a function is request data
//   or constant/escaped, for the templates analysis linking
//   `render(request, "t.html", {"x": ...})` context values to template variables.
import type { Confidence, TraceStep } from "../findings.js";
import type { Project } from "../project/project.js";
import type * as A from "../python/ast.js";
import { dataflow, type Flow } from "./engine.js";
import { routesFor } from "../django/urls.js";
import { NO_OUTPUT, NOT_REQUEST, ownExprs } from "./outputs.js";
import { walkBody } from "../python/walk.js";
import { bit, SINK_KINDS, type SinkKind } from "./kinds.js";
import type { Taint } from "./taint.js";

export interface OriginInfo {
  /** request data → "request"; constants, escaped values, format_html(...) → "none";
   *  no request data but not constant (a stored field, an opaque call's result) → "other" */
  origin: "request" | "none" | "other";
  /** how sure a finding built on this origin is (null when origin is "none") */
  confidence: Confidence | null;
  /** source first, then each step (file/line); empty for "none" */
  trace: TraceStep[];
  /** sink kinds the value was sanitised for (e.g. ["xss"] after escape()) */
  safeFor: SinkKind[];
}

const NONE: OriginInfo = { origin: "none", confidence: null, trace: [], safeFor: [] };
const OTHER: OriginInfo = { origin: "other", confidence: null, trace: [], safeFor: [] };

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

/** A function found to be a view by its `request` parameter that no route reaches and
 *  project code calls (through a resolved call the engine followed): a helper, whose
 *  arguments its callers supply. */
export function isCalledHelper(project: Project, fn: A.FunctionDef): boolean {
  return routesFor(project, fn).length === 0 && dataflow(project).called.has(fn);
}

/**
 * How template output sees the expressions inside `fn` (its own body and the
 * bodies of functions nested in it), as the engine saw them: origin "none" for a
 * constant or a value escaped for HTML (escape(), format_html(...)), "request"
 * with its trace for request data (steps without their code: engine.ts reads it
 * when a finding is reported), "other" when no request data reaches it but it is
 * not constant (a stored field, a call we cannot see into), and null when the
 * engine did not evaluate the expression or it holds a parameter's value. The
 * templates analysis judges "other" and null itself.
 */
export function templateOriginsIn(project: Project, fn: A.FunctionDef | null): (e: A.Expr) => OriginInfo | null {
  if (!fn) return () => null; // module and class bodies are not analysed
  const eng = dataflow(project);
  const store = eng.outputs;
  // expression → the function that evaluates it and its position there
  const where = new Map<A.Expr, { owner: A.FunctionDef; i: number }>();
  const index = (owner: A.FunctionDef) => {
    eng.ensureAnalysed(owner);
    ownExprs(owner, (e, i) => where.set(e, { owner, i }));
    walkBody(owner.body, {
      stmt: (s) => {
        if (s.kind !== "FunctionDef") return undefined;
        index(s);
        return false;
      },
    });
  };
  index(fn);
  return (e) => {
    const at = where.get(e);
    const t = store.get(at?.owner ?? null, at?.i ?? -1, e);
    if (t === undefined) return null;
    if (t === NO_OUTPUT) return NONE;
    if (t === NOT_REQUEST) return OTHER;
    const taint = t as Taint;
    // a view's URL parameter, as the engine assumed it, in a "view" no route reaches that other code calls: the callers fill it
    if (taint.origin === "param" && at && isCalledHelper(project, at.owner)) return null;
    return { origin: "request", confidence: taint.weak ? "medium" : "high", trace: taint.steps, safeFor: SINK_KINDS.filter((k) => taint.safe & bit(k)) };
  };
}
