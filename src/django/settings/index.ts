// The effective production settings, evaluated statically once per scan and
// shared through `project.use(settingsAnalysis)`. Other analyses read it like
// this:
//
//   const s = project.use(settingsAnalysis);
//   s.js("ROOT_URLCONF")            // "shop.urls" (plain JS; undefined when not fully known)
//   s.strings("MIDDLEWARE")         // ["django.middleware.security.SecurityMiddleware", ...] or null
//   s.get("TEMPLATES")?.value       // the evaluated value (Val) with its source positions
//   s.effective("X_FRAME_OPTIONS")  // the value Django would use, falling back to its default
//   s.explain("DEBUG")              // "DEBUG defaults to True at config/settings/base.py:14 (...); ..."
import { edgeAnalysis } from "../../deploy/edge.js";
import type { Project, PythonFile } from "../../project/project.js";
import { defineAnalysis } from "../../project/project.js";
import { configurationClass, productionAnalysis } from "../production.js";
import { djangoAtLeast } from "../version.js";
import { EnvSource, SettingsEvaluator, UNSET, type Binding, type Step } from "./evaluate.js";
import { show, stringItems, toJS, type Site, type Val } from "./values.js";

export type { Val, Site, EnvRead } from "./values.js";
export type { Step } from "./evaluate.js";
export { truthy, isTrue, toJS, show, dictGet, itemsOf, stringItems, pyEquals, optionsOf, agreed } from "./values.js";

/** One setting as the production settings module ends up with it. */
export interface Setting {
  name: string;
  value: Val;
  /** what happened to the name, in order (the first step set it; later ones changed it) */
  steps: Step[];
  /** where the effective value was set: the last step that changed it */
  site: Site;
}

/** Secrets are never shown in messages. */
const SECRET_SETTING = /SECRET|PASSWORD|TOKEN|KEY|DSN|CREDENTIAL/i;

export class SettingsModel {
  constructor(
    readonly project: Project,
    /** the production settings module, or null */
    readonly module: string | null,
    /** why it was chosen */
    readonly reason: string,
    readonly file: PythonFile | null,
    private readonly ns: Map<string, Binding> | null,
    /** the environment it was evaluated under (user's --env/--env-file, then deployment files) */
    readonly env: EnvSource,
  ) {}

  /** The module was found and evaluated. */
  get evaluated(): boolean {
    return this.ns !== null;
  }

  /** Upper-case names only: Django ignores lower-case names in settings modules. */
  names(): string[] {
    return this.ns ? [...this.ns.keys()].filter(isSettingName) : [];
  }

  has(name: string): boolean {
    return !!this.ns?.has(name) && isSettingName(name);
  }

  get(name: string): Setting | undefined {
    if (!isSettingName(name)) return undefined;
    const b = this.ns?.get(name);
    if (!b) return undefined;
    const last = b.steps[b.steps.length - 1];
    const site = last?.site ?? b.value.at ?? this.firstLine();
    return { name, value: b.value, steps: b.steps, site };
  }

  /** The evaluated value, or undefined when the module does not set it. */
  value(name: string): Val | undefined {
    return this.get(name)?.value;
  }

  /** Plain JavaScript for a fully known setting (undefined when unset or not fully known). */
  js(name: string): unknown {
    return toJS(this.value(name));
  }

  /** The string items of a list/tuple setting; null when unset or not a known sequence. */
  strings(name: string): string[] | null {
    return stringItems(this.value(name))?.items ?? null;
  }

  /** The value Django uses: the module's value, else Django's default for the project's version. */
  effective(name: string): { value: Val; setting?: Setting; isDefault: boolean } {
    const s = this.get(name);
    if (!s) return { value: djangoDefault(this.project, name), isDefault: true };
    if (s.value.t === "choice") {
      const options = s.value.options.map((o) => (o.value.t === "unknown" && o.value.why === UNSET ? { ...o, value: djangoDefault(this.project, name) } : o));
      return { value: { ...s.value, options }, setting: s, isDefault: false };
    }
    return { value: s.value, setting: s, isDefault: false };
  }

