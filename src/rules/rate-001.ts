import { defineRule, type RuleContext } from "./types.js";
import { bruteForceProblems } from "../django/viewfindings.js";

/** Login, password-reset, sign-up, token and OTP routes without throttling or a brute-force package. */
function authEndpointsWithoutThrottling(ctx: RuleContext): void {
  for (const p of bruteForceProblems(ctx.project)) ctx.report(p);
}

export default defineRule({
  id: "DJANGO-RATE-001",
  title: "No brute-force protection on authentication endpoints",
  severity: "medium",
  cwe: "CWE-307",
  owasp: "A07:2021-Identification and Authentication Failures",
  djangoCheckIds: [],
  description:
    "Detects login, password-reset, sign-up and token-issuing endpoints with no visible protection against repeated attempts: no DRF throttle applied to them, no django-axes, django-ratelimit or comparable package, and nothing in the repository's edge configuration that limits request rates. Because such limits are often enforced outside the application, findings say \"verify at the edge\".",
  impact:
    "Attackers can try large numbers of passwords or leaked credential pairs against accounts, flood users with password-reset e-mails, mass-create accounts, or guess one-time codes and tokens.",
  fix:
    "Add attempt limiting to these views, for example django-axes for the login form and admin, `@ratelimit(key=\"ip\", rate=\"5/m\")` from django-ratelimit on reset and sign-up views, or DRF `ScopedRateThrottle` with a strict scope on token endpoints.",
  mitigation:
    "Enable rate limiting or bot protection at the proxy, CDN or WAF, require multi-factor authentication for privileged accounts, and alert on bursts of failed logins.",
  falsePositives:
    "Rate limits may be enforced by nginx, a CDN, an API gateway or the identity provider when login is delegated via SSO; this is not visible in app code, so verify at the edge. An nginx configuration in the repository counts when a `limit_req` covers every URL of the endpoint (a `location` matching it, nginx's prefix, `=`, `^~` and regex forms, or a server-level `limit_req`), including files it includes from an nginx directory.",
  example: {
    bad: `urlpatterns = [
    path("login/", auth_views.LoginView.as_view()),
    path("api/token/", TokenObtainPairView.as_view()),
]`,
    good: `class LoginThrottledTokenView(TokenObtainPairView):
    throttle_scope = "login"
    throttle_classes = [ScopedRateThrottle]

INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]`,
    language: "python",
  },
  references: [
    "https://www.django-rest-framework.org/api-guide/throttling/",
    "https://pypi.org/project/django-axes/",
    "https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html",
  ],
  checks: [authEndpointsWithoutThrottling],
});
