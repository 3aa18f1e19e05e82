import { defineRule } from "./types.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";
import { cspProblems } from "../django/settings/config-rules.js";

export default defineRule({
  id: "DJANGO-CSP-001",
  title: "Missing or weak Content Security Policy",
  severity: "medium",
  cwe: "CWE-693",
  owasp: "A05:2021-Security Misconfiguration",
  djangoCheckIds: [],
  description:
    "Detects the absence of any Content Security Policy: no Django 6.0 `SECURE_CSP`/`SECURE_CSP_REPORT_ONLY` with `ContentSecurityPolicyMiddleware`, no django-csp configuration, and no CSP header set by custom middleware or edge configuration in the repository. It also reports `script-src` values that allow `'unsafe-inline'`, `'unsafe-eval'`, `*` or `data:`, and views excluded from the policy. Both Django 6.0's `django.utils.csp.CSP` constants and the django-csp 3.x (`CSP_*` settings) and 4.x (`CONTENT_SECURITY_POLICY` dict) shapes are understood. Severity is medium, or high when the application renders user-supplied content.",
  impact:
    "Without an effective CSP, any XSS bug lets injected script run with full access to the page; `'unsafe-inline'` or wildcard sources make the policy largely decorative.",
  fix:
    "Enable `django.middleware.csp.ContentSecurityPolicyMiddleware` (Django 6.0+) or django-csp, start with `SECURE_CSP_REPORT_ONLY` to collect violations, then enforce a policy such as `default-src 'self'` with nonce-based `script-src` and `object-src 'none'`. Move inline scripts to static files or give them nonces instead of allowing `'unsafe-inline'`.",
  mitigation:
    "Keep autoescaping intact and set `frame-ancestors` and `base-uri` directives; even a report-only policy provides visibility while inline scripts are being removed.",
  falsePositives:
    "The policy may be set by the proxy, CDN or a frontend server; this is not visible in app code, so verify at the edge. Views excluded from CSP (for example an admin or embed path) may be intentional but should be reviewed.",
  example: {
    bad: `CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    }
}`,
    good: `from django.utils.csp import CSP

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "object-src": [CSP.NONE],
}`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/ref/csp/",
    "https://pypi.org/project/django-csp/",
    "https://cheatsheetseries.owasp.org/cheatsheets/Content_Security_Policy_Cheat_Sheet.html",
  ],
  checks: [cspSettings],
});

// --- settings checks (issue 3): begin ---
// No CSP in production settings/middleware (verify at the edge); unsafe script-src in SECURE_CSP, django-csp 3.x CSP_* or 4.x CONTENT_SECURITY_POLICY.
function cspSettings(ctx: SettingsRuleContext): void {
  for (const p of [...cspProblems(ctx.project)]) ctx.report(p);
}
// --- settings checks (issue 3): end ---
