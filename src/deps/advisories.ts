// Known advisories for PyPI packages, from OSV records (the OSV export for PyPI,
// the PyPA advisory database, or the OSV API). Records are reduced to a compact
// index per package; questions are answered with PEP 440 comparisons.
import { promises as fs, readFileSync } from "node:fs";
import path from "node:path";
import { compare, valid } from "@renovatebot/pep440";
import { normalizeName } from "./pep508.js";
import { cacheRoot } from "../cache-dir.js";

export interface RangeEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
}

export interface Advisory {
  id: string;
  aliases: string[];
  summary: string;
  /** as the record gives it: a CVSS vector or a word such as "HIGH"; null when the record has none */
  severity: string | null;
  /** ECOSYSTEM ranges for this package, each a list of events */
  ranges: RangeEvent[][];
  /** versions the record lists explicitly */
  versions: string[];
  /** the record is withdrawn */
  withdrawn?: boolean;
}

export interface AdvisoryDatabase {
  format: "djangoguard-osv-pypi/1";
  source: string;
  built: string;
  records: number;
  packages: Record<string, Advisory[]>;
}

const DB_FORMAT = "djangoguard-osv-pypi/1" as const;

/** Where `db update` writes and `deps`/`scan` read by default. */
export function defaultDatabasePath(): string {
  if (process.env.DJANGOGUARD_DB) return process.env.DJANGOGUARD_DB;
  return path.join(cacheRoot(), "osv-pypi.json");
}

type OsvRecord = {
  id?: unknown;
  aliases?: unknown;
  summary?: unknown;
  details?: unknown;
  withdrawn?: unknown;
  severity?: unknown;
  database_specific?: unknown;
  affected?: unknown;
};

/** Reduce one OSV record to per-package advisories (PyPI entries only). */
function advisoriesFromOsv(rec: OsvRecord): [string, Advisory][] {
  if (typeof rec.id !== "string" || !Array.isArray(rec.affected)) return [];
  const out: [string, Advisory][] = [];
  const sev = Array.isArray(rec.severity) ? (rec.severity as { type?: string; score?: string }[]).find((s) => typeof s?.score === "string")?.score ?? null : null;
  const dbSev = (rec.database_specific as { severity?: unknown } | undefined)?.severity;
  const severity = sev ?? (typeof dbSev === "string" ? dbSev : null);
  const summary = typeof rec.summary === "string" ? rec.summary : typeof rec.details === "string" ? rec.details.split(/\n|(?<=\.)\s/)[0]!.slice(0, 200) : "";
  for (const a of rec.affected as { package?: { name?: unknown; ecosystem?: unknown }; ranges?: unknown; versions?: unknown }[]) {
    if (a?.package?.ecosystem !== "PyPI" || typeof a.package.name !== "string") continue;
    const ranges: RangeEvent[][] = [];
    for (const r of Array.isArray(a.ranges) ? (a.ranges as { type?: string; events?: unknown }[]) : []) {
      if (r?.type !== "ECOSYSTEM" || !Array.isArray(r.events)) continue;
      ranges.push((r.events as Record<string, unknown>[]).map((e) => {
        const ev: RangeEvent = {};
        for (const k of ["introduced", "fixed", "last_affected"] as const) if (e?.[k] !== undefined) ev[k] = String(e[k]);
        return ev;
      }));
    }
    // keep only listed versions the ranges do not already cover: same answers, a much smaller database
    const inRanges = (v: string) => isAffected({ id: "", aliases: [], summary: "", severity: null, ranges, versions: [] }, v);
    const versions = (Array.isArray(a.versions) ? a.versions.map(String) : []).filter((v) => !ranges.length || !inRanges(v));
    out.push([
      normalizeName(a.package.name),
      {
        id: rec.id,
        aliases: Array.isArray(rec.aliases) ? rec.aliases.map(String) : [],
        summary,
        severity,
        ranges,
        versions,
        ...(rec.withdrawn ? { withdrawn: true } : {}),
      },
    ]);
  }
  return out;
}

export class AdvisoryIndex {
  constructor(readonly packages: Record<string, Advisory[]>) {}

