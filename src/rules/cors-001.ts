import { defineRule } from "./types.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";
import { corsProblems } from "../django/settings/config-rules.js";

export default defineRule({
  id: "DJANGO-CORS-001",
  title: "Overly permissive CORS configuration",
  severity: "medium",
  cwe: "CWE-942",
  owasp: "A05:2021-Security Misconfiguration",
  djangoCheckIds: [],
  description:
    "Detects risky django-cors-headers configuration: `CORS_ALLOW_ALL_ORIGINS = True` (or the older `CORS_ORIGIN_ALLOW_ALL`) combined with `CORS_ALLOW_CREDENTIALS = True` (high), patterns in `CORS_ALLOWED_ORIGIN_REGEXES` that match far more than intended (unanchored, unescaped dots, `.*`), `http://` or `null` origins allowed in production, and `CorsMiddleware` placed after `CommonMiddleware`. It also reports custom middleware or views that copy the request's `Origin` header into `Access-Control-Allow-Origin`. Severity is medium, high when credentials are allowed for arbitrary origins.",
  impact:
    "When any origin is trusted with credentials, a malicious website can make authenticated requests from a visitor's browser and read the responses, exfiltrating personal data or API tokens. Loose regexes and `null` origins give attackers similar access from look-alike domains or sandboxed frames.",
  fix:
    "List exact HTTPS origins in `CORS_ALLOWED_ORIGINS`, anchor and escape any regexes (e.g. a pattern like `^https://([a-z0-9-]+[.])?example[.]com$`), enable `CORS_ALLOW_CREDENTIALS` only for those origins, and put `corsheaders.middleware.CorsMiddleware` above `CommonMiddleware`. Never reflect `Origin` without checking it against an allowlist.",
  mitigation:
    "Limit CORS to API paths with `CORS_URLS_REGEX`, prefer token authentication over cookies for cross-origin APIs, and keep CSRF protection enabled for cookie-authenticated endpoints.",
  falsePositives:
    "A wildcard without credentials is acceptable for truly public, read-only data; verify what the endpoints return. CORS headers may also be added by a proxy or API gateway, which is not visible in app code; verify at the edge.",
  example: {
    bad: `CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = True`,
    good: `CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
CORS_ALLOW_CREDENTIALS = True`,
    language: "python",
  },
  references: [
    "https://pypi.org/project/django-cors-headers/",
    "https://cwe.mitre.org/data/definitions/942.html",
  ],
  checks: [corsSettings],
});

// --- settings checks (issue 3): begin ---
// django-cors-headers: allow-all with credentials, loose regexes, http/null origins, CorsMiddleware order.
function corsSettings(ctx: SettingsRuleContext): void {
  for (const p of [...corsProblems(ctx.project)]) ctx.report(p);
}
// --- settings checks (issue 3): end ---
