// The few production settings the view model needs (MIDDLEWARE, INSTALLED_APPS,
// REST_FRAMEWORK defaults, AUTHENTICATION_BACKENDS, MEDIA_URL), taken from the
// settings evaluator's model (src/django/settings/), flattened to plain lists.
import type { Project } from "../project/project.js";
import { defineAnalysis } from "../project/project.js";
import { dependenciesAnalysis } from "../deps/packages.js";
import { agreed, dictGet, optionsOf, settingsAnalysis, stringItems, type Val } from "./settings/index.js";
import { djangoAtLeast as versionAtLeast } from "./version.js";

export interface AppSettings {
  /** the settings module read, or null when none was found */
  module: string | null;
  /** dotted middleware paths; null when MIDDLEWARE is not a readable list */
  middleware: string[] | null;
  installedApps: string[];
  authBackends: string[];
  /** REST_FRAMEWORK keys as lists of dotted class paths; null when the key is not set */
  drf: { permission: string[] | null; throttle: string[] | null; authentication: string[] | null };
  /** the Django version from dependency files, e.g. "5.1.2" */
  djangoVersion: string | null;
  /** installed distribution names (normalised) from requirement files */
  packages: Set<string>;
  /** string settings read as literals (MEDIA_URL, STATIC_URL) */
  strings: Map<string, string>;
}

export const appSettingsAnalysis = defineAnalysis<AppSettings>("app-settings", (project) => readAppSettings(project));

function readAppSettings(project: Project): AppSettings {
  const st = project.use(settingsAnalysis);
  const deps = project.use(dependenciesAnalysis);
  // A key we cannot read statically becomes ["?"]: "set, but unknown" (never the same as unset).
  const rf = st.value("REST_FRAMEWORK");
  // REST_FRAMEWORK differing by an undecidable condition (`if DEBUG: REST_FRAMEWORK["COMPACT_JSON"] = False`):
  // a key every option gives the same is known
  const keyOf = (value: Val, key: string): string[] | null => {
    const answer = agreed(optionsOf(value).map((dict) => {
      if (dict.t !== "dict") return ["?"];
      const v = dictGet(dict, key);
      if (!v) return dict.entries.every(([k]) => k.t === "str") ? null : ["?"];
      const items = stringItems(v);
      return items && items.complete ? items.items : ["?"];
    }));
    // null (every option leaves the key unset) is an answer; undefined is options disagreeing
    return answer === undefined ? ["?"] : answer;
  };
  const rfKey = (key: string): string[] | null => (rf ? keyOf(rf, key) : null);
  const strings = new Map<string, string>();
  for (const name of ["MEDIA_URL", "STATIC_URL"]) {
    const v = st.js(name);
    if (typeof v === "string") strings.set(name, v);
  }
  return {
    module: st.module,
    middleware: st.evaluated ? middlewareIn(st.value("MIDDLEWARE")) : null,
    installedApps: st.strings("INSTALLED_APPS") ?? [],
    authBackends: st.strings("AUTHENTICATION_BACKENDS") ?? [],
    drf: { permission: rfKey("DEFAULT_PERMISSION_CLASSES"), throttle: rfKey("DEFAULT_THROTTLE_CLASSES"), authentication: rfKey("DEFAULT_AUTHENTICATION_CLASSES") },
    djangoVersion: deps.django?.version ?? null,
    packages: new Set(deps.requirements.map((r) => r.name)),
    strings,
  };
}

/**
 * MIDDLEWARE as a list. When it depends on a condition we cannot decide (DefectDojo
 * inserts a history middleware `if ENABLE_AUDITLOG`), the middleware every possible
 * list has, in the first list's order: what production runs whichever way it goes.
 */
function middlewareIn(v: Val | undefined): string[] | null {
  if (v?.t !== "choice") return stringItems(v)?.items ?? null;
  const lists = optionsOf(v).map(stringItems);
  if (lists.some((l) => !l?.complete)) return null;
  return lists[0]!.items.filter((m) => lists.every((l) => l!.items.includes(m)));
}

/** LoginRequiredMiddleware exists (Django 5.1+); the version is the project's, or the assumed current one. */
export function djangoAtLeast(project: Project, major: number, minor: number): boolean {
  return versionAtLeast(project, major, minor);
}
