import { hardcodedCredentials as credentialsInPython } from "../dataflow/patterns.js";
import { deployCredentials } from "../deploy/audit.js";
import { defineRule, type RuleContext } from "./types.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";
import { hardcodedSettingsCredentials } from "../django/settings/config-rules.js";

// Passwords, tokens, keys and credential URLs in Dockerfiles, compose, manifests, unit files and committed .env files.
function credentialsInDeploymentFiles(ctx: RuleContext): void {
  for (const f of deployCredentials(ctx.project)) ctx.report(f);
}

/** Credentials written as literals in Python code outside settings modules (src/dataflow/patterns.ts). */
function credentialsInCode(ctx: RuleContext): void {
  for (const r of credentialsInPython(ctx.project)) ctx.report(r);
}

export default defineRule({
  id: "DJANGO-SECRET-002",
  title: "Hard-coded credentials in settings or code",
  severity: "high",
  cwe: "CWE-798",
  owasp: "A07:2021-Identification and Authentication Failures",
  djangoCheckIds: [],
  description:
    "Detects credentials other than `SECRET_KEY` committed to the repository: database `PASSWORD` values in `DATABASES`, `EMAIL_HOST_PASSWORD`, cloud provider keys (AWS, GCP and similar key formats), payment and SaaS API keys (Stripe-like patterns), API tokens assigned in settings or code, and committed `.env` files holding such values. Evidence is always redacted.",
  impact:
    "Anyone with access to the repository, its forks, CI logs or built images can use the credentials to reach the database, send e-mail as the organisation, run up cloud or payment costs, or read customer data in third-party services.",
  fix:
    "Read credentials from environment variables or a secret manager (e.g. `os.environ[\"DB_PASSWORD\"]`, django-environ, cloud secret stores), add `.env` to `.gitignore` and commit only a `.env.example` with placeholders.",
  mitigation:
    "Treat every committed credential as leaked: rotate or revoke it at the provider, review its access logs, and enable secret scanning on the repository to catch new leaks.",
  falsePositives:
    "Verify the value is real: placeholders (`changeme`, `xxx`), test fixtures, local development databases and documented example keys are not findings, although they should be clearly marked as such. In test code (analysed with `--include-tests`) only credential-shaped literals (provider key formats, private keys) are reported: a password a test logs in with is test data.",
  example: {
    bad: `DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop",
        "PASSWORD": "REDACTED",
    }
}`,
    good: `DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop",
        "PASSWORD": os.environ["DB_PASSWORD"],
    }
}`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/howto/deployment/checklist/",
    "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
    "https://cwe.mitre.org/data/definitions/798.html",
  ],
  checks: [credentialsInDeploymentFiles, credentialsInCode, credentialsInSettings],
});

// --- settings checks (issue 3): begin ---
// Hard-coded passwords, tokens and keys in the production settings (DATABASES PASSWORD, EMAIL_HOST_PASSWORD, cloud keys).
function credentialsInSettings(ctx: SettingsRuleContext): void {
  for (const p of [...hardcodedSettingsCredentials(ctx.project)]) ctx.report(p);
}
// --- settings checks (issue 3): end ---
