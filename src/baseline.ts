// Baselines: `--write-baseline FILE` records the fingerprints of today's
// findings; `--baseline FILE` then reports only findings whose fingerprint is
// not recorded, so CI fails on new problems while old ones are worked off.
// Fingerprints ignore line numbers (see fingerprint.ts), so edits above a
// finding keep it baselined. The format is documented in docs/json-format.md.
import { promises as fs } from "node:fs";
import type { Finding } from "./findings.js";
import { VERSION } from "./version.js";

export const BASELINE_FORMAT = "djangoguard-baseline/v1";

export interface BaselineEntry {
  fingerprint: string;
  /** the rest is for people reading the file; matching uses the fingerprint only */
  ruleId: string;
  path: string;
  line: number;
  symbol?: string;
}

export interface Baseline {
  format: typeof BASELINE_FORMAT;
  tool: { name: "djangoguard"; version: string };
  entries: BaselineEntry[];
}

export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BaselineError";
  }
}

export function makeBaseline(findings: readonly Finding[]): Baseline {
  const entries = findings
    .map((f) => ({
      fingerprint: f.fingerprint,
      ruleId: f.ruleId,
      path: f.location.path,
      line: f.location.startLine,
      ...(f.location.symbol ? { symbol: f.location.symbol } : {}),
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)));
  return { format: BASELINE_FORMAT, tool: { name: "djangoguard", version: VERSION }, entries };
}

export async function writeBaseline(file: string, findings: readonly Finding[]): Promise<void> {
  await fs.writeFile(file, JSON.stringify(makeBaseline(findings), null, 2) + "\n");
}

/** The set of baselined fingerprints in FILE; a missing or malformed file is a BaselineError. */
export async function readBaseline(file: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (e) {
    throw new BaselineError(`baseline ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`baseline ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const b = doc as Partial<Baseline>;
  if (typeof doc !== "object" || doc === null || b.format !== BASELINE_FORMAT || !Array.isArray(b.entries)) {
    throw new BaselineError(`baseline ${file} is not a djangoguard baseline (expected "format": "${BASELINE_FORMAT}"; write one with --write-baseline)`);
  }
  const out = new Set<string>();
  for (const e of b.entries) {
    if (typeof e?.fingerprint !== "string") throw new BaselineError(`baseline ${file}: every entry needs a "fingerprint" string`);
    out.add(e.fingerprint);
  }
  return out;
}
