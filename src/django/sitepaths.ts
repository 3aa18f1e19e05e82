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
import { defineAnalysis, type Project, type PythonFile } from "../project/project.js";
import * as A from "../python/ast.js";
import { qualifiedName } from "../python/scope.js";
import { bindingTargets, dottedName, leadingConst, returnsOf, walkBody } from "../python/walk.js";
import { classMro, methodsByNameAnalysis, mroMethods } from "./classes.js";

/** How a value starts, token by token (at most MAX_TOKENS): literal text, a module-level name, "site",
 *  "word" (identifier characters only: a class name, an id, a slug) or "unknown". */
type Token = { lit: string } | { sym: string } | "site" | "word" | "unknown";
type Start = readonly Token[];

const MAX_TOKENS = 3;
/** Alternatives kept per expression: past this the start is unknown. */
const MAX_STARTS = 8;
const UNKNOWN: Start[] = [["unknown"]];

/** A model's methods along its MRO, by name. */
type Methods = ReturnType<typeof mroMethods>;

interface Ctx {
  project: Project;
  /** a path that stays on this host (`"/" + x` may be `//evil.example`), not only one that runs no script */
  strict: boolean;
  methods: Methods | null;
  /** methods being followed, by name (a call back into one assumes what is being shown) */
  proving: Set<string>;
  depth: number;
}

/** Every return is a path of this site or an http(s) URL, or None (rendered as text, no URL scheme). */
function returnsSitePaths(project: Project, file: PythonFile, fn: A.FunctionDef, methods: Methods | null, strict: boolean): boolean {
  const returns = returnsOf(fn);
  if (!returns.some((r) => !isNone(r.value!))) return false;
  const scope = new FnScope({ project, strict, methods, proving: new Set([fn.name]), depth: 0 }, file, fn);
  return returns.every((r) => isNone(r.value!) || scope.startsOf(r.value!).every((st) => isSiteStart(st, strict)));
}

