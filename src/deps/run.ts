// `djangoguard deps`: read the project's dependencies and answer SUPPLY-001's
// questions, offline from the local database or online from the OSV API. With
// neither, it says so and still reports end-of-support, pinning and index findings.
import path from "node:path";
import { loadProject } from "../discovery/load.js";
import { defaultOptions } from "../options.js";
import { AdvisoryIndex, defaultDatabasePath, loadDatabaseSync } from "./advisories.js";
import { OsvClient } from "./osv.js";
import { dependenciesAnalysis, type Dependencies } from "./packages.js";
import { clock, supplyFindings, type SupplyFinding } from "./supply.js";

export interface DepsAuditOptions {
  /** local database file (default: defaultDatabasePath()) */
  db?: string;
  /** ask the OSV API instead of the local database */
  online?: boolean;
  apiUrl?: string;
  timeoutMs?: number;
  cacheDir?: string;
  today?: Date;
}

export interface DepsAuditResult {
  root: string;
  dependencies: Dependencies;
  /** where the advisory data came from, or why there was none */
  advisorySource: { kind: "database" | "online" | "none"; detail: string };
  findings: SupplyFinding[];
  notes: string[];
}

export async function auditDependencies(root: string, opts: DepsAuditOptions = {}): Promise<DepsAuditResult> {
  const project = await loadProject(defaultOptions(path.resolve(root)));
  const deps = project.use(dependenciesAnalysis);
  let index: AdvisoryIndex | null = null;
  let source: DepsAuditResult["advisorySource"];
  if (opts.online) {
    const pkgs = [...new Map(deps.requirements.filter((r) => r.version && !r.url).map((r) => [`${r.name}@${r.version}`, { name: r.name, version: r.version! }])).values()];
    const client = new OsvClient({ ...(opts.apiUrl ? { baseUrl: opts.apiUrl } : {}), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}), ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}) });
    try {
      index = await client.index(pkgs);
      source = { kind: "online", detail: `OSV API ${opts.apiUrl ?? "https://api.osv.dev"} (${pkgs.length} pinned packages asked)` };
    } catch (e) {
      source = { kind: "none", detail: `the OSV API could not be reached (${(e as Error).message}); known-vulnerability check skipped` };
    }
  } else {
    const file = opts.db ?? defaultDatabasePath();
    const { db, problem } = loadDatabaseSync(file);
    if (db) {
      index = AdvisoryIndex.fromDatabase(db);
      source = { kind: "database", detail: `${file} (${db.records} records from ${db.source}, built ${db.built})` };
    } else {
      source = { kind: "none", detail: `${problem}; known-vulnerability check skipped. Run \`djangoguard db update\` to download advisories, or use --online` };
    }
  }
  const findings = supplyFindings(project, index, opts.today ?? clock.now());
  return { root: project.root, dependencies: deps, advisorySource: source, findings, notes: project.notes.map((n) => `${n.path ? `${n.path}${n.line ? `:${n.line}` : ""}: ` : ""}${n.message}`) };
}

export function formatDepsText(r: DepsAuditResult): string {
  const lines: string[] = [];
  const d = r.dependencies;
  lines.push(`Dependencies: ${d.requirements.length} requirement ${d.requirements.length === 1 ? "entry" : "entries"} in ${plural(new Set(d.requirements.map((x) => x.path)).size, "file")}`);
  lines.push(d.django ? `Django: ${d.django.version}${d.django.exact ? "" : " (lower bound)"}${d.django.path ? ` from ${d.django.path}:${d.django.line}` : " (--django-version)"}` : "Django: not found in dependency files");
  lines.push(`Advisories: ${r.advisorySource.kind === "none" ? "none — " : ""}${r.advisorySource.detail}`);
  lines.push("");
  if (!r.findings.length) lines.push("No dependency findings.");
  for (const f of r.findings) lines.push(`[${f.severity.toUpperCase()}] DJANGO-SUPPLY-001 ${f.path}:${f.span.line}\n  ${f.message}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join("\n") + "\n";
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
