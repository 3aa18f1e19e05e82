// File classification by name, place and (for ambiguous YAML/HTML) a peek at the
// content. One function, used by discovery only.
import type { FileKind } from "../project/project.js";

const TEMPLATE_EXT = /\.(html?|txt|xml|email|jinja|jinja2|j2)$/i;

export function classify(relPath: string, head: string): FileKind {
  const parts = relPath.split("/");
  const base = parts[parts.length - 1]!;
  const lower = base.toLowerCase();
  const dirs = parts.slice(0, -1).map((d) => d.toLowerCase());

  if (lower.endsWith(".py") || lower.endsWith(".pyw")) return "python";
  if (lower === "dockerfile" || lower.startsWith("dockerfile.") || lower.endsWith(".dockerfile") || lower === "containerfile") return "dockerfile";
  if (lower === "procfile" || lower.startsWith("procfile.")) return "procfile";
  if (/\.(service|socket)$/.test(lower)) return "systemd";
  if (lower === "nginx.conf" || (lower.endsWith(".conf") && (dirs.some((d) => d.includes("nginx")) || /\bserver\s*\{|\blocation\s+\S+\s*\{/.test(head)))) return "nginx";
  // an include file without an extension in an nginx directory (BookWyrm's nginx/locations, which its server blocks include)
  if (isNginxInclude(relPath) && /^\s*(location\s+\S+.*\{|server\s*\{|(proxy|uwsgi|fastcgi)_\w+\s|limit_req\w*\s|add_header\s)/m.test(head)) return "nginx";
  if (/^(requirements|constraints)[^/]*\.(txt|in|lock)$/.test(lower) || (dirs.includes("requirements") && /\.(txt|in)$/.test(lower))) return "requirements";
  if (["poetry.lock", "uv.lock", "pipfile.lock", "pdm.lock"].includes(lower)) return "lockfile";
  if (lower === "pipfile") return "pipfile";
  if (lower === "pyproject.toml") return "pyproject";
  if (lower === "setup.cfg") return "setup-cfg";
  if (lower === ".env" || lower.startsWith(".env.") || lower.endsWith(".env")) return "env";
  if (lower.endsWith(".ini") && /\[uwsgi\]/.test(head)) return "uwsgi";
  // shell scripts: what a container's ENTRYPOINT or a Procfile often really runs
  if (/\.(sh|bash)$/.test(lower) || /^(docker-)?entrypoint$/.test(lower)) return "shell";
  if (lower === "makefile" || lower === "gnumakefile" || lower.endsWith(".mk")) return "makefile";
  if (/\.(ya?ml)$/.test(lower)) {
    if (/^(docker-)?compose([.-][^/]*)?\.ya?ml$/.test(lower)) return "compose";
    if (YAML_KEY.apiVersion.test(head) && YAML_KEY.kind.test(head)) return "kubernetes";
    return "yaml";
  }
  if (lower.endsWith(".js") || lower.endsWith(".mjs")) {
    if (lower.endsWith(".min.js") || dirs.includes("vendor")) return "other";
    return "static-js";
  }
  if (TEMPLATE_EXT.test(lower)) {
    const inJinjaDir = dirs.includes("jinja2");
    const jinjaExt = /\.(jinja2?|j2)$/.test(lower);
    if (jinjaExt || inJinjaDir) return "jinja2-template";
    if (dirs.includes("templates")) return "django-template";
    if (/\.html?$/.test(lower) && /\{%|\{\{/.test(head)) return "django-template";
  }
  return "other";
}

/** A file without an extension in a directory named for nginx: it may be a configuration file other files include. */
export function isNginxInclude(relPath: string): boolean {
  return /(^|\/)[^/]*nginx[^/]*\/(.*\/)?[^/.]+$/i.test(relPath);
}

/**
 * Python test code and migrations: `tests/`, `test/`, `testing/` and `migrations/`
 * directories, `tests.py` (what `startapp` creates), `test.py`, `conftest.py`,
 * `test_*.py`, `tests_*.py`, `*_test.py`, `*_tests.py`. Neither serves requests:
 * discovery leaves them unparsed unless --include-tests (a note says how many);
 * with it they are analysed like the rest of the code.
 */
export function isTestCode(relPath: string): boolean {
  // test helper packages too (Baserow's `baserow/test_utils/`, Nautobot's `test_jobs/`, Kitsune's `playwright_tests/`) and
  // pytest plugins (`pytest_conftest.py`); not a package merely starting with "test_" (DefectDojo's `test_type/` is its domain)
  return /(^|\/)(tests?|testing|migrations|tests?_(utils?|helpers?|support|fixtures|data|jobs|apps?|project|runner|tools|settings)|[^/]*_tests)\/|(^|\/)(tests?|conftest)\.pyw?$|(^|\/)(tests?|pytest)_[^/]*\.pyw?$|_tests?\.pyw?$/.test(relPath);
}

/** Whether a file of this kind by name (classify with no content) is read at all:
 *  "other" and YAML files are read only when their content may make them a kind we
 *  keep (templates, YAML manifests, configuration), the rest of them are only listed. */
export function mayBeRead(relPath: string, kindByName: FileKind): boolean {
  if (kindByName !== "other" && kindByName !== "yaml") return true;
  return /\.(ya?ml|html?|conf|ini|txt|xml|email)$/i.test(relPath) || isNginxInclude(relPath);
}

/** Kinds whose text we keep in the model; everything else is only listed. */
export function isInteresting(kind: FileKind): boolean {
  return kind !== "other";
}

/** A mapping key at the start of a line, quoted or not (a JSON-style manifest is YAML
 *  as well). Deployment readers recognise files by these. `services` must start its
 *  line unless quoted: indented, it is a nested key (a CI workflow job's `services:`). */
export const YAML_KEY = {
  apiVersion: /^[ \t]*["']?apiVersion["']?[ \t]*:/m,
  kind: /^[ \t]*["']?kind["']?[ \t]*:/m,
  services: /^(?:services|[ \t]*["']services["'])[ \t]*:/m,
};
