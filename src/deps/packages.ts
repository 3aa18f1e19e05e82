// The project's declared and locked Python dependencies, read once from every
// requirement/lock/manifest file (src/deps/ readers fill this in). Rules and the
// settings evaluator's version awareness read it.
import type { Project } from "../project/project.js";
import { defineAnalysis } from "../project/project.js";
import { lowerBound, pythonTwoOnly } from "./pep508.js";
import { readLockfiles, readPipfiles, readPyprojects, readRequirementFiles, readSetupFiles } from "./readers.js";

export interface Requirement {
  /** PEP 503-normalised name, e.g. "django", "djangorestframework" */
  name: string;
  /** the PEP 440 specifier as written, e.g. "==3.2.0", ">=4.2,<5" ("" when unpinned) */
  specifier: string;
  /** the exact version when pinned (`==`) or locked; null otherwise */
  version: string | null;
  path: string;
  line: number;
  /** which kind of file said so */
  source: "requirements" | "constraints" | "pyproject" | "poetry.lock" | "pipfile" | "pipfile.lock" | "uv.lock" | "setup.cfg" | "setup.py";
  /** a dev/test-only group (Poetry dev group, Pipfile dev-packages, requirements-dev.txt) */
  dev: boolean;
  /** column of the requirement on its line (1-based) */
  col?: number;
  extras?: string[];
  /** PEP 508 environment marker, e.g. `python_version < "3.10"` */
  marker?: string;
  /** a direct URL or VCS reference instead of an index version */
  url?: string;
  editable?: boolean;
  /** the requirement carries `--hash` options */
  hashed?: boolean;
}

/** Package-index options in requirement files (dependency-confusion and tampering evidence). */
export interface IndexOption {
  option: "--index-url" | "--extra-index-url" | "--trusted-host" | "--find-links";
  value: string;
  path: string;
  line: number;
  col: number;
}

export interface Dependencies {
  requirements: Requirement[];
  /** the Django version the project runs, best evidence first (lock > pin > lower bound) */
  django: { version: string; exact: boolean; path: string; line: number } | null;
  /** index options from requirement files and pyproject/Pipfile sources */
  indexes: IndexOption[];
}

export const dependenciesAnalysis = defineAnalysis<Dependencies>("dependencies", (project: Project) => readDependencies(project));

function readDependencies(project: Project): Dependencies {
  const requirements: Requirement[] = [];
  const indexes: IndexOption[] = [];
  readRequirementFiles(project, requirements, indexes);
  readPyprojects(project, requirements, indexes);
  readPipfiles(project, requirements, indexes);
  readLockfiles(project, requirements);
  readSetupFiles(project, requirements);
  return { requirements, django: djangoVersion(project, requirements), indexes };
}

/** Best evidence for the Django version: the user's option, then a lock, then a pin, then a lower bound. */
function djangoVersion(project: Project, reqs: Requirement[]): Dependencies["django"] {
  if (project.options.djangoVersion) return { version: project.options.djangoVersion, exact: true, path: "", line: 0 };
  const dj = reqs.filter((r) => r.name === "django" && !r.dev && !pythonTwoOnly(r.marker));
  const locked = dj.find((r) => r.version && /lock$/.test(r.source));
  if (locked) return { version: locked.version!, exact: true, path: locked.path, line: locked.line };
  const pinned = dj.find((r) => r.version);
  if (pinned) return { version: pinned.version!, exact: true, path: pinned.path, line: pinned.line };
  for (const r of dj) {
    const lb = lowerBound(r.specifier);
    if (lb) return { version: lb, exact: false, path: r.path, line: r.line };
  }
  return null;
}