/** Text a site path or an http(s) URL starts with: no javascript: URL. */
const SITE_TEXT = /^(\/|https?:\/\/|[#?])/;
/** ... and one that fixes the host: a path whose second character is not another slash, or a fixed https://host/ (engine.ts formatted agrees). */
const OWN_HOST_TEXT = /^(https?:\/\/[^/?#%{]+[/?#]|\/[^/\\%{]|[?#])/;

function isSiteStart(s: Start, strict: boolean): boolean {
  const t = s[0];
  if (t === undefined || t === "unknown" || t === "word") return false;
  if (t === "site") return true;
  if ("lit" in t) {
    if (!strict) return SITE_TEXT.test(t.lit);
    // "/" then a class name or an id ("/{model}/{id}"): another slash cannot follow
    return OWN_HOST_TEXT.test(t.lit) || (t.lit === "/" && s[1] === "word");
  }
  // STATIC_URL and MEDIA_URL end with "/" (Django checks): a path of this site or a fixed host
  return /(^|\.)settings\.(STATIC_URL|MEDIA_URL)$/.test(t.sym);
}

/** Values made of identifier characters: a class's name, a row's id, a slug. */
function isWord(e: A.Expr): boolean {
  if (e.kind === "Attribute") return e.attr === "__name__" || e.attr === "id" || e.attr === "pk";
  if (e.kind !== "Call") return false;
  if (e.func.kind === "Attribute" && /^(lower|upper|title|casefold)$/.test(e.func.attr)) return isWord(e.func.value);
  return /(^|\.)slugify$/.test(dottedName(e.func) ?? "") || (e.func.kind === "Name" && (e.func.id === "str" || e.func.id === "int") && e.args[0] !== undefined && isWord(e.args[0]));
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
        // (`x += "/more"` keeps the start x had; a loop or `with` target is not read)
        if (s.kind === "AugAssign") return undefined;
        const value = s.kind === "Assign" || s.kind === "AnnAssign" ? s.value : null;
        for (const t of bindingTargets(s)) this.bind(t, value);
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
    // constant text first (`"/docs/{}".format(pk)`, `reverse(...)`, `"/a/" + x`)
    const text = leadingConst(e);
    if (text) return [[{ lit: text }]];
    if (isWord(e)) return [["word"]];
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

/** A class's methods along its MRO (null when its bases cannot be read). */
function methodsOf(project: Project, file: PythonFile, cls: A.ClassDef): Methods | null {
  try {
    return mroMethods(classMro(project, { file, node: cls, qualname: `${file.moduleName}.${cls.name}` }));
  } catch {
    return null;
  }
}

/** A model method or property whose every return starts with a path of this site or an
 *  http(s) URL (`"/docs/%d/" % self.pk`, `reverse(...)`): it cannot start a javascript: URL. */
export function sitePathMethod(project: Project, m: { name: string; node: A.ClassDef; file: PythonFile }, name: string): boolean {
  // the model's own method, or one it inherits from a project base or mixin (NetBox's docs_url): its MRO starts with itself
  const methods = methodsOf(project, m.file, m.node);
  const hit = methods?.get(name);
  const fn = hit ? hit.fn : m.node.body.find((s): s is A.FunctionDef => s.kind === "FunctionDef" && s.name === name);
  const file = hit?.owner.def?.file ?? m.file;
  return fn !== undefined && returnsSitePaths(project, file, fn, methods, false);
}

/** Answers of sitePathMethodAnywhere, by strictness and name (the data-flow engine asks at every f-string). */
const anywhereMemo = defineAnalysis("site-path-methods-answers", (): Map<string, boolean> => new Map());

/**
 * `{{ object.get_notes_url }}` on a row whose model is lost (a generic template): when every
 * project method of that name returns a site path (Nautobot's get_notes_url/get_changelog_url return
 * reverse(...) or None), so does this one. `strict`: a path that stays on this host, for redirects.
 */
export function sitePathMethodAnywhere(project: Project, name: string, strict = false): boolean {
  const memo = project.use(anywhereMemo);
  const key = `${strict ? 1 : 0}${name}`;
  let hit = memo.get(key);
  if (hit === undefined) {
    const defs = project.use(methodsByNameAnalysis).get(name);
    hit = defs !== undefined && defs.every((d) => returnsSitePaths(project, d.file, d.fn, methodsOf(project, d.file, d.cls), strict));
    memo.set(key, hit);
  }
  return hit;
}

/**
 * String attributes of classes nested in a project class (`class urls(EventUrls)` inside a
 * model: urlman, used by pretalx and pretix), by class name then attribute name. urlman
 * formats each string with the row (`"{self.event.urls.base}talk/{self.code}/"`) when read.
 */
const nestedTemplates = defineAnalysis("nested-url-templates", (project: Project): Map<string, Map<string, string[]>> => {
  const out = new Map<string, Map<string, string[]>>();
  for (const f of project.python) {
    if (!f.text.includes("urls")) continue;
    for (const outer of f.ast.body) {
      if (outer.kind !== "ClassDef") continue;
      for (const inner of outer.body) {
        if (inner.kind !== "ClassDef") continue;
        let attrs = out.get(inner.name);
        if (!attrs) out.set(inner.name, (attrs = new Map()));
        for (const st of inner.body) {
          if (st.kind !== "Assign") continue;
          const text = st.value.kind === "Constant" && typeof st.value.value === "string" ? st.value.value : null;
          for (const t of st.targets) {
            if (t.kind !== "Name") continue;
            const l = attrs.get(t.id) ?? [];
            // a value that is not one string: no template we can read
            l.push(text ?? "\u0000");
            attrs.set(t.id, l);
          }
        }
      }
    }
  }
  return out;
});

/**
 * The `class.attr` URL templates (nestedTemplates) that start with a path of this site
 * or an http(s) URL, directly or through a reference that does: `{base}` a sibling,
 * `{self.event.urls.base}` the `base` of a class named `urls`. Read by name across the
 * project, so references form cycles (Team's `orga_urls.base` names `orga_urls.teams`,
 * which names Organiser's `{base}`); the answer is the largest consistent one: every
 * template starts as a site path, and one that starts otherwise, or with a reference to
 * one that does, is dropped until nothing changes.
 */
const siteTemplates = defineAnalysis("nested-url-templates-site", (project: Project): Set<string> => {
  const defs = new Map<string, string[]>();
  for (const [cls, attrs] of project.use(nestedTemplates)) for (const [attr, texts] of attrs) defs.set(`${cls}.${attr}`, texts);
  const ok = new Set(defs.keys());
  const startsOnSite = (cls: string, text: string): boolean => {
    if (SITE_TEXT.test(text)) return true;
    const ref = /^\{([A-Za-z_][\w.]*)\}/.exec(text)?.[1];
    if (!ref) return false;
    const parts = ref.split(".");
    if (parts.length === 1) return ok.has(`${cls}.${parts[0]}`);
    return parts[0] === "self" && parts.length >= 3 && ok.has(`${parts[parts.length - 2]}.${parts[parts.length - 1]}`);
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const key of [...ok]) {
      const cls = key.slice(0, key.indexOf("."));
      if (!defs.get(key)!.every((text) => startsOnSite(cls, text))) {
        ok.delete(key);
        changed = true;
      }
    }
  }
  return ok;
});

/**
 * `{{ talk.urls.edit }}` (or `.full`, which puts the site's URL in front): every class named
 * `cls` nested in a project class that defines `attr` defines it as a template starting with
 * a path of this site or an http(s) URL (siteTemplates). Read by name, as for a row whose
 * model the template lost.
 */
export function nestedUrlTemplateAnywhere(project: Project, cls: string, attr: string): boolean {
  return project.use(siteTemplates).has(`${cls}.${attr}`);
}
