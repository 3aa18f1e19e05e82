import { massAssignmentMeta } from "../dataflow/patterns.js";
import { reportFlows } from "../dataflow/report.js";
import { defineRule, type RuleContext } from "./types.js";

/** Data flow (src/dataflow): untrusted values reaching this rule's sinks. */
function massAssignmentFromRequest(ctx: RuleContext): void {
  reportFlows(ctx, { why: "Privileged fields (is_staff, owner, price...) can be set by the caller; copy only the fields you expect, or use a form/serializer with explicit fields." });
}

/** ModelForm/ModelSerializer Meta exposing privileged fields (src/dataflow/patterns.ts). */
function privilegedFieldsExposed(ctx: RuleContext): void {
  for (const r of massAssignmentMeta(ctx.project)) ctx.report(r);
}

export default defineRule({
  id: "DJANGO-MASS-001",
  title: "Mass assignment of privileged model fields",
  severity: "medium",
  cwe: "CWE-915",
  owasp: "A08:2021-Software and Data Integrity Failures",
  djangoCheckIds: [],
  description:
    "Detects forms and serializers that let clients write fields they should not control: `ModelForm` or DRF `ModelSerializer` classes using `fields = \"__all__\"` or `exclude` on models that have privileged fields (`is_staff`, `is_superuser`, `is_active`, `groups`, `user_permissions`, `owner`/`user` foreign keys, `role`, price- or balance-like fields), as well as direct bulk writes from request data such as `Model.objects.create(**request.POST.dict())`, `.update(**request.data)` and loops that `setattr` every submitted key. Severity is medium, high when staff, superuser, permission or ownership fields become writable.",
  impact:
    "Users can add extra fields to a request to grant themselves staff or superuser rights, reassign objects to another owner, activate accounts, or change prices and balances.",
  fix:
    "List the editable fields explicitly (`fields = [\"display_name\", \"bio\"]`), mark server-controlled fields as `read_only_fields` in serializers, set ownership in the view (`form.instance.owner = request.user`), and build model instances from validated `cleaned_data`/`validated_data` rather than raw request dictionaries.",
  mitigation:
    "Add model-level checks or database constraints for invariants (e.g. only admins may change `role`) and audit-log changes to privileged fields.",
  falsePositives:
    "A form with `__all__` used only in staff-only views, or on a model without privileged fields, is lower risk; verify who can reach the form. A form only the admin site uses (every reference to it is a ModelAdmin's or inline's `form = ...`) is not reported. Serializers that declare the privileged fields read-only are safe. Fields that grant rights or name a row's owner (`is_staff`, `is_superuser`, `groups`, `user_permissions`, `owner`, `user`, `created_by`) count on any model; state and money fields (`status`, `role`, `is_active`, `verified`, `account`, `price`, `total`, `balance`) count only on a model a user owns (a relation to the user model, also through a project base class), since on shared inventory (a circuit's status, a provider's account number) they are data the editors curate.",
  example: {
    bad: `class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = "__all__"`,
    good: `class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/topics/forms/modelforms/#selecting-the-fields-to-use",
    "https://www.django-rest-framework.org/api-guide/serializers/#specifying-read-only-fields",
    "https://cheatsheetseries.owasp.org/cheatsheets/Mass_Assignment_Cheat_Sheet.html",
  ],
  checks: [massAssignmentFromRequest, privilegedFieldsExposed],
});
