import { reportFlows } from "../dataflow/report.js";
import { defineRule, type RuleContext } from "./types.js";

/** Data flow (src/dataflow): untrusted values reaching this rule's sinks. */
function evaluatesUntrustedCode(ctx: RuleContext): void {
  reportFlows(ctx, { why: "Code or a module/attribute name chosen by the user is executed; map allowed names to functions instead." });
}

export default defineRule({
  id: "DJANGO-CODE-001",
  title: "Code injection through eval, exec or dynamic imports",
  severity: "critical",
  cwe: "CWE-94",
  owasp: "A03:2021-Injection",
  djangoCheckIds: [],
  description:
    "Detects request-controlled strings reaching code evaluation or dynamic loading: `eval`, `exec` and `compile`, and `importlib.import_module`, `__import__` or `getattr(module, name)` where the module or attribute name comes from the request.",
  impact:
    "An attacker can run arbitrary Python in the web process, or load and call modules and functions the developer never meant to expose, which usually amounts to full server compromise.",
  fix:
    "Remove `eval`/`exec` on input; parse data with `json.loads` or `ast.literal_eval` for literals, and map user choices to code through an explicit dictionary (`HANDLERS = {\"csv\": export_csv}`) rather than importing or looking up names from the request.",
  mitigation:
    "Run the web process with least privilege and no access to secrets it does not need, and log and alert on unexpected values reaching these code paths.",
  falsePositives:
    "Confirm the evaluated string or imported name is actually influenced by a request; dynamic imports driven by settings (e.g. `import_string(settings.BACKEND)`) are the normal Django pattern and not findings.",
  example: {
    bad: `def export(request):
    fmt = request.GET["format"]
    module = importlib.import_module(f"reports.exporters.{fmt}")
    return module.export(request.user)`,
    good: `EXPORTERS = {"csv": exporters.csv_export, "xlsx": exporters.xlsx_export}

def export(request):
    exporter = EXPORTERS.get(request.GET.get("format", ""))
    if exporter is None:
        return HttpResponseBadRequest()
    return exporter(request.user)`,
    language: "python",
  },
  references: [
    "https://owasp.org/www-community/attacks/Code_Injection",
    "https://cwe.mitre.org/data/definitions/94.html",
    "https://cwe.mitre.org/data/definitions/95.html",
  ],
  checks: [evaluatesUntrustedCode],
});
