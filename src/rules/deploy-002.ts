import { debugInDeployment } from "../deploy/audit.js";
import { defineRule, type RuleContext } from "./types.js";

// DEBUG=1/True set by production deployment env (compose, Kubernetes, Dockerfile ENV, units), runserver_plus entrypoints.
function debugInDeploymentFiles(ctx: RuleContext): void {
  for (const f of debugInDeployment(ctx.project)) ctx.report(f);
}

export default defineRule({
  id: "DJANGO-DEPLOY-002",
  title: "DEBUG enabled or debug-only apps in production",
  severity: "high",
  cwe: "CWE-215",
  owasp: "A05:2021-Security Misconfiguration",
  djangoCheckIds: ["security.W018"],
  description:
    "Detects production settings in which `DEBUG` evaluates to true: a literal `DEBUG = True`, an environment lookup that fails open (`os.environ.get(\"DEBUG\", \"True\")`, `env.bool(\"DEBUG\", default=True)`, `config(\"DEBUG\", default=True, cast=bool)`) or any expression that is true unless someone remembers to configure it. It also reports development-only tooling shipped to production, such as `debug_toolbar` in the production `INSTALLED_APPS` or django-extensions' `runserver_plus` used to serve the site.",
  impact:
    "With `DEBUG` on, any unhandled error returns Django's technical page to the visitor, exposing settings (partially masked), local variables, SQL queries, file paths and source lines; Django also keeps every SQL query in memory. Debug toolbars and Werkzeug-based debuggers can go further and expose interactive consoles or detailed request internals.",
  fix:
    "Set `DEBUG = False` in the production settings module and make environment lookups fail closed, e.g. `DEBUG = env.bool(\"DJANGO_DEBUG\", default=False)`. Only add `debug_toolbar` and similar apps in development settings modules.",
  mitigation:
    "Configure custom `handler404`/`handler500` views and ensure the edge does not expose internal error pages; monitor production for responses containing Django's technical error page.",
  falsePositives:
    "Verify that the flagged module is really the production settings (the resolved `DJANGO_SETTINGS_MODULE`) and that the deployment environment does not set the variable to a false value; when values come from the environment, supply them with `--env`/`--env-file` to re-evaluate.",
  example: {
    bad: `# settings.py
import os
DEBUG = os.environ.get("DJANGO_DEBUG", "True") == "True"
INSTALLED_APPS += ["debug_toolbar"]`,
    good: `# settings.py
import os
DEBUG = os.environ.get("DJANGO_DEBUG", "False") == "True"
# debug_toolbar is only added in settings/local.py`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/ref/settings/#debug",
    "https://docs.djangoproject.com/en/stable/howto/deployment/checklist/",
    "https://cwe.mitre.org/data/definitions/215.html",
  ],
  checks: [debugInDeploymentFiles, debugInProductionSettings, debugAppsInProductionSettings],
});
import { reportDeployChecks } from "../django/settings/report.js";
import { settingsAnalysis } from "../django/settings/index.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";

// --- settings checks (issue 3): begin ---
// DEBUG true in the production settings (Django's security.W018), with where the value came from.
function debugInProductionSettings(ctx: SettingsRuleContext): void {
  reportDeployChecks(ctx, ["security.W018"]);
}

// Development-only apps installed by the production settings.
function debugAppsInProductionSettings(ctx: SettingsRuleContext): void {
  const s = ctx.project.use(settingsAnalysis);
  const apps = s.get("INSTALLED_APPS");
  if (!apps || (apps.value.t !== "list" && apps.value.t !== "tuple")) return;
  for (const item of apps.value.items) {
    if (item.t !== "str" || !/^(debug_toolbar|silk|django_debug_toolbar|debug_panel)(\.|$)/.test(item.v)) continue;
    const site = item.at ?? apps.site;
    ctx.report({
      path: site.path, span: site, confidence: "high", symbol: "INSTALLED_APPS", key: item.v,
      message: `${item.v} is in INSTALLED_APPS of the production settings ${s.module} (${s.explain("INSTALLED_APPS")}); debug tooling exposes request internals and SQL`,
    });
  }
}
// --- settings checks (issue 3): end ---
