import { reportFlows } from "../dataflow/report.js";
import { defineRule, type RuleContext } from "./types.js";

/** Data flow (src/dataflow): untrusted values reaching this rule's sinks. */
function commandFromUntrustedData(ctx: RuleContext): void {
  reportFlows(ctx, { why: "The value becomes part of an operating-system command; use a list of arguments with a constant executable, or shlex.quote().", severity: (f) => (f.taint.origin === "request" ? "critical" : undefined) });
}

export default defineRule({
  id: "DJANGO-CMD-001",
  title: "OS command injection",
  severity: "critical",
  cwe: "CWE-78",
  owasp: "A03:2021-Injection",
  djangoCheckIds: [],
  description:
    "Detects shell commands that include attacker-influenced parts: `os.system`, `os.popen`, any `subprocess` call with `shell=True`, the legacy `commands` module and `pty.spawn`, plus list-form `subprocess` calls whose executable itself is user-controlled. `shlex.quote` and allowlist checks count as sanitisers, and commands made only of constants are not reported. Severity is critical by default and high when the influence is indirect or partial.",
  impact:
    "An attacker can run arbitrary commands with the privileges of the web process, reading secrets and data, pivoting into the internal network or taking over the host.",
  fix:
    "Call programs with an argument list and no shell, e.g. `subprocess.run([\"convert\", src, dst], check=True)`, pass user values only as arguments after validating them (and after `--` where the tool supports it), and choose executables from a fixed allowlist. Prefer a Python library over shelling out.",
  mitigation:
    "Run the web process as an unprivileged user in a minimal container with no shell tools it does not need, and restrict its outbound network access.",
  falsePositives:
    "Confirm the interpolated value can reach the command from a request, upload or user-editable data; values from settings or management-command arguments run by operators are lower risk.",
  example: {
    bad: `def ping(request):
    host = request.GET["host"]
    out = subprocess.check_output(f"ping -c 1 {host}", shell=True)
    return HttpResponse(out, content_type="text/plain")`,
    good: `def ping(request):
    host = request.GET["host"]
    if not HOSTNAME_RE.fullmatch(host):
        return HttpResponseBadRequest()
    out = subprocess.check_output(["ping", "-c", "1", "--", host])
    return HttpResponse(out, content_type="text/plain")`,
    language: "python",
  },
  references: [
    "https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html",
    "https://cwe.mitre.org/data/definitions/78.html",
  ],
  checks: [commandFromUntrustedData],
});
