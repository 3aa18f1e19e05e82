// The library entry point: scan a Django project and return the same object the
// CLI prints with --format json. Pipeline: config → discovery → rules →
// severity overrides → min-severity/confidence → inline suppressions → baseline.
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { loadProject } from "./discovery/load.js";
import { runRules } from "./engine.js";
import { confidenceRank, severityRank, type Confidence, type Finding, type Note, type Severity } from "./findings.js";
import { defaultOptions, type ScanOptions } from "./options.js";
import { RULES } from "./rules/index.js";
import type { Rule } from "./rules/types.js";
import { VERSION } from "./version.js";
import { redact } from "./redact.js";
import { settingsSummary } from "./django/production.js";
import { ConfigError, loadConfig, type ConfigOptions } from "./config/load.js";
import { applySuppressions, parseSuppressions, type SuppressedFinding } from "./suppress.js";
import { readBaseline } from "./baseline.js";
import { defaultDatabasePath } from "./deps/advisories.js";
import { probeAndMerge } from "./probe/merge.js";
import type { ProbeResult } from "./probe/probe.js";

export interface ScanResult {
  tool: { name: "djangoguard"; version: string };
  /** absolute path of the scanned root */
  root: string;
  /** which settings module was evaluated as production, and why */
  settings: { module: string | null; reason: string };
  /** the effective policy: where config came from and the thresholds applied */
  config: {
    /** config file relative to the root (".djangoguard.toml" or "pyproject.toml"), or null */
    file: string | null;
    failOn: Severity | "none";
    minSeverity: Severity;
    minConfidence: Confidence;
    /** absolute path of the baseline used, or null */
    baseline: string | null;
  };
  findings: Finding[];
  /** findings silenced by an inline `djangoguard: ignore[...]` comment, with its reason */
  suppressed: SuppressedFinding[];
  notes: Note[];
  /** with --probe: the live site checked and every request sent (findings are merged above) */
  probe?: Pick<ProbeResult, "url" | "base" | "checked" | "requests" | "observations"> & { failure?: string };
  summary: {
    files: number;
    lines: number;
    /** rules that ran */
    rules: number;
    findings: number;
    bySeverity: Record<Severity, number>;
    /** findings hidden by inline suppressions */
    suppressed: number;
    /** findings hidden because their fingerprint is in the baseline */
    baselined: number;
    durationMs: number;
  };
}

export function selectRules(options: Pick<ScanOptions, "rules" | "excludeRules">, all: readonly Rule[] = RULES): Rule[] {
  const only = new Set(options.rules.map((r) => r.toUpperCase()));
  const skip = new Set(options.excludeRules.map((r) => r.toUpperCase()));
  return all.filter((r) => (only.size === 0 || only.has(r.id)) && !skip.has(r.id));
}

export async function scan(root: string, partial: Partial<ScanOptions> = {}): Promise<ScanResult> {
  return scanWith(root, partial, RULES);
}

