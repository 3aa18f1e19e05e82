// Cookie problems beyond Django's own checks: SameSite=None, broad cookie
// domains, signed-cookie sessions, pickle serializers, CSRF cookie flags that
// contradict how the front end reads the token, and cookies set by hand.
import type { Project, PythonFile } from "../../project/project.js";
import type * as A from "../../python/ast.js";
import { constString, keywordArg, walkBody } from "../../python/walk.js";
import type { ReportInput } from "../../rules/types.js";
import { listHas, MW } from "./deploy-checks.js";
import { settingsAnalysis } from "./index.js";
import { truthy, type Val } from "./values.js";

const isNoneSameSite = (v: Val) => v.t === "none" || (v.t === "str" && v.v.toLowerCase() === "none");

export function sessionSettingProblems(project: Project): ReportInput[] {
  const s = project.use(settingsAnalysis);
  if (!s.evaluated) return [];
  const out: ReportInput[] = [];
  const at = (name: string) => s.siteOf(name);
  const push = (name: string, message: string, confidence: ReportInput["confidence"], severity?: ReportInput["severity"]) => {
    const site = at(name);
    out.push({ path: site.path, span: site, message, confidence, symbol: name, key: name, ...(severity ? { severity } : {}) });
  };
  const samesite = s.get("SESSION_COOKIE_SAMESITE");
  if (samesite && isNoneSameSite(samesite.value)) {
    push("SESSION_COOKIE_SAMESITE", `SESSION_COOKIE_SAMESITE is None (${s.explain("SESSION_COOKIE_SAMESITE")}): browsers send the session cookie on cross-site requests, so CSRF and cross-site leaks rely on other defences`, "medium");
  }
  const domain = s.get("SESSION_COOKIE_DOMAIN");
  if (domain?.value.t === "str" && domain.value.v.startsWith(".")) {
    push("SESSION_COOKIE_DOMAIN", `SESSION_COOKIE_DOMAIN is ${domain.value.v} (${domain.site.path}:${domain.site.line}): every subdomain receives the session cookie, so one compromised or user-controlled subdomain can steal or fixate sessions`, "medium", "low");
  }
  const engine = s.effective("SESSION_ENGINE").value;
  if (engine.t === "str" && engine.v.endsWith("signed_cookies")) {
    const age = s.effective("SESSION_COOKIE_AGE").value;
    if (age.t === "num" && age.v > 86400) {
      push(s.has("SESSION_COOKIE_AGE") ? "SESSION_COOKIE_AGE" : "SESSION_ENGINE", `sessions are stored in signed cookies (SESSION_ENGINE at ${at("SESSION_ENGINE").path}:${at("SESSION_ENGINE").line}) and live ${Math.round(age.v / 86400)} days${s.has("SESSION_COOKIE_AGE") ? "" : " (Django's default age)"}: a stolen cookie cannot be revoked server-side and logout does not invalidate it`, "medium");
    }
  }
  const ser = s.get("SESSION_SERIALIZER");
  if (ser?.value.t === "str" && /pickle/i.test(ser.value.v)) {
    push("SESSION_SERIALIZER", `SESSION_SERIALIZER is ${ser.value.v}: anyone who obtains SECRET_KEY (or can write session data) gets remote code execution through unpickling`, "high", "high");
  }
  return out;
}

export function csrfCookieProblems(project: Project): ReportInput[] {
  const s = project.use(settingsAnalysis);
  if (!s.evaluated) return [];
  const out: ReportInput[] = [];
  const push = (name: string, message: string, confidence: ReportInput["confidence"], severity?: ReportInput["severity"]) => {
    const site = s.siteOf(name);
    out.push({ path: site.path, span: site, message, confidence, symbol: name, key: name, ...(severity ? { severity } : {}) });
  };
  const samesite = s.get("CSRF_COOKIE_SAMESITE");
  if (samesite && isNoneSameSite(samesite.value)) {
    push("CSRF_COOKIE_SAMESITE", `CSRF_COOKIE_SAMESITE is None (${s.explain("CSRF_COOKIE_SAMESITE")}): the CSRF cookie goes along with cross-site requests; keep 'Lax' unless a cross-site embed really needs it`, "medium", "low");
  }
  // CSRF_COOKIE_HTTPONLY against front-end code reading the cookie is reported from the JavaScript side (src/templates/js.ts).
  const useSessions = s.get("CSRF_USE_SESSIONS");
  if (useSessions && truthy(useSessions.value) === true && listHas(s, "MIDDLEWARE", MW.csrf) === true && listHas(s, "MIDDLEWARE", MW.session) === false) {
    push("CSRF_USE_SESSIONS", `CSRF_USE_SESSIONS is True but SessionMiddleware is not in MIDDLEWARE: the CSRF token has nowhere to live and every POST fails CSRF validation`, "high");
  }
  return out;
}

const AUTH_COOKIE = /sess|auth|token|jwt|remember|login|sid|user/i;

export function setCookieWithoutFlags(project: Project): ReportInput[] {
  const out: ReportInput[] = [];
  for (const f of project.python) {
    if (/(^|\/)(tests?|migrations)\//.test(f.path) || /(^|\/)test_[^/]*\.py$/.test(f.path)) continue;
    if (!f.text.includes("set_cookie")) continue; // no .set_cookie( call can be in it
    walkBody(f.ast.body, {
      expr(e) {
        if (e.kind !== "Call" || e.func.kind !== "Attribute" || e.func.attr !== "set_cookie") return;
        const name = constString(e.args[0] ?? keywordArg(e, "key"));
        if (!name || !AUTH_COOKIE.test(name)) return;
        const missing = ["secure", "httponly", "samesite"].filter((k) => !flagOn(e, k));
        if (!missing.length) return;
        out.push(cookieFinding(f, e, name, missing));
      },
    });
  }
  return out;
}

function flagOn(c: A.Call, name: string): boolean {
  const v = keywordArg(c, name);
  if (!v) return false;
  if (v.kind === "Constant") return name === "samesite" ? v.value !== null && String(v.value).toLowerCase() !== "none" : v.value === true;
  return true; // a variable or settings.X: assume it is configured per environment
}

function cookieFinding(f: PythonFile, c: A.Call, name: string, missing: string[]): ReportInput {
  return {
    path: f.path, span: c, confidence: "medium", key: name,
    message: `response.set_cookie('${name}', ...) sets what looks like session or auth data without ${missing.join(", ")}: the cookie can leak over HTTP, be read by injected scripts, or ride along on cross-site requests`,
  };
}
