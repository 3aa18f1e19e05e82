// Settings problems Django has no check for: proxies, CSP, password hashing,
// logging, media/static roots, uploads, CORS, DRF/simplejwt, hard-coded
// credentials and database accounts. Each function returns what its rule
// reports; the rule files only call them.
import { edgeAnalysis, type EdgeFacts } from "../../deploy/edge.js";
import type { Project, PythonFile } from "../../project/project.js";
import type * as A from "../../python/ast.js";
import { qualifiedName } from "../../python/scope.js";
import { baseClass, constString, dottedName, walkBody, walkExpr } from "../../python/walk.js";
import type { ReportInput } from "../../rules/types.js";
import { djangoAtLeast } from "../version.js";
import { listHas } from "./deploy-checks.js";
import { settingsAnalysis } from "./index.js";
import { middlewareEntries } from "./middleware.js";
import { dictGet, isTrue, itemsOf, stringItems, truthy, type Site, type Val } from "./values.js";

function edgeOf(project: Project): EdgeFacts | null {
  try {
    return project.use(edgeAnalysis);
  } catch {
    return null;
  }
}

function finding(site: Site, message: string, confidence: ReportInput["confidence"], extra: Partial<ReportInput> = {}): ReportInput {
  return { path: site.path, span: site, message, confidence, ...extra };
}

const at = (site: Site) => `${site.path}:${site.line}`;

// ---------- PROXY-001 ----------

export function proxyProblems(project: Project): ReportInput[] {
  const s = project.use(settingsAnalysis);
  if (!s.evaluated) return [];
  const out: ReportInput[] = [];
  const edge = edgeOf(project);
  const header = s.get("SECURE_PROXY_SSL_HEADER");
  if (header && truthy(header.value) === true && !edge?.forwardedProto) {
    out.push(finding(header.site, `SECURE_PROXY_SSL_HEADER is set (${at(header.site)}) but nothing in the deployment files shows a proxy that overwrites the header: if clients can reach Django directly, they can claim HTTPS by sending it themselves. Not visible in app code; verify at the edge`, "low", { symbol: "SECURE_PROXY_SSL_HEADER", key: "proxy-header" }));
  }
  const redirect = s.get("SECURE_SSL_REDIRECT");
  // Only a proxy that terminates TLS hides the scheme from Django; when the app server itself serves TLS
  // (gunicorn --certfile / certfile, uWSGI https =) request.is_secure() is true and the redirect stops.
  const proxyTls = edge?.tls && edge.tls.by !== "app-server" && edge.tls.path !== "" ? edge.tls : null;
  if (redirect && isTrue(redirect.value) === true && !(header && truthy(header.value) === true) && proxyTls) {
    out.push(finding(redirect.site, `SECURE_SSL_REDIRECT is True but SECURE_PROXY_SSL_HEADER is not set while TLS is terminated at a proxy (${proxyTls.path}:${proxyTls.line}): Django sees every request as HTTP and redirects forever`, "medium", { symbol: "SECURE_SSL_REDIRECT", key: "redirect-loop" }));
  }
  for (const name of ["USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT"]) {
    const v = s.get(name);
    if (v && truthy(v.value) === true && !edge?.forwardedProto && !proxyTls) {
      out.push(finding(v.site, `${name} is True (${at(v.site)}) but no proxy is visible in the deployment files: a client-supplied X-Forwarded-${name.endsWith("HOST") ? "Host" : "Port"} then decides the URLs Django builds (password-reset links, redirects). Not visible in app code; verify at the edge`, "low", { symbol: name, key: name }));
    }
  }
  return out;
}

// ---------- CSP-001 ----------

const CSP_MIDDLEWARE = ["django.middleware.csp.ContentSecurityPolicyMiddleware", "csp.middleware.CSPMiddleware"];

