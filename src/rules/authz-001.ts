import { defineRule, type RuleContext } from "./types.js";
import { authzProblems } from "../django/viewfindings.js";

/** Views and routes (src/django/views.ts): open state changes, IDOR, misordered mixins, DRF AllowAny. */
function viewAccessControl(ctx: RuleContext): void {
  for (const p of authzProblems(ctx.project)) ctx.report(p);
}

export default defineRule({
  id: "DJANGO-AUTHZ-001",
  title: "Missing authentication or authorization on state-changing views",
  severity: "high",
  cwe: "CWE-862",
  owasp: "A01:2021-Broken Access Control",
  djangoCheckIds: [],
  description:
    "Detects state-changing views that lack access control: function views without `login_required`, `permission_required` or `user_passes_test`; class-based views without `LoginRequiredMixin`/`PermissionRequiredMixin`, or with those mixins listed after the view base class so they never run first; objects fetched by an ID from the URL (`get_object_or_404(Model, pk=pk)`, `Model.objects.get(id=...)`) and then updated or deleted without filtering by the requesting user or checking a permission (IDOR); checks that test only `is_authenticated` or `is_staff` before acting on another user's object; and DRF views or viewsets that use `AllowAny` for unsafe methods or rely on the absence of `DEFAULT_PERMISSION_CLASSES` (which makes DRF default to `AllowAny`). Django 5.1's `LoginRequiredMiddleware`, which makes login required by default unless a view opts out with `login_not_required`, is taken into account.",
  impact:
    "Anonymous users can perform actions meant for members, and any logged-in user can read, modify or delete other users' records simply by changing an ID in the URL.",
  fix:
    "Require authentication (`login_required`, `LoginRequiredMixin` placed leftmost, or `LoginRequiredMiddleware`) and scope every object lookup to the user, e.g. `get_object_or_404(Order, pk=pk, owner=request.user)`, or check an object-level permission. For DRF, set `DEFAULT_PERMISSION_CLASSES` to `IsAuthenticated` and add object permissions or filtered `get_queryset()`.",
  mitigation:
    "Use non-sequential identifiers (UUIDs) to make enumeration harder and log authorization failures for monitoring; these do not replace the access check.",
  falsePositives:
    "Verify that access is not enforced elsewhere: a URLconf wrapping the view with `login_required`, a custom middleware, a queryset manager that filters by user, or `LoginRequiredMiddleware`. Views that are intentionally public (sign-up, contact forms) are not findings. A permission check counts when the view calls Django's, DRF's or django-guardian's permission API, or a helper named like one (`has_perm…`, `has_…perms…`, `check_…permission…`, `user_can…`, `can_…`); a check under a name that says nothing (`allowed(user, obj)`) counts only when djangoguard can read the helper and sees it compare the object with the user. Reading another user's object is reported only when the model's user field says whose it is (`owner`, `user`, `customer`), not who wrote it (`author`, `creator`, `created_by`: forum posts and catalog entries are public) or who follows it (a many-to-many to users); changing it is reported either way. A lookup filtered by what identity middleware put on the request (`space=request.space`, `organization=request.organization`: the requester's tenant) is scoped like one filtered by `request.user`; request attributes every user shares or the client sends (`request.site`, `LANGUAGE_CODE`, `session`, `version`) scope nothing. A ModelViewSet limited to GET by `http_method_names` is read-only. DRF's `DjangoModelPermissions` and `DjangoObjectPermissions`, and project permission classes built on them, gate writes (the model's change/delete permission, granted by staff for every row of a shared model); they gate reads only when a `perms_map` asks for a permission on GET. A lookup limited to a URL parameter the view's checks already vetted is scoped: a project DRF permission class or handler decorator that asks about `request.user` and reads the URL's container (`view.kwargs[\"slug\"]`, `kwargs[\"project_id\"]`) vets it, so `Cycle.objects.get(pk=cycle_id, project_id=project_id)` reaches only that project's rows. A project decorator that refuses (401/403, a login redirect, PermissionDenied) unless its check passes is an access gate, and a project name bound to one of Django's auth decorators (`staff_required = user_passes_test(...)`) is that decorator.",
  example: {
    bad: `def delete_invoice(request, pk):
    invoice = get_object_or_404(Invoice, pk=pk)
    invoice.delete()
    return redirect("invoices")`,
    good: `@login_required
@require_POST
def delete_invoice(request, pk):
    invoice = get_object_or_404(Invoice, pk=pk, owner=request.user)
    invoice.delete()
    return redirect("invoices")`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/topics/auth/default/#limiting-access-to-logged-in-users",
    "https://www.django-rest-framework.org/api-guide/permissions/",
    "https://cheatsheetseries.owasp.org/cheatsheets/Insecure_Direct_Object_Reference_Prevention_Cheat_Sheet.html",
  ],
  checks: [viewAccessControl],
});
