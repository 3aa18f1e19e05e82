// Which Django the project runs: `--django-version` (ScanOptions.djangoVersion)
// first, then the dependency readers' best evidence (dependenciesAnalysis().django).
// Unknown versions are treated as the newest supported release, and rules say so
// when it matters.
import { dependenciesAnalysis } from "../deps/packages.js";
import type { Project } from "../project/project.js";
import { defineAnalysis } from "../project/project.js";

/** The release we assume when nothing says which Django the project runs. */
export const ASSUMED_DJANGO = "5.2";

export interface DjangoVersion {
  /** e.g. "3.2.25" or "4.2" */
  version: string;
  major: number;
  minor: number;
  /** where it came from: "--django-version", "requirements.txt:3", or "assumed (no requirement names Django)" */
  source: string;
  /** false when assumed */
  known: boolean;
}

export const djangoVersionAnalysis = defineAnalysis<DjangoVersion>("django-version", (project) => {
  const parse = (v: string, source: string, known: boolean): DjangoVersion | null => {
    const m = /^\s*v?(\d+)\.(\d+)/.exec(v);
    return m ? { version: v.trim(), major: Number(m[1]), minor: Number(m[2]), source, known } : null;
  };
  const opt = project.options.djangoVersion;
  if (opt) {
    const v = parse(opt, "--django-version", true);
    if (v) return v;
    project.note({ path: "", kind: "config", message: `--django-version ${opt} is not a version; ignored` });
  }
  let deps = null;
  try {
    deps = project.use(dependenciesAnalysis).django;
  } catch {
    deps = null;
  }
  if (deps) {
    const v = parse(deps.version, `${deps.path}:${deps.line}${deps.exact ? "" : " (lower bound)"}`, true);
    if (v) return v;
  }
  return parse(ASSUMED_DJANGO, `assumed ${ASSUMED_DJANGO} (no requirement or --django-version names Django)`, false)!;
});

export function djangoVersion(project: Project): DjangoVersion {
  return project.use(djangoVersionAnalysis);
}

/** The project's Django is at least `major.minor`. */
export function djangoAtLeast(project: Project, major: number, minor = 0): boolean {
  const v = djangoVersion(project);
  return v.major > major || (v.major === major && v.minor >= minor);
}