export function cspProblems(project: Project): ReportInput[] {
  const s = project.use(settingsAnalysis);
  if (!s.evaluated || !s.file) return [];
  const out: ReportInput[] = [];
  const mw = middlewareEntries(s);
  const hasMw = mw ? CSP_MIDDLEWARE.some((m) => mw.some((e) => e.name === m)) : null;
  const builtin = djangoAtLeast(project, 6, 0) ? (s.get("SECURE_CSP") ?? s.get("SECURE_CSP_REPORT_ONLY")) : undefined;
  const djangoCsp4 = s.get("CONTENT_SECURITY_POLICY") ?? s.get("CONTENT_SECURITY_POLICY_REPORT_ONLY");
  const djangoCsp3 = s.names().filter((n) => /^CSP_/.test(n));
  const edge = edgeOf(project);
  const codeSetsHeader = project.python.some((f) => f.text.includes("Content-Security-Policy") && !/(^|\/)(tests?)\//.test(f.path));
  if (!hasMw && !edge?.csp && !codeSetsHeader && hasMw !== null) {
    const site = s.siteOf("MIDDLEWARE");
    const wanted = djangoAtLeast(project, 6, 0) ? "Django's ContentSecurityPolicyMiddleware or django-csp's CSPMiddleware" : "django-csp's CSPMiddleware";
    out.push(finding(site, `No Content-Security-Policy: MIDDLEWARE does not include ${wanted}${builtin || djangoCsp4 || djangoCsp3.length ? " (CSP settings exist, but nothing sends them)" : ""}, and no project middleware or proxy configuration sets the header. Not visible in app code; verify at the edge`, "low", { symbol: "MIDDLEWARE", key: "no-csp" }));
  }
  // script-src sources from every shape we understand.
  const scriptSources: { sources: string[]; site: Site; where: string }[] = [];
  const fromDirectives = (dict: Val | undefined, site: Site, where: string) => {
    const d = dict?.t === "dict" && dictGet(dict, "DIRECTIVES") ? dictGet(dict, "DIRECTIVES") : dict;
    for (const key of ["script-src", "default-src"]) {
      const v = dictGet(d, key);
      const items = cspSources(v);
      if (items) { scriptSources.push({ sources: items, site: v?.at ?? site, where: `${where} ${key}` }); break; }
    }
  };
  if (builtin) fromDirectives(builtin.value, builtin.site, builtin.name);
  if (djangoCsp4) fromDirectives(djangoCsp4.value, djangoCsp4.site, djangoCsp4.name);
  for (const name of ["CSP_SCRIPT_SRC", "CSP_DEFAULT_SRC"]) {
    const v = s.get(name);
    const items = cspSources(v?.value);
    if (v && items) { scriptSources.push({ sources: items, site: v.site, where: name }); break; }
  }
  for (const src of scriptSources) {
    const bad = src.sources.filter((x) => ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "unsafe-inline", "unsafe-eval"].includes(x) || /^https?:$/.test(x));
    if (bad.length) out.push(finding(src.site, `${src.where} allows ${bad.join(", ")}: injected scripts run anyway, so the policy does not stop XSS`, "high", { key: `csp-${src.where}` }));
  }
  return out;
}

/** CSP source lists: strings, tuples, or Django 6.0's CSP constants (ext django.utils.csp.CSP.X). */
function cspSources(v: Val | undefined): string[] | null {
  if (!v) return null;
  if (v.t === "str") return v.v.split(/\s+/).filter(Boolean);
  const items = itemsOf(v);
  if (!items) return null;
  return items.flatMap((i) => {
    if (i.t === "str") return [i.v];
    if (i.t === "ext") {
      const c = i.q.split(".").pop()!;
      const map: Record<string, string> = { UNSAFE_INLINE: "'unsafe-inline'", UNSAFE_EVAL: "'unsafe-eval'", SELF: "'self'", NONE: "'none'", STRICT_DYNAMIC: "'strict-dynamic'", NONCE: "'nonce'", WILDCARD: "*" };
      return [map[c] ?? c];
    }
    return [];
  });
}

// ---------- AUTH-001 ----------

const WEAK_HASHERS = ["MD5PasswordHasher", "UnsaltedMD5PasswordHasher", "UnsaltedSHA1PasswordHasher", "SHA1PasswordHasher", "CryptPasswordHasher"];

