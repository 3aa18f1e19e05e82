// SUPPLY-001's questions: known advisories for pinned/locked versions, Django
// series past end of support, unpinned Django in an application, and index
// settings open to dependency confusion. Used by the rule (scan) and by
// `djangoguard deps`.
import { satisfies } from "@renovatebot/pep440";
import type { Confidence, Severity } from "../findings.js";
import type { Project } from "../project/project.js";
import { defineAnalysis } from "../project/project.js";
import type { Span } from "../python/ast.js";
import { AdvisoryIndex, fixedAbove, loadDatabaseSync, type Advisory } from "./advisories.js";
import { currentLts, DJANGO_SERIES, djangoSeries, isPastSupport } from "./django-releases.js";
import { dependenciesAnalysis, type Requirement } from "./packages.js";
import { pythonTwoOnly, series } from "./pep508.js";

/** "Today" for end-of-support questions; tests replace `now`. */
export const clock = { now: (): Date => new Date() };

export interface SupplyFinding {
  path: string;
  span: Span;
  message: string;
  severity: Severity;
  confidence: Confidence;
  key: string;
  /** for `deps` JSON output */
  kind: "advisory" | "end-of-support" | "unpinned" | "index";
  package?: string;
  version?: string;
  advisories?: { id: string; aliases: string[]; severity: string | null; fixed: string[] }[];
  upgrade?: string | null;
}

/** The advisory index the scan uses: only the database named in the options (none means no lookup). */
export const advisoryIndexAnalysis = defineAnalysis<{ index: AdvisoryIndex | null; problem: string | null }>("advisory-index", (project) => {
  const file = project.options.advisoryDb;
  if (!file) return { index: null, problem: "no advisory database (none was found or given with --advisory-db)" };
  const { db, problem } = loadDatabaseSync(file);
  return { index: db ? AdvisoryIndex.fromDatabase(db) : null, problem };
});

function spanOf(r: { line: number; col?: number }, lineText: string): Span {
  const col = r.col ?? 1;
  return { line: r.line, col, endLine: r.line, endCol: Math.max(col + 1, lineText.length + 1) };
}

/** A project that deploys (manage.py, wsgi/asgi or settings), not a reusable library. */
function isApplication(project: Project): boolean {
  return project.files.some((f) => /(^|\/)(manage\.py|wsgi\.py|asgi\.py|settings\.py)$/.test(f.path) || /(^|\/)settings\/[^/]+\.py$/.test(f.path));
}

export function supplyFindings(project: Project, index: AdvisoryIndex | null, today: Date = clock.now()): SupplyFinding[] {
  const deps = project.use(dependenciesAnalysis);
  const out: SupplyFinding[] = [];
  const line = (path: string, n: number) => project.lines(path)[n - 1] ?? "";
  const reqs = deps.requirements.filter((r) => !r.dev && !pythonTwoOnly(r.marker));

  if (index) {
    for (const r of reqs) {
      if (!r.version || r.url) continue;
      const hits = index.affecting(r.name, r.version);
      if (!hits.length) continue;
      out.push(advisoryFinding(r, hits, index.smallestSafeUpgrade(r.name, r.version), line(r.path, r.line)));
    }
  }

  for (const r of reqs.filter((x) => x.name === "django" && !x.url)) {
    const f = endOfSupport(r, today, line(r.path, r.line));
    if (f) out.push(f);
  }

  if (isApplication(project)) {
    const django = reqs.filter((r) => r.name === "django");
    const anyPinned = reqs.some((r) => r.name === "django" && r.version);
    if (!anyPinned) {
      for (const r of django.filter((x) => x.specifier === "" && !x.url)) {
        out.push({
          path: r.path, span: spanOf(r, line(r.path, r.line)), severity: "low", confidence: "medium", key: "unpinned", kind: "unpinned", package: "django",
          message: `Django is required without any version constraint in ${r.path}:${r.line} and no lock file pins it, so each install may pick a different release (including a new major series with breaking changes). Pin it (==) or lock it.`,
        });
      }
    }
  }

  for (const ix of deps.indexes) {
    const span = spanOf(ix, line(ix.path, ix.line));
    const host = hostOf(ix.value);
    if (ix.option === "--extra-index-url") {
      out.push({
        path: ix.path, span, severity: "medium", confidence: "high", key: `extra-index:${host}`, kind: "index",
        message: `${ix.path}:${ix.line} adds an extra package index (${host}) next to PyPI: pip takes the highest version from either, so anyone who publishes an internal package's name on PyPI with a higher version gets their code installed (dependency confusion). Use one index that proxies PyPI.${/^http:/i.test(ix.value) ? " The index is also plain HTTP, so packages can be swapped in transit." : ""}`,
      });
    } else if (/^http:/i.test(ix.value)) {
      out.push({
        path: ix.path, span, severity: "medium", confidence: "high", key: `http-index:${host}`, kind: "index",
        message: `${ix.option} ${host} at ${ix.path}:${ix.line} uses plain HTTP: anyone on the network path can replace the packages being installed. Use an https:// index.`,
      });
    } else if (ix.option === "--trusted-host") {
      out.push({
        path: ix.path, span, severity: "medium", confidence: "high", key: `trusted-host:${host}`, kind: "index",
        message: `${ix.path.endsWith("Pipfile") ? "verify_ssl = false for" : "--trusted-host"} ${host} at ${ix.path}:${ix.line} tells pip to accept that index without valid HTTPS, so installed packages can be tampered with in transit. Fix the index's certificate instead.`,
      });
    }
  }
  return out;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url.replace(/^[a-z]+:\/\//i, "").replace(/[:@/].*$/, "");
  }
}

