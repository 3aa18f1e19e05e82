// Django's `check --deploy` security checks, re-implemented over the statically
// evaluated settings with Django's exact semantics (django/core/checks/security/):
// which checks test `is True` and which test truthiness, which depend on
// SecurityMiddleware/XFrameOptionsMiddleware/CsrfViewMiddleware being installed,
// and W010/W011 becoming W012 (W013/W014 → W015) when both the sessions app and
// its middleware are installed. Version-dependent checks follow the project's
// Django version. Rules report these results; nothing here reports.
import { defineAnalysis, type Project } from "../../project/project.js";
import type * as A from "../../python/ast.js";
import { resolveDefinition, type ResolvedDef } from "../../python/scope.js";
import { classMro } from "../classes.js";
import { djangoAtLeast } from "../version.js";
import { settingsAnalysis, type SettingsModel } from "./index.js";
import { agreed, isTrue, itemsOf, optionsOf, pyEquals, stringItems, truthy, type Site, type Val } from "./values.js";

export interface DeployCheckResult {
  /** Django's check ID, e.g. "security.W018" */
  id: string;
  /** the setting the finding is about (its line is the finding's location) */
  setting: string;
  site: Site;
  /** false when the verdict depends on something we could not decide (a choice between branches) */
  certain: boolean;
  /** the deciding value came from an environment default or an environment variable */
  fromEnv: boolean;
  /** what was found and where it came from */
  message: string;
}

export const MW = {
  security: "django.middleware.security.SecurityMiddleware",
  xframe: "django.middleware.clickjacking.XFrameOptionsMiddleware",
  csrf: "django.middleware.csrf.CsrfViewMiddleware",
  session: "django.contrib.sessions.middleware.SessionMiddleware",
} as const;

const REFERRER_POLICY_VALUES = new Set([
  "no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin", "same-origin",
  "strict-origin", "strict-origin-when-cross-origin", "unsafe-url",
]);
const COOP_VALUES = new Set(["same-origin", "same-origin-allow-popups", "unsafe-none"]);

type Tri = boolean | null;

/** Three-valued logic over undecidable values. */
const not = (a: Tri): Tri => (a === null ? null : !a);
const or = (...xs: Tri[]): Tri => (xs.includes(true) ? true : xs.includes(null) ? null : false);

/** Django's deploy checks as evaluated on the production settings, once per scan. */
const deployChecksAnalysis = defineAnalysis<DeployCheckResult[]>("deploy-checks", (project) => computeDeployChecks(project));

export function deployChecks(project: Project): DeployCheckResult[] {
  return project.use(deployChecksAnalysis);
}

/** Membership in a list setting: true/false, or null when the list is not fully known. */
export function listHas(s: SettingsModel, name: string, item: string): Tri {
  const v = s.effective(name).value;
  return seqHas(v, item);
}

function seqHas(v: Val, item: string): Tri {
  return agreed(optionsOf(v).map((o): Tri => {
    const st = stringItems(o);
    if (!st) return null;
    if (st.items.includes(item)) return true;
    return st.complete ? false : null;
  })) ?? null;
}

/** `listHas(MIDDLEWARE, mw)`, also true when a listed entry is a project class inheriting from `mw`. */
function middlewareOrSubclass(project: Project, s: SettingsModel, mw: string): Tri {
  const inherits = (item: string) => {
    const def = resolveDefinition(project, item);
    return def?.node.kind === "ClassDef" && classMro(project, def as ResolvedDef & { node: A.ClassDef }).some((e) => e.qualname === mw);
  };
  return agreed(optionsOf(s.effective("MIDDLEWARE").value).map((v): Tri => {
    const exact = seqHas(v, mw);
    return exact !== true && (stringItems(v)?.items ?? []).some(inherits) ? true : exact;
  })) ?? null;
}

/**
 * The secret-key strength test Django applies (W009/W025). A key that depends on a
 * condition is weak where some branch makes it weak; branches we cannot read
 * (a key generated into a file, an unset variable) say nothing.
 */
