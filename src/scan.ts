// The library entry point: scan a Django project and return the same object the
// CLI prints with --format json.
import path from "node:path";
import { loadProject } from "./discovery/load.js";
import { runRules } from "./engine.js";
import { confidenceRank, severityRank, type Finding, type Note, type Severity } from "./findings.js";
import { defaultOptions, type ScanOptions } from "./options.js";
import { RULES } from "./rules/index.js";
import type { Rule } from "./rules/types.js";
import { VERSION } from "./version.js";
import { settingsSummary } from "./django/production.js";

export interface ScanResult {
  tool: { name: "djangoguard"; version: string };
  /** absolute path of the scanned root */
  root: string;
  /** which settings module was evaluated as production, and why */
  settings: { module: string | null; reason: string };
  findings: Finding[];
  notes: Note[];
  summary: {
    files: number;
    lines: number;
    findings: number;
    bySeverity: Record<Severity, number>;
    durationMs: number;
  };
}

export function selectRules(options: Pick<ScanOptions, "rules" | "excludeRules">, all: readonly Rule[] = RULES): Rule[] {
  const only = new Set(options.rules.map((r) => r.toUpperCase()));
  const skip = new Set(options.excludeRules.map((r) => r.toUpperCase()));
  return all.filter((r) => (only.size === 0 || only.has(r.id)) && !skip.has(r.id));
}

export async function scan(root: string, partial: Partial<ScanOptions> = {}): Promise<ScanResult> {
  const started = performance.now();
  const options: ScanOptions = { ...defaultOptions(path.resolve(root)), ...partial, root: path.resolve(root) };
  const project = await loadProject(options);
  let findings = runRules(project, selectRules(options));
  findings = findings
    .map((f) => (options.severityOverrides[f.ruleId] ? { ...f, severity: options.severityOverrides[f.ruleId]! } : f))
    .filter((f) => severityRank(f.severity) >= severityRank(options.minSeverity))
    .filter((f) => confidenceRank(f.confidence) >= confidenceRank(options.minConfidence));
  findings.sort(compareFindings);

  const settings = settingsSummary(project);

  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) bySeverity[f.severity]++;
  const lines = project.files.reduce((n, f) => n + countLines(f.text), 0);
  return {
    tool: { name: "djangoguard", version: VERSION },
    root: options.root,
    settings,
    findings,
    notes: project.notes,
    summary: { files: project.files.length, lines, findings: findings.length, bySeverity, durationMs: Math.round(performance.now() - started) },
  };
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    (a.location.path < b.location.path ? -1 : a.location.path > b.location.path ? 1 : 0) ||
    a.location.startLine - b.location.startLine ||
    a.location.startColumn - b.location.startColumn ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

function countLines(text: string): number {
  if (!text) return 0;
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Exit code for CI: 1 when any finding is at or above the threshold. */
export function exitCodeFor(result: ScanResult, failOn: Severity | "none"): 0 | 1 {
  if (failOn === "none") return 0;
  return result.findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) ? 1 : 0;
}
