// Project configuration: `.djangoguard.toml` at the scanned root, or the
// `[tool.djangoguard]` table of its `pyproject.toml` (the first found wins).
// Config fills ScanOptions; explicit CLI flags / library options win over it.
// A file that cannot be read or parsed, or holds a bad value, is a ConfigError
// (the CLI exits 2 with the file and the reason); unknown keys are notes.
import { promises as fs } from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { CONFIDENCES, SEVERITIES, type Confidence, type Note, type Severity } from "../findings.js";
import type { ScanOptions, TlsMode } from "../options.js";
import { parseDotenv } from "../django/settings/dotenv.js";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** What a config file contributes; lists and maps are merged with the caller's. */
export type ConfigOptions = Partial<
  Pick<
    ScanOptions,
    | "include" | "exclude" | "rules" | "excludeRules" | "severityOverrides" | "settingsModule" | "env" | "tls"
    | "djangoVersion" | "failOn" | "minSeverity" | "minConfidence" | "baseline" | "maxFileSize" | "includeTests" | "advisoryDb"
  >
>;

export interface LoadedConfig {
  /** POSIX path of the file relative to the root (e.g. "pyproject.toml"), or null when there is none */
  file: string | null;
  options: ConfigOptions;
  notes: Note[];
}

/** The keys a config table understands, as written in TOML. */
const CONFIG_KEYS = [
  "include", "exclude", "rules", "disable", "severity", "settings", "env", "tls", "django-version",
  "fail-on", "min-severity", "min-confidence", "baseline", "max-file-size", "include-tests", "env-file", "advisory-db",
] as const;

/**
 * The config for a scan of `root`: `explicit` (a `.djangoguard.toml`-style file, or a
 * pyproject.toml whose [tool.djangoguard] table is used) when given, else the root's own.
 * Relative paths inside a config file are relative to the file's directory.
 */
export async function loadConfig(root: string, explicit?: string): Promise<LoadedConfig> {
  if (explicit) return loadExplicit(explicit);
  const own = path.join(root, ".djangoguard.toml");
  const ownText = await readIfExists(own);
  if (ownText !== null) return withEnvFile(root, fromTable(".djangoguard.toml", root, parse(".djangoguard.toml", ownText)));

  const pyproject = path.join(root, "pyproject.toml");
  const pyText = await readIfExists(pyproject);
  if (pyText !== null) {
    let doc: Record<string, unknown>;
    try {
      doc = parseToml(pyText) as Record<string, unknown>;
    } catch (e) {
      // pyproject.toml belongs to the project: a broken one only matters to us if it holds our table.
      if (/^\s*\[tool\.djangoguard\]/m.test(pyText)) throw new ConfigError(`pyproject.toml: invalid TOML: ${oneLine(e)}`);
      return { file: null, options: {}, notes: [{ path: "pyproject.toml", kind: "config", message: `not valid TOML, so no [tool.djangoguard] settings were read: ${oneLine(e)}` }] };
    }
    const table = toolTable(doc);
    if (table !== undefined) {
      if (!isTable(table)) throw new ConfigError("pyproject.toml: [tool.djangoguard] must be a table");
      return withEnvFile(root, fromTable("pyproject.toml", root, table, "[tool.djangoguard]."));
    }
  }
  return { file: null, options: {}, notes: [] };
}

async function loadExplicit(file: string): Promise<LoadedConfig> {
  const abs = path.resolve(file);
  const text = await readIfExists(abs);
  if (text === null) throw new ConfigError(`${file}: config file not found`);
  const base = path.dirname(abs);
  const doc = parse(file, text);
  if (path.basename(abs) !== "pyproject.toml") return withEnvFile(base, fromTable(file, base, doc));
  const table = toolTable(doc);
  if (!isTable(table)) throw new ConfigError(`${file}: has no [tool.djangoguard] table`);
  return withEnvFile(base, fromTable(file, base, table, "[tool.djangoguard]."));
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw new ConfigError(`${path.basename(file)}: cannot be read (${code ?? oneLine(e)})`);
  }
}

function parse(file: string, text: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(`${file}: invalid TOML: ${oneLine(e)}`);
  }
}

function oneLine(e: unknown): string {
  const msg = (e instanceof Error ? e.message : String(e)).split("\n")[0]!.trim();
  // smol-toml puts a code frame after the first line and the position on the error
  const { line, column } = e as { line?: number; column?: number };
  return typeof line === "number" ? `${msg.replace(/^Invalid TOML document:\s*/, "")} (line ${line}${typeof column === "number" ? `, column ${column}` : ""})` : msg;
}