export function authSettingProblems(project: Project): ReportInput[] {
  const s = project.use(settingsAnalysis);
  if (!s.evaluated || !s.file) return [];
  const out: ReportInput[] = [];
  const hashers = s.get("PASSWORD_HASHERS");
  const items = itemsOf(hashers?.value);
  if (hashers && items) {
    items.forEach((h, i) => {
      if (h.t !== "str") return;
      const cls = h.v.split(".").pop()!;
      if (!WEAK_HASHERS.includes(cls)) return;
      const site = h.at ?? hashers.site;
      out.push(finding(site, i === 0
        ? `${cls} is the first entry of PASSWORD_HASHERS (${at(site)}): every new or changed password is stored with a fast, broken hash that GPUs crack in bulk`
        : `${cls} is in PASSWORD_HASHERS (${at(site)}): passwords already stored with it stay crackable until users log in again; keep it only while migrating`, i === 0 ? "high" : "medium", { symbol: "PASSWORD_HASHERS", key: cls, severity: i === 0 ? "high" : "medium" }));
    });
  }
  const validators = s.get("AUTH_PASSWORD_VALIDATORS");
  const vItems = itemsOf(validators?.value);
  if (!validators) {
    out.push(finding(s.firstLine(), `AUTH_PASSWORD_VALIDATORS is missing from the production settings ${s.file.path} (and everything it imports): Django accepts any password, including "1" and "password"`, "medium", { symbol: "AUTH_PASSWORD_VALIDATORS", key: "validators-missing", severity: "medium" }));
  } else if (vItems && vItems.length === 0) {
    out.push(finding(validators.site, `AUTH_PASSWORD_VALIDATORS is empty (${s.explain("AUTH_PASSWORD_VALIDATORS")}): Django accepts any password`, "high", { symbol: "AUTH_PASSWORD_VALIDATORS", key: "validators-empty", severity: "medium" }));
  } else if (vItems) {
    for (const v of vItems) {
      const name = dictGet(v, "NAME");
      if (name?.t !== "str" || !name.v.endsWith("MinimumLengthValidator")) continue;
      const min = dictGet(dictGet(v, "OPTIONS"), "min_length");
      if (min?.t === "num" && min.v < 8) out.push(finding(min.at ?? validators.site, `MinimumLengthValidator allows passwords of ${min.v} characters (${at(min.at ?? validators.site)}); use at least 8, ideally 12`, "high", { symbol: "AUTH_PASSWORD_VALIDATORS", key: "min-length", severity: "low" }));
    }
  }
  return out;
}

const PASSWORDISH = /pass(word|wd)?|pwd/i;
const PASSWORD_FIELD = /^(password|passwd|pwd|user_password|plain_password)$/i;
/** A field naming where a service lives: a model holding one next to a password keeps that service's login. */
const SERVICE_FIELD = /(^|_)(host|hostname|server|port|imap|smtp|pop3|endpoint|dsn)(_|$)|^(url|uri|base_url|api_url|server_url)$/i;
/** Fields any model may have: sharing one with a service account says nothing about an object. */
const GENERIC_FIELDS = new Set(["name", "title", "slug", "description", "notes", "created", "created_at", "updated", "updated_at", "modified", "objects", "owner", "user", "enabled", "order", "position", "type", "kind", "status"]);
/** Fields of Django's user model: another object's attribute outside these says it is not a user. */
const USER_FIELDS = new Set(["password", "username", "email", "first_name", "last_name", "is_active", "is_staff", "is_superuser", "last_login", "date_joined", "groups", "user_permissions", "id", "pk", "save", "set_password", "check_password", "set_unusable_password", "has_usable_password", "refresh_from_db", "full_clean"]);

/** A model class statement's field names (`name = models.XField(...)`). */
function modelFields(cls: A.ClassDef): string[] {
  const out: string[] = [];
  for (const b of cls.body) if (b.kind === "Assign" && b.value.kind === "Call") for (const t of b.targets) if (t.kind === "Name") out.push(t.id);
  return out;
}

/**
 * Fields of the project's models that keep another service's login (a password
 * next to a host, server, port or URL: a mail account, an integration). Such a
 * password has to be sent as it is, so it cannot be hashed, and assigning it is
 * not setting a user's password.
 */
function serviceCredentialFields(project: Project): Set<string> {
  const out = new Set<string>();
  for (const f of project.python) {
    if (!/(^|\/)models(\/|\.py$)/.test(f.path) || !PASSWORDISH.test(f.text)) continue;
    for (const s of f.ast.body) {
      if (s.kind !== "ClassDef") continue;
      const fields = modelFields(s);
      if (fields.some((n) => PASSWORD_FIELD.test(n)) && fields.some((n) => SERVICE_FIELD.test(n))) for (const n of fields) if (!USER_FIELDS.has(n) && !GENERIC_FIELDS.has(n)) out.add(n);
    }
  }
  return out;
}

/** `x.password = ...` on an object the function also treats as a service account (reads or sets one of its own fields). */
function onServiceAccount(target: A.Attribute, ancestors: readonly A.Stmt[], serviceFields: Set<string>): boolean {
  const base = target.value.kind === "Name" ? target.value.id : null;
  const fn = [...ancestors].reverse().find((a): a is A.FunctionDef => a.kind === "FunctionDef");
  if (!base || !fn || !serviceFields.size) return false;
  let found = false;
  walkBody(fn.body, {
    expr: (x) => {
      if (!found && x.kind === "Attribute" && x.value.kind === "Name" && x.value.id === base && serviceFields.has(x.attr)) found = true;
    },
  });
  return found;
}

