import { reportFlows } from "../dataflow/report.js";
import { defineRule, type RuleContext } from "./types.js";

/** Data flow (src/dataflow): untrusted values reaching this rule's sinks. */
function redirectToUntrustedUrl(ctx: RuleContext): void {
  reportFlows(ctx, { why: "Without url_has_allowed_host_and_scheme() the user can be sent to any site (phishing with your domain in the link).", severity: (f) => (/log_?in|log_?out|sign_?in|sign_?out|auth|password/i.test(f.site.fn.symbol + " " + f.site.path) ? "high" : undefined) });
}

export default defineRule({
  id: "DJANGO-REDIRECT-001",
  title: "Open redirect from request parameters",
  severity: "medium",
  cwe: "CWE-601",
  owasp: "A01:2021-Broken Access Control",
  djangoCheckIds: [],
  description:
    "Detects `redirect()`, `HttpResponseRedirect()`, `HttpResponsePermanentRedirect()` and hand-set `Location` headers whose target comes from request values such as `next`, `return_to` or `url` without being checked by `url_has_allowed_host_and_scheme` (or the older `is_safe_url`). Naive checks, such as `startswith(\"/\")`, which still accepts `//evil.example`, are also reported. Severity is medium, raised to high in login and logout flows.",
  impact:
    "Attackers can craft links on the trusted domain that send users to a phishing page, typically right after a real login, or bounce OAuth and password-reset flows to a host they control.",
  fix:
    "Validate the target with `url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())` and fall back to a fixed URL when it fails, or redirect to named routes with `redirect(\"app:view\")` instead of raw URLs.",
  mitigation:
    "Use Django's `LoginView`/`LogoutView`, which already validate `next`, and keep the allowed redirect hosts to your own domains.",
  falsePositives:
    "Verify the value is not validated in a helper or a form `clean()` that the scanner could not follow, and that it is not taken from a fixed mapping of allowed destinations.",
  example: {
    bad: `def after_login(request):
    return redirect(request.GET.get("next", "/"))`,
    good: `from django.utils.http import url_has_allowed_host_and_scheme

def after_login(request):
    nxt = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}, require_https=request.is_secure()):
        nxt = "/"
    return redirect(nxt)`,
    language: "python",
  },
  references: [
    "https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html",
    "https://docs.djangoproject.com/en/stable/topics/auth/default/#django.contrib.auth.views.LoginView",
    "https://cwe.mitre.org/data/definitions/601.html",
  ],
  checks: [redirectToUntrustedUrl],
});
