import { defineRule } from "./types.js";
import { reportDeployChecks } from "../django/settings/report.js";
import { headerSettingProblems } from "../django/settings/middleware.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";

export default defineRule({
  id: "DJANGO-HEADERS-001",
  title: "Security middleware or response headers missing or weak",
  severity: "medium",
  cwe: "CWE-1021",
  owasp: "A05:2021-Security Misconfiguration",
  djangoCheckIds: [
    "security.W001",
    "security.W002",
    "security.W006",
    "security.W019",
    "security.W022",
    "security.E023",
    "security.E024",
  ],
  description:
    "Detects `SecurityMiddleware` absent or not first in `MIDDLEWARE`; `XFrameOptionsMiddleware` absent; `X_FRAME_OPTIONS` set to something other than `DENY` or `SAMEORIGIN`; `xframe_options_exempt` on sensitive views; `SECURE_CONTENT_TYPE_NOSNIFF` disabled; `SECURE_REFERRER_POLICY` unset or set to a leaky value (`unsafe-url`, `no-referrer-when-downgrade`); and `SECURE_CROSS_ORIGIN_OPENER_POLICY` unset or `unsafe-none`. At low severity it reports custom middleware emitting obsolete headers such as `X-XSS-Protection`, and the `SECURE_BROWSER_XSS_FILTER` setting that Django 4.0 removed, pointing to CSP as the modern replacement.",
  impact:
    "Without frame protection, pages can be embedded in an attacker's site for clickjacking; without `nosniff`, browsers may execute uploaded files as script; a lax referrer policy leaks URLs with tokens to third parties; and without COOP, cross-origin windows keep a handle to the page. Missing `SecurityMiddleware` also disables HTTPS redirect and HSTS.",
  fix:
    "Put `django.middleware.security.SecurityMiddleware` first and include `django.middleware.clickjacking.XFrameOptionsMiddleware`, keep `X_FRAME_OPTIONS = \"DENY\"` (or `\"SAMEORIGIN\"` if you frame your own pages), `SECURE_CONTENT_TYPE_NOSNIFF = True`, `SECURE_REFERRER_POLICY = \"same-origin\"` or stricter, and `SECURE_CROSS_ORIGIN_OPENER_POLICY = \"same-origin\"`. Replace `X-XSS-Protection` and `SECURE_BROWSER_XSS_FILTER` with a Content-Security-Policy.",
  mitigation:
    "Add the headers at the reverse proxy or CDN as a backstop, and use CSP `frame-ancestors` to control framing in modern browsers.",
  falsePositives:
    "The headers may be added by a proxy, CDN or ingress; this is not visible in app code, so verify at the edge (the `probe` command checks live responses). `xframe_options_exempt` is legitimate for views that are meant to be embedded and expose no state-changing actions.",
  example: {
    bad: `MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
]
SECURE_REFERRER_POLICY = "unsafe-url"`,
    good: `MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
SECURE_REFERRER_POLICY = "same-origin"`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/ref/middleware/#module-django.middleware.security",
    "https://docs.djangoproject.com/en/stable/ref/clickjacking/",
    "https://docs.djangoproject.com/en/stable/ref/settings/#secure-referrer-policy",
  ],
  checks: [securityHeadersInProductionSettings],
});

// --- settings checks (issue 3): begin ---
// SecurityMiddleware/XFrameOptionsMiddleware and the header settings (security.W001, W002, W006, W019, W022, E023, E024), plus ordering, unsafe referrer policies, COOP and the removed XSS filter.
function securityHeadersInProductionSettings(ctx: SettingsRuleContext): void {
  reportDeployChecks(ctx, ["security.W001", "security.W002", "security.W006", "security.W022", "security.E023", "security.E024"]);
  reportDeployChecks(ctx, ["security.W019"], { severity: "low" });
  for (const p of headerSettingProblems(ctx.project)) ctx.report(p);
}
// --- settings checks (issue 3): end ---
