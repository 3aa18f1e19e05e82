import { defineRule, type RuleContext } from "./types.js";
import { adminProblems } from "../django/viewfindings.js";

/** The admin at the default path, with no visible second factor/allowlist/SSO, over HTTP, or with its own gate loosened in code. */
function adminExposure(ctx: RuleContext): void {
  for (const p of adminProblems(ctx.project)) ctx.report(p);
}

export default defineRule({
  id: "DJANGO-ADMIN-001",
  title: "Django admin exposed without additional protection",
  severity: "high",
  cwe: "CWE-308",
  owasp: "A07:2021-Identification and Authentication Failures",
  djangoCheckIds: [],
  description:
    "Detects the Django admin reachable in production with no visible extra protection: no IP allowlist, no second factor (django-otp or similar), no SSO in front of it. It also reports the admin's own gate loosened in code — `admin.site.login` replaced by a project view (low confidence: confirm it is as strict) or by a `csrf_exempt` one, `admin.site.has_permission` replaced or an `AdminSite` subclass overriding `has_permission` without a staff or superuser check — the admin served over plain HTTP (when the site is known to be HTTP only, e.g. `--tls no`; see DJANGO-HTTPS-001), and, at low severity, the admin mounted at the default `admin/` path, where moving it only reduces automated noise.",
  impact:
    "The admin grants broad read and write access to data; if it is open to the internet behind a password alone, credential stuffing, phishing or a leaked password gives an attacker full control of the site's data.",
  fix:
    "Require a second factor for staff (e.g. django-otp's `OTPAdminSite`) or put the admin behind SSO or a VPN, restrict access by IP at the proxy, keep the stock admin login (which enforces `is_staff` and CSRF), and serve it only over HTTPS. Moving it to a non-default path is an optional noise reduction, not a control.",
  mitigation:
    "Give staff the minimum permissions they need, rate-limit admin login (DJANGO-RATE-001), and alert on admin logins from unexpected locations.",
  falsePositives:
    "IP allowlists, VPNs and identity-aware proxies are usually configured outside the repository; this is not visible in app code, so verify at the edge. Projects that do not include the admin URLs in the production URLconf are not affected.",
  example: {
    bad: `urlpatterns = [
    path("admin/", admin.site.urls),
]`,
    good: `from django_otp.admin import OTPAdminSite

admin.site.__class__ = OTPAdminSite
urlpatterns = [
    path(os.environ.get("ADMIN_PATH", "staff-console/"), admin.site.urls),
]`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/ref/contrib/admin/",
    "https://docs.djangoproject.com/en/stable/howto/deployment/checklist/",
    "https://pypi.org/project/django-otp/",
  ],
  checks: [adminExposure],
});
