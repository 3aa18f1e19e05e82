// What the view model says is wrong, as ready-to-report problems: AUTHZ-001
// (unauthenticated state changes, IDOR, misordered mixins, DRF AllowAny),
// CSRF-001 (csrf_exempt, state changes on GET), RATE-001, ADMIN-001, LOG-001
// (sensitive parameters) and UPLOAD-001 (media served by Django). The rule files
// call these and report; the reasoning lives here so it is written once.
import type { Confidence, Severity } from "../findings.js";
import type { Project } from "../project/project.js";
import type * as A from "../python/ast.js";
import { anyExpr, bodyWords, exprHas, walkBody } from "../python/walk.js";
import { classObjectAccess, decoratorCheckedParams, dispatchChecksAccess, MIXIN_CHECK, drfObjectPermission, objectAccesses, permissionCheckedParams, staffOnlyGate, type ObjectAccess } from "./access.js";
import { adminSiteWeakenings } from "./adminsite.js";
import { appSettingsAnalysis } from "./appsettings.js";
import { edgeAnalysis, edgeRateLimit } from "../deploy/edge.js";
import { tlsState } from "./settings/report.js";
import { globalLoginProtection, viewLabel, viewModels, type ViewModel, type Write } from "./views.js";

export interface Problem {
  path: string;
  span: A.Span;
  message: string;
  confidence: Confidence;
  severity?: Severity;
  key?: string;
}

/** Views grouped by their definition (several routes can reach one view). */
interface ViewGroup {
  views: ViewModel[];
  first: ViewModel;
  patterns: string[];
}

function groups(project: Project): ViewGroup[] {
  const by = new Map<unknown, ViewGroup>();
  for (const v of viewModels(project)) {
    const key = v.route.view.def?.node ?? v.route;
    const g = by.get(key);
    if (g) {
      g.views.push(v);
      if (!g.patterns.includes(v.route.pattern)) g.patterns.push(v.route.pattern);
    } else by.set(key, { views: [v], first: v, patterns: [v.route.pattern] });
  }
  return [...by.values()];
}

/** "cancel_order", "OrderViewSet.lookup" (a DRF extra action keeps its class). */
function shortLabel(v: ViewModel): string {
  const parts = viewLabel(v).split(".");
  return v.route.view.extraAction ? parts.slice(-2).join(".") : parts[parts.length - 1]!;
}

function routesText(g: ViewGroup): string {
  const shown = g.patterns.slice(0, 3).map((p) => `/${p}`).join(", ");
  return g.patterns.length > 3 ? `${shown} and ${g.patterns.length - 3} more` : shown;
}

/** Views public by nature: signing up or in (passwordless too: magic links, "is this e-mail known" checks), invitations, resets, subscriptions. */
const AUTH_FLOW = /(sign_?up|register|registration|token|otp|log_?in|sign_?in|log_?out|sign_?out|password|passwd|reset|activate|activation|confirm|verify|invite|invitation|magic|email_?check|check_?email|unsubscribe|subscribe|contact|feedback|newsletter)/i;
const WEBHOOK = /(webhook|hook|callback|notify|notification|ipn)/i;

function nameOf(v: ViewModel): string {
  return (v.route.view.qualname ?? v.route.view.text).split(".").pop() ?? "";
}

function isAuthFlow(g: ViewGroup): boolean {
  return AUTH_FLOW.test(nameOf(g.first)) || g.patterns.some((p) => AUTH_FLOW.test(p)) || g.views.some((v) => v.route.name !== null && AUTH_FLOW.test(v.route.name)) || g.views.some(signsUp);
}

/** What a sign-up handler calls or validates with: `create_user(...)`, a RegisterSerializer, a UserCreationForm. */
const SIGN_UP_NAMES = /^(create_user|register(_user)?|sign_?up(_user)?)$|^(Register|Registration|SignUp|Signup)\w*(Serializer|Form)$|^(UserCreate|CreateUser|UserCreation|UserRegistration)\w*(Serializer|Form)$/;

