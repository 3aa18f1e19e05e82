// --format sarif: SARIF 2.1.0 as GitHub code scanning reads it. Rule entries
// (with Markdown help, numeric security-severity and CWE tags) come from the
// rule metadata; results carry %SRCROOT%-relative locations, the djangoguard
// fingerprint as a partial fingerprint and the data-flow trace as a code flow.
// Inline-suppressed findings are included with `suppressions`, so they show as
// dismissed rather than vanishing; scan notes become tool execution notifications.
import { pathToFileURL } from "node:url";
import type * as Sarif from "sarif";
import type { Finding, Note, Severity, TraceStep } from "../findings.js";
import { RULES } from "../rules/index.js";
import type { RuleMeta } from "../rules/types.js";
import type { ScanResult } from "../scan.js";
import type { SuppressedFinding } from "../suppress.js";
import { cweNumber, ruleMarkdown } from "./rule-docs.js";

const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT = "%SRCROOT%";

/** GitHub buckets security-severity: >= 9.0 critical, >= 7.0 high, >= 4.0 medium, else low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };
const LEVEL: Record<Severity, Sarif.Result.level> = { critical: "error", high: "error", medium: "warning", low: "note" };

export function formatSarif(result: ScanResult, rules: readonly RuleMeta[] = RULES): string {
  return JSON.stringify(toSarif(result, rules), null, 2) + "\n";
}

export function toSarif(result: ScanResult, rules: readonly RuleMeta[] = RULES): Sarif.Log {
  const metas = new Map<string, RuleMeta>(rules.map((r) => [r.id, r]));
  // Findings of rules we have no metadata for (e.g. a caller's own rules) still get an entry.
  for (const f of [...result.findings, ...result.suppressed]) if (!metas.has(f.ruleId)) metas.set(f.ruleId, metaFromFinding(f));
  const ordered = [...metas.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(ordered.map((r, i) => [r.id, i]));

  const results: Sarif.Result[] = [
    ...result.findings.map((f) => toResult(f, index.get(f.ruleId)!)),
    ...result.suppressed.map((f) => toResult(f, index.get(f.ruleId)!, f)),
  ];
  const rootUri = pathToFileURL(result.root).href.replace(/\/?$/, "/");
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "djangoguard",
            version: result.tool.version,
            semanticVersion: result.tool.version,
            rules: ordered.map(toDescriptor),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri, description: { text: "The scanned project root" } } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: result.notes.map(toNotification),
          },
        ],
        columnKind: "utf16CodeUnits",
        results,
        properties: { settings: result.settings, summary: result.summary },
      },
    ],
  };
}

function toDescriptor(r: RuleMeta): Sarif.ReportingDescriptor {
  const cweNum = cweNumber(r.cwe);
  const owasp = /^A(\d+):(\d{4})/.exec(r.owasp);
  const tags = ["security"];
  if (cweNum) tags.push(`external/cwe/cwe-${cweNum}`);
  if (owasp) tags.push(`external/owasp/a${owasp[1]}-${owasp[2]}`);
  return {
    id: r.id,
    name: pascal(r.title),
    shortDescription: { text: r.title },
    fullDescription: { text: r.description },
    help: { text: `${r.fix}\n\nMitigation: ${r.mitigation}`, markdown: ruleMarkdown(r, { heading: false }) },
    ...(r.references[0] ? { helpUri: r.references[0] } : {}),
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: {
      "security-severity": SECURITY_SEVERITY[r.severity],
      tags,
      precision: "high",
      "problem.severity": LEVEL[r.severity] === "note" ? "recommendation" : LEVEL[r.severity],
      cwe: r.cwe,
      owasp: r.owasp,
      ...(r.djangoCheckIds.length ? { djangoCheckIds: r.djangoCheckIds } : {}),
    },
  };
}

function toResult(f: Finding, ruleIndex: number, suppressed?: SuppressedFinding): Sarif.Result {
  const loc = f.location;
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifact(loc.path),
          region: region(loc.startLine, loc.startColumn, loc.endLine, loc.endColumn, f.evidence),
        },
        ...(loc.symbol ? { logicalLocations: [{ fullyQualifiedName: loc.symbol }] } : {}),
      },
    ],
    partialFingerprints: { "djangoguard/v1": f.fingerprint },
    ...(f.trace?.length ? { codeFlows: [codeFlow(f.trace)] } : {}),
    ...(suppressed
      ? {
          suppressions: [
            {
              kind: "inSource",
              justification: suppressed.suppression.reason,
              location: { physicalLocation: { artifactLocation: artifact(suppressed.suppression.path), region: { startLine: suppressed.suppression.line } } },
            },
          ],
        }
      : {}),
    properties: {
      severity: f.severity,
      confidence: f.confidence,
      "security-severity": SECURITY_SEVERITY[f.severity],
      cwe: f.cwe,
      owasp: f.owasp,
      ...(f.djangoCheckId ? { djangoCheckId: f.djangoCheckId } : {}),
      ...(f.origin ? { origin: f.origin } : {}),
    },
  };
}

function codeFlow(trace: TraceStep[]): Sarif.CodeFlow {
  return {
    threadFlows: [
      {
        locations: trace.map((s) => ({
          location: {
            physicalLocation: { artifactLocation: artifact(s.path), region: region(s.line, s.column, s.line, undefined, s.snippet) },
            message: { text: s.note },
          },
          kinds: [s.kind === "step" ? "pass-through" : s.kind],
        })),
      },
    ],
  };
}

function toNotification(n: Note): Sarif.Notification {
  return {
    level: n.kind === "analysis-error" || n.kind === "parse-failed" || n.kind === "config" || n.kind === "suppression" ? "warning" : "note",
    message: { text: n.message },
    descriptor: { id: n.kind },
    ...(n.path ? { locations: [{ physicalLocation: { artifactLocation: artifact(n.path), ...(n.line ? { region: { startLine: n.line } } : {}) } }] } : {}),
  };
}

function artifact(p: string): Sarif.ArtifactLocation {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return { uri: p }; // probe findings point at a URL
  return { uri: p.split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

function region(startLine: number, startColumn: number, endLine: number, endColumn: number | undefined, snippet?: string): Sarif.Region {
  const sl = Math.max(1, startLine || 1);
  const el = Math.max(sl, endLine || sl);
  const sc = Math.max(1, startColumn || 1);
  const r: Sarif.Region = { startLine: sl, startColumn: sc, endLine: el };
  if (endColumn && (el > sl || endColumn > sc)) r.endColumn = endColumn;
  if (snippet) r.snippet = { text: snippet };
  return r;
}

function pascal(title: string): string {
  return title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : "")).replace(/^./, (c) => c.toUpperCase());
}

function metaFromFinding(f: Finding): RuleMeta {
  return {
    id: f.ruleId,
    title: f.title,
    severity: f.severity,
    cwe: f.cwe,
    owasp: f.owasp,
    djangoCheckIds: f.djangoCheckId ? [f.djangoCheckId] : [],
    description: f.title,
    impact: f.impact,
    fix: f.fix,
    mitigation: f.mitigation,
    falsePositives: f.falsePositiveNotes,
    references: [],
  };
}
