// Class-based views: the method resolution order of a view class across project
// modules, and what we know about the Django and DRF classes it ends in (which
// HTTP handlers and DRF actions they provide, which of those write, which are
// access-control mixins). The URL resolver (DRF router routes) and the view model
// both read this; nothing here imports or runs the scanned project.
import { defineAnalysis, type Project, type PythonFile } from "../project/project.js";
import type * as A from "../python/ast.js";
import { qualifiedName, resolveDefinition, type ResolvedDef } from "../python/scope.js";
import { baseClass } from "../python/walk.js";
import { weakMemo } from "../project/memo.js";
import { exact, flat } from "../project/compact.js";

export type KnownRole =
  | "view" | "drf-view" | "viewset" | "login-mixin" | "permission-mixin" | "test-mixin" | "access-mixin" | "mixin";

export interface KnownClass {
  /** the package's top-level module: "django", "rest_framework", "rest_framework_simplejwt", "rules", "guardian", "braces" */
  pkg: string;
  name: string;
  role: KnownRole;
  /** HTTP handler methods the class defines (lower case) */
  handlers?: string[];
  /** DRF viewset actions the class provides */
  actions?: string[];
  /** handlers/actions that change state */
  writes?: string[];
}

const DJ_FORM = ["get", "post", "put"];
const KNOWN: KnownClass[] = [
  // django.views.generic
  { pkg: "django", name: "View", role: "view", handlers: ["options"] },
  { pkg: "django", name: "TemplateView", role: "view", handlers: ["get"] },
  { pkg: "django", name: "RedirectView", role: "view", handlers: ["get", "head", "post", "options", "delete", "put", "patch"] },
  ...["ListView", "DetailView", "ArchiveIndexView", "YearArchiveView", "MonthArchiveView", "WeekArchiveView", "DayArchiveView", "TodayArchiveView", "DateDetailView"].map(
    (name): KnownClass => ({ pkg: "django", name, role: "view", handlers: ["get"] })),
  { pkg: "django", name: "FormView", role: "view", handlers: DJ_FORM },
  { pkg: "django", name: "CreateView", role: "view", handlers: DJ_FORM, writes: ["post", "put"] },
  { pkg: "django", name: "UpdateView", role: "view", handlers: DJ_FORM, writes: ["post", "put"] },
  { pkg: "django", name: "DeleteView", role: "view", handlers: ["get", "post", "delete"], writes: ["post", "delete"] },
  { pkg: "django", name: "LoginView", role: "view", handlers: DJ_FORM },
  { pkg: "django", name: "LogoutView", role: "view", handlers: ["post"] },
  ...["PasswordChangeView", "PasswordResetView", "PasswordResetConfirmView"].map(
    (name): KnownClass => ({ pkg: "django", name, role: "view", handlers: DJ_FORM, writes: ["post", "put"] })),
  ...["PasswordChangeDoneView", "PasswordResetDoneView", "PasswordResetCompleteView"].map(
    (name): KnownClass => ({ pkg: "django", name, role: "view", handlers: ["get"] })),
  { pkg: "django", name: "LoginRequiredMixin", role: "login-mixin" },
  { pkg: "django", name: "PermissionRequiredMixin", role: "permission-mixin" },
  { pkg: "django", name: "UserPassesTestMixin", role: "test-mixin" },
  { pkg: "django", name: "AccessMixin", role: "access-mixin" },
  // the access mixins of django-rules, django-guardian and django-braces behave as Django's do
  { pkg: "rules", name: "PermissionRequiredMixin", role: "permission-mixin" },
  { pkg: "guardian", name: "PermissionRequiredMixin", role: "permission-mixin" },
  { pkg: "guardian", name: "LoginRequiredMixin", role: "login-mixin" },
  ...["PermissionRequiredMixin", "MultiplePermissionsRequiredMixin", "GroupRequiredMixin", "StaffuserRequiredMixin", "SuperuserRequiredMixin"].map(
    (name): KnownClass => ({ pkg: "braces", name, role: "permission-mixin" })),
  { pkg: "braces", name: "LoginRequiredMixin", role: "login-mixin" },
  { pkg: "braces", name: "UserPassesTestMixin", role: "test-mixin" },
  // rest_framework
  { pkg: "rest_framework", name: "APIView", role: "drf-view", handlers: ["options"] },
  { pkg: "rest_framework", name: "GenericAPIView", role: "drf-view", handlers: ["options"] },
  { pkg: "rest_framework", name: "CreateAPIView", role: "drf-view", handlers: ["post"], writes: ["post"] },
  { pkg: "rest_framework", name: "ListAPIView", role: "drf-view", handlers: ["get"] },
  { pkg: "rest_framework", name: "RetrieveAPIView", role: "drf-view", handlers: ["get"] },
  { pkg: "rest_framework", name: "DestroyAPIView", role: "drf-view", handlers: ["delete"], writes: ["delete"] },
  { pkg: "rest_framework", name: "UpdateAPIView", role: "drf-view", handlers: ["put", "patch"], writes: ["put", "patch"] },
  { pkg: "rest_framework", name: "ListCreateAPIView", role: "drf-view", handlers: ["get", "post"], writes: ["post"] },
  { pkg: "rest_framework", name: "RetrieveUpdateAPIView", role: "drf-view", handlers: ["get", "put", "patch"], writes: ["put", "patch"] },
  { pkg: "rest_framework", name: "RetrieveDestroyAPIView", role: "drf-view", handlers: ["get", "delete"], writes: ["delete"] },
  { pkg: "rest_framework", name: "RetrieveUpdateDestroyAPIView", role: "drf-view", handlers: ["get", "put", "patch", "delete"], writes: ["put", "patch", "delete"] },
  { pkg: "rest_framework", name: "ObtainAuthToken", role: "drf-view", handlers: ["post"] },
  { pkg: "rest_framework", name: "ViewSet", role: "viewset", actions: [] },
  { pkg: "rest_framework", name: "GenericViewSet", role: "viewset", actions: [] },
  { pkg: "rest_framework", name: "ViewSetMixin", role: "viewset", actions: [] },
  { pkg: "rest_framework", name: "ModelViewSet", role: "viewset", actions: ["list", "create", "retrieve", "update", "partial_update", "destroy"], writes: ["create", "update", "partial_update", "destroy"] },
  { pkg: "rest_framework", name: "ReadOnlyModelViewSet", role: "viewset", actions: ["list", "retrieve"] },
  { pkg: "rest_framework", name: "CreateModelMixin", role: "mixin", actions: ["create"], writes: ["create"] },
  { pkg: "rest_framework", name: "ListModelMixin", role: "mixin", actions: ["list"] },
  { pkg: "rest_framework", name: "RetrieveModelMixin", role: "mixin", actions: ["retrieve"] },
  { pkg: "rest_framework", name: "UpdateModelMixin", role: "mixin", actions: ["update", "partial_update"], writes: ["update", "partial_update"] },
  { pkg: "rest_framework", name: "DestroyModelMixin", role: "mixin", actions: ["destroy"], writes: ["destroy"] },
  ...["TokenObtainPairView", "TokenRefreshView", "TokenVerifyView", "TokenObtainSlidingView", "TokenRefreshSlidingView", "TokenBlacklistView", "TokenViewBase"].map(
    (name): KnownClass => ({ pkg: "rest_framework_simplejwt", name, role: "drf-view", handlers: ["post"] })),
];