/** A view whose handlers create the account they are asked for (Baserow's UserView at /api/user/): a sign-up, public by design. */
function signsUp(v: ViewModel): boolean {
  const signUp = (x: A.Expr) => (x.kind === "Name" && SIGN_UP_NAMES.test(x.id)) || (x.kind === "Attribute" && SIGN_UP_NAMES.test(x.attr));
  // the body, and the handler's decorators (`@validate_body(RegisterSerializer)`)
  return v.handlers.some((h) => h.fn !== null && (anyExpr(h.fn.body, signUp) || h.fn.decorators.some((d) => exprHas(d, signUp))));
}

function looksLikeWebhook(g: ViewGroup): boolean {
  return WEBHOOK.test(nameOf(g.first)) || g.patterns.some((p) => WEBHOOK.test(p)) || /pay|stripe|paypal|checkout/i.test(nameOf(g.first));
}

function isWebhook(g: ViewGroup): boolean {
  return WEBHOOK.test(nameOf(g.first)) || g.patterns.some((p) => WEBHOOK.test(p)) || g.views.some((v) => v.csrf.status === "exempt" || v.verifiesSignature);
}

function methodsOf(g: ViewGroup): string[] | null {
  const all = new Set<string>();
  for (const v of g.views) {
    if (!v.methods) return null;
    for (const m of v.methods) all.add(m);
  }
  return [...all];
}

const MODIFYING = (w: Write, lookupVars: Set<string>) => w.kind === "delete" || w.kind === "update" || w.kind === "m2m" || (w.kind === "save" && (w.target !== null && lookupVars.has(w.target) || /^(UpdateView|DeleteView)\./.test(w.what)));

// ---------------------------------------------------------------- AUTHZ-001

