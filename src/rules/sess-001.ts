import { defineRule } from "./types.js";
import { reportDeployChecks } from "../django/settings/report.js";
import { sessionSettingProblems, setCookieWithoutFlags } from "../django/settings/cookies.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";

export default defineRule({
  id: "DJANGO-SESS-001",
  title: "Weak session cookie and session storage settings",
  severity: "medium",
  cwe: "CWE-1004",
  owasp: "A05:2021-Security Misconfiguration",
  djangoCheckIds: ["security.W013", "security.W014", "security.W015"],
  description:
    "Detects `SESSION_COOKIE_HTTPONLY = False`; `SESSION_COOKIE_SAMESITE` set to `None` or `'None'` while cookie-authenticated views change state; a `SESSION_COOKIE_DOMAIN` broad enough to share the cookie with sibling subdomains; cookie-backed sessions (`django.contrib.sessions.backends.signed_cookies`) combined with long `SESSION_COOKIE_AGE`; `SESSION_SERIALIZER` pointing at a pickle-based serializer; and `response.set_cookie(...)` calls that store authentication or session data without `secure`, `httponly` and `samesite`. The Secure flag is evaluated as in DJANGO-HTTPS-001 and may legitimately differ per environment so local HTTP keeps working.",
  impact:
    "A session cookie readable by JavaScript turns any XSS into account takeover; `SameSite=None` re-enables cross-site requests carrying the session; a parent-domain cookie is exposed to every subdomain, including less trusted ones. Signed-cookie sessions cannot be revoked server-side, so a stolen cookie stays valid for its whole age, and a pickle serializer turns a leaked `SECRET_KEY` into remote code execution.",
  fix:
    "Keep `SESSION_COOKIE_HTTPONLY = True` and `SESSION_COOKIE_SAMESITE = \"Lax\"` (or `\"Strict\"`), leave `SESSION_COOKIE_DOMAIN` unset unless sharing is required, use the database or cache session backend with a modest `SESSION_COOKIE_AGE`, and use the default `JSONSerializer`. Pass `secure=True, httponly=True, samesite=\"Lax\"` to `set_cookie` for sensitive cookies.",
  mitigation:
    "Shorten session lifetime and rotate sessions on login (Django's `login()` does this), and ensure a strict CSP reduces the chance of script access to cookies.",
  falsePositives:
    "`SameSite=None` can be required for legitimate cross-site embeds or SSO flows; verify that those views are protected by CSRF tokens. Cookies set with `set_cookie` that hold non-sensitive preferences (theme, language) are not findings.",
  example: {
    bad: `SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 365
SESSION_COOKIE_HTTPONLY = False
SESSION_COOKIE_SAMESITE = "None"`,
    good: `SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/topics/http/sessions/",
    "https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-httponly",
    "https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html",
  ],
  checks: [sessionCookieSettings, sessionCookiesSetByHand],
});

// --- settings checks (issue 3): begin ---
// SESSION_COOKIE_HTTPONLY (security.W013–W015), SameSite, domain, signed-cookie sessions, pickle serializer.
function sessionCookieSettings(ctx: SettingsRuleContext): void {
  reportDeployChecks(ctx, ["security.W013", "security.W014", "security.W015"]);
  for (const p of sessionSettingProblems(ctx.project)) ctx.report(p);
}

// response.set_cookie(...) of session or auth data without secure/httponly/samesite.
function sessionCookiesSetByHand(ctx: SettingsRuleContext): void {
  for (const p of setCookieWithoutFlags(ctx.project)) ctx.report(p);
}
// --- settings checks (issue 3): end ---
