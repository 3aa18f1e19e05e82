import { exposedDataStores } from "../deploy/audit.js";
import { defineRule, type RuleContext } from "./types.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";
import { databaseSettingProblems } from "../django/settings/config-rules.js";

// Data-store ports published on all interfaces (compose, Kubernetes) and superuser database accounts in the app env.
function dataStoresInDeploymentFiles(ctx: RuleContext): void {
  for (const f of exposedDataStores(ctx.project)) ctx.report(f);
}

export default defineRule({
  id: "DJANGO-DB-001",
  title: "Database access hygiene: privileged accounts, no TLS, exposed ports",
  severity: "medium",
  cwe: "CWE-250",
  owasp: "A05:2021-Security Misconfiguration",
  djangoCheckIds: [],
  description:
    "Detects production `DATABASES` entries that connect as a superuser-style account (`postgres`, `root`, `sa`); a single account used for both migrations and web traffic with no sign of a separate migration user (low); connections to a remote database host without TLS options such as `sslmode` in `OPTIONS`; and PostgreSQL, MySQL, Redis, Memcached or RabbitMQ ports published on all interfaces in compose or Kubernetes files, where only 80/443 should face the world. Severity ranges from low to medium.",
  impact:
    "If the application is compromised (for example through SQL injection), a superuser connection lets the attacker read every database, alter schemas or run server-side commands. Unencrypted connections expose credentials and data on the network, and exposed data-store ports invite direct brute force or unauthenticated access.",
  fix:
    "Create a dedicated least-privilege role for the web app and a separate one for migrations, require TLS for remote connections (e.g. `\"OPTIONS\": {\"sslmode\": \"require\"}` or `verify-full` for PostgreSQL), and publish database, cache and broker ports only on an internal network or `127.0.0.1`.",
  mitigation:
    "Restrict database access with security groups or network policies to the application hosts, enable authentication on Redis, Memcached and RabbitMQ, and monitor for logins from unexpected sources.",
  falsePositives:
    "TLS may be enforced on the server side or by a cloud SQL proxy/sidecar, and network exposure may be blocked by firewalls outside the repository; this is not visible in app code, so verify at the edge. Compose files used only for local development are not production exposure.",
  example: {
    bad: `services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: REDACTED
    ports:
      - "5432:5432"`,
    good: `services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    expose:
      - "5432"`,
    language: "text",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/ref/databases/",
    "https://cheatsheetseries.owasp.org/cheatsheets/Database_Security_Cheat_Sheet.html",
    "https://cwe.mitre.org/data/definitions/250.html",
  ],
  checks: [dataStoresInDeploymentFiles, databaseSettings],
});

// --- settings checks (issue 3): begin ---
// DATABASES: superuser accounts, remote hosts without TLS options.
function databaseSettings(ctx: SettingsRuleContext): void {
  for (const p of [...databaseSettingProblems(ctx.project)]) ctx.report(p);
}
// --- settings checks (issue 3): end ---