/** A parsed pyproject.toml's [tool.djangoguard] value, whatever its type; undefined when absent. */
function toolTable(doc: Record<string, unknown>): unknown {
  const tool = doc.tool as Record<string, unknown> | undefined;
  return tool && typeof tool === "object" ? tool.djangoguard : undefined;
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** `env-file = ".env.production"`: its variables, under the `env` table's (which win). */
async function withEnvFile(root: string, loaded: LoadedConfig & { envFile?: { key: string; file: string } }): Promise<LoadedConfig> {
  const { envFile, ...config } = loaded;
  if (!envFile) return config;
  let text: string;
  try {
    text = await fs.readFile(path.resolve(root, envFile.file), "utf8");
  } catch (e) {
    throw new ConfigError(`${config.file}: ${envFile.key} ${envFile.file} cannot be read (${(e as NodeJS.ErrnoException).code ?? oneLine(e)})`);
  }
  const fromFile = Object.fromEntries(parseDotenv(text).map(({ key, value }) => [key, value]));
  return { ...config, options: { ...config.options, env: { ...fromFile, ...config.options.env } } };
}

function fromTable(file: string, root: string, table: Record<string, unknown>, prefix = ""): LoadedConfig & { envFile?: { key: string; file: string } } {
  let envFile: { key: string; file: string } | undefined;
  const options: ConfigOptions = {};
  const notes: Note[] = [];
  const where = (key: string) => `${file}: ${prefix}${key}`;
  const strings = (key: string, v: unknown): string[] => {
    if (typeof v === "string") return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
    throw new ConfigError(`${where(key)} must be a string or a list of strings`);
  };
  const str = (key: string, v: unknown): string => {
    if (typeof v !== "string" || v === "") throw new ConfigError(`${where(key)} must be a non-empty string`);
    return v;
  };
  const severity = (key: string, v: unknown): Severity => {
    if (!SEVERITIES.includes(v as Severity)) throw new ConfigError(`${where(key)} must be one of ${SEVERITIES.join(", ")} (got ${JSON.stringify(v)})`);
    return v as Severity;
  };
  for (const [key, v] of Object.entries(table)) {
    switch (key) {
      case "include": options.include = strings(key, v); break;
      case "exclude": options.exclude = strings(key, v); break;
      case "rules": options.rules = strings(key, v).map((s) => s.toUpperCase()); break;
      case "disable": options.excludeRules = strings(key, v).map((s) => s.toUpperCase()); break;
      case "severity": {
        if (!isTable(v)) throw new ConfigError(`${where(key)} must be a table of RULE-ID = "severity"`);
        options.severityOverrides = Object.fromEntries(Object.entries(v).map(([id, s]) => [id.toUpperCase(), severity(`severity.${id}`, s)]));
        break;
      }
      case "settings": options.settingsModule = str(key, v); break;
      case "env": {
        if (!isTable(v)) throw new ConfigError(`${where(key)} must be a table of NAME = "value"`);
        options.env = Object.fromEntries(
          Object.entries(v).map(([name, value]) => {
            if (typeof value === "object" && value !== null) throw new ConfigError(`${where(`env.${name}`)} must be a string, number or boolean`);
            return [name, String(value)];
          }),
        );
        break;
      }
      case "tls": {
        const mode = v === true ? "yes" : v === false ? "no" : v;
        if (mode !== "yes" && mode !== "no" && mode !== "auto") throw new ConfigError(`${where(key)} must be "yes", "no" or "auto" (or true/false)`);
        options.tls = mode as TlsMode;
        break;
      }
      case "django-version": options.djangoVersion = typeof v === "number" ? String(v) : str(key, v); break;
      case "fail-on": options.failOn = v === "none" ? "none" : severity(key, v); break;
      case "min-severity": options.minSeverity = severity(key, v); break;
      case "min-confidence": {
        if (!CONFIDENCES.includes(v as Confidence)) throw new ConfigError(`${where(key)} must be one of ${CONFIDENCES.join(", ")} (got ${JSON.stringify(v)})`);
        options.minConfidence = v as Confidence;
        break;
      }
      case "baseline": options.baseline = path.resolve(root, str(key, v)); break;
      case "advisory-db": options.advisoryDb = path.resolve(root, str(key, v)); break;
      case "env-file": envFile = { key: `${prefix}${key}`, file: str(key, v) }; break;
      case "max-file-size": {
        if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw new ConfigError(`${where(key)} must be a positive integer (bytes)`);
        options.maxFileSize = v;
        break;
      }
      case "include-tests": {
        if (typeof v !== "boolean") throw new ConfigError(`${where(key)} must be true or false`);
        options.includeTests = v;
        break;
      }
      default:
        notes.push({ path: file, kind: "config", message: `unknown key ${prefix}${key} ignored (known: ${CONFIG_KEYS.join(", ")})` });
    }
  }
  return { file, options, notes, ...(envFile ? { envFile } : {}) };
}