export function authzProblems(project: Project): Problem[] {
  const out: Problem[] = [];
  for (const g of groups(project)) {
    const v = g.first;
    if (!v.defSite || !v.file) continue;
    const label = shortLabel(v);
    const where = routesText(g);
    // 1. access mixin after the view base
    if (v.auth.misorderedMixin) {
      const m = v.auth.misorderedMixin;
      out.push({
        path: m.site.path, span: m.site.span, confidence: "high",
        message: `${label} lists ${m.mixin} after its view base class, so the view's dispatch() runs first and ${m.mixin} never checks anything: ${where} is open to anonymous users. Put ${m.mixin} leftmost in the bases.`,
      });
      continue;
    }
    const methods = methodsOf(g);
    const unsafe = methods === null || methods.some((m) => m !== "GET" && m !== "HEAD" && m !== "OPTIONS");
    // 2. DRF views open to anyone on unsafe methods (not a webhook that checks each call's signature or token:
    // a provider cannot log in, and the shared secret is its credential)
    if (v.drf && v.auth.drf && v.auth.level === "none" && unsafe && !isAuthFlow(g) && !g.views.some((x) => x.verifiesSignature || x.headerToken)) {
      const d = v.auth.drf;
      const ms = (methods ?? ["any method"]).filter((m) => m !== "GET").join("/");
      const site = d.site ?? v.defSite;
      const msg = !d.classes.length
        ? `${label} sets permission_classes = [], so anyone can ${ms} ${where} without logging in.`
        : d.explicit
          ? `${label} sets permission_classes to ${d.classes.map((c) => c.split(".").pop()).join(", ")} on ${where}, which accepts ${ms}: anyone can create, change or delete through it without logging in.`
          : `${label} sets no permission_classes and REST_FRAMEWORK has no DEFAULT_PERMISSION_CLASSES, so DRF falls back to AllowAny: anyone can ${ms} ${where}.`;
      out.push({ path: site.path, span: site.span, confidence: d.explicit ? "high" : "medium", message: msg });
      continue;
    }
    const writes = g.views.flatMap((x) => x.writes);
    const accesses = accessesOf(project, g);
    const lookupVars = new Set(accesses.flatMap((a) => (a.variable ? [a.variable] : [])));
    // 3. anonymous users can modify existing records
    if (v.auth.level === "none" && !v.drf && !isAuthFlow(g) && !isWebhook(g)) {
      const mod = writes.find((w) => MODIFYING(w, lookupVars));
      if (mod) {
        out.push({
          path: v.defSite.path, span: v.defSite.span, confidence: "high",
          message: `${label} (${where}) changes existing records (${mod.what} at line ${mod.site.line}) but requires no login: no login_required/permission_required, no access mixin, no LoginRequiredMiddleware.`,
        });
        continue;
      }
    }
    // an is_staff-only gate (reported under 5, not as an open IDOR)
    const staffGate = v.route.view.kind === "admin" || v.drf ? null : staffOnlyGate(project, v.file, g.views.flatMap((x) => x.applied), v.route.view.mro);
    // 4. objects fetched by a client-supplied ID without scoping to the user (IDOR)
    if (v.auth.level === "login" || v.auth.level === "custom" || (v.auth.level === "none" && !v.drf && !isWebhook(g) && !isAuthFlow(g))) {
      const dispatchChecks = dispatchChecksAccess(v.route.view.mro);
      for (const a of accesses) {
        if (a.scoped || a.check || a.userOwned === false || staffGate || dispatchChecks) continue;
        if (a.use === "write") {
          out.push({
            path: a.site.path, span: a.site.span, confidence: a.userOwned ? "high" : "medium",
            message: `${label} (${where}) fetches ${a.model} by ${a.keyFrom} and changes it (${a.writeWhat} at line ${a.writeSite!.line}) without limiting the lookup to the requesting user${a.onlyAuthenticatedCheck ? " — it only checks request.user.is_authenticated" : ""}: any ${v.auth.level === "none" ? "visitor" : "logged-in user"} can change another user's ${a.model} by changing the ID. Filter by the owner (e.g. ${a.model}.objects.get(pk=..., ${a.ownerField ?? "owner"}=request.user)) or check a permission.`,
          });
        } else if (a.use === "read" && a.userOwned === true && v.auth.level !== "none" && !AUTHORSHIP.test(a.ownerField?.split("__")[0] ?? "")) {
          out.push({
            path: a.site.path, span: a.site.span, confidence: "medium", severity: "medium",
            message: `${label} (${where}) fetches ${a.model} by ${a.keyFrom} and shows it without limiting the lookup to the requesting user${a.onlyAuthenticatedCheck ? " (it only checks request.user.is_authenticated)" : ""}: any logged-in user can read another user's ${a.model} by changing the ID.`,
          });
        }
      }
      const single = singleObject(g);
      if (single && v.route.view.mro.length) {
        const c = classObjectAccess(project, v.route.view.mro);
        const objPerm = v.auth.drf && single ? drfObjectPermission(project, v.auth.drf.classes, single) : null;
        const readable = c?.userOwned === true && !AUTHORSHIP.test(c.ownerField?.split("__")[0] ?? "");
        if (c && !c.scoped && !c.check && !objPerm && !staffGate && !dispatchChecks && (single === "write" ? c.userOwned !== false : readable) && v.auth.level !== "none") {
          out.push({
            path: v.defSite.path, span: v.defSite.span, confidence: c.userOwned ? "high" : "medium", severity: single === "write" ? "high" : "medium",
            message: `${label} (${where}) ${single === "write" ? "changes or deletes" : "shows"} any ${c.model} whose ID is in the URL: its queryset is not filtered by the requesting user (no scoped get_queryset(), no object permission check), so any logged-in user can reach other users' ${c.model} objects. Return ${c.model}.objects.filter(${c.ownerField ?? "owner"}=self.request.user) from get_queryset() or add an object permission check.`,
          });
        }
      }
    }
    // 5. only is_staff checked before changing or deleting a user's object: staff, but no object-level permission (reads by staff are back-office work)
    if (v.route.view.kind !== "admin" && !v.drf) {
      for (const a of accesses) {
        const inline = a.check === "staff" && (v.auth.level === "login" || v.auth.level === "custom" || v.auth.level === "none");
        if (!(staffGate && (!a.check || a.check === "staff")) && !inline) continue;
        if (a.scoped || a.userOwned !== true || !a.ownerField || a.use !== "write" || /(^|\.)(get_or_create|create|bulk_create)\(\)$/.test(a.writeWhat ?? "")) continue;
        const deletes = /delete\(\)/.test(a.writeWhat ?? "");
        out.push({
          path: a.site.path, span: a.site.span, confidence: "medium", severity: "medium",
          message: `${label} (${where}) ${deletes ? "deletes" : "changes"} a ${a.model} fetched by ${a.keyFrom} (${a.writeWhat} at line ${a.writeSite!.line}) after checking only is_staff (${staffGate ?? "an in-view request.user.is_staff test"}): ${a.model} belongs to a user (${a.ownerField}), and any staff account can ${deletes ? "delete" : "change"} anyone's ${a.model} with no object-level permission. ${staffFix(a.model, a.modelDef?.file.path ?? null, deletes, a.ownerField)}`,
        });
      }
      const single = staffGate ? singleObject(g) : null;
      const c = single === "write" ? classObjectAccess(project, v.route.view.mro) : null;
      if (c && !c.scoped && c.userOwned === true && c.ownerField && (c.check === null || c.check === MIXIN_CHECK)) {
        out.push({
          path: v.defSite.path, span: v.defSite.span, confidence: "medium", severity: "medium",
          message: `${label} (${where}) changes or deletes any ${c.model} whose ID is in the URL after checking only is_staff (${staffGate}): ${c.model} belongs to a user (${c.ownerField}), and any staff account can modify anyone's ${c.model} with no object-level permission. ${staffFix(c.model, c.modelDef?.file.path ?? null, /Delete/.test(v.route.view.mro.map((e) => e.known?.name ?? "").join(" ")), c.ownerField)}`,
        });
      }
    }
  }
  return out;
}