  /** The production module's first line: where findings about a missing setting point. */
  firstLine(): Site {
    const path = this.file?.path ?? "";
    const len = this.file ? (this.project.lines(path)[0] ?? "").length : 0;
    return { path, line: 1, col: 1, endLine: 1, endCol: Math.max(1, len) + (len ? 1 : 0) };
  }

  /** Where a finding about this setting points: the line that set it, or the module's first line when missing. */
  siteOf(name: string): Site {
    return this.get(name)?.site ?? this.firstLine();
  }

  /**
   * Where the effective value came from and what it passed through, in one
   * sentence: "DEBUG defaults to True at config/settings/base.py:14
   * (env.bool('DEBUG', default=True)) because DEBUG is not set; config/settings/production.py
   * does not override it". Secret settings never show their value.
   */
  explain(name: string): string {
    const s = this.get(name);
    if (!s) return `${name} is not set in ${this.file?.path ?? "the production settings"} (or anything it imports), so Django's default applies`;
    const secret = SECRET_SETTING.test(name);
    const v = s.value;
    const first = s.steps.find((x) => x.action === "set" || x.action === "import") ?? s.steps[0];
    const where = (site: Site) => `${site.path}:${site.line}`;
    const reads = (v.env ?? []).filter((r) => r.defaulted || r.set || r.missing);
    let head: string;
    const shown = secret ? "" : ` ${show(v)}`;
    const defaulted = reads.find((r) => r.defaulted);
    const setRead = reads.find((r) => r.set);
    const missing = reads.find((r) => r.missing);
    const origin = first ? where(first.site) : where(s.site);
    const code = first ? first.code : "";
    if (defaulted && !setRead) head = `${name} defaults to${secret ? " a hard-coded value" : shown} at ${origin} (${defaulted.code}) because ${defaulted.variable} is not set in the environment`;
    else if (setRead) head = `${name} is${shown || " read"} from ${setRead.variable} (${setRead.code}) at ${origin}, set by ${setRead.source ?? "the environment"}`;
    else if (missing) head = `${name} reads ${missing.variable} at ${origin} (${missing.code}), which is not set and has no default`;
    else head = secret ? `${name} is set at ${origin}` : `${name} is${shown} at ${origin}${code ? ` (${code})` : ""}`;
    const later = s.steps.filter((x) => x !== first && x.action !== "import").slice(0, 3);
    const tail: string[] = later.map((x) => `${x.action === "branch" ? "" : `${actionWord(x.action)} at `}${x.action === "branch" ? `${x.note} (${where(x.site)})` : `${where(x.site)} (${x.code})`}`);
    const prod = this.file?.path;
    const lastPath = s.site.path;
    if (prod && lastPath !== prod) tail.push(`${prod} does not override it`);
    return [head, ...tail].join("; ");
  }
}

function actionWord(a: Step["action"]): string {
  switch (a) {
    case "augment": return "extended with +=";
    case "append": return "appended to";
    case "insert": return "inserted into";
    case "remove": return "removed from";
    case "extend": return "extended";
    case "item": return "changed";
    case "set": return "reassigned";
    case "loop": return "set in a loop";
    case "delete": return "deleted";
    default: return a;
  }
}

/** Python's str.isupper(), which Django uses to decide what a setting is. */
export function isSettingName(name: string): boolean {
  return /[A-Z]/.test(name) && !/[a-z]/.test(name);
}

