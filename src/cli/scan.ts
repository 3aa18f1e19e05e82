// `djangoguard scan PATH`: flags → scan() → a reporter → exit code.
// Flags given on the command line win over the project's config file; flags not
// given are left out so that the config (and then the defaults) apply.
import { promises as fs } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { writeBaseline } from "../baseline.js";
import { ConfigError } from "../config/load.js";
import { parseDotenv } from "../django/settings/dotenv.js";
import { readFileSync } from "node:fs";
import { CONFIDENCES, SEVERITIES, type Confidence, type Severity } from "../findings.js";
import type { ScanOptions, TlsMode } from "../options.js";
import { createProgressBar } from "../progress.js";
import { summaryLine } from "../report/summary.js";
import { FORMATS, render, type Format } from "../report/index.js";
import { RULES } from "../rules/index.js";
import type { Rule } from "../rules/types.js";
import { exitCodeFor, scanWith } from "../scan.js";
import { addProbeFlags, probeOptionsFromFlags, type ProbeFlags } from "./probe.js";

interface ScanFlags extends ProbeFlags {
  probe?: string;
  format: string;
  output?: string;
  failOn?: string;
  minSeverity?: string;
  minConfidence?: string;
  rules?: string;
  excludeRules?: string;
  exclude?: string[];
  include?: string[];
  settings?: string;
  env?: string[];
  envFile?: string;
  tls?: string;
  djangoVersion?: string;
  baseline?: string;
  advisoryDb?: string;
  writeBaseline?: string;
  config?: string;
  color?: boolean;
  progress?: boolean;
  maxFileSize?: string;
  includeTests?: boolean;
  cacheDir?: string;
  /** false with --no-cache */
  cache?: boolean;
  workers?: string;
  parser?: string;
}

export function registerScan(program: Command, rules: readonly Rule[] = RULES): void {
  const cmd = program
    .command("scan")
    .description("Scan a Django project and report security findings")
    .argument("[path]", "project root", ".")
    .option("-f, --format <format>", FORMATS.join(" | "), "text")
    .option("-o, --output <file>", "write the report to a file (never coloured)")
    .option("--fail-on <severity>", `exit 1 on findings at or above: ${SEVERITIES.join("|")}|none (default: high)`)
    .option("--min-severity <severity>", "hide findings below this severity (default: low)")
    .option("--min-confidence <confidence>", "hide findings below this confidence (default: low)")
    .option("--rules <ids>", "only these rule IDs (comma-separated)")
    .option("--exclude-rules <ids>", "skip these rule IDs (comma-separated)")
    .option("--exclude <glob...>", "leave out paths (gitignore syntax)")
    .option("--include <glob...>", "scan paths that the default excludes leave out")
    .option("--settings <module>", "the production settings module, e.g. shop.settings.production")
    .option("--env <KEY=VALUE...>", "production environment variable for the settings evaluator")
    .option("--env-file <path>", "dotenv file with the production environment for the settings evaluator (--env wins)")
    .option("--tls <mode>", "is the site served over HTTPS: yes|no|auto (default: auto)")
    .option("--django-version <version>", "Django version, when requirement files do not say")
    .option("--advisory-db <file>", "OSV advisory database for known-vulnerable dependencies (default: the one `db update` wrote, if any)")
    .option("-c, --config <file>", "use this config file (.djangoguard.toml format, or a pyproject.toml) instead of the root's")
    .option("--baseline <file>", "report only findings whose fingerprint is not in this baseline")
    .option("--write-baseline <file>", "write the fingerprints of the current findings to this file (exit 0)")
    .option("--no-color", "never colour the text report")
    .option("--no-progress", "no progress bar on stderr (it is only drawn on a terminal, for long scans)")
    .option("--include-tests", "also analyse test code and migrations (tests/, test_*.py, migrations/...; left out by default) like the rest of the code")
    .option("--max-file-size <size>", "skip files larger than this, with a note (bytes, or e.g. 512k, 4m; default: 2m)")
    .option("--parser <name>", "auto = our own Python parser, tree-sitter for files it declines (syntax errors, Python 2); tree-sitter = tree-sitter for every file (default: auto)")
    .option("--workers <n>", "tree-sitter parse workers: 0 = main thread, auto = by how much tree-sitter parses and cores (default: auto)")
    .option("--cache-dir <dir>", "where parse results of unchanged files are kept between scans (default: $XDG_CACHE_HOME/djangoguard or ~/.cache/djangoguard)")
    .option("--no-cache", "parse every file, and keep nothing between scans")
    .option("--probe <url>", "also probe this running site and merge the live evidence (probe flags below apply)");
  addProbeFlags(cmd)
    .action(async (root: string, o: ScanFlags) => {
      const format = oneOf(o.format, FORMATS, "--format") as Format;
      const bar = o.progress !== false && process.stderr.isTTY === true ? createProgressBar(process.stderr) : null;
      let result: Awaited<ReturnType<typeof scanWith>>;
      try {
        // --write-baseline records every current finding, so no baseline (flag or config) applies in that run
        const baselineOff = o.writeBaseline ? { baseline: "" } : {};
        result = await scanWith(root, { ...scanOptionsFromFlags(o), ...baselineOff, ...(bar ? { onProgress: bar.update } : {}) }, rules);
      } finally {
        bar?.finish();
      }
      if (o.writeBaseline) {
        await writeBaseline(o.writeBaseline, result.findings).catch((e: NodeJS.ErrnoException) => {
          throw new ConfigError(`cannot write baseline ${o.writeBaseline} (${e.code ?? e.message})`);
        });
      }
      const color = o.color !== false && !o.output && process.stdout.isTTY === true && !("NO_COLOR" in process.env && process.env.NO_COLOR !== "");
      const report = render(result, format, { color });
      if (o.output) {
        await fs.writeFile(o.output, report).catch((e: NodeJS.ErrnoException) => {
          throw new ConfigError(`cannot write ${o.output} (${e.code ?? e.message})`);
        });
      } else process.stdout.write(report);
      if (o.writeBaseline) process.stderr.write(`djangoguard: wrote ${result.findings.length} fingerprints to ${o.writeBaseline}\n`);
      // The report ends with the summary; when it went to a file, say it on the terminal.
      if (o.output) process.stderr.write(summaryLine(result));
      process.exitCode = o.writeBaseline ? 0 : exitCodeFor(result);
    });
}