/** scan() with an explicit rule list (tests use it to run a rule of their own). */
export async function scanWith(root: string, partial: Partial<ScanOptions>, rules: readonly Rule[]): Promise<ScanResult> {
  const started = performance.now();
  const absRoot = path.resolve(root);
  const st = await fs.stat(absRoot).catch(() => null);
  if (!st?.isDirectory()) throw new ConfigError(`${root} is not a directory`);
  const config = await loadConfig(absRoot, partial.configFile);
  const options = mergeOptions(defaultOptions(absRoot), config.options, partial);
  const known = new Set(rules.map((r) => r.id));
  checkRuleIds(options.rules, "--rules / rules", known);
  checkRuleIds(options.excludeRules, "--exclude-rules / disable", known);
  checkRuleIds(Object.keys(options.severityOverrides), "severity overrides", known);
  // The advisory database `djangoguard db update` wrote is used when none is named,
  // by the CLI and the library alike (their results must be the same object).
  if (options.advisoryDb === undefined && existsSync(defaultDatabasePath())) options.advisoryDb = defaultDatabasePath();
  // baseline "" means "apply none" (the CLI's --write-baseline records every current finding)
  const baseline = options.baseline ? await readBaseline(options.baseline) : null;

  const project = await loadProject(options, options.onProgress);
  project.notes.unshift(...config.notes);
  const selected = selectRules(options, rules);
  options.onProgress?.({ phase: "rules", done: 0, total: 0 });
  let findings = runRules(project, selected);
  let probed: ProbeResult | undefined;
  if (options.probeUrl) {
    const analysed = settingsSummary(project).module !== null;
    const ids = new Set(selected.map((r) => r.id));
    ({ findings, result: probed } = await probeAndMerge(findings, options.probeUrl, options.probe ?? {}, ids, project.notes, analysed));
  }
  findings = findings
    .map((f) => (options.severityOverrides[f.ruleId] ? { ...f, severity: options.severityOverrides[f.ruleId]! } : f))
    .filter((f) => severityRank(f.severity) >= severityRank(options.minSeverity))
    .filter((f) => confidenceRank(f.confidence) >= confidenceRank(options.minConfidence));

  const registered = (id: string) => known.has(id) || RULES.some((r) => r.id === id);
  const suppressions = project.files.flatMap((f) => parseSuppressions(f.path, f.text, registered, project.notes));
  const { kept, suppressed, unused } = applySuppressions(findings, suppressions);
  // A suppression that matched nothing is only reported when every rule it names ran
  // unfiltered, so --rules or a threshold never makes a valid one look stale.
  if (options.minSeverity === "low" && options.minConfidence === "low") {
    const ran = new Set(selected.map((r) => r.id));
    for (const s of unused) {
      if (!s.ruleIds.every((id) => ran.has(id))) continue;
      project.note({
        path: s.path,
        line: s.line,
        kind: "suppression",
        message: `suppression of ${s.ruleIds.join(", ")} matches no finding on ${s.ownLine ? "this or the next line" : "this line"}: remove it if the code changed, or put it on the finding's first line`,
      });
    }
  }
  findings = kept;
  const before = findings.length;
  if (baseline) findings = findings.filter((f) => !baseline.has(f.fingerprint));
  const baselined = before - findings.length;
  findings.sort(compareFindings);
  suppressed.sort(compareFindings);

  const settings = settingsSummary(project);

  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) bySeverity[f.severity]++;
  const lines = project.files.reduce((n, f) => n + countLines(f.text), 0);
  return {
    tool: { name: "djangoguard", version: VERSION },
    root: options.root,
    settings,
    config: {
      file: config.file,
      failOn: options.failOn,
      minSeverity: options.minSeverity,
      minConfidence: options.minConfidence,
      baseline: options.baseline || null,
    },
    findings,
    suppressed,
    // Notes quote file text (an invalid requirement line, a parser error): one
    // redaction pass here covers every producer, as the engine does for findings.
    notes: project.notes.map((n) => ({ ...n, message: redact(n.message) })),
    ...(probed ? { probe: { url: probed.url, base: probed.base, checked: probed.checked, requests: probed.requests, observations: probed.observations, ...(probed.failure ? { failure: probed.failure } : {}) } } : {}),
    summary: {
      files: project.files.length,
      lines,
      rules: selected.length,
      findings: findings.length,
      bySeverity,
      suppressed: suppressed.length,
      baselined,
      durationMs: Math.round(performance.now() - started),
    },
  };
}

/** Defaults, then the config file, then explicit options (CLI flags / API). Lists add up; maps merge. */
export function mergeOptions(defaults: ScanOptions, config: ConfigOptions, explicit: Partial<ScanOptions>): ScanOptions {
  const given = Object.fromEntries(Object.entries(explicit).filter(([, v]) => v !== undefined)) as Partial<ScanOptions>;
  return {
    ...defaults,
    ...config,
    ...given,
    root: defaults.root,
    include: [...(config.include ?? []), ...(given.include ?? [])],
    exclude: [...(config.exclude ?? []), ...(given.exclude ?? [])],
    rules: given.rules?.length ? given.rules : (config.rules ?? []),
    excludeRules: [...(config.excludeRules ?? []), ...(given.excludeRules ?? [])],
    severityOverrides: { ...config.severityOverrides, ...given.severityOverrides },
    env: { ...config.env, ...given.env },
  };
}

function checkRuleIds(ids: string[], where: string, known: Set<string>): void {
  for (const raw of ids) {
    const id = raw.toUpperCase();
    if (known.has(id)) continue;
    const tail = id.replace(/^DJANGO-/, "");
    const guess = [...known].find((k) => k.endsWith(`-${tail}`) || k.includes(tail.split("-")[0] ?? "\u0000"));
    throw new ConfigError(`unknown rule ID ${raw} in ${where}${guess ? ` (did you mean ${guess}?)` : ""}; \`djangoguard rules\` lists them`);
  }
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

/** Exit code for CI: 1 when any finding is at or above the threshold (default: the scan's effective fail-on). */
export function exitCodeFor(result: ScanResult, failOn: Severity | "none" = result.config.failOn): 0 | 1 {
  if (failOn === "none") return 0;
  return result.findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) ? 1 : 0;
}
