// Names and imports: what a local name in a module refers to. Every analysis that
// asks "is this call django.utils.safestring.mark_safe?" or "where is the view
// `views.order_detail` defined?" goes through here, so there is one resolver.
import type { Project, PythonFile } from "../project/project.js";
import { defineAnalysis } from "../project/project.js";
import { weakMemo } from "../project/memo.js";
import { flat } from "../project/compact.js";
import type * as A from "./ast.js";
import { bindingTargets, walkBody } from "./walk.js";

export interface ImportBinding {
  /** absolute dotted module, e.g. "django.utils.html" */
  module: string;
  /** imported name within the module, or null for `import a.b as c` (binds the module) */
  name: string | null;
  /** "module.name", or the module: made once here, since qualifiedName answers with it for every use of the name */
  dotted: string;
}

export interface ModuleScope {
  file: PythonFile;
  /** local name → where it was imported from (top level, and in nested blocks of the top level) */
  imports: Map<string, ImportBinding>;
  /** names imported inside functions and methods (`from .utils import helper` to avoid an import cycle),
   *  for reads of a name the module does not bind; null where two functions import it differently */
  localImports: Map<string, ImportBinding | null>;
  /** modules star-imported, absolute */
  starImports: string[];
  /** top-level def/class by name (the last definition wins, as at run time) */
  defs: Map<string, A.FunctionDef | A.ClassDef>;
  /** top-level simple assignments `NAME = value` (last wins) */
  assigns: Map<string, A.Expr>;
}

/** Absolute module for a relative import, as Python computes it. */
export function resolveRelative(current: string, isPackage: boolean, level: number, module: string): string {
  if (level === 0) return module;
  const parts = current.split(".");
  // A module's package is its parent; a package's own package is itself.
  const keep = parts.length - level + (isPackage ? 1 : 0);
  const base = keep > 0 ? parts.slice(0, keep) : [];
  return [...base, ...(module ? [module] : [])].join(".");
}

function buildScope(file: PythonFile): ModuleScope {
  const imports = new Map<string, ImportBinding>();
  const starImports: string[] = [];
  const defs = new Map<string, A.FunctionDef | A.ClassDef>();
  const assigns = new Map<string, A.Expr>();
  const visit = (body: A.Stmt[], topLevel: boolean) => {
    for (const s of body) {
      switch (s.kind) {
        case "Import":
          for (const a of s.names) {
            const module = a.asname ? a.name : a.name.split(".")[0]!;
            imports.set(a.asname ?? module, { module, name: null, dotted: module });
          }
          break;
        case "ImportFrom": {
          const mod = resolveRelative(file.moduleName, file.isPackage, s.level, s.module);
          for (const a of s.names) {
            if (a.name === "*") starImports.push(mod);
            else imports.set(a.asname ?? a.name, { module: mod, name: a.name, dotted: flat(`${mod}.${a.name}`) });
          }
          break;
        }
        case "FunctionDef": case "ClassDef":
          if (topLevel) defs.set(s.name, s);
          else visit(s.body, false);
          break;
        case "Assign":
          if (topLevel) for (const t of s.targets) if (t.kind === "Name") assigns.set(t.id, s.value);
          break;
        case "AnnAssign":
          if (topLevel && s.value && s.target.kind === "Name") assigns.set(s.target.id, s.value);
          break;
        case "If": visit(s.body, topLevel); visit(s.orelse, topLevel); break;
        case "Try":
          visit(s.body, topLevel);
          for (const h of s.handlers) visit(h.body, topLevel);
          visit(s.orelse, topLevel); visit(s.finalbody, topLevel);
          break;
        case "With": case "For": case "While": visit(s.body, topLevel); break;
        default: break;
      }
    }
  };
  visit(file.ast.body, true);
  const localImports = new Map<string, ImportBinding | null>();
  const local = (name: string, b: ImportBinding) => {
    const prev = localImports.get(name);
    localImports.set(name, prev === undefined || (prev !== null && prev.dotted === b.dotted) ? b : null);
  };
  // most modules import only at the top, which our parser notes as it goes
  for (const top of file.ast.innerImports === false ? [] : file.ast.body) {
    if (top.kind !== "FunctionDef" && top.kind !== "ClassDef") continue;
    walkBody(top.body, {
      stmt: (st) => {
        if (st.kind === "Import") for (const a of st.names) { const module = a.asname ? a.name : a.name.split(".")[0]!; local(a.asname ?? module, { module, name: null, dotted: module }); }
        else if (st.kind === "ImportFrom") {
          const mod = resolveRelative(file.moduleName, file.isPackage, st.level, st.module);
          for (const a of st.names) if (a.name !== "*") local(a.asname ?? a.name, { module: mod, name: a.name, dotted: flat(`${mod}.${a.name}`) });
        }
        return undefined;
      },
    });
  }
  return { file, imports, starImports, defs, assigns, localImports };
}

