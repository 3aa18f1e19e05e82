import { sensitiveViewsWithoutFilter } from "../dataflow/patterns.js";
import { reportFlows } from "../dataflow/report.js";
import { defineRule, type RuleContext } from "./types.js";
import { sensitiveParamProblems } from "../django/viewfindings.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";
import { loggingProblems } from "../django/settings/config-rules.js";

/** Data flow (src/dataflow): untrusted values reaching this rule's sinks. */
function logsSecrets(ctx: RuleContext): void {
  reportFlows(ctx, { why: "Logs are read by more people and systems than the data was meant for; log an identifier, not the credential or the whole header/body." });
}

/** Views reading passwords from POST without @sensitive_post_parameters (src/dataflow/patterns.ts). */
function passwordViewsWithoutSensitiveParameters(ctx: RuleContext): void {
  for (const r of sensitiveViewsWithoutFilter(ctx.project)) ctx.report(r);
}

/** Login/password/payment views (class-based, or binding forms) without sensitive_post_parameters, from the view model. */
function sensitiveViewsWithoutFiltering(ctx: RuleContext): void {
  for (const p of sensitiveParamProblems(ctx.project)) ctx.report(p);
}

export default defineRule({
  id: "DJANGO-LOG-001",
  title: "Secrets or sensitive request data written to logs",
  severity: "medium",
  cwe: "CWE-532",
  owasp: "A09:2021-Security Logging and Monitoring Failures",
  djangoCheckIds: [],
  description:
    "Detects logging or printing of sensitive data: `request.META`, `request.headers`, `request.COOKIES`, `request.body`, passwords, tokens, `settings.SECRET_KEY` or whole settings dictionaries passed to loggers or `print`. It also reports login, password and payment views without `sensitive_post_parameters`/`sensitive_variables` (so error reports include the submitted values), and at low severity production settings with no `LOGGING` configuration for the `django.security` logger, and admin error e-mails (`mail_admins`) enabled without filtering. Severity ranges from medium to high, high when credentials or keys are logged.",
  impact:
    "Session cookies, authorization headers, passwords and keys end up in log files, log aggregators and error e-mails, where many more people and systems can read them than the database; anyone with log access can hijack sessions or reuse credentials. Without `django.security` logging, attacks such as host-header or CSRF failures go unnoticed.",
  fix:
    "Log identifiers and outcomes, not payloads: remove headers, cookies, bodies and secrets from log calls, decorate sensitive views with `@sensitive_post_parameters(\"password\")` and `@sensitive_variables(...)`, and configure `LOGGING` to send `django.security` events to your monitoring. Keep the default error-report filtering or a custom `SafeExceptionReporterFilter` for admin e-mails.",
  mitigation:
    "Restrict access to logs, set short retention, and add redaction filters in the logging pipeline for known secret patterns; rotate any credential that has been logged.",
  falsePositives:
    "Check what is actually logged: logging a header's presence or a redacted value is fine, and debug logging confined to development settings is not a production issue. Logging may be configured outside Django (e.g. the WSGI server or platform).",
  example: {
    bad: `def login_view(request):
    logger.info("login attempt %s", request.POST)
    logger.debug("headers: %s", dict(request.headers))`,
    good: `@sensitive_post_parameters("password")
def login_view(request):
    logger.info("login attempt for user=%s", request.POST.get("username"))`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/howto/error-reporting/",
    "https://docs.djangoproject.com/en/stable/topics/logging/",
    "https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html",
  ],
  checks: [logsSecrets, passwordViewsWithoutSensitiveParameters, loggingSettings, sensitiveViewsWithoutFiltering],
});

// --- settings checks (issue 3): begin ---
// No LOGGING for django.security in production; unfiltered admin error e-mails.
function loggingSettings(ctx: SettingsRuleContext): void {
  for (const p of [...loggingProblems(ctx.project)]) ctx.report(p);
}
// --- settings checks (issue 3): end ---