/** The fix for an is_staff-only gate: a model permission, or scoping to the owner. */
function staffFix(model: string, modelPath: string | null, deletes: boolean, ownerField: string): string {
  const parts = (modelPath ?? "").split("/");
  const at = parts.findIndex((p) => p === "models.py" || p === "models");
  const app = at > 0 ? parts[at - 1]! : "app";
  const perm = `${app}.${deletes ? "delete" : "change"}_${model.toLowerCase()}`;
  return `Require a model permission (permission_required("${perm}"), PermissionRequiredMixin, or request.user.has_perm("${perm}", obj)) or scope the lookup (${ownerField}=request.user).`;
}

/** Does the view act on one object picked by the URL, and does it change it? */
function singleObject(g: ViewGroup): "write" | "read" | null {
  let kind: "write" | "read" | null = null;
  for (const v of g.views) {
    if (!v.route.params.length && !v.route.router?.detail) continue;
    const names = v.route.view.mro.map((e) => e.known?.name ?? "");
    const detailDrf = v.route.router?.detail && !v.route.view.extraAction;
    // `http_method_names = ["get"]` on a ModelViewSet: its update and destroy actions answer 405
    const modifies = !v.methods?.length || v.methods.some((m) => m === "PUT" || m === "PATCH" || m === "DELETE" || m === "POST");
    const writesHere = modifies && (names.some((n) => /^(UpdateView|DeleteView|UpdateAPIView|DestroyAPIView|RetrieveUpdateAPIView|RetrieveDestroyAPIView|RetrieveUpdateDestroyAPIView)$/.test(n)) || (detailDrf && Object.values(v.route.view.actions ?? {}).some((a) => a === "update" || a === "partial_update" || a === "destroy")));
    const readsHere = names.some((n) => /^(DetailView|RetrieveAPIView)$/.test(n)) || (detailDrf && Object.values(v.route.view.actions ?? {}).includes("retrieve"));
    if (writesHere) kind = "write";
    else if (readsHere && !kind) kind = "read";
  }
  return kind;
}

function accessesOf(project: Project, g: ViewGroup): ObjectAccess[] {
  const out: ObjectAccess[] = [];
  const seen = new Set<A.FunctionDef>();
  for (const v of g.views) {
    const params = new Set(v.route.params.map((p) => p.name));
    const checked = v.auth.drf ? permissionCheckedParams(project, v.auth.drf.classes, v.route.view.mro) : new Set<string>();
    for (const h of v.handlers) {
      if (!h.fn || !h.file || seen.has(h.fn)) continue;
      seen.add(h.fn);
      const fnParams = new Set(h.fn.params.map((p) => p.name).filter((n) => params.has(n)));
      const byDecorators = decoratorCheckedParams(project, h.file, h.fn);
      out.push(...objectAccesses(project, h.file, h.fn, fnParams, v.route.view.mro, byDecorators.size ? new Set([...checked, ...byDecorators]) : checked));
    }
  }
  return out;
}