function advisoryFinding(r: Requirement, hits: Advisory[], upgrade: string | null, lineText: string): SupplyFinding {
  const shown = hits.slice(0, 8).map((a) => {
    const aliases = a.aliases.length ? ` (${a.aliases.slice(0, 3).join(", ")})` : "";
    const sev = a.severity ? ` severity ${a.severity.startsWith("CVSS:") ? a.severity : a.severity.toLowerCase()}` : "";
    const fixed = fixedAbove(a, r.version!);
    return `${a.id}${aliases}${sev}${fixed.length ? `, fixed in ${fixed.join(" / ")}` : ", no fixed version"}`;
  });
  const more = hits.length > shown.length ? `; and ${hits.length - shown.length} more` : "";
  const how = /lock$/.test(r.source) ? "locked" : "pinned";
  return {
    path: r.path, span: spanOf(r, lineText), severity: "high", confidence: "high", key: `advisories:${r.name}`, kind: "advisory", package: r.name, version: r.version!,
    advisories: hits.map((a) => ({ id: a.id, aliases: a.aliases, severity: a.severity, fixed: fixedAbove(a, r.version!) })),
    upgrade,
    message: `${r.name} ${r.version} (${how} in ${r.path}:${r.line}) has ${hits.length} known ${hits.length === 1 ? "advisory" : "advisories"}: ${shown.join("; ")}${more}. ${upgrade ? `The smallest upgrade that fixes all of them is ${r.name}==${upgrade}.` : "No single listed release fixes all of them; move to a maintained series."}`,
  };
}

function endOfSupport(r: Requirement, today: Date, lineText: string): SupplyFinding | null {
  const lts = currentLts(today);
  const target = lts ? ` Upgrade to a supported series${lts ? ` (the current LTS is ${lts.series})` : ""}.` : "";
  if (r.version) {
    const s = series(r.version);
    const info = s ? djangoSeries(s) : undefined;
    if (!info || !isPastSupport(info, today)) return null;
    return {
      path: r.path, span: spanOf(r, lineText), severity: "high", confidence: "high", key: "end-of-support", kind: "end-of-support", package: "django", version: r.version,
      message: `Django ${r.version} (${r.path}:${r.line}) belongs to the ${info.series} series${info.lts ? " (LTS)" : ""}, whose upstream security support ended in ${info.endOfSupport}; security fixes are no longer released for it.${target}`,
    };
  }
  if (!r.specifier) return null;
  // A range is unsupported when every series it admits is past support and it admits nothing newer than the table knows.
  const newest = DJANGO_SERIES[DJANGO_SERIES.length - 1]!;
  const [maj, min] = newest.series.split(".").map(Number) as [number, number];
  if (satisfies(`${maj}.${min + 1}`, r.specifier) || satisfies(`${maj + 1}.0`, r.specifier)) return null;
  const admitted = DJANGO_SERIES.filter((s) => [".0", ".1", ".5", ".10", ".20", ".50"].some((p) => satisfies(`${s.series}${p}`, r.specifier)) || satisfies(s.series, r.specifier));
  if (!admitted.length || admitted.some((s) => !isPastSupport(s, today))) return null;
  return {
    path: r.path, span: spanOf(r, lineText), severity: "high", confidence: "medium", key: "end-of-support", kind: "end-of-support", package: "django",
    message: `The Django requirement \`${r.specifier}\` (${r.path}:${r.line}) only admits ${admitted.map((s) => s.series).join(", ")}, all past upstream security support (the last ended in ${admitted[admitted.length - 1]!.endOfSupport}).${target}`,
  };
}
