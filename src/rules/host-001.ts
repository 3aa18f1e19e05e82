import { defineRule } from "./types.js";
import { reportDeployChecks } from "../django/settings/report.js";
import { settingsAnalysis, stringItems } from "../django/settings/index.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";

export default defineRule({
  id: "DJANGO-HOST-001",
  title: "ALLOWED_HOSTS accepts any host or is empty",
  severity: "medium",
  cwe: "CWE-183",
  owasp: "A05:2021-Security Misconfiguration",
  djangoCheckIds: ["security.W020"],
  description:
    "Detects `ALLOWED_HOSTS` that contains the wildcard `*`, including values built from the environment whose default expands to `*`, when the project has no custom host validation of its own. It also reports an empty `ALLOWED_HOSTS` in production settings where `DEBUG` is off, which makes every request fail host validation.",
  impact:
    "With a wildcard, Django trusts whatever `Host` header the client sends, so absolute URLs built with `request.build_absolute_uri()` or `get_host()` (password-reset e-mails, redirects, cache keys) can be pointed at an attacker's domain, enabling reset-link poisoning and cache poisoning. An empty list in production breaks the site, which often leads to a hasty `*` as the 'fix'.",
  fix:
    "List the exact domain names the site serves (e.g. `[\"example.com\", \"www.example.com\"]`), read from the environment with a restrictive default; use a leading dot only for subdomains you actually own.",
  mitigation:
    "Have the reverse proxy or load balancer reject requests whose `Host` header is not one of your domains, and set a default server block that drops unknown hosts.",
  falsePositives:
    "Host validation can be enforced by the proxy or ingress; this is not visible in app code, so verify at the edge. Some deployments add allowed hosts dynamically (e.g. health-check IPs from metadata) in code the scanner evaluates only partially.",
  example: {
    bad: `ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "*").split(",")`,
    good: `ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "example.com").split(",") if h]`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts",
    "https://docs.djangoproject.com/en/stable/topics/security/#host-header-validation",
  ],
  checks: [allowedHostsInProductionSettings],
});

// --- settings checks (issue 3): begin ---
// Empty ALLOWED_HOSTS (security.W020) and wildcard hosts.
function allowedHostsInProductionSettings(ctx: SettingsRuleContext): void {
  reportDeployChecks(ctx, ["security.W020"], { severity: "low" });
  const s = ctx.project.use(settingsAnalysis);
  const hosts = s.get("ALLOWED_HOSTS");
  const items = stringItems(hosts?.value);
  if (!hosts || !items || !items.items.includes("*")) return;
  const fromEnv = (hosts.value.env ?? []).some((r) => r.defaulted);
  ctx.report({
    path: hosts.site.path, span: hosts.site, confidence: fromEnv ? "medium" : "high", symbol: "ALLOWED_HOSTS",
    message: `ALLOWED_HOSTS accepts any host ('*'): ${s.explain("ALLOWED_HOSTS")}. Forged Host headers then reach password-reset links, absolute URLs and caches`,
  });
}
// --- settings checks (issue 3): end ---
