// Library API: `import { scan } from "djangoguard"` returns the same object the
// CLI prints with --format json.
export { scan, exitCodeFor, type ScanResult } from "./scan.js";
export type { Finding, Note, Severity, Confidence, Location, TraceStep } from "./findings.js";
export type { ScanOptions } from "./options.js";
export { RULES, getRule } from "./rules/index.js";
export type { Rule, RuleMeta } from "./rules/types.js";
export { render, FORMATS, type Format } from "./report/index.js";
export { ConfigError } from "./config/load.js";
export { BaselineError, makeBaseline, type Baseline } from "./baseline.js";
export type { SuppressedFinding } from "./suppress.js";
export { probe, probeToScanResult, type ProbeOptions, type ProbeResult } from "./probe/probe.js";
