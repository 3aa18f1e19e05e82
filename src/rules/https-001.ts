import { defineRule } from "./types.js";
import { reportDeployChecks } from "../django/settings/report.js";
import { edgeAnalysis } from "../deploy/edge.js";
import { settingsAnalysis } from "../django/settings/index.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";

export default defineRule({
  id: "DJANGO-HTTPS-001",
  title: "HTTPS not fully enforced (cookies, redirect, HSTS)",
  severity: "high",
  cwe: "CWE-319",
  owasp: "A02:2021-Cryptographic Failures",
  djangoCheckIds: [
    "security.W004",
    "security.W005",
    "security.W008",
    "security.W010",
    "security.W011",
    "security.W012",
    "security.W016",
    "security.W021",
  ],
  description:
    "For sites served over TLS (shown by `SECURE_SSL_REDIRECT`, `SECURE_PROXY_SSL_HEADER`, `https://` entries in `CSRF_TRUSTED_ORIGINS`, TLS configuration in deployment files, or the user's own statement), detects `SESSION_COOKIE_SECURE` or `CSRF_COOKIE_SECURE` not set to true, a missing `SECURE_SSL_REDIRECT` (unless the edge performs the redirect), `SECURE_HSTS_SECONDS` unset or zero, HSTS without `SECURE_HSTS_INCLUDE_SUBDOMAINS` or `SECURE_HSTS_PRELOAD` (low), and a very long HSTS duration introduced in one step on a first rollout (informational). When it is unknown whether the site uses TLS, findings are reported with low confidence and the reason is stated.",
  impact:
    "Without the Secure flag, session and CSRF cookies are sent over any plain-HTTP request and can be captured on the network, leading to session hijacking. Without a redirect and HSTS, users can be downgraded to HTTP by an on-path attacker (SSL stripping) before the browser ever reaches the HTTPS site.",
  fix:
    "In production settings set `SESSION_COOKIE_SECURE = True`, `CSRF_COOKIE_SECURE = True`, `SECURE_SSL_REDIRECT = True` (or redirect at the edge), and `SECURE_HSTS_SECONDS` starting small (e.g. 3600) and raising it to a year once verified, adding `SECURE_HSTS_INCLUDE_SUBDOMAINS` and `SECURE_HSTS_PRELOAD` when every subdomain is HTTPS-only. Keep these per-environment so local HTTP development still works.",
  mitigation:
    "Have the load balancer or CDN redirect HTTP to HTTPS and add the `Strict-Transport-Security` header, and restrict the port-80 listener to redirects only.",
  falsePositives:
    "The redirect and HSTS header may be added by a proxy, CDN or ingress; this is not visible in app code, so verify at the edge (the `probe` command can confirm it). Sites that genuinely run without TLS (internal tooling) should be reviewed for that decision rather than these flags.",
  example: {
    bad: `# settings/production.py
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0`,
    good: `# settings/production.py
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/topics/security/#ssl-https",
    "https://docs.djangoproject.com/en/stable/ref/middleware/#http-strict-transport-security",
    "https://docs.djangoproject.com/en/stable/howto/deployment/checklist/",
  ],
  checks: [httpsInProductionSettings, hstsFirstRolloutNote],
});

// --- settings checks (issue 3): begin ---
// Session cookie Secure flag, SSL redirect and HSTS (security.W004, W005, W008, W010–W012, W021), weighed by TLS evidence.
function httpsInProductionSettings(ctx: SettingsRuleContext): void {
  let edge = null;
  try { edge = ctx.project.use(edgeAnalysis); } catch { edge = null; }
  reportDeployChecks(ctx, ["security.W004", "security.W005", "security.W008", "security.W010", "security.W011", "security.W012", "security.W021"], (r) => {
    if (r.id === "security.W005" || r.id === "security.W021") return { tls: true, severity: "low" };
    if (r.id === "security.W008") return edge?.httpsRedirect
      ? { tls: true, severity: "low", extra: `The proxy redirects to HTTPS at ${edge.httpsRedirect.path}:${edge.httpsRedirect.line}; verify at the edge that every route is covered` }
      : { tls: true, extra: "The redirect may live at a proxy or CDN: not visible in app code; verify at the edge" };
    if (r.id === "security.W004") return edge?.hsts
      ? { tls: true, severity: "low", extra: `The proxy sets Strict-Transport-Security at ${edge.hsts.path}:${edge.hsts.line}` }
      : { tls: true, severity: "medium", extra: "HSTS may be added at a proxy or CDN: not visible in app code; verify at the edge" };
    return { tls: true };
  });
}
// --- settings checks (issue 3): end ---

/** One year: the max-age HSTS preload asks for, and far too long to undo a mistake. */
const HSTS_LONG = 31_536_000;

/**
 * HSTS set very high is right once HTTPS is settled, and a trap on a first rollout:
 * browsers keep the pin for the whole max-age, so an HTTP-only subdomain or a broken
 * certificate cannot be fixed by lowering it. Nothing static shows whether this is
 * the first rollout, so it is a note (the spec asks for one), not a finding.
 */
function hstsFirstRolloutNote(ctx: SettingsRuleContext): void {
  const s = ctx.project.use(settingsAnalysis);
  if (!s.evaluated) return;
  const e = s.effective("SECURE_HSTS_SECONDS");
  if (e.isDefault || !e.setting || e.value.t !== "num" || e.value.v < HSTS_LONG) return;
  const site = e.setting.site;
  ctx.project.note({
    path: site.path, line: site.line, kind: "info",
    message: `SECURE_HSTS_SECONDS is ${e.value.v} (${Math.round(e.value.v / 86_400)} days): right once HTTPS works on every page and subdomain; on a first rollout start with a short max-age (e.g. 3600), check, then raise it. Browsers keep the pin for the whole max-age, so it cannot be taken back.`,
  });
}

