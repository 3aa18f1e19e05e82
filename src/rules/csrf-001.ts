import { templateFormIssues } from "../templates/forms.js";
import { defineRule, type RuleContext } from "./types.js";
import { reportDeployChecks } from "../django/settings/report.js";
import { csrfMiddlewareOrder } from "../django/settings/middleware.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";
import { csrfExemptProblems, getStateChangeProblems } from "../django/viewfindings.js";

/** Templates: internal POST forms without {% csrf_token %}, off-site forms that carry it. */
function templateForms(ctx: RuleContext): void {
  for (const i of templateFormIssues(ctx.project)) {
    ctx.report({ path: i.path, span: i.span, message: i.message, severity: i.kind === "token-leak" ? "high" : "medium", confidence: i.kind === "token-leak" ? "high" : "medium", key: i.kind, ...(i.trace.length ? { trace: i.trace } : {}) });
  }
}


/** csrf_exempt in all its forms (decorator, method_decorator, URLconf) on views without a replacement control. */
function csrfExemptViews(ctx: RuleContext): void {
  for (const p of csrfExemptProblems(ctx.project)) ctx.report({ ...p, key: "csrf-exempt" });
}

/** Views that change state on GET, or on any method because nothing restricts them. */
function stateChangesOnGet(ctx: RuleContext): void {
  for (const p of getStateChangeProblems(ctx.project)) ctx.report({ ...p, key: "get-state-change" });
}

export default defineRule({
  id: "DJANGO-CSRF-001",
  title: "Missing or bypassed CSRF protection",
  severity: "high",
  cwe: "CWE-352",
  owasp: "A01:2021-Broken Access Control",
  djangoCheckIds: ["security.W003"],
  description:
    "Detects `django.middleware.csrf.CsrfViewMiddleware` missing from `MIDDLEWARE` or placed after middleware that assumes the check already ran; `csrf_exempt` applied to cookie-authenticated views (as a decorator on function views, through `method_decorator(csrf_exempt)`, or as `csrf_exempt(view)` in a URLconf) with no replacement control, reported at lower severity when the view verifies a webhook signature; POST forms targeting the site itself that lack `{% csrf_token %}`; forms posting to external URLs that include `{% csrf_token %}` and so leak the token; and views that change state on GET, either inside a `request.method == \"GET\"` branch or because they accept any method. DRF views that authenticate only with tokens are not reported.",
  impact:
    "An attacker's page can make a logged-in user's browser submit requests that change passwords, e-mail addresses, payments or data on their behalf. A token leaked to a third-party form target lets that site forge requests, and GET-based state changes can be triggered by a simple link or image tag.",
  fix:
    "Keep `CsrfViewMiddleware` in `MIDDLEWARE` before view-dependent middleware, add `{% csrf_token %}` to every internal POST form (and the `X-CSRFToken` header for AJAX), remove the token from forms that post off-site, and restrict state-changing views with `require_POST`/`require_http_methods`. Webhook endpoints that already carry an exemption should authenticate each call by verifying an HMAC signature over the body and must not rely on session cookies.",
  mitigation:
    "Use `SameSite=Lax` or `Strict` session cookies and short session lifetimes, and require re-authentication for the most sensitive actions.",
  falsePositives:
    "Check how the exempt view authenticates: endpoints authenticated only by an `Authorization` header or a signed webhook payload are not vulnerable to CSRF. Forms that submit via GET for search or filtering are fine. A form's token may come from an included template or from a project inclusion tag whose template renders `{% csrf_token %}` (`{% wiki_form form %}`); both are followed, and a form holding a `{% block %}`, a computed `{% include %}` or `{% crispy %}` is not reported. A GET that writes is not reported when the write is bookkeeping a forged request gains nothing from: a timestamp or counter (`save(update_fields=[\"last_seen\"])`), a cache or log row, the requester's own row made on first use (`get_or_create(user=request.user)`), or a row made from constants when a lookup found none (a settings singleton: `except SiteSettings.DoesNotExist: SiteSettings(id=1).save()`).",
  example: {
    bad: `@csrf_exempt
@login_required
def change_email(request):
    request.user.email = request.POST["email"]
    request.user.save()
    return redirect("profile")`,
    good: `@require_POST
@login_required
def change_email(request):
    form = EmailForm(request.POST, instance=request.user)
    if form.is_valid():
        form.save()
    return redirect("profile")`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/ref/csrf/",
    "https://docs.djangoproject.com/en/stable/howto/csrf/",
    "https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html",
  ],
  checks: [templateForms, csrfMiddlewareInProductionSettings, csrfExemptViews, stateChangesOnGet],
});

// --- settings checks (issue 3): begin ---
// CsrfViewMiddleware missing (security.W003) or ordered where it cannot work.
function csrfMiddlewareInProductionSettings(ctx: SettingsRuleContext): void {
  reportDeployChecks(ctx, ["security.W003"]);
  for (const p of csrfMiddlewareOrder(ctx.project)) ctx.report(p);
}
// --- settings checks (issue 3): end ---
