// ADMIN-001, code side: the admin site's own gate loosened in code. Django's admin
// lets only active staff in (AdminSite.has_permission) and signs them in through
// its own login view; projects rewire both — `admin.site.login = …` to route the
// admin through the site's login (often to add SSO or a second factor, sometimes
// to something weaker), `admin.site.has_permission = …` or an AdminSite subclass
// overriding has_permission. A replacement that no longer asks for staff (or
// superuser) status opens the admin to every signed-in user, or to everyone.
import type { Project, PythonFile } from "../project/project.js";
import type * as A from "../python/ast.js";
import { qualifiedName, resolveExpr } from "../python/scope.js";
import { anyExpr, baseClass, exprHas, walkBody } from "../python/walk.js";
import type { Problem } from "./viewfindings.js";

const ADMIN_SITE = /^django\.contrib\.admin(\.sites)?\.site$/;
const ADMIN_SITE_CLASS = /^django\.contrib\.admin(\.sites)?\.AdminSite$/;
/** Wrappers and packages that keep or strengthen the admin login (staff check, SSO, second factor). */
const PROTECTIVE = /(^|\.)(staff_member_required|login_required|secure_admin_login|otp_required|user_passes_test|permission_required)$|(^|\.)(django_otp|two_factor|allauth|mozilla_django_oidc|djangosaml2|django_saml2_auth|social_django|django_auth_adfs|trench|django_mfa)(\.|$)/;

export function adminSiteWeakenings(project: Project): Problem[] {
  const out: Problem[] = [];
  for (const f of project.python) {
    // cheap pre-check: most modules never touch the admin site's gate
    if (!/\.(login|has_permission)\s*=|AdminSite/.test(f.text)) continue;
    walkBody(f.ast.body, {
      stmt(s) {
        if (s.kind === "Assign") for (const t of s.targets) assignment(project, f, t, s.value, s, out);
        else if (s.kind === "ClassDef") subclass(project, f, s, out);
      },
    });
  }
  return out;
}

function assignment(project: Project, f: PythonFile, target: A.Expr, value: A.Expr, at: A.Stmt, out: Problem[]): void {
  if (target.kind !== "Attribute" || (target.attr !== "login" && target.attr !== "has_permission")) return;
  const site = qualifiedName(project, f, target.value);
  if (!site || !ADMIN_SITE.test(site)) return;
  const span = { line: at.line, col: at.col, endLine: at.endLine, endCol: at.endCol };
  if (target.attr === "has_permission") {
    const check = permissionCheck(project, f, value);
    if (check === "staff") return;
    out.push({
      path: f.path, span, severity: "high", confidence: check === "none" ? "high" : "medium", key: "admin-has-permission",
      message: `admin.site.has_permission is replaced by a check that does not ask for staff or superuser status${check === "none" ? "" : " (it could not be read)"}: every user it lets through reaches the admin (Django's own check is \`request.user.is_active and request.user.is_staff\`). Keep the staff check and add to it (\`return super().has_permission(request) and …\` in an AdminSite subclass).`,
    });
    return;
  }
  // admin.site.login = <wrapper>(admin.site.login) or a view from an SSO/2FA package keeps the gate
  const q = value.kind === "Call" ? qualifiedName(project, f, value.func) : qualifiedName(project, f, value);
  if (q && PROTECTIVE.test(q)) return;
  const csrfOff = value.kind === "Call" && /(^|\.)csrf_exempt$/.test(qualifiedName(project, f, value.func) ?? "");
  out.push({
    path: f.path, span, severity: csrfOff ? "high" : "medium", confidence: csrfOff ? "high" : "low", key: "admin-login",
    message: csrfOff
      ? "admin.site.login is replaced by a csrf_exempt view: the admin sign-in form loses CSRF protection (login CSRF lets an attacker sign a staff member into the attacker's account). Keep Django's admin login or a protected replacement."
      : "admin.site.login is replaced by a project view: staff now sign in to the admin through it, so it must be at least as strict as Django's admin login (staff only, CSRF-protected, rate-limited, second factor if the admin needs one). Confirm it is; routing it through django-otp, allauth's secure_admin_login or an SSO view is what this check recognises.",
  });
}

/** What a has_permission replacement checks: "staff" (is_staff/is_superuser/the original), "none", or "unknown". */
function permissionCheck(project: Project, f: PythonFile, value: A.Expr): "staff" | "none" | "unknown" {
  if (value.kind === "Lambda") return exprHas(value.body, staffCheck) ? "staff" : "none";
  const def = resolveExpr(project, f, value);
  if (def?.node.kind === "FunctionDef") return anyExpr(def.node.body, staffCheck) ? "staff" : "none";
  return "unknown";
}

function subclass(project: Project, f: PythonFile, cls: A.ClassDef, out: Problem[]): void {
  if (!cls.bases.some((b) => ADMIN_SITE_CLASS.test(qualifiedName(project, f, baseClass(b)) ?? ""))) return;
  const m = cls.body.find((s): s is A.FunctionDef => s.kind === "FunctionDef" && s.name === "has_permission");
  if (!m || anyExpr(m.body, staffCheck)) return;
  out.push({
    path: f.path, span: { line: m.nameLine, col: m.col, endLine: m.nameLine, endCol: m.col + 3 }, severity: "high", confidence: "high", key: "admin-has-permission",
    message: `${cls.name}.has_permission no longer asks for staff or superuser status (and does not call super().has_permission): every user it lets through reaches the admin site. Keep Django's check and add to it: \`return super().has_permission(request) and …\`.`,
  });
}

/** is_staff / is_superuser read, or the original has_permission called (super() or the saved one). */
function staffCheck(x: A.Expr): boolean {
  return x.kind === "Attribute" && (x.attr === "is_staff" || x.attr === "is_superuser" || x.attr === "has_permission");
}