const byKey = new Map(KNOWN.map((k) => [`${k.pkg}:${k.name}`, k]));

/** What we know about a third-party class from its canonical dotted name. */
export function knownClass(qualname: string): KnownClass | null {
  const pkg = qualname.split(".")[0]!;
  const name = qualname.slice(qualname.lastIndexOf(".") + 1);
  return byKey.get(`${pkg}:${name}`) ?? null;
}

export interface MroEntry {
  /** canonical dotted name, e.g. "shop.orders.views.OrderUpdate" or "django.views.generic.UpdateView" */
  qualname: string;
  /** the project class, when it is one */
  def: (ResolvedDef & { node: A.ClassDef }) | null;
  known: KnownClass | null;
}

/**
 * Method resolution order of a project class: depth-first, left to right, with a
 * repeated base kept at its last occurrence (which matches C3 for the diamond
 * shapes view mixins form). Third-party bases end the walk with their known facts.
 */
export function classMro(project: Project, cls: ResolvedDef & { node: A.ClassDef }): readonly MroEntry[] {
  // The data-flow engine, the URLconf, the view model and the template analyses
  // all ask for the same classes' MROs: compute each once per project and share
  // it (the project's files never change after loading; callers only read it).
  let memo = mroMemo.get(project);
  if (!memo) mroMemo.set(project, (memo = new Map()));
  const hit = memo.get(cls.node);
  if (hit && hit[0]?.qualname === cls.qualname) return hit;
  const mro = computeMro(project, cls);
  if (!hit) memo.set(cls.node, mro);
  return mro;
}