export function weakKey(v: Val): Tri {
  return agreed(optionsOf(v).map(weakKeyOf)) ?? null;
}

/** Some branch of the key's value is a key Django calls weak (not merely one we cannot read). */
function possiblyWeakKey(v: Val): boolean {
  return optionsOf(v).some((o) => weakKeyOf(o) === true);
}

function weakKeyOf(v: Val): Tri {
  // `os.getenv("SECRET_KEY")` or `os.environ.get("SECRET_KEY", "")` with the variable unset: an empty
  // key makes Django refuse to start, so production sets the variable; the key is production's to choose
  if ((v.t === "none" || (v.t === "str" && v.v === "")) && v.env?.some((r) => r.defaulted)) return null;
  if (v.t !== "str") return v.t === "unknown" ? null : true;
  const k = v.v;
  return new Set(k).size < 5 || k.length < 50 || k.startsWith("django-insecure-");
}

function computeDeployChecks(project: Project): DeployCheckResult[] {
  const s = project.use(settingsAnalysis);
  if (!s.evaluated) return [];
  const out: DeployCheckResult[] = [];
  const eff = (n: string) => s.effective(n).value;
  const fromEnv = (...names: string[]) => names.some((n) => (s.get(n)?.value.env ?? []).some((r) => r.defaulted || r.set));
  const add = (id: string, passed: Tri, setting: string, message: string, ...related: string[]) => {
    if (passed === true) return;
    // Undecidable only because a value is unknown (an unset required variable, a call we do not run): no finding.
    // Undecidable because branches disagree: a low-confidence finding that names the condition.
    if (passed === null) {
      const own = [setting, ...related].map((n) => s.effective(n).value);
      if (own.some((v) => v.t === "unknown")) return;
      if (!own.some((v) => v.t === "choice") && !["MIDDLEWARE", "INSTALLED_APPS"].some((n) => s.get(n)?.value.t === "choice")) return;
    }
    out.push({ id, setting, site: s.siteOf(setting), certain: passed === false, fromEnv: fromEnv(setting, ...related), message });
  };
  const how = (n: string) => s.explain(n);

  // Django's check wants the exact path; a project subclass of the middleware (pretalx's own
  // CsrfViewMiddleware) protects the same, and saying the protection is off would be false
  const securityMw = middlewareOrSubclass(project, s, MW.security);
  const xframeMw = middlewareOrSubclass(project, s, MW.xframe);
  const csrfMw = middlewareOrSubclass(project, s, MW.csrf);
  const sessionMw = listHas(s, "MIDDLEWARE", MW.session);
  const sessionApp = listHas(s, "INSTALLED_APPS", "django.contrib.sessions");
  const mwMissing = (what: string) => `${what} is not in MIDDLEWARE (${how("MIDDLEWARE")})`;

  add("security.W001", securityMw, "MIDDLEWARE", `${mwMissing("SecurityMiddleware")}, so HSTS, nosniff, referrer-policy, COOP and SSL-redirect settings have no effect`);
  add("security.W002", xframeMw, "MIDDLEWARE", `${mwMissing("XFrameOptionsMiddleware")}, so pages carry no X-Frame-Options header (clickjacking)`);
  add("security.W003", csrfMw, "MIDDLEWARE", `${mwMissing("CsrfViewMiddleware")}: Django's CSRF protection is off for every view`);

  const hsts = eff("SECURE_HSTS_SECONDS");
  add("security.W004", or(not(securityMw), truthy(hsts)), "SECURE_HSTS_SECONDS",
    `SECURE_HSTS_SECONDS is ${s.has("SECURE_HSTS_SECONDS") ? `falsy: ${how("SECURE_HSTS_SECONDS")}` : "not set (Django's default 0)"}, so no Strict-Transport-Security header is sent`);
  add("security.W005", or(not(securityMw), not(truthy(hsts)), isTrue(eff("SECURE_HSTS_INCLUDE_SUBDOMAINS"))), "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    `HSTS is on but SECURE_HSTS_INCLUDE_SUBDOMAINS is not True (${s.has("SECURE_HSTS_INCLUDE_SUBDOMAINS") ? how("SECURE_HSTS_INCLUDE_SUBDOMAINS") : "not set"}); subdomains can still be reached over plain HTTP`, "SECURE_HSTS_SECONDS");
  add("security.W021", or(not(securityMw), not(truthy(hsts)), isTrue(eff("SECURE_HSTS_PRELOAD"))), "SECURE_HSTS_PRELOAD",
    `HSTS is on but SECURE_HSTS_PRELOAD is not True (${s.has("SECURE_HSTS_PRELOAD") ? how("SECURE_HSTS_PRELOAD") : "not set"}); the site cannot join browsers' preload list`, "SECURE_HSTS_SECONDS");
  add("security.W006", or(not(securityMw), isTrue(eff("SECURE_CONTENT_TYPE_NOSNIFF"))), "SECURE_CONTENT_TYPE_NOSNIFF",
    `SECURE_CONTENT_TYPE_NOSNIFF is not True (${how("SECURE_CONTENT_TYPE_NOSNIFF")}), so responses lack X-Content-Type-Options: nosniff`);
  add("security.W008", or(not(securityMw), isTrue(eff("SECURE_SSL_REDIRECT"))), "SECURE_SSL_REDIRECT",
    `SECURE_SSL_REDIRECT is not True (${s.has("SECURE_SSL_REDIRECT") ? how("SECURE_SSL_REDIRECT") : "not set"}), so plain-HTTP requests are not redirected to HTTPS by Django`);

  // W009: SECRET_KEY.
  const key = s.get("SECRET_KEY");
  if (!key) add("security.W009", false, "SECRET_KEY", "SECRET_KEY is not set in the production settings: Django refuses to start (ImproperlyConfigured)");
  else {
    const w = weakKey(key.value);
    const why = key.value.t === "str"
      ? key.value.v.length === 0 ? "it is empty, so Django refuses to start (ImproperlyConfigured: The SECRET_KEY setting must not be empty) as soon as anything signs data" : key.value.v.startsWith("django-insecure-") ? "it starts with django-insecure- (generated by startproject)" : key.value.v.length < 50 ? `it has ${key.value.v.length} characters (Django wants at least 50)` : "it has fewer than 5 distinct characters"
      : key.value.t === "choice" ? "on a branch of a condition that cannot be decided, it is a key Django calls weak" : "its value cannot be determined";
    // a key no branch of which we can read (generated into a file, an unset variable) is no finding
    if (w !== null || possiblyWeakKey(key.value)) add("security.W009", not(w), "SECRET_KEY", `SECRET_KEY is weak: ${why}. ${s.explain("SECRET_KEY")}`);
  }

  // W010/W011 → W012 when both; W013/W014 → W015.
  const cookieCheck = (setting: string, ids: [string, string, string]) => {
    const v = truthy(eff(setting));
    if (v === true) return;
    const app = sessionApp, mw = sessionMw;
    const certain = v === false;
    const state = s.has(setting) ? how(setting) : `${setting} is not set (Django's default ${setting === "SESSION_COOKIE_SECURE" ? "False" : "True"})`;
    if (app === true && mw === true) add(ids[2], certain ? false : null, setting, `${setting} is not True: ${state}`);
    else {
      if (app !== false) add(ids[0], certain && app === true ? false : null, setting, `django.contrib.sessions is installed but ${setting} is not True: ${state}`);
      if (mw !== false) add(ids[1], certain && mw === true ? false : null, setting, `SessionMiddleware is installed but ${setting} is not True: ${state}`);
    }
  };
  cookieCheck("SESSION_COOKIE_SECURE", ["security.W010", "security.W011", "security.W012"]);
  cookieCheck("SESSION_COOKIE_HTTPONLY", ["security.W013", "security.W014", "security.W015"]);

  add("security.W016", or(truthy(eff("CSRF_USE_SESSIONS")), not(csrfMw), truthy(eff("CSRF_COOKIE_SECURE"))), "CSRF_COOKIE_SECURE",
    `CSRF_COOKIE_SECURE is not True (${s.has("CSRF_COOKIE_SECURE") ? how("CSRF_COOKIE_SECURE") : "not set"}), so the CSRF cookie is also sent over plain HTTP`);

  add("security.W018", not(truthy(eff("DEBUG"))), "DEBUG", `DEBUG is on in production: ${how("DEBUG")}`);

  const xfo = eff("X_FRAME_OPTIONS");
  add("security.W019", or(not(xframeMw), pyEquals(xfo, { t: "str", v: "DENY" })), "X_FRAME_OPTIONS",
    `X_FRAME_OPTIONS is not 'DENY' (${s.has("X_FRAME_OPTIONS") ? how("X_FRAME_OPTIONS") : "not set"})`);

  // on branches that disagree, empty only when some branch is known to be empty (not merely unreadable:
  // Baserow appends a host parsed from a URL under a condition, to a list of three)
  const hosts = eff("ALLOWED_HOSTS");
  if (!optionsOf(hosts).every((o) => truthy(o) !== false)) add("security.W020", truthy(hosts), "ALLOWED_HOSTS", `ALLOWED_HOSTS is empty (${s.has("ALLOWED_HOSTS") ? how("ALLOWED_HOSTS") : "not set"}): with DEBUG off every request is rejected`);

  // W022/E023: referrer policy.
  if (securityMw !== false) {
    const rp = eff("SECURE_REFERRER_POLICY");
    const unsure = securityMw === null;
    if (rp.t === "none") add("security.W022", unsure ? null : false, "SECURE_REFERRER_POLICY", `SECURE_REFERRER_POLICY is ${s.has("SECURE_REFERRER_POLICY") ? `None (${how("SECURE_REFERRER_POLICY")})` : "not set (None before Django 3.1)"}, so no Referrer-Policy header is sent`);
    else {
      const values = rp.t === "str" ? rp.v.split(",").map((x) => x.trim()) : stringItems(rp)?.complete ? stringItems(rp)!.items : null;
      if (values && !values.every((v) => REFERRER_POLICY_VALUES.has(v))) add("security.E023", unsure ? null : false, "SECURE_REFERRER_POLICY", `SECURE_REFERRER_POLICY has an invalid value: ${how("SECURE_REFERRER_POLICY")}`);
    }
  }

  // Django 4.0+: E024 for an invalid Cross-Origin-Opener-Policy.
  if (djangoAtLeast(project, 4, 0) && securityMw !== false) {
    const coop = eff("SECURE_CROSS_ORIGIN_OPENER_POLICY");
    if (coop.t === "str" && !COOP_VALUES.has(coop.v)) add("security.E024", securityMw === null ? null : false, "SECURE_CROSS_ORIGIN_OPENER_POLICY", `SECURE_CROSS_ORIGIN_OPENER_POLICY has an invalid value: ${how("SECURE_CROSS_ORIGIN_OPENER_POLICY")}`);
  }

  // Django 4.1+: W025 for weak SECRET_KEY_FALLBACKS entries.
  if (djangoAtLeast(project, 4, 1)) {
    const fb = s.get("SECRET_KEY_FALLBACKS");
    const items = itemsOf(fb?.value);
    const weak = items ? items.findIndex((k) => weakKey(k) !== false) : -1;
    if (items && weak !== -1) add("security.W025", weakKey(items[weak]!) === true ? false : null, "SECRET_KEY_FALLBACKS", `SECRET_KEY_FALLBACKS[${weak}] is weak (under 50 characters, under 5 distinct characters or django-insecure-): ${s.explain("SECRET_KEY_FALLBACKS")}`);
  }
  return out;
}
