// Runs rule checks over the project model and turns their reports into Findings
// (evidence from the source lines, redacted; enclosing symbol; fingerprint).
import type { Finding, TraceStep } from "./findings.js";
import { fingerprint } from "./fingerprint.js";
import type { Project, PythonFile } from "./project/project.js";
import type * as A from "./python/ast.js";
import { redact } from "./redact.js";
import type { ReportInput, Rule } from "./rules/types.js";

export function runRules(project: Project, rules: readonly Rule[]): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  const symbols = new SymbolIndex(project);
  // Python evidence keeps expressions readable (redact()'s `python` mode); other files hide every value of a secret name
  for (const rule of rules) {
    const report = (r: ReportInput) => {
      const symbol = r.symbol ?? symbols.at(r.path, r.span.line);
      const lines = project.lines(r.path);
      const code = r.evidence ?? snippet(lines, r.span);
      const base = { ruleId: rule.id, path: r.path, symbol, code, key: r.key };
      const id = JSON.stringify(base);
      const occurrence = seen.get(id) ?? 0;
      seen.set(id, occurrence + 1);
      // The same rule reporting the same span twice (two checks agreeing) is one finding.
      const dupKey = `${rule.id}\u0000${r.path}\u0000${r.span.line}:${r.span.col}\u0000${r.key ?? ""}\u0000${r.message}`;
      if (seen.has(dupKey)) return;
      seen.set(dupKey, 1);
      findings.push({
        ruleId: rule.id,
        title: rule.title,
        severity: r.severity ?? rule.severity,
        confidence: r.confidence,
        cwe: rule.cwe,
        owasp: rule.owasp,
        ...(r.djangoCheckId ? { djangoCheckId: r.djangoCheckId } : {}),
        location: {
          path: r.path,
          startLine: r.span.line,
          startColumn: r.span.col,
          endLine: r.span.endLine,
          endColumn: r.span.endCol,
          ...(symbol ? { symbol } : {}),
        },
        evidence: redact(code, { python: isPython(project, r.path) }),
        message: redact(r.message),
        impact: rule.impact,
        fix: rule.fix,
        mitigation: rule.mitigation,
        falsePositiveNotes: rule.falsePositives,
        ...(r.trace ? { trace: r.trace.map((s) => reportedStep(project, s)) } : {}),
        fingerprint: fingerprint(base, occurrence),
        origin: "static",
      });
    };
    for (const check of rule.checks) {
      try {
        check({ project, rule, report });
      } catch (e) {
        project.note({ path: "", kind: "analysis-error", message: `${rule.id}: a check failed (${(e as Error).message}); other checks went on` });
      }
    }
  }
  return findings;
}

/**
 * A trace step as reported: note and code redacted. Steps are built without their
 * code (most belong to values that never reach a sink, and a kept line is memory
 * on a large tree); it is read here, unless the step names its own (a template
 * tag), redacted whole and then trimmed to 200 characters (trimmed first, a
 * secret cut off before its closing quote could escape the redactor).
 */
function reportedStep(project: Project, s: TraceStep): TraceStep {
  const own = s.snippet !== undefined;
  const code = own ? s.snippet : project.lines(s.path)[s.line - 1]?.trim();
  if (code === undefined) return { ...s, note: redact(s.note) };
  const redacted = redact(code, { python: isPython(project, s.path) });
  return { ...s, note: redact(s.note), snippet: own ? redacted : redacted.slice(0, 200) };
}

function isPython(project: Project, path: string): boolean {
  return project.byPath.get(path)?.kind === "python";
}

/** The source text of a span's lines, trimmed to at most 5 lines. */
export function snippet(lines: string[], span: A.Span): string {
  const start = Math.max(1, span.line);
  const end = Math.min(lines.length, Math.max(start, span.endLine), start + 4);
  return lines.slice(start - 1, end).join("\n").trimEnd();
}

/** Innermost def/class enclosing a line, as a dotted name within the module. */
class SymbolIndex {
  private cache = new Map<string, { start: number; end: number; name: string }[]>();
  constructor(private project: Project) {}

  at(path: string, line: number): string | undefined {
    let ranges = this.cache.get(path);
    if (!ranges) {
      ranges = [];
      const f = this.project.byPath.get(path);
      if (f?.kind === "python") collect((f as PythonFile).ast.body, "", ranges);
      this.cache.set(path, ranges);
    }
    let best: { start: number; end: number; name: string } | undefined;
    for (const r of ranges) if (r.start <= line && line <= r.end && (!best || r.start >= best.start)) best = r;
    return best?.name;
  }
}

function collect(body: A.Stmt[], prefix: string, out: { start: number; end: number; name: string }[]): void {
  for (const s of body) {
    if (s.kind === "FunctionDef" || s.kind === "ClassDef") {
      const name = prefix ? `${prefix}.${s.name}` : s.name;
      out.push({ start: s.line, end: s.endLine, name });
      collect(s.body, name, out);
    } else if (s.kind === "If" || s.kind === "Try" || s.kind === "With") {
      collect(s.kind === "Try" ? [...s.body, ...s.handlers.flatMap((h) => h.body), ...s.orelse, ...s.finalbody] : s.kind === "If" ? [...s.body, ...s.orelse] : s.body, prefix, out);
    }
  }
}