  static fromDatabase(db: AdvisoryDatabase): AdvisoryIndex {
    return new AdvisoryIndex(db.packages);
  }

  static fromRecords(records: OsvRecord[]): AdvisoryIndex {
    const packages: Record<string, Advisory[]> = {};
    for (const r of records) for (const [name, adv] of advisoriesFromOsv(r)) (packages[name] ??= []).push(adv);
    return new AdvisoryIndex(packages);
  }

  forPackage(name: string): Advisory[] {
    return (this.packages[normalizeName(name)] ?? []).filter((a) => !a.withdrawn);
  }

  /** Advisories that affect `version` of `name`. */
  affecting(name: string, version: string): Advisory[] {
    return this.forPackage(name).filter((a) => isAffected(a, version));
  }

  /**
   * The smallest version above `version` that no advisory of the package affects,
   * chosen among the fixed versions the advisories name; null when none does.
   */
  smallestSafeUpgrade(name: string, version: string): string | null {
    const all = this.forPackage(name);
    const candidates = [...new Set(all.flatMap((a) => a.ranges.flatMap((r) => r.map((e) => e.fixed).filter((f): f is string => !!f && !!valid(f)))))]
      .filter((f) => compare(f, version) > 0)
      .sort(compare);
    return candidates.find((c) => all.every((a) => !isAffected(a, c))) ?? null;
  }
}

/** OSV's evaluation of ECOSYSTEM ranges (events in version order) plus the explicit version list. */
function isAffected(a: Advisory, version: string): boolean {
  if (!valid(version)) return false;
  if (a.versions.some((v) => valid(v) && compare(v, version) === 0)) return true;
  for (const events of a.ranges) {
    const order = (e: RangeEvent) => e.introduced ?? e.fixed ?? e.last_affected ?? "0";
    const sorted = events
      .filter((e) => order(e) === "0" || valid(order(e)))
      .slice()
      .sort((x, y) => (order(x) === "0" ? -1 : order(y) === "0" ? 1 : compare(order(x), order(y))));
    let affected = false;
    for (const e of sorted) {
      if (e.introduced !== undefined) {
        if (e.introduced === "0" || compare(e.introduced, version) <= 0) affected = true;
      } else if (e.fixed !== undefined) {
        if (compare(e.fixed, version) <= 0) affected = false;
      } else if (e.last_affected !== undefined) {
        if (compare(e.last_affected, version) < 0) affected = false;
      }
    }
    if (affected) return true;
  }
  return false;
}

/** The fixed versions of an advisory that are above `version` (the per-advisory fix). */
export function fixedAbove(a: Advisory, version: string): string[] {
  return [...new Set(a.ranges.flatMap((r) => r.map((e) => e.fixed).filter((f): f is string => !!f && !!valid(f) && compare(f, version) > 0)))].sort(compare);
}

/** Read the local database; null when there is none (never throws for a missing file). */
export function loadDatabaseSync(file: string): { db: AdvisoryDatabase | null; problem: string | null } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { db: null, problem: code === "ENOENT" ? `no advisory database at ${file}` : `advisory database ${file} could not be read (${code})` };
  }
  try {
    const db = JSON.parse(text) as AdvisoryDatabase;
    if (db.format !== DB_FORMAT || typeof db.packages !== "object") return { db: null, problem: `${file} is not a djangoguard advisory database (format ${String(db.format)})` };
    return { db, problem: null };
  } catch (e) {
    return { db: null, problem: `advisory database ${file} is not valid JSON: ${(e as Error).message}` };
  }
}

/** Build the database from OSV records and write it with an atomic swap (temp file, then rename). */
export async function writeDatabase(file: string, records: Iterable<OsvRecord>, source: string): Promise<AdvisoryDatabase> {
  const packages: Record<string, Advisory[]> = {};
  let n = 0;
  for (const r of records) {
    const adv = advisoriesFromOsv(r);
    if (adv.length) n++;
    for (const [name, a] of adv) (packages[name] ??= []).push(a);
  }
  for (const list of Object.values(packages)) list.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const db: AdvisoryDatabase = { format: DB_FORMAT, source, built: new Date().toISOString(), records: n, packages };
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await fs.writeFile(tmp, JSON.stringify(db));
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  return db;
}