export function authCodeProblems(project: Project): ReportInput[] {
  const out: ReportInput[] = [];
  let serviceFields: Set<string> | null = null;
  for (const f of project.python) {
    if (/(^|\/)(tests?|migrations)\//.test(f.path) || /(^|\/)(test_[^/]*|tests)\.py$/.test(f.path)) continue;
    // Every check below is about something named like a password: a file that never
    // writes such a word is not walked (most are not).
    if (!PASSWORDISH.test(f.text)) continue;
    // A call qualifies as hashlib.* only where the module names hashlib (an import, or the bare name):
    // elsewhere the statements are enough and no expression needs a visit.
    const hashes = f.text.includes("hashlib");
    walkBody(f.ast.body, {
      stmt(st, ancestors) {
        // user.password = <anything but make_password(...)>
        if (st.kind === "Assign") {
          for (const t of st.targets) {
            if (t.kind !== "Attribute" || t.attr !== "password" || t.value.kind === "Name" && t.value.id === "self") continue;
            const v = st.value;
            const hashed = v.kind === "Call" && /make_password$/.test(qualifiedName(project, f, v.func) ?? "");
            if (!hashed && !onServiceAccount(t, ancestors, (serviceFields ??= serviceCredentialFields(project)))) out.push(finding({ path: f.path, ...spanOf(st) }, `${dottedName(t) ?? "password"} is assigned directly instead of through set_password()/make_password(): the value is stored as given, in plain text, and the account cannot log in`, "medium", { key: `assign-${st.line}` }));
          }
        }
        // password = models.CharField(...) on a model that is not a Django user model
        if (st.kind === "ClassDef" && /(^|\/)models(\/|\.py$)/.test(f.path)) {
          const bases = st.bases.map((b) => dottedName(baseClass(b)) ?? "");
          if (bases.some((b) => /AbstractBaseUser|AbstractUser/.test(b))) return;
          const service = modelFields(st).find((n) => SERVICE_FIELD.test(n));
          for (const b of st.body) {
            if (b.kind !== "Assign" || b.value.kind !== "Call") continue;
            const field = dottedName(b.value.func) ?? "";
            for (const t of b.targets) {
              if (t.kind !== "Name" || !PASSWORD_FIELD.test(t.id) || !/(CharField|TextField)$/.test(field)) continue;
              const kind = field.split(".").pop();
              if (service) out.push(finding({ path: f.path, ...spanOf(b) }, `${st.name}.${t.id} is a ${kind} that keeps another service's password (the model also holds its \`${service}\`) as plain text: it cannot be hashed, since it has to be sent to that service, so encrypt it at rest with a key kept outside the database, and limit who can read it`, "low", { key: `field-${st.name}-${t.id}` }));
              else out.push(finding({ path: f.path, ...spanOf(b) }, `${st.name}.${t.id} is a ${kind} that stores passwords as plain text; use Django's user model and its hashers (set_password/check_password)`, "medium", { key: `field-${st.name}-${t.id}` }));
            }
          }
        }
      },
      ...(hashes ? { expr: (e: A.Expr) => hashedPassword(project, f, e, out) } : {}),
    });
  }
  return out;
}

/** hashlib.md5/sha1 (or hashlib.new("md5"/"sha1")) over something named like a password. */
function hashedPassword(project: Project, f: PythonFile, e: A.Expr, out: ReportInput[]): void {
  if (e.kind !== "Call") return;
  const q = qualifiedName(project, f, e.func) ?? "";
  if (!/^hashlib\.(md5|sha1|new)$/.test(q)) return;
  if (q === "hashlib.new" && !/^(md5|sha1)$/i.test(constString(e.args[0]) ?? "")) return;
  const data = q === "hashlib.new" ? e.args[1] : e.args[0];
  if (!data || !mentions(data, PASSWORDISH)) return;
  out.push(finding({ path: f.path, ...spanOf(e) }, `${q.replace("hashlib.new", "hashlib.new(md5/sha1)")} over a password: unsalted fast hashes are cracked in bulk; use Django's make_password/check_password`, "high", { key: `hash-${e.line}-${e.col}` }));
}

function mentions(e: A.Expr, re: RegExp): boolean {
  let hit = false;
  walkExpr(e, (x) => {
    if (hit) return false;
    if (x.kind === "Name" && re.test(x.id)) hit = true;
    if (x.kind === "Attribute" && re.test(x.attr)) hit = true;
    if (x.kind === "Subscript" && re.test(constString(x.slice) ?? "")) hit = true;
  });
  return hit;
}

function spanOf(n: A.Span): A.Span {
  return { line: n.line, col: n.col, endLine: n.endLine, endCol: n.endCol };
}

// ---------- LOG-001 ----------

export function loggingProblems(project: Project): ReportInput[] {
  const s = project.use(settingsAnalysis);
  if (!s.evaluated || !s.file) return [];
  const out: ReportInput[] = [];
  const logging = s.get("LOGGING");
  const loggers = dictGet(logging?.value, "loggers");
  const hasSecurity = loggers?.t === "dict" && loggers.entries.some(([k]) => k.t === "str" && (k.v === "django.security" || k.v === "django" || k.v.startsWith("django.security.")));
  const root = dictGet(logging?.value, "root");
  if (!logging) {
    out.push(finding(s.firstLine(), `LOGGING is not configured in the production settings ${s.file.path}: django.security events (suspicious operations, bad Host headers, CSRF failures) go only to Django's defaults and are easily lost`, "medium", { symbol: "LOGGING", key: "no-logging", severity: "low" }));
  } else if (logging.value.t === "dict" && !hasSecurity && !root) {
    out.push(finding(logging.site, `LOGGING has no logger for django.security (or django, or root) (${at(logging.site)}): security events such as DisallowedHost and SuspiciousOperation are not recorded`, "medium", { symbol: "LOGGING", key: "no-security-logger", severity: "low" }));
  }
  const handlers = dictGet(logging?.value, "handlers");
  if (handlers?.t === "dict") {
    for (const [k, h] of handlers.entries) {
      const cls = dictGet(h, "class");
      if (cls?.t !== "str" || !cls.v.endsWith("AdminEmailHandler")) continue;
      const filters = itemsOf(dictGet(h, "filters"));
      const html = dictGet(h, "include_html");
      const site = h.at ?? logging!.site;
      if (html && truthy(html) === true) out.push(finding(site, `the ${k.t === "str" ? k.v : ""} AdminEmailHandler sends include_html error reports (${at(site)}): full debug pages with local variables and settings go by e-mail`, "high", { symbol: "LOGGING", key: "include-html", severity: "medium" }));
      else if (!filters || filters.length === 0) out.push(finding(site, `the ${k.t === "str" ? k.v : ""} AdminEmailHandler has no filters (${at(site)}): error e-mails with request details go out for every logged error, including in debug runs; add require_debug_false and consider filtering sensitive data`, "medium", { symbol: "LOGGING", key: "admin-mail", severity: "low" }));
    }
  }
  return out;
}

// ---------- PATH-001 ----------

export function mediaStaticRootProblems(project: Project): ReportInput[] {
  const s = project.use(settingsAnalysis);
  if (!s.evaluated) return [];
  const media = s.get("MEDIA_ROOT"), stat = s.get("STATIC_ROOT");
  const p = (v: Val | undefined) => (v && (v.t === "path" || v.t === "str") && v.v ? v.v.replace(/\/+$/, "") : null);
  const m = p(media?.value), st = p(stat?.value);
  if (!media || !stat || !m || !st) return [];
  let rel: string | null = null;
  if (m === st) rel = "is the same directory as";
  else if (m.startsWith(`${st}/`)) rel = "is inside";
  else if (st.startsWith(`${m}/`)) rel = "contains";
  if (!rel) return [];
  return [finding(media.site, `MEDIA_ROOT ${rel} STATIC_ROOT (${at(media.site)} and ${at(stat.site)}): user uploads mix with trusted static files, so an upload can overwrite or pose as site JavaScript, and collectstatic can serve or clobber uploads`, "high", { symbol: "MEDIA_ROOT", key: "media-static" })];
}

// ---------- UPLOAD-001 ----------

export function uploadSettingProblems(project: Project): ReportInput[] {
  const s = project.use(settingsAnalysis);
  if (!s.evaluated) return [];
  const out: ReportInput[] = [];
  for (const name of ["FILE_UPLOAD_PERMISSIONS", "FILE_UPLOAD_DIRECTORY_PERMISSIONS"]) {
    const v = s.get(name);
    if (v?.value.t === "num" && (v.value.v & 0o002) !== 0) {
      out.push(finding(v.site, `${name} is 0o${v.value.v.toString(8)} (${at(v.site)}): uploaded ${name.includes("DIRECTORY") ? "directories" : "files"} are world-writable, so any local process can replace them`, "high", { symbol: name, key: name }));
    }
  }
  const limit = s.get("DATA_UPLOAD_MAX_MEMORY_SIZE");
  const edge = edgeOf(project);
  if (limit && (limit.value.t === "none" || (limit.value.t === "num" && limit.value.v > 100 * 1024 * 1024)) && !edge?.bodyLimit) {
    out.push(finding(limit.site, `DATA_UPLOAD_MAX_MEMORY_SIZE is ${limit.value.t === "none" ? "None (no limit)" : `${Math.round((limit.value as { v: number }).v / 1048576)} MB`} (${at(limit.site)}) and no request-body limit is visible at a proxy: large bodies are read into memory. Not visible in app code; verify at the edge`, "medium", { symbol: "DATA_UPLOAD_MAX_MEMORY_SIZE", key: "body-limit", severity: "low" }));
  }
  return out;
}

// ---------- CORS-001 ----------

export function corsProblems(project: Project): ReportInput[] {
  const s = project.use(settingsAnalysis);
  if (!s.evaluated) return [];
  const out: ReportInput[] = [];
  const allowAll = s.get("CORS_ALLOW_ALL_ORIGINS") ?? s.get("CORS_ORIGIN_ALLOW_ALL");
  const creds = s.get("CORS_ALLOW_CREDENTIALS");
  if (allowAll && truthy(allowAll.value) === true) {
    const withCreds = creds && truthy(creds.value) === true;
    out.push(finding(allowAll.site, withCreds
      ? `${allowAll.name} is True together with CORS_ALLOW_CREDENTIALS (${at(creds!.site)}): any website can make credentialed requests and read the responses, i.e. act as the logged-in user`
      : `${allowAll.name} is True (${s.explain(allowAll.name)}): any website can read the API's responses; list the origins that need access`, withCreds ? "high" : "high", { symbol: allowAll.name, key: "allow-all", severity: withCreds ? "high" : "medium" }));
  }
  const regexes = s.get("CORS_ALLOWED_ORIGIN_REGEXES") ?? s.get("CORS_ORIGIN_REGEX_WHITELIST");
  for (const r of itemsOf(regexes?.value) ?? []) {
    if (r.t !== "str") continue;
    const loose = /^\^?\.\*|^\^?https?:\/\/\.\*|\.\*\$?$/.test(r.v) ? "matches any origin"
      : !r.v.endsWith("$") ? "is not anchored with $, so evil.example.com.attacker.net matches"
      : /[a-z0-9]\.[a-z]/i.test(r.v.replace(/\\\./g, "")) ? "has an unescaped dot, which matches any character" : null;
    if (loose) out.push(finding(r.at ?? regexes!.site, `CORS origin regex ${JSON.stringify(r.v)} ${loose}`, "medium", { symbol: regexes!.name, key: `regex-${r.v}` }));
  }
  const origins = s.get("CORS_ALLOWED_ORIGINS") ?? s.get("CORS_ORIGIN_WHITELIST");
  for (const o of itemsOf(origins?.value) ?? []) {
    if (o.t !== "str") continue;
    if (o.v === "null" || (o.v.startsWith("http://") && !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(o.v))) {
      out.push(finding(o.at ?? origins!.site, `CORS allows the origin ${o.v} in production: ${o.v === "null" ? "sandboxed iframes and file:// pages send Origin: null, so any attacker page can" : "a network attacker can inject into that plain-HTTP origin and"} read responses`, "medium", { symbol: origins!.name, key: `origin-${o.v}` }));
    }
  }
  const mw = middlewareEntries(s);
  if (mw) {
    const cors = mw.findIndex((m) => m.name === "corsheaders.middleware.CorsMiddleware");
    const common = mw.findIndex((m) => m.name === "django.middleware.common.CommonMiddleware");
    if (cors !== -1 && common !== -1 && cors > common) out.push(finding(mw[cors]!.site, `CorsMiddleware comes after CommonMiddleware: responses CommonMiddleware returns early (redirects) get no CORS headers; place CorsMiddleware as high as possible`, "high", { symbol: "MIDDLEWARE", key: "cors-order", severity: "low" }));
  }
  return out;
}

// ---------- API-001 ----------

export function apiSettingProblems(project: Project): ReportInput[] {
  const s = project.use(settingsAnalysis);
  if (!s.evaluated || !s.file) return [];
  const out: ReportInput[] = [];
  const drf = listHas(s, "INSTALLED_APPS", "rest_framework");
  if (drf === true) {
    const rf = s.get("REST_FRAMEWORK");
    const perms = dictGet(rf?.value, "DEFAULT_PERMISSION_CLASSES");
    const permItems = stringItems(perms);
    if (!rf || (rf.value.t === "dict" && !perms)) {
      out.push(finding(rf?.site ?? s.firstLine(), `${rf ? "REST_FRAMEWORK has no DEFAULT_PERMISSION_CLASSES" : "REST_FRAMEWORK is not configured"} while rest_framework is installed: DRF defaults to AllowAny, so every view without its own permission_classes is public`, "medium", { symbol: "REST_FRAMEWORK", key: "no-permissions" }));
    } else if (permItems?.items.some((p) => p.endsWith(".AllowAny"))) {
      out.push(finding(itemAt(perms!, ".AllowAny").at ?? rf.site, `REST_FRAMEWORK DEFAULT_PERMISSION_CLASSES is AllowAny: every API view without its own permission_classes is public`, "high", { symbol: "REST_FRAMEWORK", key: "allow-any" }));
    }
    const auth = stringItems(dictGet(rf?.value, "DEFAULT_AUTHENTICATION_CLASSES"));
    if (auth?.items.some((a) => a.endsWith(".BasicAuthentication"))) {
      const v = itemAt(dictGet(rf?.value, "DEFAULT_AUTHENTICATION_CLASSES")!, ".BasicAuthentication");
      out.push(finding(v.at ?? rf!.site, `BasicAuthentication is a default DRF authentication class in production: passwords travel with every request and invite brute force; use session or token authentication`, "high", { symbol: "REST_FRAMEWORK", key: "basic-auth" }));
    }
    const renderers = stringItems(dictGet(rf?.value, "DEFAULT_RENDERER_CLASSES"));
    if (renderers?.items.some((r) => r.endsWith(".BrowsableAPIRenderer"))) {
      const v = itemAt(dictGet(rf?.value, "DEFAULT_RENDERER_CLASSES")!, ".BrowsableAPIRenderer");
      out.push(finding(v.at ?? rf!.site, `the browsable API renderer is enabled in production: it exposes forms and endpoint details to anyone who opens the API in a browser`, "high", { symbol: "REST_FRAMEWORK", key: "browsable", severity: "low" }));
    }
  }
  const jwt = s.get("SIMPLE_JWT");
  if (jwt?.value.t === "dict") {
    const access = dictGet(jwt.value, "ACCESS_TOKEN_LIFETIME");
    if (access?.t === "num" && access.v > 3600) out.push(finding(access.at ?? jwt.site, `SIMPLE_JWT ACCESS_TOKEN_LIFETIME is ${describeDuration(access.v)}: a stolen access token stays valid that long and cannot be revoked; keep it to minutes`, "high", { symbol: "SIMPLE_JWT", key: "access-lifetime" }));
    const refresh = dictGet(jwt.value, "REFRESH_TOKEN_LIFETIME");
    const rotate = dictGet(jwt.value, "ROTATE_REFRESH_TOKENS");
    if (refresh?.t === "num" && refresh.v > 7 * 86400 && !(rotate && truthy(rotate) === true)) out.push(finding(refresh.at ?? jwt.site, `SIMPLE_JWT REFRESH_TOKEN_LIFETIME is ${describeDuration(refresh.v)} without ROTATE_REFRESH_TOKENS: a leaked refresh token keeps minting access tokens for that long`, "high", { symbol: "SIMPLE_JWT", key: "refresh-lifetime", severity: "medium" }));
    const key = dictGet(jwt.value, "SIGNING_KEY");
    if (key?.t === "str" && !(key.env ?? []).some((r) => r.set) && key.v.length > 0) out.push(finding(key.at ?? jwt.site, `SIMPLE_JWT SIGNING_KEY is hard-coded in the settings: anyone with the source can mint valid tokens for any user`, "high", { symbol: "SIMPLE_JWT", key: "signing-key", severity: "high" }));
  }
  return out;
}

/** The list item ending with `suffix` (for its line), else the list itself. */
function itemAt(list: Val, suffix: string): Val {
  return itemsOf(list)?.find((i) => i.t === "str" && i.v.endsWith(suffix)) ?? list;
}

function describeDuration(seconds: number): string {
  if (seconds >= 86400) return `${Math.round(seconds / 86400)} days`;
  if (seconds >= 3600) return `${Math.round(seconds / 3600)} hours`;
  return `${Math.round(seconds / 60)} minutes`;
}

// ---------- SECRET-002 ----------

const CREDENTIAL_SETTING = /(PASSWORD|SECRET|TOKEN|API_KEY|ACCESS_KEY|PRIVATE_KEY|AUTH_KEY|DSN)$/;
const NOT_CREDENTIAL = new Set(["SECRET_KEY", "SECRET_KEY_FALLBACKS", "CSRF_COOKIE_SECRET", "PASSWORD_RESET_TIMEOUT", "AUTH_PASSWORD_VALIDATORS", "PASSWORD_HASHERS"]);

export function hardcodedSettingsCredentials(project: Project): ReportInput[] {
  const s = project.use(settingsAnalysis);
  if (!s.evaluated) return [];
  const out: ReportInput[] = [];
  const check = (name: string, v: Val | undefined, fallbackSite: Site) => {
    if (!v || v.t !== "str" || v.v.length === 0 || /^(changeme|change-me|xxx+|\*+|<.*>|\$\{.*\}|dummy|example)$/i.test(v.v)) return;
    const reads = v.env ?? [];
    if (reads.some((r) => r.set)) return;
    const site = v.at ?? fallbackSite;
    const defaulted = reads.find((r) => r.defaulted);
    out.push(finding(site, defaulted
      ? `${name} falls back to a hard-coded value because ${defaulted.variable} is not set (${defaulted.code}): the credential is in the source`
      : `${name} is hard-coded in the settings (${at(site)}): the credential is in the source and every copy of it`, defaulted ? "medium" : "high", { symbol: name, key: name }));
  };
  for (const name of s.names()) {
    if (NOT_CREDENTIAL.has(name) || !CREDENTIAL_SETTING.test(name)) continue;
    const st = s.get(name)!;
    // a namespaced identifier (a cache key or URL name such as "app:wiki:rebuild") names something, it is not a credential
    if (st.value.t === "str" && /^[a-z]+([_-][a-z]+)*(:[a-z]+([_-][a-z]+)*)+$/.test(st.value.v)) continue;
    check(name, st.value, st.site);
  }
  const dbs = s.get("DATABASES");
  if (dbs?.value.t === "dict") {
    for (const [alias, db] of dbs.value.entries) {
      const pw = dictGet(db, "PASSWORD");
      // A password parsed from a database URL carries the URL's environment read.
      const val = pw && !pw.env && db.env ? { ...pw, env: db.env, at: pw.at ?? db.at } as Val : pw;
      // A fallback used only when the environment does not configure the database, pointing at a
      // database on the same machine (`default="postgres://shop:shop@localhost/shop"`), is the local
      // development database's password, not a production credential.
      const host = dictGet(db, "HOST");
      const defaulted = (v: Val | undefined) => !!v?.env?.length && v.env.some((r) => r.defaulted) && !v.env.some((r) => r.set);
      const devFallback = defaulted(val) && host?.t === "str" && defaulted(host.env ? host : db) && /^(localhost|127(\.\d+){3}|::1)$/i.test(host.v);
      if (devFallback) continue;
      check(`DATABASES[${alias.t === "str" ? `'${alias.v}'` : "?"}]['PASSWORD']`, val, dbs.site);
    }
  }
  return out;
}

// ---------- DB-001 ----------

const SUPERUSERS = new Set(["postgres", "root", "sa", "admin", "mysql"]);
const LOCAL_HOSTS = /^(|localhost|127\.0\.0\.1|::1|db|database|postgres|mysql|\/.*)$/;

export function databaseSettingProblems(project: Project): ReportInput[] {
  const s = project.use(settingsAnalysis);
  if (!s.evaluated) return [];
  const dbs = s.get("DATABASES");
  if (dbs?.value.t !== "dict") return [];
  const out: ReportInput[] = [];
  for (const [alias, db] of dbs.value.entries) {
    const engine = dictGet(db, "ENGINE");
    if (engine?.t !== "str" || /sqlite/.test(engine.v)) continue;
    const name = alias.t === "str" ? alias.v : "?";
    const user = dictGet(db, "USER");
    if (user?.t === "str" && SUPERUSERS.has(user.v.toLowerCase())) {
      out.push(finding(user.at ?? db.at ?? dbs.site, `DATABASES['${name}'] connects as the superuser '${user.v}': an SQL injection or leaked credential gets full control of the database server; use an account limited to the app's tables`, "high", { symbol: "DATABASES", key: `super-${name}`, severity: "medium" }));
    }
    const host = dictGet(db, "HOST");
    const options = dictGet(db, "OPTIONS");
    const tlsOpt = options?.t === "dict" && options.entries.some(([k]) => k.t === "str" && /^(sslmode|ssl|sslrootcert|ssl_ca|tls)$/.test(k.v));
    if (host?.t === "str" && !LOCAL_HOSTS.test(host.v) && /\./.test(host.v) && !tlsOpt) {
      out.push(finding(host.at ?? db.at ?? dbs.site, `DATABASES['${name}'] connects to the remote host ${host.v} with no TLS option (sslmode/ssl) in OPTIONS: credentials and data may cross the network unencrypted`, "medium", { symbol: "DATABASES", key: `tls-${name}`, severity: "low" }));
    }
  }
  return out;
}