// ---------------------------------------------------------------- CSRF-001

export function csrfExemptProblems(project: Project): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const g of groups(project)) {
    for (const v of g.views) {
      if (v.csrf.status !== "exempt" || !v.csrf.site || v.drf) continue;
      const key = `${v.csrf.site.path}:${v.csrf.site.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (v.verifiesSignature || v.headerToken) continue;
      // A webhook behind a global LoginRequiredMiddleware works only because the project exempts its URL
      // (DefectDojo's LOGIN_EXEMPT_URLS): no provider logs in, so it is not a cookie-authenticated view.
      const globalLoginOnly = v.auth.detail === "LoginRequiredMiddleware" && looksLikeWebhook(g);
      const authed = v.auth.level !== "none" && v.auth.level !== "public" && !globalLoginOnly;
      // Without a login, CSRF only matters for webhooks (forgeable calls) and views that use the session cookie.
      if (!authed && (!v.writes.length || (!usesCookieIdentity(v) && (!looksLikeWebhook(g) || capabilityUrl(v) || v.route.params.some((p) => p.valueType === "uuid"))))) continue;
      const label = shortLabel(v);
      const how = v.csrf.how === "urlconf" ? `csrf_exempt(${label}) in the URLconf` : v.csrf.how === "method_decorator" ? "method_decorator(csrf_exempt)" : v.csrf.how === "class" ? "csrf_exempt = True" : "@csrf_exempt";
      const writes = v.writes.length ? `; it changes state (${v.writes[0]!.what})` : "";
      out.push({
        path: v.csrf.site.path, span: v.csrf.site.span, confidence: authed || v.writes.length ? "high" : "medium", severity: authed || v.writes.length ? "high" : "medium",
        message: authed
          ? `${how} turns off CSRF protection on ${label} (${routesText(g)}), a cookie-authenticated view (${v.auth.detail})${writes}: any site a logged-in user visits can submit requests to it. No signature or token check replaces it.`
          : `${how} turns off CSRF protection on ${label} (${routesText(g)})${writes}, and nothing else authenticates the caller: no webhook signature check (HMAC compare_digest or the provider's verify call) is visible, so anyone can forge these requests.`,
      });
    }
  }
  return out;
}

