import { defineRule } from "./types.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";
import { proxyProblems } from "../django/settings/config-rules.js";

export default defineRule({
  id: "DJANGO-PROXY-001",
  title: "Proxy headers trusted without a proxy that controls them",
  severity: "medium",
  cwe: "CWE-348",
  owasp: "A05:2021-Security Misconfiguration",
  djangoCheckIds: [],
  description:
    "Detects `SECURE_PROXY_SSL_HEADER` configured when nothing in the repository shows a reverse proxy that strips or overwrites that header on incoming requests; `SECURE_SSL_REDIRECT = True` behind a TLS-terminating proxy without `SECURE_PROXY_SSL_HEADER`, which makes Django see every request as HTTP and redirect forever; and `USE_X_FORWARDED_HOST` or `USE_X_FORWARDED_PORT` enabled without any sign of a proxy that sets those headers.",
  impact:
    "If clients can reach Django directly or the proxy passes their headers through, they can claim a request was HTTPS (so secure-only logic and cookies behave as if the connection were encrypted) or supply an arbitrary `X-Forwarded-Host`, poisoning generated URLs such as password-reset links. A missing proxy header with the redirect on causes redirect loops that take the site down.",
  fix:
    "Set `SECURE_PROXY_SSL_HEADER` and `USE_X_FORWARDED_HOST`/`USE_X_FORWARDED_PORT` only when the app is reachable exclusively through a proxy that always overwrites those headers, and configure the proxy to do so (e.g. `proxy_set_header X-Forwarded-Proto $scheme;`). When the proxy terminates TLS and Django redirects, configure the header so Django can recognise secure requests.",
  mitigation:
    "Block direct access to the application port from anywhere except the proxy (security groups, network policies, binding to localhost) so clients cannot inject the trusted headers.",
  falsePositives:
    "Proxy configuration often lives outside the repository (cloud load balancer, ingress controller, PaaS router); this is not visible in app code, so verify at the edge that the header is stripped or overwritten.",
  example: {
    bad: `# settings.py, app container publishes port 8000 directly
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = True`,
    good: `# settings.py, only reachable through nginx, which sets
#   proxy_set_header X-Forwarded-Proto $scheme;
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = False`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/ref/settings/#secure-proxy-ssl-header",
    "https://docs.djangoproject.com/en/stable/ref/settings/#use-x-forwarded-host",
    "https://cwe.mitre.org/data/definitions/348.html",
  ],
  checks: [proxySettings],
});

// --- settings checks (issue 3): begin ---
// Proxy headers trusted without a visible proxy, redirect loops behind TLS-terminating proxies.
function proxySettings(ctx: SettingsRuleContext): void {
  for (const p of [...proxyProblems(ctx.project)]) ctx.report(p);
}
// --- settings checks (issue 3): end ---
