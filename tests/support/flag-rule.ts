// A rule for framework tests only: it reports every line that carries a
// `dg-flag:<severity>[:<confidence>]` marker, so report, suppression, baseline
// and CLI tests get findings of known severities on known lines without
// depending on (or adding) a real detector. A `dg-trace` marker adds a
// two-step data-flow trace ending on that line; `dg-trace-bare` one whose steps
// carry no code, so the engine reads the lines itself, as for real data flow.
import type { Confidence, Severity } from "../../src/findings.js";
import { defineRule, type Rule } from "../../src/rules/types.js";

const MARK = /dg-flag:(critical|high|medium|low)(?::(high|medium|low))?/;

export const FLAG_RULE: Rule = defineRule({
  id: "DJANGO-TESTFLAG-001",
  title: "Marked line (framework test rule)",
  severity: "medium",
  cwe: "CWE-89",
  owasp: "A03:2021-Injection",
  djangoCheckIds: ["security.W999"],
  description: "Reports lines that carry a dg-flag marker; used by the framework tests.",
  impact: "None; a test rule.",
  fix: "Remove the marker.",
  mitigation: "None needed.",
  falsePositives: "None.",
  references: ["https://example.invalid/test-rule"],
  checks: [
    ({ project, report }) => {
      for (const f of project.files) {
        project.lines(f.path).forEach((line, i) => {
          const m = MARK.exec(line);
          if (!m) return;
          const n = i + 1;
          const col = line.search(/\S/) + 1;
          report({
            path: f.path,
            span: { line: n, col, endLine: n, endCol: line.length + 1 },
            message: `marked ${m[1]} line in ${f.path}`,
            severity: m[1] as Severity,
            confidence: (m[2] ?? "high") as Confidence,
            ...(line.includes("dg-trace-bare")
              ? { trace: [{ kind: "source" as const, path: f.path, line: n, column: col, note: "value read" }, { kind: "sink" as const, path: f.path, line: n, column: col, note: "value used" }] }
              : line.includes("dg-trace")
              ? {
                  trace: [
                    { kind: "source" as const, path: f.path, line: Math.max(1, n - 1), column: 1, note: "value read", snippet: project.lines(f.path)[Math.max(0, n - 2)] ?? "" },
                    { kind: "sink" as const, path: f.path, line: n, column: col, note: "value used", snippet: line },
                  ],
                }
              : {}),
          });
        });
      }
    },
  ],
});

