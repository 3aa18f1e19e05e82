// A rule is metadata plus checks, in one file (src/rules/<id>.ts). The rule list,
// `djangoguard rules`, docs/rules/*.md, SARIF rules[] and help text are all
// generated from RuleMeta: it is the single source of truth.
import type { Confidence, Severity, TraceStep } from "../findings.js";
import type { Project } from "../project/project.js";
import type { Span } from "../python/ast.js";

export interface RuleMeta {
  /** fixed public ID, e.g. "DJANGO-SQL-001"; never renamed */
  id: string;
  title: string;
  /** default severity; a check may report higher or lower within `severityRange` */
  severity: Severity;
  cwe: string;
  /** OWASP Top 10 (2021), e.g. "A03:2021-Injection" */
  owasp: string;
  /** Django system-check IDs this rule covers, e.g. ["security.W004"] */
  djangoCheckIds: string[];
  /** one paragraph: what the rule detects */
  description: string;
  impact: string;
  fix: string;
  mitigation: string;
  falsePositives: string;
  /** a short bad/good example pair, Python or template source */
  example?: { bad: string; good: string; language?: "python" | "django" | "dockerfile" | "text" };
  references: string[];
}

/** What a check hands to `report`. Location is a span in a project file. */
export interface ReportInput {
  /** POSIX path relative to the root, as in Project.files */
  path: string;
  span: Span;
  message: string;
  severity?: Severity;
  confidence: Confidence;
  /** overrides the snippet taken from the source lines (still redacted) */
  evidence?: string;
  symbol?: string;
  djangoCheckId?: string;
  trace?: TraceStep[];
  /** extra text mixed into the fingerprint when several findings share a line */
  key?: string;
}

export interface RuleContext {
  readonly project: Project;
  readonly rule: RuleMeta;
  report(input: ReportInput): void;
}

export type Check = (ctx: RuleContext) => void;

export interface Rule extends RuleMeta {
  checks: Check[];
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