/** The import a name read in this module is bound to: the module's own, else one a function makes (unless the module binds the name otherwise). */
export function importOf(scope: ModuleScope, name: string): ImportBinding | undefined {
  return scope.imports.get(name) ?? (scope.defs.has(name) || scope.assigns.has(name) ? undefined : scope.localImports.get(name) ?? undefined);
}

export const scopesAnalysis = defineAnalysis("scopes", (project: Project) => {
  const m = new Map<string, ModuleScope>();
  for (const f of project.python) m.set(f.path, buildScope(f));
  return m;
});

export function scopeOf(project: Project, file: PythonFile): ModuleScope {
  return project.use(scopesAnalysis).get(file.path)!;
}

/**
 * Canonical dotted name of an expression in a module: `mark_safe` imported from
 * django.utils.safestring → "django.utils.safestring.mark_safe"; `os.path.join`
 * → "os.path.join"; a local def `helper` → "<module>.helper". Null when the base
 * is not a name (a call result, a subscript...).
 */
export function qualifiedName(project: Project, file: PythonFile, e: A.Expr): string | null {
  // Called for nearly every call and attribute the analyses look at: find the head
  // first and build the attribute suffix only when there is a name to qualify
  // (no per-call array, unshift and join).
  let cur: A.Expr = e;
  while (cur.kind === "Attribute") cur = cur.value;
  if (cur.kind !== "Name") return null;
  let suffix = "";
  for (let x: A.Expr = e; x.kind === "Attribute"; x = x.value) suffix = `.${x.attr}${suffix}`;
  const scope = scopeOf(project, file);
  const head = cur.id;
  const imp = importOf(scope, head);
  let base: string;
  if (imp) base = imp.module !== file.moduleName && project.pythonByModule.has(imp.module) ? externalReexport(project, imp) : imp.dotted;
  else if (scope.defs.has(head)) base = `${file.moduleName}.${head}`;
  else {
    const viaStar = scope.starImports.find((m) => {
      const target = project.pythonByModule.get(m);
      return target ? scopeOf(project, target).defs.has(head) || scopeOf(project, target).imports.has(head) : false;
    });
    base = viaStar ? `${viaStar}.${head}` : head;
  }
  return base + suffix;
}

/**
 * A name imported from a project module that itself imports it from a library
 * (`from baserow.core.psycopg import sql`, where psycopg.py does `from psycopg import sql`
 * in both branches of an `if`): the library's name, so the catalogs' sinks, sources and
 * sanitizers (`psycopg.sql.Identifier`, `django.utils.safestring.mark_safe`) know it.
 * A name that ends at a project definition keeps the name it was imported by, as before.
 */
function externalReexport(project: Project, imp: ImportBinding): string {
  let memo = reexportMemo.get(project);
  if (!memo) reexportMemo.set(project, (memo = new WeakMap()));
  let hit = memo.get(imp);
  if (hit === undefined) memo.set(imp, (hit = followReexport(project, imp.dotted, 0) ?? imp.dotted));
  return hit;
}

const reexportMemo = new WeakMap<Project, WeakMap<ImportBinding, string>>();

/** Where a dotted name starting in a project module comes from outside the project, or null when it is the project's own (or unknown). */
function followReexport(project: Project, dotted: string, depth: number): string | null {
  if (depth > 12) return null;
  const parts = dotted.split(".");
  for (let i = parts.length - 1; i >= 1; i--) {
    const file = project.pythonByModule.get(parts.slice(0, i).join("."));
    if (!file) continue;
    const scope = scopeOf(project, file);
    const imp = scope.imports.get(parts[i]!);
    if (!imp || scope.defs.has(parts[i]!) || scope.assigns.has(parts[i]!)) return null;
    const next = [imp.dotted, ...parts.slice(i + 1)].join(".");
    return project.pythonByModule.has(imp.module) ? followReexport(project, next, depth + 1) : flat(next);
  }
  return null;
}

export interface ResolvedDef {
  file: PythonFile;
  node: A.FunctionDef | A.ClassDef;
  /** canonical "<module>.<name>" */
  qualname: string;
}

/**
 * Find the project definition behind a canonical dotted name, following
 * re-exports (`from .views import order_detail` in a package __init__) and
 * `module.Class.method` paths. Null for third-party or unknown names.
 */
export function resolveDefinition(project: Project, dotted: string, depth = 0): ResolvedDef | null {
  const heads = packageHeads(project, () => new Set([...project.pythonByModule.keys()].map((m) => m.split(".")[0]!)));
  const dot = dotted.indexOf(".");
  // most names asked about start with a local variable or a third-party package: no lookup, no memo entry
  if (dot < 0 || !heads.has(dotted.slice(0, dot))) return null;
  // Analyses ask the same dotted names over and over (every call site of
  // `django.shortcuts.render`, every base class...), and each miss splits, slices
  // and joins the name once per prefix: memoise the top-level answers per project
  // (the project's files never change after loading). Only depth 0 is cached, so
  // the depth cut-off behaves exactly as before. A throwing lookup is not cached.
  if (depth === 0) {
    let memo = resolvedMemo.get(project);
    if (!memo) resolvedMemo.set(project, (memo = new Map()));
    const hit = memo.get(dotted);
    if (hit !== undefined) return hit;
    const r = resolveDefinitionUncached(project, dotted, 0);
    memo.set(dotted, r);
    return r;
  }
  return resolveDefinitionUncached(project, dotted, depth);
}

