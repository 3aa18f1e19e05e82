// Whether a model method's return value is a link the site builds: a path of this
// site or an http(s) URL, which cannot start a javascript: URL in an href. Beyond
// a return that starts with a constant (`"/docs/%d/" % self.pk`, `reverse(...)`,
// walk.ts leadingConst), this follows what a reviewer reads in BookWyrm's
// `local_path`:
//
//     def get_remote_id(self):
//         base_path = BASE_URL
//         if hasattr(self, "user"):
//             base_path = f"{base_path}{self.user.local_path}"
//         return f"{base_path}/{model_name}/{self.id}"
//
//     @property
//     def local_path(self):
//         local = self.get_remote_id().replace(BASE_URL, "")
//         ...
//         return local
//
// the function's local variables (an assignment that extends the variable's own
// value, `x = f"{x}/s/{slug}"`, keeps its start), the model's own methods called
// on `self`, and a prefix stripped with `.replace(PREFIX, "")` or `.removeprefix()`
// from a value that starts with that same name. The same property read on a
// related row (`self.user.local_path`, inside local_path) is assumed to be what
// is being shown.
import type { Project, PythonFile } from "../project/project.js";
import * as A from "../python/ast.js";
import { qualifiedName } from "../python/scope.js";
import { dottedName, leadingConst, returnsOf, walkBody } from "../python/walk.js";

/** How a value starts, token by token (at most MAX_TOKENS): literal text, a module-level name, "site" or "unknown". */
type Token = { lit: string } | { sym: string } | "site" | "unknown";
type Start = readonly Token[];

const MAX_TOKENS = 3;
/** Alternatives kept per expression: past this the start is unknown. */
const MAX_STARTS = 8;
const UNKNOWN: Start[] = [["unknown"]];

/** A model's methods along its MRO, by name (classes.ts mroMethods). */
export type Methods = ReadonlyMap<string, { fn: A.FunctionDef; owner: { def: { file: PythonFile } | null } }>;

interface Ctx {
  project: Project;
  methods: Methods | null;
  /** methods being followed, by name (a call back into one assumes what is being shown) */
  proving: Set<string>;
  depth: number;
}

/** Every return is a path of this site or an http(s) URL, or None (rendered as text, no URL scheme). */
export function returnsSitePaths(project: Project, file: PythonFile, fn: A.FunctionDef, methods: Methods | null): boolean {
  return returnsSitePathsIn({ project, methods, proving: new Set([fn.name]), depth: 0 }, file, fn);
}

function returnsSitePathsIn(ctx: Ctx, file: PythonFile, fn: A.FunctionDef): boolean {
  const returns = returnsOf(fn);
  if (!returns.some((r) => !isNone(r.value!))) return false;
  const fnCtx = new FnScope(ctx, file, fn);
  return returns.every((r) => isNone(r.value!) || SITE_TEXT.test(leadingConst(r.value!) ?? "") || fnCtx.startsOf(r.value!).every(isSiteStart));
}