export function getStateChangeProblems(project: Project): Problem[] {
  const out: Problem[] = [];
  for (const g of groups(project)) {
    const reported = new Set<string>();
    for (const v of g.views) {
      if (v.csrf.status === "token-only" || v.headerToken || v.stateChecked || capabilityUrl(v)) continue;
      // CSRF rides the victim's cookies: a view with no login that never reads request.user/session gives a forged request nothing extra
      if ((v.auth.level === "none" || v.auth.level === "public") && !usesCookieIdentity(v)) continue;
      const getAllowed = v.methods === null || v.methods.includes("GET");
      for (const w of v.writes) {
        const onGet = !w.bookkeeping && (w.gate === "get" || (w.gate === "any" && getAllowed));
        if (!onGet) continue;
        const key = `${w.site.path}:${w.site.line}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const label = shortLabel(v);
        const why = w.gate === "get" && w.method === "get" ? "in its GET handler" : w.gate === "get" ? "in a request.method == \"GET\" branch" : v.methods ? `and ${label} accepts GET (${v.methodsFrom}) with nothing keeping the change to POST` : `and ${label} accepts any method (no require_POST or method check)`;
        out.push({
          path: w.site.path, span: w.site.span, confidence: w.gate === "get" ? "high" : "medium",
          message: `${label} (/${v.route.pattern}) changes state with ${w.what} ${why}: a link or <img> on any site can trigger it, and CSRF protection does not cover GET. ${v.drf ? "Make the change a POST action (methods=[\"post\"]) or handler" : "Restrict the view with @require_POST (or require_http_methods) and change state only on POST"}.`,
        });
        break;
      }
    }
  }
  return out;
}

/** The URL carries an unguessable capability (a signed token, a secret key), so a forged link cannot be built. */
function capabilityUrl(v: ViewModel): boolean {
  return v.route.params.some((p) => /token|signed|signature|secret|hash|key|nonce/i.test(p.name));
}

/** The view reads the cookie-based identity: request.user or request.session. A view that sets `request.user = bot.owner`
 *  (a webhook acting for the account its URL token names) replaces that identity: what it reads afterwards is its own. */
function usesCookieIdentity(v: ViewModel): boolean {
  return v.handlers.some((h) => {
    if (!h.fn) return false;
    const replaced = new Set<string>();
    walkBody(h.fn.body, { stmt: (s) => { if (s.kind === "Assign") for (const t of s.targets) if (isRequestIdentity(t)) replaced.add(t.attr); } });
    return anyExpr(h.fn.body, (x) => isRequestIdentity(x) && !replaced.has(x.attr));
  });
}

function isRequestIdentity(x: A.Expr): x is A.Attribute {
  return x.kind === "Attribute" && (x.attr === "user" || x.attr === "session") && x.value.kind === "Name" && x.value.id === "request";
}

/** A user field that records who wrote or changed a row (`created_by`, `author`): such rows are often public
 *  content, so reading another user's is no leak; changing it still needs a check. */
const AUTHORSHIP = /^(author|creator|submitter|\w+_by)$/;

// ---------------------------------------------------------------- RATE-001

const AUTH_ENDPOINT = /(^|[_\-/.:])(log_?in|sign_?in|signup|sign_up|register|registration|password_?reset|reset_?password|forgot_?password|password-reset|obtain_auth_token|api-token-auth|token-auth|auth-token|otp|two_factor|2fa|mfa|verify_code|verify_otp)([_\-/.]|$)|(^|\/)(jwt\/)?token\/?$|obtain_?\w*token|token_?obtain/i;
const NOT_ENDPOINT = /(log_?out|done|complete|sent|refresh|verify$|blacklist)/i;
const KNOWN_AUTH = /(LoginView|PasswordResetView|PasswordResetConfirmView|ObtainAuthToken|obtain_auth_token|obtain_jwt_token|TokenObtainPairView|TokenObtainSlidingView|SignupView|RegisterView|Registration\w*View)$/;

/** A URL a route answers, for matching against the proxy's locations: `/password-reset/<code>/?` → `/password-reset/x1/`. */
function samplePath(pattern: string): string {
  const p = pattern.replace(/<[^>]*>/g, "x1").replace(/\/\?$/, "/").replace(/[\^$?]/g, "");
  return p.startsWith("/") ? p : `/${p}`;
}

export function bruteForceProblems(project: Project): Problem[] {
  const out: Problem[] = [];
  const settings = project.use(appSettingsAnalysis);
  const global = globalLoginProtection(settings);
  const edge = project.use(edgeAnalysis);
  for (const g of groups(project)) {
    const v = g.first;
    if (v.route.view.kind === "admin" || v.route.view.kind === "static") continue;
    const q = v.route.view.qualname ?? v.route.view.text;
    const name = q.split(".").pop()!;
    const known = KNOWN_AUTH.test(q) || v.route.view.mro.some((e) => KNOWN_AUTH.test(e.qualname));
    const text = [name, ...g.patterns, ...g.views.map((x) => x.route.name ?? "")];
    const byName = text.some((t) => AUTH_ENDPOINT.test(t)) && !NOT_ENDPOINT.test(name) && !g.patterns.every((p) => NOT_ENDPOINT.test(p));
    if (!known && !byName) continue;
    if (/webauthn|passkey|fido/i.test(name)) continue;
    // an endpoint that takes credentials: reads the request body, builds a form, or authenticates
    if (!known && !g.views.some((x) => x.handlers.some((h) => h.fn && takesCredentials(h.fn)))) continue;
    const methods = methodsOf(g);
    if (methods && !methods.includes("POST")) continue;
    if (g.views.some((x) => x.throttle)) continue;
    // brute force is an anonymous attacker's game: views behind a login are not entry points, even a
    // PasswordResetView subclass an administrator uses to invite people. (Django's own auth views stay
    // open under LoginRequiredMiddleware: they are marked login_not_required.)
    if (!["none", "public"].includes(v.auth.level) && !(known && v.auth.detail === "LoginRequiredMiddleware")) continue;
    const loginLike = /log_?in|sign_?in|token|LoginView/i.test(text.join(" ") + q);
    if (global && loginLike) continue;
    // the proxy rate-limits every URL of the endpoint (`location ~ ^/(password-reset|2fa-check) { limit_req ... }`)
    if (g.patterns.every((p) => edgeRateLimit(edge, samplePath(p)) !== null)) continue;
    const site = v.defSite ?? { path: v.route.path, line: v.route.line, span: v.route.span };
    const kind = /reset|forgot/i.test(text.join(" ") + q) ? "password-reset" : /sign_?up|register/i.test(text.join(" ") + q) ? "sign-up" : /otp|2fa|mfa|two_factor|verify/i.test(text.join(" ") + q) ? "one-time-code" : /token/i.test(text.join(" ") + q) ? "token" : "login";
    out.push({
      path: site.path, span: site.span, confidence: "medium",
      message: `${name} (${routesText(g)}) is a ${kind} endpoint with no brute-force protection in app code: no DRF throttle, no django-ratelimit decorator, no django-axes/django-defender. Not visible in app code; verify at the edge (rate limits at the proxy, CDN or WAF).`,
    });
  }
  return out;
}

function takesCredentials(fn: A.FunctionDef): boolean {
  return readsPost(fn) || anyExpr(fn.body, (x) => {
    if (x.kind !== "Call") return false;
    const n = x.func.kind === "Name" ? x.func.id : x.func.kind === "Attribute" ? x.func.attr : "";
    return /Form$|authenticate|^login$|check_password|verify|totp|otp/i.test(n) || (x.func.kind === "Attribute" && /^(data|body)$/.test(x.func.attr));
  });
}

// ---------------------------------------------------------------- ADMIN-001

export function adminProblems(project: Project): Problem[] {
  const out: Problem[] = adminSiteWeakenings(project);
  const settings = project.use(appSettingsAnalysis);
  const overHttp = tlsState(project);
  const protection = adminProtection(project, settings.installedApps, settings.middleware ?? []);
  for (const v of viewModels(project)) {
    if (v.route.view.kind !== "admin" || v.route.debugOnly) continue;
    if (overHttp.state === "no") {
      out.push({
        path: v.route.path, span: v.route.span, confidence: "high", severity: "high", key: "admin-http",
        message: `The admin at /${v.route.pattern} is served over plain HTTP (${overHttp.reason}): staff passwords and admin session cookies cross the network unencrypted, where anyone on the path can read or replay them. Serve the site over HTTPS (SECURE_SSL_REDIRECT, Secure cookies, HSTS).`,
      });
    }
    const atDefault = /^(\w{2}(-\w+)?\/)?admin\/$/.test(v.route.pattern);
    if (!atDefault && protection) continue;
    const site = { path: v.route.path, span: v.route.span };
    if (atDefault) {
      out.push({
        ...site, confidence: "high", severity: protection ? "low" : "medium",
        message: protection
          ? `The admin is mounted at the default /${v.route.pattern} path, which every scanner probes; ${protection} protects it, so this only adds noise. Consider a less guessable path.`
          : `The admin is mounted at the default /${v.route.pattern} path with no visible extra protection (no django-otp or other second factor, no IP allowlist middleware, no SSO): only a password stands between the internet and staff accounts. Not visible in app code; verify at the edge (IP allowlist, VPN, SSO in front of /${v.route.pattern}).`,
      });
    } else {
      out.push({
        ...site, confidence: "low", severity: "low",
        message: `The admin at /${v.route.pattern} has no visible extra protection (no django-otp or other second factor, no IP allowlist middleware, no SSO). Not visible in app code; verify at the edge.`,
      });
    }
  }
  return out;
}

function adminProtection(project: Project, apps: string[], middleware: string[]): string | null {
  if (apps.some((a) => /^django_otp(\.|$)/.test(a)) || middleware.some((m) => /otp/i.test(m))) return "django-otp";
  if (middleware.some((m) => /(allow|white)list|ip_?restrict|ipfilter|admin_?ip|IPRestrict|AdminIP|restrict_?admin/i.test(m))) return "an IP allowlist middleware";
  if (apps.some((a) => /^(mozilla_django_oidc|django_saml2_auth|djangosaml2|social_django|django_auth_adfs|oauth2_authcodeflow)(\.|$)/.test(a))) return "SSO";
  if (apps.some((a) => /^(two_factor|allauth\.mfa|django_mfa|trench)(\.|$)/.test(a))) return "a second-factor package";
  for (const f of project.python) if (/OTPAdminSite|AdminSiteOTPRequired/.test(f.text)) return "django-otp";
  return null;
}

// ---------------------------------------------------------------- LOG-001 (views)

/** A word in a handler that shows it takes passwords or payment details (whole names, not a `pass` statement). */
const SENSITIVE_WORD = /pass(word)?|pwd|PasswordInput|AuthenticationForm|UserCreationForm|SetPasswordForm|PasswordChangeForm|card|cvv|cvc|iban/i;
/** ...but not a flag about the account's password (Plane's magic-link sign-in tests user.is_password_autoset and reads only a code). */
const PASSWORD_FLAG = /^(is|has)_\w*pass/i;

const SENSITIVE_VIEW = /(log_?in|sign_?in|signup|sign_up|register|password|passwd|payment|checkout|billing|card)/i;

export function sensitiveParamProblems(project: Project): Problem[] {
  const out: Problem[] = [];
  for (const g of groups(project)) {
    const v = g.first;
    if (!v.defSite || v.sensitiveParams || v.drf) continue;
    const name = nameOf(v);
    if (!SENSITIVE_VIEW.test(name) || WEBHOOK.test(name) || /forgot|reset(?!_?confirm)/i.test(name)) continue;
    const handlers = g.views.flatMap((x) => x.handlers).filter((h) => h.fn);
    if (!handlers.length) continue;
    if (!handlers.some((h) => readsPost(h.fn!))) continue;
    if (!handlers.some((h) => [...bodyWords(h.fn!.body)].some((w) => SENSITIVE_WORD.test(w) && !PASSWORD_FLAG.test(w)))) continue;
    // function views reading a password key straight from POST are reported by the data-flow patterns (src/dataflow/patterns.ts)
    if (!v.route.view.mro.length && handlers.some((h) => readsSecretKey(h.fn!))) continue;
    out.push({
      path: v.defSite.path, span: v.defSite.span, confidence: "medium",
      message: `${name} (${routesText(g)}) handles ${/pay|checkout|billing|card/i.test(name) ? "payment details" : "passwords"} from request.POST without @sensitive_post_parameters (or sensitive_variables): if it raises, Django's error reports and the technical 500 page include the raw POST values.`,
    });
  }
  return out;
}

