// The project's declared and locked Python dependencies, read once from every
// requirement/lock/manifest file (src/deps/ readers fill this in). Rules and the
// settings evaluator's version awareness read it.
import type { Project } from "../project/project.js";
import { defineAnalysis } from "../project/project.js";

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
}

export interface Dependencies {
  requirements: Requirement[];
  /** the Django version the project runs, best evidence first (lock > pin > lower bound) */
  django: { version: string; exact: boolean; path: string; line: number } | null;
}

export const dependenciesAnalysis = defineAnalysis<Dependencies>("dependencies", (project: Project) => readDependencies(project));

/** Filled in by src/deps/ readers. */
function readDependencies(_project: Project): Dependencies {
  return { requirements: [], django: null };
}