const resolvedMemo = new WeakMap<Project, Map<string, ResolvedDef | null>>();

/** The first segment of every module's name: a dotted name starting elsewhere (`self.x`, `request.GET.get`) names no project module. */
const packageHeads = weakMemo<Project, ReadonlySet<string>>();

function resolveDefinitionUncached(project: Project, dotted: string, depth: number): ResolvedDef | null {
  if (depth > 12) return null;
  const parts = dotted.split(".");
  for (let i = parts.length - 1; i >= 1; i--) {
    const mod = parts.slice(0, i).join(".");
    const file = project.pythonByModule.get(mod);
    if (!file) continue;
    const [name, ...rest] = parts.slice(i);
    const scope = scopeOf(project, file);
    const def = scope.defs.get(name!);
    if (def) {
      let node: A.FunctionDef | A.ClassDef = def;
      for (const r of rest) {
        if (node.kind !== "ClassDef") return null;
        const inner = node.body.find((s): s is A.FunctionDef | A.ClassDef => (s.kind === "FunctionDef" || s.kind === "ClassDef") && s.name === r);
        if (!inner) return null;
        node = inner;
      }
      return { file, node, qualname: flat(`${mod}.${[name, ...rest].join(".")}`) };
    }
    const imp = scope.imports.get(name!);
    if (imp) {
      return resolveDefinition(project, [imp.dotted, ...rest].join("."), depth + 1);
    }
    for (const star of scope.starImports) {
      const r = resolveDefinition(project, [star, name!, ...rest].join("."), depth + 1);
      if (r) return r;
    }
    return null;
  }
  return null;
}

/** Resolve an expression used in a module (a callee, a base class, a view reference) to a project definition. */
export function resolveExpr(project: Project, file: PythonFile, e: A.Expr): ResolvedDef | null {
  const q = qualifiedName(project, file, e);
  return q ? resolveDefinition(project, q) : null;
}

/** resolveDefinition for a check that can do without the answer: null where the lookup fails (an analysis cycle). */
export function tryResolveDefinition(project: Project, dotted: string): ResolvedDef | null {
  try {
    return resolveDefinition(project, dotted);
  } catch {
    return null;
  }
}

/** resolveExpr for a check that can do without the answer: null where the lookup fails (an analysis cycle). */
export function tryResolveExpr(project: Project, file: PythonFile, e: A.Expr): ResolvedDef | null {
  try {
    return resolveExpr(project, file, e);
  } catch {
    return null;
  }
}

const localsMemo = weakMemo<A.FunctionDef, ReadonlySet<string>>();

/**
 * The names a function binds in its own scope, as Python decides its local
 * variables: parameters, assignment, `for`, `with`, `except ... as`, `match` and
 * walrus targets, imports, nested def and class names; less those it declares
 * `global` or `nonlocal`. A nested function reading one of them reads this
 * function's variable (a closure).
 */
export function functionLocals(fn: A.FunctionDef): ReadonlySet<string> {
  return localsMemo(fn, () => {
    const out = new Set(fn.params.map((p) => p.name));
    const elsewhere: string[] = [];
    walkBody(fn.body, {
      stmt: (s) => {
        for (const t of bindingTargets(s)) for (const n of namesIn(t)) out.add(n);
        switch (s.kind) {
          case "FunctionDef": case "ClassDef": out.add(s.name); return false;
          case "Try": for (const h of s.handlers) if (h.name) out.add(h.name); break;
          case "Import": case "ImportFrom": for (const a of s.names) out.add(a.asname ?? a.name.split(".")[0]!); break;
          case "Global": case "Nonlocal": elsewhere.push(...s.names); break;
          case "Match": for (const c of s.cases) for (const n of namesIn(c.pattern)) out.add(n); break;
        }
        return undefined;
      },
      expr: (e) => {
        if (e.kind === "NamedExpr") out.add(e.target.id);
      },
    });
    for (const n of elsewhere) out.delete(n);
    return out;
  });
}

/** The names a binding target binds (`a`, `a, (b, *c)`). */
export function namesIn(e: A.Expr): string[] {
  const out: string[] = [];
  const visit = (x: A.Expr) => {
    if (x.kind === "Name") out.push(x.id);
    else if (x.kind === "Unknown") x.children.forEach(visit);
    else if (x.kind === "List" || x.kind === "Tuple") x.elts.forEach(visit);
    else if (x.kind === "Starred") visit(x.value);
  };
  visit(e);
  return out;
}
