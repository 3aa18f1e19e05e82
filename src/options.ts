// Every knob a scan understands. The CLI, the config file ([tool.djangoguard] or
// .djangoguard.toml) and the library API all fill this one shape.
import type { LoadProgressEvent as ProgressEvent } from "./discovery/load.js";
import type { Confidence, Severity } from "./findings.js";
import type { ProbeOptions } from "./probe/probe.js";
import { defaultCacheDir } from "./python/tape-cache.js";

export type TlsMode = "yes" | "no" | "auto";

export interface ScanOptions {
  /** absolute path of the scanned root */
  root: string;
  /** extra globs to include even when ignored by default excludes */
  include: string[];
  /** globs to leave out (gitignore syntax, relative to the root) */
  exclude: string[];
  /** only these rule IDs (empty: all) */
  rules: string[];
  excludeRules: string[];
  minSeverity: Severity;
  minConfidence: Confidence;
  failOn: Severity | "none";
  /** dotted settings module chosen by the user, e.g. "shop.settings.production" */
  settingsModule?: string;
  /** the production environment the settings are evaluated under */
  env: Record<string, string>;
  tls: TlsMode;
  /** e.g. "4.2"; otherwise read from requirement/lock files */
  djangoVersion?: string;
  /** per-rule severity overrides from config */
  severityOverrides: Record<string, Severity>;
  baseline?: string;
  /** a config file to use instead of the root's .djangoguard.toml / pyproject.toml */
  configFile?: string;
  /** files larger than this many bytes are skipped with a note */
  maxFileSize: number;
  /** also parse and analyse test code and migrations (isTestCode); off by default, with a note */
  includeTests: boolean;
  progress: boolean;
  /** parse workers; 0 = parse on the main thread, -1 = auto (by size and cores; see README "Speed") */
  workers: number;
  /** "auto": our own parser, tree-sitter for the files it declines (syntax errors,
   *  Python 2); "tree-sitter": tree-sitter for every file (README "Speed") */
  parser: "auto" | "tree-sitter";
  /** where parse tapes are cached between scans (README "Speed"); null: no cache */
  cacheDir: string | null;
  /** progress events while loading and analysing (the CLI draws a bar from them) */
  onProgress?: (e: ProgressEvent) => void;
  /** OSV advisory database for SUPPLY-001 (`djangoguard db update` builds it); unset: no advisory lookup */
  advisoryDb?: string;
  /** a live site to probe and merge into the static findings */
  probeUrl?: string;
  /** how to probe it (request budget, timeouts, --insecure, credentials) */
  probe?: Partial<ProbeOptions>;
}

export function defaultOptions(root: string): ScanOptions {
  return {
    root,
    include: [],
    exclude: [],
    rules: [],
    excludeRules: [],
    minSeverity: "low",
    minConfidence: "low",
    failOn: "high",
    env: {},
    tls: "auto",
    severityOverrides: {},
    maxFileSize: 2 * 1024 * 1024,
    includeTests: false,
    progress: false,
    workers: -1,
    parser: "auto",
    cacheDir: defaultCacheDir(),
  };
}