const mroMemo = new WeakMap<Project, Map<A.ClassDef, readonly MroEntry[]>>();

function computeMro(project: Project, cls: ResolvedDef & { node: A.ClassDef }): readonly MroEntry[] {
  const order: MroEntry[] = [];
  const visit = (entry: MroEntry, depth: number) => {
    order.push(entry);
    if (!entry.def || depth > 20) return;
    for (const b of entry.def.node.bases) {
      const q = qualifiedName(project, entry.def.file, baseClass(b));
      if (!q) continue;
      visit(baseEntry(project, q), depth + 1);
    }
  };
  visit({ qualname: cls.qualname, def: cls, known: null }, 0);
  const last = new Map<string, number>();
  order.forEach((e, i) => last.set(e.qualname, i));
  return exact(order.filter((e, i) => last.get(e.qualname) === i && e.qualname !== "object"));
}

function baseEntry(project: Project, qualname: string): MroEntry {
  const def = resolveDefinition(project, qualname);
  if (def && def.node.kind === "ClassDef") return { qualname: def.qualname, def: def as MroEntry["def"] & object, known: null };
  return { qualname: flat(qualname), def: null, known: knownClass(qualname) };
}

/** The project class (or known third-party class) a view expression names. */
export function classEntry(project: Project, file: PythonFile, e: A.Expr): MroEntry | null {
  const q = qualifiedName(project, file, e);
  if (!q) return null;
  const def = resolveDefinition(project, q);
  if (def && def.node.kind === "ClassDef") return { qualname: def.qualname, def: def as MroEntry["def"] & object, known: null };
  if (def) return null;
  const known = knownClass(q);
  return known ? { qualname: flat(q), def: null, known } : null;
}

/**
 * Methods defined in the class bodies along the MRO (first definition wins).
 * Answered once per MRO array (classMro shares one per class): the data-flow
 * engine asks on every `self.method()` call. Callers only read the map.
 */
export function mroMethods(mro: readonly MroEntry[]): ReadonlyMap<string, { fn: A.FunctionDef; owner: MroEntry }> {
  return methodsMemo(mro, () => collectMethods(mro));
}

const methodsMemo = weakMemo<readonly MroEntry[], ReadonlyMap<string, { fn: A.FunctionDef; owner: MroEntry }>>();

function collectMethods(mro: readonly MroEntry[]): Map<string, { fn: A.FunctionDef; owner: MroEntry }> {
  const out = new Map<string, { fn: A.FunctionDef; owner: MroEntry }>();
  for (const e of mro) {
    if (!e.def) continue;
    for (const s of e.def.node.body) if (s.kind === "FunctionDef" && !out.has(s.name)) out.set(s.name, { fn: s, owner: e });
  }
  return out;
}

export type MroAttribute = { value: A.Expr; owner: MroEntry & { def: NonNullable<MroEntry["def"]> } };

/**
 * A class attribute (`permission_classes = [...]`) along the MRO: the first class
 * that sets it. Answered once per MRO array and name: every route through a view
 * asks for the same few attributes, and the walk reads each base's whole body.
 */
export function mroAttribute(mro: readonly MroEntry[], name: string): MroAttribute | null {
  const byName = attributesMemo(mro, () => new Map<string, MroAttribute | null>());
  let hit = byName.get(name);
  if (hit === undefined) byName.set(name, (hit = findAttribute(mro, name)));
  return hit;
}

const attributesMemo = weakMemo<readonly MroEntry[], Map<string, MroAttribute | null>>();

function findAttribute(mro: readonly MroEntry[], name: string): MroAttribute | null {
  for (const e of mro) {
    if (!e.def) continue;
    for (const s of e.def.node.body) {
      if (s.kind === "Assign" && s.targets.some((t) => t.kind === "Name" && t.id === name)) return { value: s.value, owner: e as MroEntry & { def: NonNullable<MroEntry["def"]> } };
      if (s.kind === "AnnAssign" && s.value && s.target.kind === "Name" && s.target.id === name) return { value: s.value, owner: e as MroEntry & { def: NonNullable<MroEntry["def"]> } };
    }
  }
  return null;
}

