import { reportFlows } from "../dataflow/report.js";
import { defineRule, type RuleContext } from "./types.js";

/** Data flow (src/dataflow): untrusted values reaching this rule's sinks. */
function templateFromUntrustedSource(ctx: RuleContext): void {
  reportFlows(ctx, { why: "Template source from the user can read context and settings objects (server-side template injection); load templates from files and pass user data as context.", severity: (f) => (f.taint.origin === "request" ? "critical" : undefined) });
}

export default defineRule({
  id: "DJANGO-TEMPLATE-001",
  title: "Server-side template injection",
  severity: "high",
  cwe: "CWE-1336",
  owasp: "A03:2021-Injection",
  djangoCheckIds: [],
  description:
    "Detects template source code assembled from untrusted data and then compiled: `django.template.Template(x)`, `engines[...].from_string(x)`, `Engine().from_string(x)` and Jinja2 `Environment().from_string(x)`, where `x` comes from a request, an uploaded file or a database row users can edit. Severity ranges from high to critical: high for the Django template language, critical when the engine is Jinja2 (or otherwise allows arbitrary attribute access) because that usually leads to code execution.",
  impact:
    "Whoever controls the template can read any object in the rendering context and traverse into related objects, settings or secrets exposed there; with Jinja2 an attacker can typically escape to Python objects and execute code on the server.",
  fix:
    "Never compile templates from user input. Keep templates as files or trusted constants and pass user content in as context variables, e.g. `render(request, \"email.html\", {\"body\": body})`. If users must customise messages, offer a fixed set of placeholders substituted with plain string replacement.",
  mitigation:
    "If user-authored templates are unavoidable, use Jinja2's `SandboxedEnvironment`, render with a minimal context containing no models, settings or request objects, and restrict who can edit the stored templates.",
  falsePositives:
    "Confirm the template source is really user-controlled: strings from the code base, trusted configuration or admin-only fields editable solely by superusers are lower risk. A sandboxed Jinja2 environment with a minimal context lowers the severity.",
  example: {
    bad: `def preview(request):
    tpl = Template(request.POST["body"])
    return HttpResponse(tpl.render(Context({"user": request.user})))`,
    good: `def preview(request):
    return render(request, "preview.html", {"body": request.POST["body"]})`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/ref/templates/api/",
    "https://cwe.mitre.org/data/definitions/1336.html",
  ],
  checks: [templateFromUntrustedSource],
});