export const settingsAnalysis = defineAnalysis<SettingsModel>("settings", (project) => {
  const choice = project.use(productionAnalysis);
  const entries: [string, { value: string; source: string }][] = [];
  let edge = null;
  try {
    edge = project.use(edgeAnalysis);
  } catch {
    edge = null;
  }
  for (const [k, v] of edge?.env ?? []) entries.push([k, { value: v.value, source: `${v.path}:${v.line}` }]);
  for (const [k, v] of Object.entries(project.options.env)) entries.push([k, { value: v, source: "the supplied environment (--env/--env-file)" }]);
  const env = new EnvSource(entries);
  if (!choice.module || !choice.file) return new SettingsModel(project, choice.module, choice.reason, null, null, env);
  const ev = new SettingsEvaluator(project, env);
  let ns: Map<string, Binding> | null = null;
  try {
    ns = ev.module(choice.module);
    // django-configurations: the class DJANGO_CONFIGURATION names holds the settings
    const configuration = ns ? configurationClass(project, edge?.env ?? new Map()) : null;
    if (configuration) ev.exportConfiguration(choice.module, configuration);
  } catch (e) {
    project.note({ path: choice.file.path, kind: "analysis-error", message: `settings evaluation failed: ${(e as Error).message}` });
  }
  return new SettingsModel(project, choice.module, choice.reason, choice.file, ns, env);
});

/** Django's global default for a setting, for the project's Django version (django/conf/global_settings.py). */
export function djangoDefault(project: Project, name: string): Val {
  const b = (v: boolean): Val => ({ t: "bool", v });
  const s = (v: string): Val => ({ t: "str", v });
  const n = (v: number): Val => ({ t: "num", v });
  const none: Val = { t: "none" };
  const list = (...xs: string[]): Val => ({ t: "list", items: xs.map(s) });
  switch (name) {
    case "DEBUG": return b(false);
    case "ALLOWED_HOSTS": case "INSTALLED_APPS": case "MIDDLEWARE": case "AUTH_PASSWORD_VALIDATORS": case "CSRF_TRUSTED_ORIGINS": case "ADMINS": case "SECRET_KEY_FALLBACKS":
      return list();
    case "SECRET_KEY": return s("");
    case "SECURE_HSTS_SECONDS": return n(0);
    case "SECURE_HSTS_INCLUDE_SUBDOMAINS": case "SECURE_HSTS_PRELOAD": case "SECURE_SSL_REDIRECT": case "SESSION_COOKIE_SECURE": case "CSRF_COOKIE_SECURE":
    case "CSRF_USE_SESSIONS": case "CSRF_COOKIE_HTTPONLY": case "USE_X_FORWARDED_HOST": case "USE_X_FORWARDED_PORT": case "SECURE_BROWSER_XSS_FILTER":
      return b(false);
    case "SECURE_CONTENT_TYPE_NOSNIFF": return b(djangoAtLeast(project, 3, 0));
    case "X_FRAME_OPTIONS": return s(djangoAtLeast(project, 3, 0) ? "DENY" : "SAMEORIGIN");
    case "SECURE_REFERRER_POLICY": return djangoAtLeast(project, 3, 1) ? s("same-origin") : none;
    case "SECURE_CROSS_ORIGIN_OPENER_POLICY": return djangoAtLeast(project, 4, 0) ? s("same-origin") : none;
    case "SESSION_COOKIE_HTTPONLY": return b(true);
    case "SESSION_COOKIE_SAMESITE": case "CSRF_COOKIE_SAMESITE": return s("Lax");
    case "SESSION_COOKIE_DOMAIN": case "CSRF_COOKIE_DOMAIN": case "SECURE_PROXY_SSL_HEADER": case "FILE_UPLOAD_DIRECTORY_PERMISSIONS": return none;
    case "SESSION_COOKIE_AGE": return n(1209600);
    case "SESSION_ENGINE": return s("django.contrib.sessions.backends.db");
    case "SESSION_SERIALIZER": return s("django.contrib.sessions.serializers.JSONSerializer");
    case "FILE_UPLOAD_PERMISSIONS": return djangoAtLeast(project, 3, 0) ? n(0o644) : none;
    case "DATA_UPLOAD_MAX_MEMORY_SIZE": return n(2621440);
    case "MEDIA_ROOT": case "STATIC_ROOT": return name === "MEDIA_ROOT" ? s("") : none;
    case "LOGGING": return { t: "dict", entries: [] };
    case "PASSWORD_HASHERS": return list(
      "django.contrib.auth.hashers.PBKDF2PasswordHasher",
      "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
      "django.contrib.auth.hashers.Argon2PasswordHasher",
      "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    );
    default: return { t: "unknown", why: `no default known for ${name}` };
  }
}