/** Text a site path or an http(s) URL starts with. */
const SITE_TEXT = /^(\/|https?:\/\/|[#?])/;

function isSiteStart(s: Start): boolean {
  const t = s[0];
  if (t === undefined || t === "unknown") return false;
  if (t === "site") return true;
  if ("lit" in t) return SITE_TEXT.test(t.lit);
  // STATIC_URL and MEDIA_URL end with "/" (Django checks): a path of this site or a fixed host
  return /(^|\.)settings\.(STATIC_URL|MEDIA_URL)$/.test(t.sym);
}

function isNone(e: A.Expr): boolean {
  return e.kind === "Constant" && e.value === null;
}

/** One function's local variables and parameters, for reading how its values start. */
class FnScope {
  private readonly locals = new Map<string, A.Expr[]>();
  /** bound in ways not read (a loop target, `with ... as x`) */
  private readonly unread = new Set<string>();
  private readonly params: ReadonlySet<string>;
  private readonly resolving = new Set<string>();

  constructor(private readonly ctx: Ctx, private readonly file: PythonFile, fn: A.FunctionDef) {
    this.params = new Set(fn.params.map((p) => p.name));
    walkBody(fn.body, {
      stmt: (s) => {
        if (s.kind === "FunctionDef" || s.kind === "ClassDef") return false;
        // (`x += "/more"` keeps the start x had)
        if (s.kind === "Assign") for (const t of s.targets) this.bind(t, s.value);
        else if (s.kind === "AnnAssign" && s.value) this.bind(s.target, s.value);
        else if (s.kind === "For") this.bind(s.target, null);
        else if (s.kind === "With") for (const i of s.items) if (i.target) this.bind(i.target, null);
        return undefined;
      },
    });
  }

  private bind(target: A.Expr, value: A.Expr | null): void {
    if (target.kind !== "Name") {
      if (target.kind === "Tuple" || target.kind === "List") for (const el of target.elts) this.bind(el, null);
      return;
    }
    if (!value) { this.unread.add(target.id); return; }
    const l = this.locals.get(target.id);
    if (l) l.push(value);
    else this.locals.set(target.id, [value]);
  }

  startsOf(e: A.Expr): Start[] {
    switch (e.kind) {
      case "Constant":
        return typeof e.value === "string" ? [e.value ? [{ lit: e.value }] : []] : UNKNOWN;
      case "JoinedStr":
        return this.concat(e.values.map((v) => (v.kind === "FormattedValue" ? this.startsOf(v.value) : this.startsOf(v))));
      case "BinOp":
        return e.op === "+" ? this.concat([this.startsOf(e.left), this.startsOf(e.right)]) : UNKNOWN;
      case "Name":
        return this.name(e.id);
      case "Attribute": {
        // `self.user.local_path` inside local_path: the same property of a related row
        if (this.ctx.proving.has(e.attr)) return [["site"]];
        const d = dottedName(e);
        return d && !d.startsWith("self.") && this.isModuleName(e) ? [[{ sym: qualifiedName(this.ctx.project, this.file, e) ?? d }]] : UNKNOWN;
      }
      case "Call":
        return this.call(e);
      default:
        return UNKNOWN;
    }
  }

  private name(id: string): Start[] {
    // `x = f"{x}/s/{slug}"`: an assignment extending the variable's own value keeps the start its other assignments give
    if (this.resolving.has(id)) return [];
    if (this.unread.has(id) || this.params.has(id)) return UNKNOWN;
    const values = this.locals.get(id);
    if (values) {
      this.resolving.add(id);
      try {
        return this.union(values.map((v) => this.startsOf(v)));
      } finally {
        this.resolving.delete(id);
      }
    }
    return [[{ sym: qualifiedName(this.ctx.project, this.file, new A.Name(id, 0, 0, 0, 0)) ?? id }]];
  }

  private call(e: A.Call): Start[] {
    const func = e.func;
    if (/(^|\.)(reverse|reverse_lazy|resolve_url|get_absolute_url)$/.test(dottedName(func) ?? "")) return [["site"]];
    if (func.kind !== "Attribute") return UNKNOWN;
    // `url.replace(BASE_URL, "")`, `url.removeprefix(BASE_URL)`: what follows the prefix where the value starts with it
    const stripped = func.attr === "removeprefix" || (func.attr === "replace" && e.args[1]?.kind === "Constant" && e.args[1].value === "");
    if (stripped && e.args[0]) {
      const prefix = this.startsOf(e.args[0]);
      const sym = prefix.length === 1 && prefix[0]!.length === 1 && typeof prefix[0]![0] === "object" && "sym" in prefix[0]![0] ? prefix[0]![0].sym : null;
      if (!sym) return UNKNOWN;
      return this.startsOf(func.value).map((s) => {
        const t = s[0];
        return typeof t === "object" && "sym" in t && t.sym === sym ? (s.length > 1 ? s.slice(1) : ["unknown"]) : s;
      });
    }
    // the model's own method: how its returns start
    if (func.value.kind === "Name" && func.value.id === "self" && e.args.length === 0 && this.ctx.methods) {
      const m = this.ctx.methods.get(func.attr);
      if (!m || !m.owner.def || this.ctx.depth >= 4 || this.ctx.proving.has(func.attr)) return UNKNOWN;
      const inner: Ctx = { ...this.ctx, proving: new Set([...this.ctx.proving, func.attr]), depth: this.ctx.depth + 1 };
      const returns = returnsOf(m.fn).filter((r) => !isNone(r.value!));
      if (!returns.length) return UNKNOWN;
      const scope = new FnScope(inner, m.owner.def.file, m.fn);
      return this.union(returns.map((r) => scope.startsOf(r.value!)));
    }
    return UNKNOWN;
  }

  /** A name bound at module level (a setting imported or defined there), not a local or an object's attribute. */
  private isModuleName(e: A.Attribute): boolean {
    let root: A.Expr = e;
    while (root.kind === "Attribute") root = root.value;
    return root.kind === "Name" && !this.locals.has(root.id) && !this.unread.has(root.id) && !this.params.has(root.id);
  }

  /** Every way a concatenation of parts can start, up to MAX_TOKENS tokens. */
  private concat(parts: Start[][]): Start[] {
    let acc: Start[] = [[]];
    for (const alts of parts) {
      if (acc.every((s) => s.length >= MAX_TOKENS)) break;
      const next: Start[] = [];
      for (const a of acc) {
        if (a.length >= MAX_TOKENS || a[a.length - 1] === "unknown") { next.push(a); continue; }
        for (const b of alts) next.push([...a, ...b].slice(0, MAX_TOKENS));
      }
      if (next.length > MAX_STARTS) return UNKNOWN;
      acc = next;
    }
    return acc;
  }

  private union(lists: Start[][]): Start[] {
    const out = lists.flat();
    return out.length > MAX_STARTS ? UNKNOWN : out;
  }
}