/** Only the flags actually given, validated; a bad value is a ConfigError (exit 2). */
export function scanOptionsFromFlags(o: ScanFlags): Partial<ScanOptions> {
  const list = (v: string | undefined) => (v === undefined ? undefined : v.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean));
  let env: Record<string, string> | undefined;
  if (o.envFile) {
    let text: string;
    try {
      text = readFileSync(o.envFile, "utf8");
    } catch (e) {
      throw new ConfigError(`--env-file ${o.envFile} cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    for (const { key, value } of parseDotenv(text)) (env ??= {})[key] = value;
  }
  for (const kv of o.env ?? []) {
    const i = kv.indexOf("=");
    if (i <= 0) throw new ConfigError(`--env takes KEY=VALUE, got ${JSON.stringify(kv)}`);
    (env ??= {})[kv.slice(0, i)] = kv.slice(i + 1);
  }
  const opts: Partial<ScanOptions> = {
    failOn: o.failOn === undefined ? undefined : o.failOn === "none" ? "none" : (oneOf(o.failOn, SEVERITIES, "--fail-on", ["none"]) as Severity),
    minSeverity: o.minSeverity === undefined ? undefined : (oneOf(o.minSeverity, SEVERITIES, "--min-severity") as Severity),
    minConfidence: o.minConfidence === undefined ? undefined : (oneOf(o.minConfidence, CONFIDENCES, "--min-confidence") as Confidence),
    rules: list(o.rules),
    excludeRules: list(o.excludeRules),
    exclude: o.exclude,
    include: o.include,
    env,
    tls: o.tls === undefined ? undefined : (oneOf(o.tls, ["yes", "no", "auto"], "--tls") as TlsMode),
    settingsModule: o.settings,
    djangoVersion: o.djangoVersion,
    baseline: o.baseline,
    configFile: o.config,
    advisoryDb: o.advisoryDb,
    maxFileSize: o.maxFileSize === undefined ? undefined : parseSize(o.maxFileSize),
    includeTests: o.includeTests,
    cacheDir: o.cache === false ? null : o.cacheDir === undefined ? undefined : path.resolve(o.cacheDir),
    workers: o.workers === undefined ? undefined : parseWorkers(o.workers),
    parser: o.parser === undefined ? undefined : (oneOf(o.parser, ["auto", "tree-sitter"], "--parser") as ScanOptions["parser"]),
    probeUrl: o.probe,
    probe: o.probe ? probeOptionsFromFlags(o) : undefined,
  };
  return Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as Partial<ScanOptions>;
}

function oneOf(value: string, allowed: readonly string[], flag: string, extra: readonly string[] = []): string {
  const v = value.toLowerCase();
  if (![...allowed, ...extra].includes(v)) throw new ConfigError(`${flag} takes ${[...allowed, ...extra].join("|")}, got ${JSON.stringify(value)}`);
  return v;
}

/** "2000000", "512k", "4m", "1g" → bytes. */
export function parseSize(v: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$/i.exec(v);
  if (!m) throw new ConfigError(`--max-file-size takes a size such as 2000000, 512k or 4m, got ${JSON.stringify(v)}`);
  const unit = (m[2] ?? "b").toLowerCase()[0]!;
  const mult = unit === "k" ? 1024 : unit === "m" ? 1024 ** 2 : unit === "g" ? 1024 ** 3 : 1;
  const n = Math.floor(Number(m[1]) * mult);
  if (n <= 0) throw new ConfigError(`--max-file-size must be positive, got ${JSON.stringify(v)}`);
  return n;
}

function parseWorkers(v: string): number {
  if (v.toLowerCase() === "auto") return -1;
  if (!/^\d+$/.test(v.trim())) throw new ConfigError(`--workers takes a number or auto, got ${JSON.stringify(v)}`);
  return Number(v);
}
