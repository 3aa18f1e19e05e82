// Turning engine flows into findings: one message shape for every data-flow
// rule ("<source> (<file:line>) reaches <sink> ..."), the trace attached.
import type { Severity } from "../findings.js";
import type { RuleContext } from "../rules/types.js";
import { flowsFor } from "./api.js";
import type { Flow } from "./engine.js";

const ORIGIN_WORDS: Record<string, string> = {
  request: "request data",
  stored: "a database value users can edit",
  call: "the result of a call djangoguard cannot see into",
  unknown: "a non-constant value of unknown origin",
  secret: "a secret",
};

export interface FlowReportOptions {
  /** why it matters, appended to the message (per flow, when sinks of one rule differ) */
  why: string | ((f: Flow) => string);
  /** severity for this flow (default: the rule's) */
  severity?: (f: Flow) => Severity | undefined;
  /** skip some flows (e.g. the rule reports them itself) */
  filter?: (f: Flow) => boolean;
}

export function describeFlow(f: Flow): string {
  const src = f.taint.steps[0];
  const where = src ? ` at ${src.path}:${src.line}` : "";
  const what = src ? src.note : ORIGIN_WORDS[f.taint.origin];
  const via = f.taint.steps.filter((s) => s.kind === "step" && / to | from |passed|returned|formatted|f-string|concatenated|joined/.test(s.note)).length;
  const origin = f.taint.origin === "request" && f.taint.weak ? "validated free-text form data" : ORIGIN_WORDS[f.taint.origin]!;
  const fns = [...new Set(f.taint.steps.flatMap((s) => /^passed to (\S+)\(\)/.exec(s.note)?.[1] ?? []))];
  const through = fns.length ? ` through ${fns.slice(0, 3).map((n) => `${n}()`).join(", ")}` : via ? ` after ${via} step${via > 1 ? "s" : ""}` : "";
  return `${origin[0]!.toUpperCase()}${origin.slice(1)}: ${what}${where} reaches ${f.site.label} on line ${f.site.span.line}${through}`;
}

export function reportFlows(ctx: RuleContext, opts: FlowReportOptions): void {
  for (const f of flowsFor(ctx.project, ctx.rule.id)) {
    if (opts.filter && !opts.filter(f)) continue;
    const severity = opts.severity?.(f);
    ctx.report({
      path: f.site.path,
      span: f.site.span,
      message: `${describeFlow(f)}${f.detail ? `; ${f.detail}` : ""}. ${typeof opts.why === "string" ? opts.why : opts.why(f)}`,
      confidence: f.confidence,
      ...(severity ? { severity } : {}),
      trace: f.taint.steps,
      key: f.site.label,
    });
  }
}
