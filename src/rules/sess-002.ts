import { isTrue, settingsAnalysis } from "../django/settings/index.js";
import { csrfCookieReads } from "../templates/js.js";
import { defineRule, type RuleContext } from "./types.js";
import { reportDeployChecks } from "../django/settings/report.js";
import { csrfCookieProblems } from "../django/settings/cookies.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";

/** JavaScript reading the csrftoken cookie while CSRF_COOKIE_HTTPONLY or CSRF_USE_SESSIONS keeps it from scripts. */
function jsReadsHiddenCsrfCookie(ctx: RuleContext): void {
  const s = ctx.project.use(settingsAnalysis);
  const httpOnly = isTrue(s.effective("CSRF_COOKIE_HTTPONLY").value) === true;
  const sessions = isTrue(s.effective("CSRF_USE_SESSIONS").value) === true;
  if (!httpOnly && !sessions) return;
  const name = s.js("CSRF_COOKIE_NAME");
  const cookie = typeof name === "string" && name ? name : "csrftoken";
  const setting = httpOnly ? "CSRF_COOKIE_HTTPONLY" : "CSRF_USE_SESSIONS";
  const because = httpOnly ? "the cookie is HttpOnly, so document.cookie never contains it" : "the token is kept in the session, so there is no CSRF cookie at all";
  for (const r of csrfCookieReads(ctx.project, cookie)) {
    ctx.report({
      path: r.path, span: r.span, confidence: "high",
      message: `${r.where} reads the ${cookie} cookie through document.cookie, but ${s.explain(setting)}: ${because}. The request goes out without a token and fails, which invites csrf_exempt; read the token from {% csrf_token %}'s hidden input (or a meta tag) instead.`,
      trace: [{ kind: "source", path: s.siteOf(setting).path, line: s.siteOf(setting).line, column: s.siteOf(setting).col, note: `${setting} is on` }, { kind: "sink", path: r.path, line: r.span.line, column: r.span.col, note: `script reads the ${cookie} cookie`, snippet: r.code }],
    });
  }
}


export default defineRule({
  id: "DJANGO-SESS-002",
  title: "Weak or inconsistent CSRF cookie settings",
  severity: "medium",
  cwe: "CWE-614",
  owasp: "A05:2021-Security Misconfiguration",
  djangoCheckIds: ["security.W016"],
  description:
    "Detects `CSRF_COOKIE_SECURE` not enabled on a site served over TLS; `CSRF_COOKIE_SAMESITE` set to `None` with no evident cross-site need; `CSRF_COOKIE_HTTPONLY = True` while front-end code reads the `csrftoken` cookie through `document.cookie` (in static JavaScript or inline template scripts); and `CSRF_USE_SESSIONS` settings that contradict how the client obtains the token (for example the token stored in the session while JavaScript still expects a cookie).",
  impact:
    "A CSRF cookie sent over plain HTTP can be observed or overwritten by a network attacker, weakening the double-submit protection. Mismatched settings break AJAX requests, which in practice pushes developers towards `csrf_exempt` or removing the middleware.",
  fix:
    "Set `CSRF_COOKIE_SECURE = True` in production, keep `CSRF_COOKIE_SAMESITE = \"Lax\"` unless a documented cross-site flow needs otherwise, and make the client and settings agree: if JavaScript reads the cookie leave `CSRF_COOKIE_HTTPONLY` false, otherwise render the token into the page (`{% csrf_token %}` or a meta tag) and read it from the DOM.",
  mitigation:
    "Keep `CsrfViewMiddleware` enabled and list only your own HTTPS origins in `CSRF_TRUSTED_ORIGINS`, so origin checking still blocks cross-site posts.",
  falsePositives:
    "JavaScript may read the token from a hidden input rather than the cookie even if `document.cookie` appears elsewhere; verify what the code actually reads. `CSRF_COOKIE_HTTPONLY` on its own offers little protection, so it is only reported when it conflicts with client code.",
  example: {
    bad: `CSRF_COOKIE_SECURE = False
CSRF_COOKIE_HTTPONLY = True
# static/js/app.js: document.cookie.match(/csrftoken=([^;]+)/)`,
    good: `CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = False
CSRF_COOKIE_SAMESITE = "Lax"`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/howto/csrf/",
    "https://docs.djangoproject.com/en/stable/ref/settings/#csrf-cookie-httponly",
    "https://docs.djangoproject.com/en/stable/ref/settings/#csrf-cookie-secure",
  ],
  checks: [jsReadsHiddenCsrfCookie, csrfCookieSettings],
});

// --- settings checks (issue 3): begin ---
// CSRF_COOKIE_SECURE (security.W016), SameSite=None, HttpOnly while JavaScript reads the cookie, CSRF_USE_SESSIONS mismatches.
function csrfCookieSettings(ctx: SettingsRuleContext): void {
  reportDeployChecks(ctx, ["security.W016"], { tls: true });
  for (const p of csrfCookieProblems(ctx.project)) ctx.report(p);
}
// --- settings checks (issue 3): end ---
