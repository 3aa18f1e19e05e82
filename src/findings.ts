// The one shape a finding has everywhere (spec §2.3 plus our additions, see
// RULES.md). Rules produce these through RuleContext.report; reporters only
// format them.

export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const CONFIDENCES = ["high", "medium", "low"] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** Higher is worse. */
export function severityRank(s: Severity): number {
  return 4 - SEVERITIES.indexOf(s);
}
export function confidenceRank(c: Confidence): number {
  return 3 - CONFIDENCES.indexOf(c);
}

export interface Location {
  /** POSIX path relative to the scanned root (for probe findings: the URL) */
  path: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  /** enclosing function/class/setting name, e.g. "orders.views.order_detail" or "DEBUG" */
  symbol?: string;
}

export interface TraceStep {
  kind: "source" | "step" | "sink";
  path: string;
  line: number;
  column: number;
  /** what happens at this step, e.g. "request.GET['q'] read" */
  note: string;
  /** the code at that line, redacted */
  snippet?: string;
}

export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  confidence: Confidence;
  cwe: string;
  owasp: string;
  djangoCheckId?: string;
  location: Location;
  /** the exact code/config snippet, secrets redacted */
  evidence: string;
  /** what this particular finding is about, in one or two sentences */
  message: string;
  impact: string;
  fix: string;
  mitigation: string;
  falsePositiveNotes: string;
  trace?: TraceStep[];
  /** stable across unrelated edits above the finding (see fingerprint.ts) */
  fingerprint: string;
  /** where the finding came from: static analysis, the live probe, or both */
  origin?: "static" | "probe" | "combined";
}

export interface Note {
  /** POSIX path relative to the root, or "" for the whole scan */
  path: string;
  kind:
    | "syntax-error" | "python2" | "binary" | "encoding" | "too-large" | "too-deep" | "symlink" | "unreadable"
    | "parse-failed" | "config" | "suppression" | "skipped" | "info" | "analysis-error";
  message: string;
  line?: number;
}
