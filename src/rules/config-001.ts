import { deploySecretKeys } from "../deploy/audit.js";
import { defineRule, type RuleContext } from "./types.js";

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
  checks: [secretKeyInDeploymentFiles],
});
