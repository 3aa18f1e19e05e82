import { deploySecretKeys } from "../deploy/audit.js";
import { defineRule, type RuleContext } from "./types.js";
import { reportDeployChecks } from "../django/settings/report.js";
import { settingsAnalysis } from "../django/settings/index.js";
import { weakKey } from "../django/settings/deploy-checks.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";

// SECRET_KEY written into Dockerfile ENV/ARG, compose, manifests, unit files or committed .env files.
function secretKeyInDeploymentFiles(ctx: RuleContext): void {
  for (const f of deploySecretKeys(ctx.project)) ctx.report(f);
}

export default defineRule({
  id: "DJANGO-CONFIG-001",
  title: "Hard-coded, weak or exposed SECRET_KEY",
  severity: "high",
  cwe: "CWE-321",
  owasp: "A02:2021-Cryptographic Failures",
  djangoCheckIds: ["security.W009", "security.W025"],
  description:
    "Detects a `SECRET_KEY` written into production settings or a committed `.env` file; keys that are weak (fewer than 50 characters, fewer than 5 distinct characters, or carrying the `django-insecure-` prefix that `startproject` generates); keys read from the environment but with a hard-coded fallback default; `SECRET_KEY_FALLBACKS` entries that are weak or hard-coded; and code that prints or logs the key. Evidence names the setting and its location and never includes the key itself.",
  impact:
    "Anyone who knows the key can forge signed data that Django trusts: password-reset tokens, signed cookies and cookie-based sessions, messages, and anything produced by `django.core.signing`. A committed key is effectively public to everyone with repository access, and a weak key can be brute-forced.",
  fix:
    "Load the key from the environment or a secret manager and fail closed when it is missing (raise `ImproperlyConfigured` instead of falling back to a literal). Generate a fresh random key (e.g. `django.core.management.utils.get_random_secret_key()`), rotate via `SECRET_KEY_FALLBACKS` only temporarily, and remove any code that prints or logs it.",
  mitigation:
    "If a key has been committed, treat it as compromised: rotate it, invalidate sessions and outstanding reset links, and purge it from the deployment environment; history rewriting alone does not make it secret again.",
  falsePositives:
    "A literal key in a settings module used only for tests or local development is not a production issue; confirm which module production loads. A fallback default is harmless only if production provably always sets the variable, which the scanner cannot see.",
  example: {
    bad: `# settings/production.py
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-REDACTED")`,
    good: `# settings/production.py
from django.core.exceptions import ImproperlyConfigured

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set")`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/ref/settings/#secret-key",
    "https://docs.djangoproject.com/en/stable/ref/settings/#secret-key-fallbacks",
    "https://docs.djangoproject.com/en/stable/howto/deployment/checklist/",
  ],
  checks: [secretKeyInDeploymentFiles, secretKeyInProductionSettings],
});

// --- settings checks (issue 3): begin ---
// Weak keys and fallbacks (security.W009, W025), then strong keys that are still hard-coded or have a hard-coded fallback.
function secretKeyInProductionSettings(ctx: SettingsRuleContext): void {
  reportDeployChecks(ctx, ["security.W009", "security.W025"], (r: { id: string }) => ({ severity: r.id === "security.W025" ? "medium" : "high" }));
  const s = ctx.project.use(settingsAnalysis);
  const key = s.get("SECRET_KEY");
  if (!key || weakKey(key.value) !== false) return;
  const reads = key.value.env ?? [];
  const defaulted = reads.find((r) => r.defaulted);
  const withDefault = reads.find((r) => r.set && /default=|,\s*["']/.test(r.code));
  if (reads.length === 0 && key.value.t === "str") {
    ctx.report({ path: key.site.path, span: key.site, confidence: "high", symbol: "SECRET_KEY", message: `SECRET_KEY is hard-coded in the production settings (${s.explain("SECRET_KEY")}); anyone with the source can forge sessions, password-reset tokens and signed data` });
  } else if (defaulted) {
    ctx.report({ path: defaulted.site.path, span: defaulted.site, confidence: "high", symbol: "SECRET_KEY", message: `SECRET_KEY falls back to a hard-coded default because ${defaulted.variable} is not set (${defaulted.code} at ${defaulted.site.path}:${defaulted.site.line}); production runs with a key that is in the source` });
  } else if (withDefault) {
    ctx.report({ path: withDefault.site.path, span: withDefault.site, confidence: "medium", severity: "medium", symbol: "SECRET_KEY", message: `SECRET_KEY is read from ${withDefault.variable} but has a hard-coded fallback default (${withDefault.site.path}:${withDefault.site.line}); if the variable is ever missing, the key in the source is used silently` });
  }
}
// --- settings checks (issue 3): end ---
