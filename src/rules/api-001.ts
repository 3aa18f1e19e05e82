import { defineRule } from "./types.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";
import { apiSettingProblems } from "../django/settings/config-rules.js";

export default defineRule({
  id: "DJANGO-API-001",
  title: "Insecure Django REST framework defaults",
  severity: "medium",
  cwe: "CWE-1188",
  owasp: "A05:2021-Security Misconfiguration",
  djangoCheckIds: [],
  description:
    "Detects Django REST framework projects whose global settings leave APIs exposed: no `DEFAULT_PERMISSION_CLASSES` (DRF then allows everyone) or `AllowAny` as the default, no `DEFAULT_THROTTLE_CLASSES` or per-view throttling on authentication endpoints, `BasicAuthentication` enabled in production, the browsable API renderer enabled in production (low), and djangorestframework-simplejwt configured with long token lifetimes, without refresh-token rotation, or with a hard-coded `SIGNING_KEY`. Severity is medium, high when endpoints are open to anonymous writes or the signing key is committed.",
  impact:
    "Views added without explicit permissions are public by default, throttling gaps allow credential stuffing and token brute force, Basic auth sends reusable passwords on every request, and long-lived or forgeable JWTs let a stolen or crafted token grant access for a long time.",
  fix:
    "Set `DEFAULT_PERMISSION_CLASSES` to `[\"rest_framework.permissions.IsAuthenticated\"]` and open individual views deliberately, configure `DEFAULT_THROTTLE_CLASSES`/`DEFAULT_THROTTLE_RATES` with stricter scopes on login and token views, use session or token authentication instead of Basic, restrict `DEFAULT_RENDERER_CLASSES` to `JSONRenderer` in production, and give simplejwt short access lifetimes, `ROTATE_REFRESH_TOKENS` with blacklisting, and a signing key from the environment.",
  mitigation:
    "Put rate limits on the API at the gateway, monitor authentication failures, and review every view for explicit `permission_classes`.",
  falsePositives:
    "Per-view `permission_classes` or throttles may cover every endpoint even without global defaults; verify the views. Throttling may be enforced by an API gateway, which is not visible in app code; verify at the edge.",
  example: {
    bad: `REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.BasicAuthentication"],
}
SIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": timedelta(days=30), "SIGNING_KEY": "REDACTED"}`,
    good: `REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle", "rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "20/min", "user": "200/min"},
}
SIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": timedelta(minutes=15), "ROTATE_REFRESH_TOKENS": True, "SIGNING_KEY": os.environ["JWT_SIGNING_KEY"]}`,
    language: "python",
  },
  references: [
    "https://www.django-rest-framework.org/api-guide/permissions/",
    "https://www.django-rest-framework.org/api-guide/throttling/",
    "https://pypi.org/project/djangorestframework-simplejwt/",
  ],
  checks: [restFrameworkSettings],
});

// --- settings checks (issue 3): begin ---
// REST_FRAMEWORK defaults (permissions, BasicAuthentication, browsable API) and SIMPLE_JWT lifetimes/rotation/signing key.
function restFrameworkSettings(ctx: SettingsRuleContext): void {
  for (const p of [...apiSettingProblems(ctx.project)]) ctx.report(p);
}
// --- settings checks (issue 3): end ---