const VIEWSET_ACTIONS = ["list", "create", "retrieve", "update", "partial_update", "destroy"];

/** DRF viewset actions a class provides: inherited from DRF mixins, or defined as methods. */
export function viewsetActions(mro: readonly MroEntry[]): Set<string> {
  const out = new Set<string>();
  for (const e of mro) for (const a of e.known?.actions ?? []) out.add(a);
  for (const name of mroMethods(mro).keys()) if (VIEWSET_ACTIONS.includes(name)) out.add(name);
  return out;
}

export function isViewSet(mro: readonly MroEntry[]): boolean {
  return mro.some((e) => e.known?.role === "viewset");
}

export interface ExtraAction {
  name: string;
  fn: A.FunctionDef;
  owner: MroEntry;
  detail: boolean;
  methods: string[];
  urlPath: string;
  urlName: string;
  decorator: A.Call;
}

/** `@action(detail=..., methods=[...], url_path=...)` methods along the MRO. */
export function extraActions(project: Project, mro: readonly MroEntry[]): ExtraAction[] {
  const out: ExtraAction[] = [];
  for (const [name, { fn, owner }] of mroMethods(mro)) {
    for (const d of fn.decorators) {
      if (d.kind !== "Call" || !owner.def) continue;
      const q = qualifiedName(project, owner.def.file, d.func);
      if (!q || !/(^|\.)(action|detail_route|list_route)$/.test(q)) continue;
      let detail = /detail_route$/.test(q);
      const dk = d.keywords.find((k) => k.arg === "detail")?.value;
      if (dk && dk.kind === "Constant") detail = dk.value === true;
      const mk = d.keywords.find((k) => k.arg === "methods")?.value;
      const methods = mk && (mk.kind === "List" || mk.kind === "Tuple")
        ? mk.elts.flatMap((x) => (x.kind === "Constant" && typeof x.value === "string" ? [x.value.toLowerCase()] : []))
        : ["get"];
      const up = d.keywords.find((k) => k.arg === "url_path")?.value;
      const un = d.keywords.find((k) => k.arg === "url_name")?.value;
      const urlPath = up && up.kind === "Constant" && typeof up.value === "string" ? up.value : name;
      const urlName = un && un.kind === "Constant" && typeof un.value === "string" ? un.value : name.replace(/_/g, "-");
      out.push({ name, fn, owner, detail, methods, urlPath, urlName, decorator: d });
    }
  }
  return out;
}

export interface NamedMethod {
  fn: A.FunctionDef;
  file: PythonFile;
  cls: A.ClassDef;
}

/**
 * The methods (and properties) of the project's module-level classes, by name: for an
 * attribute a template reads off a row or object whose class it lost (`{{ obj.local_path }}`,
 * `{{ meta.as_html|safe }}`), every definition of that name is what it may be.
 */
export const methodsByNameAnalysis = defineAnalysis("methods-by-name", (project: Project): ReadonlyMap<string, readonly NamedMethod[]> => {
  const out = new Map<string, NamedMethod[]>();
  for (const f of project.python) {
    for (const c of f.ast.body) {
      if (c.kind !== "ClassDef") continue;
      for (const m of c.body) {
        if (m.kind !== "FunctionDef") continue;
        const l = out.get(m.name);
        if (l) l.push({ fn: m, file: f, cls: c });
        else out.set(m.name, [{ fn: m, file: f, cls: c }]);
      }
    }
  }
  return out;
});

/** Names the project's module-level classes assign in their bodies (model fields, class constants). */
export const classAttributeNamesAnalysis = defineAnalysis("class-attribute-names", (project: Project): ReadonlySet<string> => {
  const out = new Set<string>();
  for (const f of project.python) {
    for (const c of f.ast.body) {
      if (c.kind !== "ClassDef") continue;
      for (const st of c.body) {
        if (st.kind === "Assign") for (const t of st.targets) { if (t.kind === "Name") out.add(t.id); }
        else if (st.kind === "AnnAssign" && st.target.kind === "Name") out.add(st.target.id);
      }
    }
  }
  return out;
});