function readsSecretKey(fn: A.FunctionDef): boolean {
  return anyExpr(fn.body, (x) => {
    const key = x.kind === "Subscript" ? x.slice : x.kind === "Call" && x.func.kind === "Attribute" && x.func.attr === "get" ? x.args[0] : undefined;
    const base = x.kind === "Subscript" ? x.value : x.kind === "Call" && x.func.kind === "Attribute" ? x.func.value : undefined;
    return key?.kind === "Constant" && typeof key.value === "string" && /pass|pwd|card|cvv/i.test(key.value) && base?.kind === "Attribute" && (base.attr === "POST" || base.attr === "data");
  });
}

function readsPost(fn: A.FunctionDef): boolean {
  return anyExpr(fn.body, (x) => x.kind === "Attribute" && x.attr === "POST" && x.value.kind === "Name" && x.value.id === "request");
}

// ---------------------------------------------------------------- UPLOAD-001 (URLconf)

export function mediaServeProblems(project: Project): Problem[] {
  const out: Problem[] = [];
  for (const v of viewModels(project)) {
    const r = v.route;
    if (r.debugOnly || r.via === "static" || r.view.qualname !== "django.views.static.serve") continue;
    out.push({
      path: r.path, span: r.span, confidence: "high",
      message: `/${r.pattern} serves files with django.views.static.serve outside an \`if settings.DEBUG\` guard: Django serves user uploads itself in production (slow, no Content-Disposition or type hardening; an uploaded HTML/SVG file runs in the site's origin). Serve media from the web server or object storage.`,
    });
  }
  return out;
}
