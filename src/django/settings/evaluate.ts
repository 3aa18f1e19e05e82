// The static settings evaluator: executes the top level of settings modules over
// our AST, abstractly, never importing anything. It follows star imports between
// project modules (honouring `__all__`), overrides, `+=`, list mutations,
// comprehensions, conditionals (undecidable ones keep every branch as a choice),
// `try: from .local import * except ImportError`, Path/os.path arithmetic, string
// operations, and environment reads through os.environ, django-environ,
// python-decouple and environs, under one concrete environment.
import type { Project, PythonFile } from "../../project/project.js";
import type * as A from "../../python/ast.js";
import { resolveRelative } from "../../python/scope.js";
import { parseDotenv } from "./dotenv.js";
import {
  dictGet, itemsOf, pyEquals, show, truthy, unknown, withEnv,
  type DefVal, type EnvRead, type Site, type Val,
} from "./values.js";

/** One thing that happened to a name: where, and the code that did it. */
export interface Step {
  site: Site;
  action: "set" | "augment" | "append" | "insert" | "remove" | "extend" | "item" | "import" | "branch" | "delete" | "loop";
  /** the statement as written (first line, trimmed) */
  code: string;
  /** for "branch": the condition and whether it held */
  note?: string;
}

export interface Binding {
  value: Val;
  steps: Step[];
}

export type Namespace = Map<string, Binding>;

/** The environment the settings are evaluated under. */
/** Host names of the developer's own machine: production is not served from them. */
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "0.0.0.0", "::1"]);

export class EnvSource {
  private readonly vars = new Map<string, { value: string; source: string }>();
  constructor(entries: Iterable<[string, { value: string; source: string }]> = []) {
    for (const [k, v] of entries) this.vars.set(k, v);
  }
  get(name: string): { value: string; source: string } | undefined {
    return this.vars.get(name);
  }
  has(name: string): boolean {
    return this.vars.has(name);
  }
  setdefault(name: string, value: string, source: string): void {
    if (!this.vars.has(name)) this.vars.set(name, { value, source });
  }
  set(name: string, value: string, source: string): void {
    this.vars.set(name, { value, source });
  }
}

/** Libraries we model ourselves; a project module with one of these names is a test stand-in, not settings. */
const MODELLED_LIBS = new Set(["environ", "decouple", "environs", "os", "pathlib", "sys", "dj_database_url", "django"]);

const BUILTINS = new Set(["bool", "int", "str", "float", "list", "tuple", "dict", "set", "len", "print", "open", "Exception", "ImportError", "ModuleNotFoundError", "KeyError", "ValueError"]);

class PyImportError extends Error {}

/** The `why` of a choice option in which the name is not assigned at all (Django's default applies). */
export const UNSET = "not set on this branch";

interface Frame {
  file: PythonFile;
  ns: Namespace;
  /** inside a project function we are evaluating (return/raise end it) */
  inFunction?: boolean;
  /** environment reads the function's decided conditions depended on */
  deps?: EnvRead[];
}

/** `return` inside an evaluated project function. */
class ReturnSignal {
  constructor(readonly value: Val) {}
}
/** `raise` inside an evaluated project function: the call has no value. */
class RaiseSignal {}

export class SettingsEvaluator {
  private readonly modules = new Map<string, Namespace>();
  private readonly loading = new Set<string>();
  /** files django-environ's read_env loaded, for notes */
  readonly dotenvLoaded: string[] = [];

  constructor(
    readonly project: Project,
    readonly env: EnvSource,
  ) {}

  /** Evaluate a project module (once) and return its namespace, or null when it is not in the project. */
  module(name: string): Namespace | null {
    const done = this.modules.get(name);
    if (done) return done;
    const file = this.project.pythonByModule.get(name);
    if (!file) return null;
    const ns: Namespace = new Map();
    this.modules.set(name, ns);
    this.loading.add(name);
    try {
      this.execBody({ file, ns }, file.ast.body);
    } catch (e) {
      if (!(e instanceof PyImportError)) throw e;
      this.project.note({ path: file.path, kind: "info", message: `settings evaluation stopped early: ${e.message}` });
    } finally {
      this.loading.delete(name);
    }
    return ns;
  }

  // ---------- statements ----------

  private execBody(f: Frame, body: readonly A.Stmt[]): void {
    for (const s of body) this.exec(f, s);
  }

  private exec(f: Frame, s: A.Stmt): void {
    switch (s.kind) {
      case "Assign": {
        const value = this.eval(f, s.value);
        for (const t of s.targets) this.assign(f, t, value, s, "set");
        return;
      }
      case "AnnAssign":
        if (s.value) this.assign(f, s.target, this.eval(f, s.value), s, "set");
        return;
      case "AugAssign": {
        const cur = this.eval(f, s.target);
        const rhs = this.eval(f, s.value);
        this.assign(f, s.target, this.binop(s.op.replace("=", ""), cur, rhs, this.site(f, s)), s, "augment");
        return;
      }
      case "Expr":
        this.execExprStmt(f, s);
        return;
      case "Import":
        for (const a of s.names) {
          const bound = a.asname ?? a.name.split(".")[0]!;
          const target = a.asname ? a.name : a.name.split(".")[0]!;
          this.checkImportable(f, a.name, 0, s);
          this.bind(f, bound, { t: "ext", q: target, at: this.site(f, s) }, s, "import");
        }
        return;
      case "ImportFrom":
        this.importFrom(f, s);
        return;
      case "If": {
        const test = this.eval(f, s.test);
        const t = truthy(test);
        const cond = this.code(f, s.test);
        if (t !== null) {
          if (f.deps) for (const r of test.env ?? []) f.deps.push(r);
          const before = new Map(f.ns);
          this.execBody(f, t ? s.body : s.orelse);
          this.noteBranch(f, before, s, `${cond} is ${t ? "true" : "false"}`);
          this.envOnlySettings(f, test, t ? s.orelse : s.body, s, cond);
          return;
        }
        // Inside a function, an undecidable branch leaves the result unknown.
        if (f.inFunction) throw new RaiseSignal();
        const base = new Map(f.ns);
        const yes: Frame = { file: f.file, ns: new Map(base) };
        const no: Frame = { file: f.file, ns: new Map(base) };
        const run = (fr: Frame, body: A.Stmt[]): boolean => {
          try {
            this.execBody(fr, body);
            return true;
          } catch (e) {
            if (e instanceof PyImportError) return false;
            throw e;
          }
        };
        const yesOk = run(yes, s.body);
        const noOk = run(no, s.orelse);
        // A branch that imports a module the project does not have cannot be the one production takes.
        if (!yesOk || !noOk) {
          if (!yesOk && !noOk) throw new PyImportError(`both branches of ${cond} import missing modules`);
          for (const [k, v] of (yesOk ? yes : no).ns) f.ns.set(k, v);
          return;
        }
        for (const name of new Set([...yes.ns.keys(), ...no.ns.keys()])) {
          const a = yes.ns.get(name), b = no.ns.get(name);
          if (a === b) { if (a) f.ns.set(name, a); continue; }
          const options: { when: string; value: Val }[] = [];
          options.push({ when: `if ${cond}`, value: a ? a.value : unknown(UNSET) });
          options.push({ when: `if not (${cond})`, value: b ? b.value : unknown(UNSET) });
          const steps = [...(a?.steps ?? []), ...(b?.steps ?? []).filter((x) => !(a?.steps ?? []).includes(x))];
          steps.push({ site: this.site(f, s), action: "branch", code: this.firstLine(f, s), note: `depends on ${cond}, which cannot be decided statically` });
          f.ns.set(name, { value: { t: "choice", options, at: this.site(f, s) }, steps });
        }
        return;
      }
      case "Try": {
        const before = new Map(f.ns);
        let failed = false;
        try {
          this.execBody(f, s.body);
        } catch (e) {
          if (!(e instanceof PyImportError)) throw e;
          failed = true;
          const handler = s.handlers.find((h) => !h.type || /ImportError|ModuleNotFoundError|Exception/.test(this.code(f, h.type)));
          if (!handler) throw e;
          this.execBody(f, handler.body);
        }
        if (!failed) this.execBody(f, s.orelse);
        this.execBody(f, s.finalbody);
        void before;
        return;
      }
      case "With":
        this.execBody(f, s.body);
        return;
      case "For": {
        const items = itemsOf(this.eval(f, s.iter));
        if (!items || items.length > 100) return;
        for (const it of items) {
          this.assign(f, s.target, it, s, "loop");
          this.execBody(f, s.body);
        }
        return;
      }
      case "FunctionDef": case "ClassDef":
        this.bind(f, s.name, { t: "def", name: `${f.file.moduleName}.${s.name}`, node: s, module: f.file.moduleName, at: this.site(f, s) }, s, "set");
        return;
      case "Delete":
        for (const t of s.targets) if (t.kind === "Name") f.ns.delete(t.id);
        return;
      case "Raise":
        // Inside an evaluated function, a raise means the call has no value; at module level we go on.
        if (f.inFunction) throw new RaiseSignal();
        return;
      case "Return":
        if (f.inFunction) throw new ReturnSignal(s.value ? this.eval(f, s.value) : { t: "none", at: this.site(f, s) });
        return;
      default:
        return;
    }
  }

  /**
   * `if "SECRET_KEY" in os.environ: SECRET_KEY = os.environ["SECRET_KEY"]`: decided with the
   * environment unset, the branch is not taken, yet production sets the variable. A setting
   * that only the untaken branch assigns, and nothing before it, is set from the environment:
   * unknown, as `os.environ["X"]` without a default is, not unset (which read as "SECRET_KEY
   * is not set: Django refuses to start" on Baserow). A setting with a value before keeps it.
   */
  private envOnlySettings(f: Frame, test: Val, untaken: A.Stmt[], s: A.If, cond: string): void {
    if (f.inFunction) return;
    const unsetReads = (test.env ?? []).filter((r) => !r.set);
    if (!unsetReads.length) return;
    // Only a test of whether the variable is there: `"X" in os.environ`, or a read without a default
    // (`os.getenv("X")`, None when unset). A default the project chose (`env.bool("DEBUG", True)`)
    // is what runs without the variable, and the settings read with it stand (djangoguard's model).
    let t = s.test;
    while (t.kind === "UnaryOp" && t.op === "not") t = t.operand;
    const presence = t.kind === "Compare" && t.ops.every((op) => op === "in" || op === "not in");
    if (!presence && this.eval(f, t).t !== "none") return;
    const at = this.site(f, s);
    for (const st of untaken) {
      const targets = st.kind === "Assign" ? st.targets : st.kind === "AnnAssign" && st.value ? [st.target] : [];
      for (const t of targets) {
        if (t.kind !== "Name" || f.ns.has(t.id)) continue;
        const value: Val = { t: "unknown", why: `set only when ${cond}: from the environment production runs with`, at, env: unsetReads };
        f.ns.set(t.id, { value, steps: [{ site: at, action: "branch", code: this.firstLine(f, s), note: `${cond} depends on the environment` }] });
      }
    }
  }

  private noteBranch(f: Frame, before: Namespace, s: A.If, why: string): void {
    for (const [name, b] of f.ns) {
      if (before.get(name) === b) continue;
      const step: Step = { site: this.site(f, s), action: "branch", code: this.firstLine(f, s), note: why };
      f.ns.set(name, { value: b.value, steps: [...b.steps, step] });
    }
  }

  private execExprStmt(f: Frame, s: A.ExprStmt): void {
    const e = s.value;
    if (e.kind !== "Call" || e.func.kind !== "Attribute") {
      this.eval(f, e);
      return;
    }
    const method = e.func.attr;
    const owner = e.func.value;
    if (!f.inFunction && this.exportsClassSettings(f, e)) return;
    const mutators = ["append", "insert", "remove", "extend"];
    if (mutators.includes(method) && (owner.kind === "Name" || owner.kind === "Subscript")) {
      const cur = this.eval(f, owner);
      const args = e.args.map((a) => this.eval(f, a));
      // a list that differs by an undecidable condition (Baserow appends hosts under `if HOSTNAME:`
      // twice) is mutated on each branch
      const mutate = (cur: Val): Val => {
        if (cur.t === "choice") return { ...cur, options: cur.options.map((o) => ({ ...o, value: mutate(o.value) })) };
        const items = itemsOf(cur);
        if (!items || cur.t === "tuple") return unknown(`${method} on a value we could not follow`, this.site(f, s));
        if (method === "append" && args[0]) return withEnv({ ...cur, items: [...items, args[0]] } as Val, args[0]);
        if (method === "extend" && args[0]) {
          const more = itemsOf(args[0]);
          return more ? withEnv({ ...cur, items: [...items, ...more] } as Val, args[0]) : unknown("extended with an unknown sequence", this.site(f, s));
        }
        if (method === "insert" && args[0] && args[1]) {
          const idx = args[0].t === "num" ? args[0].v : null;
          if (idx === null) return unknown("inserted at an unknown position", this.site(f, s));
          const copy = [...items];
          const at = idx < 0 ? Math.max(0, copy.length + idx) : Math.min(idx, copy.length);
          copy.splice(at, 0, args[1]);
          return withEnv({ ...cur, items: copy } as Val, args[1]);
        }
        if (method === "remove" && args[0]) {
          const i = items.findIndex((x) => pyEquals(x, args[0]!) === true);
          if (i === -1) return items.some((x) => pyEquals(x, args[0]!) === null) ? unknown("removed an item we could not compare", this.site(f, s)) : cur;
          return { ...cur, items: items.filter((_, j) => j !== i) } as Val;
        }
        return unknown(`${method}() with arguments we could not follow`, this.site(f, s));
      };
      const next = mutate(cur);
      this.assign(f, owner, next, s, method as Step["action"]);
      return;
    }
    if (method === "update" && owner.kind === "Name") {
      const cur = this.eval(f, owner);
      const arg = e.args[0] ? this.eval(f, e.args[0]) : undefined;
      if (cur.t === "dict" && arg?.t === "dict") this.assign(f, owner, withEnv({ ...cur, entries: [...cur.entries, ...arg.entries] }, arg), s, "item");
      else if (cur.t === "dict") this.assign(f, owner, unknown("updated with unknown entries", this.site(f, s)), s, "item");
      return;
    }
    this.eval(f, e);
  }

  private importFrom(f: Frame, s: A.ImportFrom): void {
    const mod = resolveRelative(f.file.moduleName, f.file.isPackage, s.level, s.module);
    const projectNs = this.projectModule(mod);
    if (projectNs === null) this.checkImportable(f, mod, s.level, s);
    for (const a of s.names) {
      if (a.name === "*") {
        if (!projectNs) continue;
        const all = projectNs.get("__all__");
        const allowed = all ? itemsOf(all.value)?.flatMap((i) => (i.t === "str" ? [i.v] : [])) : null;
        for (const [name, b] of projectNs) {
          if (allowed ? !allowed.includes(name) : name.startsWith("_")) continue;
          f.ns.set(name, b);
        }
        continue;
      }
      const local = a.asname ?? a.name;
      if (projectNs) {
        const b = projectNs.get(a.name);
        if (b) { f.ns.set(local, b); continue; }
        if (this.project.pythonByModule.has(`${mod}.${a.name}`)) {
          this.bind(f, local, { t: "ext", q: `${mod}.${a.name}`, at: this.site(f, s) }, s, "import");
          continue;
        }
        this.bind(f, local, unknown(`${a.name} is not defined in ${mod}`, this.site(f, s)), s, "import");
        continue;
      }
      this.bind(f, local, { t: "ext", q: `${mod}.${a.name}`, at: this.site(f, s) }, s, "import");
    }
  }

  /** The namespace of a project module we evaluate (not a stand-in for a modelled library). */
  private projectModule(mod: string): Namespace | null {
    if (MODELLED_LIBS.has(mod.split(".")[0]!)) return null;
    if (!this.project.pythonByModule.has(mod)) return null;
    if (this.loading.has(mod)) return this.modules.get(mod) ?? null;
    return this.module(mod);
  }

  /** Relative imports and imports inside the project's own packages fail when the module is not there. */
  private checkImportable(f: Frame, mod: string, level: number, s: A.Stmt): void {
    if (this.project.pythonByModule.has(mod) || MODELLED_LIBS.has(mod.split(".")[0]!)) return;
    const top = mod.split(".")[0]!;
    // by the files' own names: a second name (a script dir's `celery.py` climbed to `celery`) is a guess, not a package
    const ownPackage = this.project.python.some((p) => p.moduleName === top || p.moduleName.startsWith(`${top}.`));
    if (level > 0 || ownPackage) throw new PyImportError(`${this.code(f, s)} at ${f.file.path}:${s.line}: no module ${mod} in the project`);
  }

  private bind(f: Frame, name: string, value: Val, s: A.Stmt, action: Step["action"]): void {
    const prev = f.ns.get(name);
    const step: Step = { site: this.site(f, s), action, code: this.firstLine(f, s) };
    const steps = action === "set" || action === "import" || !prev ? [step] : [...prev.steps, step];
    f.ns.set(name, { value, steps });
  }

  private assign(f: Frame, target: A.Expr, value: Val, s: A.Stmt, action: Step["action"]): void {
    if (target.kind === "Name") return this.bind(f, target.id, value, s, action);
    if (target.kind === "Tuple" || target.kind === "List") {
      const items = itemsOf(value);
      target.elts.forEach((t, i) => this.assign(f, t, items && items.length === target.elts.length ? items[i]! : unknown("unpacked from an unknown value"), s, action));
      return;
    }
    if (target.kind === "Subscript") {
      // NAME[k1][k2] = v: rebuild the nested containers.
      const keys: A.Expr[] = [];
      let cur: A.Expr = target;
      while (cur.kind === "Subscript") { keys.unshift(cur.slice); cur = cur.value; }
      if (cur.kind !== "Name") return;
      const root = f.ns.get(cur.id);
      if (!root) return;
      const keyVals = keys.map((k) => this.eval(f, k));
      const updated = setIn(root.value, keyVals, value, this.site(f, s));
      const step: Step = { site: this.site(f, s), action: action === "set" ? "item" : action, code: this.firstLine(f, s) };
      f.ns.set(cur.id, { value: updated, steps: [...root.steps, step] });
    }
  }

  // ---------- expressions ----------

  eval(f: Frame, e: A.Expr): Val {
    const at = this.site(f, e);
    switch (e.kind) {
      case "Constant":
        switch (e.type) {
          case "str": case "bytes": return { t: "str", v: String(e.value), at };
          case "int": case "float": return { t: "num", v: Number(e.value), at };
          case "bool": return { t: "bool", v: e.value === true, at };
          case "None": return { t: "none", at };
          default: return unknown(`${e.type} literal`, at);
        }
      case "Name": {
        const b = f.ns.get(e.id);
        if (b) return b.value;
        if (e.id === "__file__") return { t: "path", v: `/${f.file.path}`, at };
        if (e.id === "__name__") return { t: "str", v: f.file.moduleName, at };
        if (e.id === "True" || e.id === "False") return { t: "bool", v: e.id === "True", at };
        if (e.id === "None") return { t: "none", at };
        if (BUILTINS.has(e.id)) return { t: "ext", q: `builtins.${e.id}`, at };
        return unknown(`${e.id} is not defined here`, at);
      }
      case "JoinedStr": {
        let s = "";
        const parts: Val[] = [];
        for (const p of e.values) {
          const v = p.kind === "FormattedValue" ? this.eval(f, p.value) : this.eval(f, p);
          parts.push(v);
          const str = strOf(v);
          if (str === null) return withEnv(unknown("f-string with unknown parts", at), ...parts);
          s += str;
        }
        return withEnv({ t: "str", v: s, at }, ...parts);
      }
      case "List": case "Tuple": case "Set": {
        const items: Val[] = [];
        for (const x of e.elts) {
          if (x.kind === "Starred") {
            const inner = itemsOf(this.eval(f, x.value));
            if (!inner) return unknown("unpacks an unknown sequence", at);
            items.push(...inner);
          } else items.push(this.eval(f, x));
        }
        return { t: e.kind === "List" ? "list" : e.kind === "Tuple" ? "tuple" : "set", items, at };
      }
      case "Dict": {
        const entries: [Val, Val][] = [];
        e.keys.forEach((k, i) => {
          const v = this.eval(f, e.values[i]!);
          if (k === null) {
            if (v.t === "dict") entries.push(...v.entries);
            else entries.push([unknown("** of an unknown mapping"), v]);
          } else entries.push([this.eval(f, k), v]);
        });
        return { t: "dict", entries, at };
      }
      case "BinOp": {
        const l = this.eval(f, e.left), r = this.eval(f, e.right);
        return this.binop(e.op, l, r, at);
      }
      case "BoolOp": {
        let last: Val = unknown("empty boolean expression", at);
        const seen: Val[] = [];
        for (const x of e.values) {
          last = this.eval(f, x);
          seen.push(last);
          const t = truthy(last);
          if (t === null) return withEnv(unknown(`${this.code(f, x)} has an unknown truth value`, at), ...seen);
          if (e.op === "and" ? !t : t) return withEnv(last, ...seen);
        }
        return withEnv(last, ...seen);
      }
      case "UnaryOp": {
        const v = this.eval(f, e.operand);
        if (e.op === "not") {
          const t = truthy(v);
          return withEnv(t === null ? unknown(`not of an unknown value`, at) : { t: "bool", v: !t, at }, v);
        }
        if (e.op === "-" && v.t === "num") return withEnv({ t: "num", v: -v.v, at }, v);
        if (e.op === "+" && v.t === "num") return v;
        return withEnv(unknown(`${e.op} of ${v.t}`, at), v);
      }
      case "Compare": return this.compare(f, e);
      case "IfExp": {
        const test = this.eval(f, e.test);
        const t = truthy(test);
        if (t === true) return withEnv(this.eval(f, e.body), test);
        if (t === false) return withEnv(this.eval(f, e.orelse), test);
        const cond = this.code(f, e.test);
        return withEnv({ t: "choice", options: [{ when: `if ${cond}`, value: this.eval(f, e.body) }, { when: `if not (${cond})`, value: this.eval(f, e.orelse) }], at }, test);
      }
      case "Attribute": return this.attribute(f, this.eval(f, e.value), e.attr, at);
      case "Subscript": {
        const base = this.eval(f, e.value);
        if (base.t === "ext" && base.q === "os.environ") {
          const key = this.eval(f, e.slice);
          if (key.t !== "str") return unknown("os.environ[...] with an unknown key", at);
          return this.envRead(f, e, key.v, "os.environ", undefined, null);
        }
        const key = this.eval(f, e.slice);
        return withEnv(subscript(base, key, at), base, key);
      }
      case "Call": return this.call(f, e);
      case "ListComp": return this.comprehension(f, e);
      case "NamedExpr": {
        const v = this.eval(f, e.value);
        f.ns.set(e.target.id, { value: v, steps: [] });
        return v;
      }
      default:
        return unknown(`${e.kind} expressions are not evaluated`, at);
    }
  }

  private comprehension(f: Frame, e: A.ListComp): Val {
    const at = this.site(f, e);
    if (e.kind !== "ListComp" || e.generators.length !== 1) return unknown("comprehension", at);
    const g = e.generators[0]!;
    const src = this.eval(f, g.iter);
    const items = itemsOf(src);
    if (!items || g.target.kind !== "Name") return withEnv(unknown("comprehension over an unknown sequence", at), src);
    const out: Val[] = [];
    const inner: Frame = { file: f.file, ns: new Map(f.ns) };
    for (const it of items) {
      inner.ns.set(g.target.id, { value: it, steps: [] });
      let keep = true;
      for (const cond of g.ifs) {
        const t = truthy(this.eval(inner, cond));
        if (t === null) return withEnv(unknown("comprehension filter with an unknown outcome", at), src);
        if (!t) { keep = false; break; }
      }
      if (keep) out.push(this.eval(inner, e.elt));
    }
    return withEnv({ t: "list", items: out, at }, src);
  }

  private compare(f: Frame, e: A.Compare): Val {
    const at = this.site(f, e);
    let left = this.eval(f, e.left);
    const seen: Val[] = [left];
    for (let i = 0; i < e.ops.length; i++) {
      const op = e.ops[i]!;
      const rightExpr = e.comparators[i]!;
      const right = this.eval(f, rightExpr);
      // `"X" in os.environ`, or in a django-environ/environs Env (which looks in os.environ): is X set
      const envVia = right.t === "ext" && right.q === "os.environ" ? "os.environ" : right.t === "envobj" ? right.lib : null;
      if ((op === "in" || op === "not in") && envVia && left.t === "str") {
        const present = this.env.has(left.v);
        const read: EnvRead = { variable: left.v, via: envVia, set: present, defaulted: !present, missing: false, code: this.code(f, e), site: at, ...(present ? { source: this.env.get(left.v)!.source } : {}) };
        const r: Val = { t: "bool", v: op === "in" ? present : !present, at, env: [read] };
        if (i === e.ops.length - 1) return withEnv(r, ...seen);
        continue;
      }
      seen.push(right);
      // `DOMAIN == "localhost"` on a value we cannot read (an environment variable without a default):
      // production is not served from the developer's machine (BookWyrm turns secure cookies off for localhost)
      if (e.ops.length === 1 && (op === "==" || op === "!=")) {
        const local = (v: Val) => v.t === "str" && LOCAL_HOSTS.has(v.v);
        if ((local(right) && left.t !== "str") || (local(left) && right.t !== "str")) return withEnv({ t: "bool", v: op === "!=", at }, ...seen);
      }
      // `"test" in sys.argv`: production settings are those of the web server, which runs no management command
      if (e.ops.length === 1 && (op === "in" || op === "not in") && right.t === "ext" && right.q === "sys.argv" && left.t === "str") {
        return { t: "bool", v: op !== "in", at };
      }
      let res: boolean | null;
      switch (op) {
        case "==": res = pyEquals(left, right); break;
        case "!=": { const q = pyEquals(left, right); res = q === null ? null : !q; break; }
        case "is": case "is not": {
          const same = left.t === "none" || right.t === "none" || left.t === "bool" || right.t === "bool" ? (left.t === right.t && (left.t === "none" || pyEquals(left, right) === true)) : null;
          const known = left.t !== "unknown" && right.t !== "unknown" && left.t !== "choice" && right.t !== "choice";
          res = !known ? null : same === null ? null : op === "is" ? same : !same;
          break;
        }
        case "in": case "not in": {
          const r = contains(right, left);
          res = r === null ? null : op === "in" ? r : !r;
          break;
        }
        case "<": case "<=": case ">": case ">=": {
          if (left.t === "num" && right.t === "num") res = op === "<" ? left.v < right.v : op === "<=" ? left.v <= right.v : op === ">" ? left.v > right.v : left.v >= right.v;
          else res = null;
          break;
        }
        default: res = null;
      }
      if (res === null) return withEnv(unknown(`${this.code(f, e)} cannot be decided`, at), ...seen);
      if (!res) return withEnv({ t: "bool", v: false, at }, ...seen);
      left = right;
    }
    return withEnv({ t: "bool", v: true, at }, ...seen);
  }

  binop(op: string, l: Val, r: Val, at: Site): Val {
    const res = ((): Val => {
      if (op === "+") {
        if (l.t === "str" && r.t === "str") return { t: "str", v: l.v + r.v };
        if (l.t === "num" && r.t === "num") return { t: "num", v: l.v + r.v };
        if ((l.t === "list" && r.t === "list") || (l.t === "tuple" && r.t === "tuple")) return { t: l.t, items: [...l.items, ...r.items] };
        if (l.t === "list" && (r.t === "tuple" || r.t === "set")) return { t: "list", items: [...l.items, ...r.items] }; // only valid for +=
      }
      if (op === "|" && l.t === "dict" && r.t === "dict") return { t: "dict", entries: [...l.entries, ...r.entries] };
      if (op === "-" && l.t === "num" && r.t === "num") return { t: "num", v: l.v - r.v };
      if (op === "-" && l.t === "path" && r.t === "num") return { t: "path", v: parentN(l.v, r.v) }; // environ.Path(__file__) - 2
      if (op === "*" && l.t === "num" && r.t === "num") return { t: "num", v: l.v * r.v };
      if (op === "*" && l.t === "str" && r.t === "num" && r.v >= 0 && r.v < 10000) return { t: "str", v: l.v.repeat(r.v) };
      if (op === "/" && l.t === "path" && (r.t === "str" || r.t === "path")) return { t: "path", v: joinPath(l.v, r.v) };
      if (op === "/" && l.t === "num" && r.t === "num" && r.v !== 0) return { t: "num", v: l.v / r.v };
      if (op === "//" && l.t === "num" && r.t === "num" && r.v !== 0) return { t: "num", v: Math.floor(l.v / r.v) };
      if (op === "%" && l.t === "str") {
        const args = itemsOf(r) ?? [r];
        let i = 0, ok = true;
        const out = l.v.replace(/%[sdr]/g, () => { const s = strOf(args[i++]!); if (s === null) ok = false; return s ?? ""; });
        if (ok && i === args.length) return { t: "str", v: out };
      }
      return unknown(`${show(l, 20)} ${op} ${show(r, 20)}`);
    })();
    return withEnv({ ...res, at } as Val, l, r);
  }

  private attribute(f: Frame, base: Val, attr: string, at: Site): Val {
    switch (base.t) {
      case "obj":
        return this.classAttr(base.cls, attr, base, at)?.value ?? unknown(`${base.cls.name} has no attribute ${attr} we could read`, at);
      case "def":
        if (base.node?.kind === "ClassDef") return this.classAttr(base, attr, null, at)?.value ?? unknown(`${base.name}.${attr} is not defined`, at);
        return { t: "method", self: base, name: attr, at };
      case "ext": {
        const q = `${base.q}.${attr}`;
        const ns = this.projectModule(base.q);
        if (ns) return ns.get(attr)?.value ?? unknown(`${q} is not defined`, at);
        return { t: "ext", q, at };
      }
      case "path":
        if (attr === "parent") return withEnv({ t: "path", v: parentN(base.v, 1), at }, base);
        if (attr === "name") return withEnv({ t: "str", v: base.v.split("/").pop() ?? "", at }, base);
        return { t: "method", self: base, name: attr, at };
      case "unknown":
        return base;
      default:
        return { t: "method", self: base, name: attr, at };
    }
  }

  private call(f: Frame, e: A.Call): Val {
    const at = this.site(f, e);
    const fn = this.eval(f, e.func);
    const args = () => e.args.map((a) => this.eval(f, a));
    const kw = (name: string) => {
      const k = e.keywords.find((x) => x.arg === name);
      return k ? this.eval(f, k.value) : undefined;
    };
    if (fn.t === "ext") {
      switch (fn.q) {
        case "split_settings.tools.include":
          this.splitInclude(f, e, at);
          return { t: "none", at };
        case "split_settings.tools.optional": {
          const [name] = args();
          return name ?? unknown("optional() of nothing", at);
        }
        case "os.environ.get": case "os.getenv": {
          const key = e.args[0] ? this.eval(f, e.args[0]) : undefined;
          if (key?.t !== "str") return unknown("environment read with an unknown name", at);
          const dflt = e.args[1] ? this.eval(f, e.args[1]) : kw("default") ?? { t: "none", at } as Val;
          return this.envRead(f, e, key.v, "os.environ", dflt, null);
        }
        case "os.environ.setdefault": {
          const [key, val] = args();
          if (key?.t === "str" && val?.t === "str") this.env.setdefault(key.v, val.v, `${f.file.path}:${e.line}`);
          return key?.t === "str" ? this.envRead(f, e, key.v, "os.environ", val, null) : unknown("setdefault", at);
        }
        case "os.path.join": {
          const a = args();
          const strs = a.map((x) => (x.t === "path" || x.t === "str" ? x.v : null));
          if (strs.includes(null)) return withEnv(unknown("os.path.join of unknown parts", at), ...a);
          return withEnv({ t: "path", v: (strs as string[]).reduce((acc, s) => joinPath(acc, s)), at }, ...a);
        }
        case "os.path.dirname": {
          const [p] = args();
          return p && (p.t === "path" || p.t === "str") ? withEnv({ t: "path", v: parentN(p.v, 1), at }, p) : unknown("dirname of an unknown path", at);
        }
        case "os.path.abspath": case "os.path.realpath": case "os.path.normpath": {
          const [p] = args();
          return p && (p.t === "path" || p.t === "str") ? withEnv({ t: "path", v: normPath(p.v), at }, p) : unknown("path of an unknown value", at);
        }
        case "os.path.exists": case "os.path.isfile": case "os.path.isdir": {
          const [p] = args();
          return p && (p.t === "path" || p.t === "str") && p.v.startsWith("/") ? withEnv({ t: "bool", v: this.pathExists(p.v, fn.q.endsWith("isdir") ? "is_dir" : fn.q.endsWith("isfile") ? "is_file" : "exists"), at }, p) : unknown("exists() of an unknown path", at);
        }
        case "os.path.basename": {
          const [p] = args();
          return p && (p.t === "path" || p.t === "str") ? withEnv({ t: "str", v: p.v.split("/").pop() ?? "", at }, p) : unknown("basename", at);
        }
        case "pathlib.Path": case "pathlib.PurePath": case "pathlib.PosixPath": case "environ.Path": {
          const a = args();
          if (a.length === 0) return { t: "path", v: "/", at };
          const strs = a.map((x) => (x.t === "path" || x.t === "str" ? x.v : null));
          if (strs.includes(null)) return withEnv(unknown("Path of unknown parts", at), ...a);
          return withEnv({ t: "path", v: (strs as string[]).reduce((acc, s) => joinPath(acc, s)), at }, ...a);
        }
        case "builtins.bool": { const [v] = args(); const t = v ? truthy(v) : false; return withEnv(t === null ? unknown("bool() of an unknown value", at) : { t: "bool", v: t, at }, v); }
        case "builtins.int": case "builtins.float": {
          const [v] = args();
          if (!v) return { t: "num", v: 0, at };
          if (v.t === "num") return v;
          if (v.t === "bool") return withEnv({ t: "num", v: v.v ? 1 : 0, at }, v);
          if (v.t === "str" && /^\s*[-+]?\d+(\.\d*)?\s*$/.test(v.v)) return withEnv({ t: "num", v: Number(v.v), at }, v);
          return withEnv(unknown(`${fn.q.slice(9)}() of ${show(v, 20)}`, at), v);
        }
        case "builtins.str": {
          const [v] = args();
          const s = v ? strOf(v) : "";
          return withEnv(s === null ? unknown("str() of an unknown value", at) : { t: "str", v: s, at }, v);
        }
        case "builtins.list": case "builtins.tuple": case "builtins.set": {
          const [v] = args();
          if (!v) return { t: fn.q.slice(9) as "list", items: [], at };
          if (v.t === "str") return withEnv({ t: fn.q.slice(9) as "list", items: [...v.v].map((c) => ({ t: "str", v: c }) as Val), at }, v);
          const items = itemsOf(v);
          return items ? withEnv({ t: fn.q.slice(9) as "list", items, at }, v) : withEnv(unknown("sequence of unknown items", at), v);
        }
        case "builtins.dict": {
          const entries: [Val, Val][] = e.keywords.filter((k) => k.arg).map((k) => [{ t: "str", v: k.arg! }, this.eval(f, k.value)]);
          if (e.args.length) return unknown("dict() of a positional argument", at);
          return { t: "dict", entries, at };
        }
        case "builtins.len": { const [v] = args(); const items = v ? itemsOf(v) : null; return items ? { t: "num", v: items.length, at } : v?.t === "str" ? { t: "num", v: v.v.length, at } : unknown("len of an unknown value", at); }
        // FileAwareEnv also reads NAME_FILE (a mounted secret's path) when it is set: the same schemes and defaults otherwise
        case "environ.Env": case "environ.environ.Env": case "environ.FileAwareEnv": case "environ.environ.FileAwareEnv": {
          const schemes = new Map<string, { cast: Val; default?: Val }>();
          for (const k of e.keywords) {
            if (!k.arg) continue;
            const v = this.eval(f, k.value);
            const items = itemsOf(v);
            if (v.t === "tuple" && items && items.length >= 1) schemes.set(k.arg, { cast: items[0]!, ...(items.length >= 2 ? { default: items[1]! } : {}) });
            else schemes.set(k.arg, { cast: v });
          }
          return { t: "envobj", lib: "django-environ", schemes, at };
        }
        case "environs.Env": return { t: "envobj", lib: "environs", schemes: new Map(), at };
        case "environ.Env.read_env": case "environ.environ.Env.read_env": case "environ.FileAwareEnv.read_env": this.readEnv(f, e); return { t: "none", at };
        case "datetime.timedelta": {
          // timedelta(days, seconds, microseconds, milliseconds, minutes, hours, weeks) → seconds
          const units: [string, number][] = [["days", 86400], ["seconds", 1], ["microseconds", 1e-6], ["milliseconds", 1e-3], ["minutes", 60], ["hours", 3600], ["weeks", 604800]];
          let total = 0;
          const parts: Val[] = [];
          const addPart = (v: Val | undefined, mult: number): boolean => {
            if (!v) return true;
            parts.push(v);
            if (v.t !== "num") return false;
            total += v.v * mult;
            return true;
          };
          let ok = e.args.every((a, i) => addPart(this.eval(f, a), units[i]?.[1] ?? NaN));
          for (const [name, mult] of units) ok = addPart(kw(name), mult) && ok;
          return withEnv(ok && Number.isFinite(total) ? { t: "num", v: total, at } : unknown("timedelta of unknown parts", at), ...parts);
        }
        case "dj_database_url.config": case "dj_database_url.parse": {
          // config(env="DATABASE_URL", default=...) reads the environment; parse(url) takes the URL itself.
          if (fn.q.endsWith(".parse")) {
            const [u] = args();
            return u?.t === "str" ? withEnv({ ...databaseUrl(u.v), at } as Val, u) : unknown("parse() of an unknown URL", at);
          }
          const name = kw("env");
          const variable = name?.t === "str" ? name.v : "DATABASE_URL";
          const dflt = kw("default");
          const v = this.envRead(f, e, variable, "dj-database-url", dflt, null);
          return v.t === "str" ? { ...databaseUrl(v.v), at, ...(v.env ? { env: v.env } : {}) } as Val : v;
        }
        case "decouple.config": return this.decouple(f, e);
        case "decouple.AutoConfig": case "decouple.Config": return { t: "ext", q: "decouple.config", at };
        case "decouple.Csv": return { t: "ext", q: "decouple.Csv()", at, ...(e.keywords.length || e.args.length ? { env: [] } : {}) };
        case "decouple.Choices": return { t: "ext", q: "decouple.Choices()", at };
      }
      return unknown(`call to ${fn.q}() is not evaluated`, at);
    }
    if (fn.t === "envobj") return this.envLib(f, e, fn, "__call__");
    if (fn.t === "method") return this.method(f, e, fn.self, fn.name, at);
    if (fn.t === "def") return this.callDef(f, e, fn, at);
    // django-environ: `root = environ.Path(__file__) - 3; root("templates")` joins (pathlib's Path is not callable)
    if (fn.t === "path") {
      const a = args();
      const strs = a.map((x) => (x.t === "path" || x.t === "str" ? x.v : null));
      if (!strs.includes(null)) return withEnv({ t: "path", v: (strs as string[]).reduce((acc, s) => joinPath(acc, s), fn.v), at }, fn, ...a);
    }
    return withEnv(unknown(`call of ${show(fn, 30)}`, at), fn);
  }

  /**
   * django-split-settings' `include("base.py", optional("local.py"), "components/*.py")`:
   * each file, relative to the including one (globs sorted, as the library does),
   * runs in the including module's namespace, in order. A file that is not in the
   * project is skipped, as `optional()` and a missing glob match are by the library;
   * a name we cannot work out leaves a note.
   */
  private splitInclude(f: Frame, e: A.Call, at: Site): void {
    const names: Val[] = [];
    for (const a of e.args) {
      if (a.kind === "Starred") {
        const items = itemsOf(this.eval(f, a.value));
        if (items) names.push(...items);
        else names.push(unknown("an include() list we could not follow", at));
      } else names.push(this.eval(f, a));
    }
    const dir = f.file.path.includes("/") ? f.file.path.slice(0, f.file.path.lastIndexOf("/") + 1) : "";
    for (const n of names) {
      if (n.t !== "str") {
        this.project.note({ path: f.file.path, line: e.line, kind: "info", message: "settings evaluation: split_settings include() names a file we could not work out; the settings it holds are not evaluated" });
        continue;
      }
      const pattern = normPath(dir + n.v).slice(1); // project paths have no leading "/"
      const glob = /[*?[]/.test(pattern) ? new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}$`) : null;
      const files = glob ? this.project.python.filter((p) => glob.test(p.path)).sort((a, b) => (a.path < b.path ? -1 : 1)) : this.project.python.filter((p) => p.path === pattern);
      for (const target of files) {
        if (this.loading.has(target.path)) continue;
        this.loading.add(target.path);
        try {
          this.execBody({ file: target, ns: f.ns }, target.ast.body);
        } finally {
          this.loading.delete(target.path);
        }
      }
    }
  }

  // ---------- class-based settings ----------
  // Settings written as class attributes and properties, exported to the module
  // by a class method given the module's name (Read the Docs' `Settings.load_settings(__name__)`,
  // which copies every upper-case attribute, properties evaluated on an instance).

  /** `SomeSettings.load_settings(__name__)`: a project class's upper-case attributes become the module's settings. */
  private exportsClassSettings(f: Frame, e: A.Call): boolean {
    if (e.func.kind !== "Attribute" || e.args.length !== 1 || e.keywords.length) return false;
    const arg = this.eval(f, e.args[0]!);
    if (arg.t !== "str" || arg.v !== f.file.moduleName) return false;
    const cls = this.eval(f, e.func.value);
    if (cls.t !== "def" || cls.node?.kind !== "ClassDef") return false;
    this.exportClass(f.ns, cls, this.site(f, e));
    return true;
  }

  /**
   * django-configurations: the settings module defines `Configuration` subclasses and
   * `DJANGO_CONFIGURATION` names the one that runs; its upper-case attributes are the
   * settings. Nothing happens when `name` is not such a class of the module.
   */
  exportConfiguration(moduleName: string, name: string): void {
    const ns = this.modules.get(moduleName);
    const cls = ns?.get(name)?.value;
    if (!ns || cls?.t !== "def" || cls.node?.kind !== "ClassDef") return;
    const isConfiguration = this.classMro(cls).some((c) => (c.node as A.ClassDef).bases.some((b) => {
      const base = this.eval(this.homeOf(c)!, b);
      return base.t === "ext" && /^configurations\.(base\.)?Configuration$/.test(base.q);
    }));
    if (isConfiguration) this.exportClass(ns, cls, cls.at ?? { path: "", line: 1, col: 1, endLine: 1, endCol: 1 });
  }

  /** A class's upper-case attributes (its own and its bases', properties evaluated on an instance) set in `ns`. */
  private exportClass(ns: Namespace, cls: DefVal, at: Site): void {
    const self: Val = { t: "obj", cls };
    const names = new Set<string>();
    for (const c of this.classMro(cls)) for (const n of this.ownAttrs(c).keys()) if (/^[A-Z][A-Z0-9_]*$/.test(n)) names.add(n);
    // each setting keeps its own history (the class attribute or property that makes it), so findings point there
    for (const n of names) {
      const b = this.classAttr(cls, n, self, at);
      if (b) ns.set(n, b);
    }
  }

  /**
   * django-configurations' `values.BooleanValue(True)` assigned to `DEBUG`: the
   * environment's `DJANGO_DEBUG` (or `environ_name`, `environ_prefix`), parsed for
   * the value's type, else the default; `SecretValue()` has none. Null when the
   * call is not one of those values.
   */
  private configurationValue(f: Frame, name: string, e: A.Expr): Val | null {
    if (e.kind !== "Call") return null;
    const fn = this.eval(f, e.func);
    const kind = fn.t === "ext" ? /^configurations\.values\.(\w+)$/.exec(fn.q)?.[1] : undefined;
    if (!kind) return null;
    const at = this.site(f, e);
    const kw = (n: string) => { const k = e.keywords.find((x) => x.arg === n); return k ? this.eval(f, k.value) : undefined; };
    const dflt = e.args[0] ? this.eval(f, e.args[0]) : kw("default");
    if (kw("environ") && truthy(kw("environ")!) === false) return dflt ?? unknown(`${name} has no default`, at);
    const envName = kw("environ_name");
    const prefix = kw("environ_prefix");
    const pre = prefix?.t === "str" ? prefix.v : prefix?.t === "none" ? "" : "DJANGO";
    const variable = envName?.t === "str" ? envName.v : pre ? `${pre}_${name}` : name;
    const cast = /^(Boolean)Value$/.test(kind) ? "bool" : /^(Integer|PositiveInteger|Float|Decimal)Value$/.test(kind) ? "int"
      : /^(List|Tuple|Set)Value$/.test(kind) ? (kind === "TupleValue" ? "tuple" : "list") : /^DatabaseURLValue$/.test(kind) ? "db" : "str";
    const got = this.env.get(variable);
    const secret = kind === "SecretValue";
    const read: EnvRead = {
      variable, via: "django-configurations", set: !!got, defaulted: !got && !secret && dflt !== undefined, missing: !got && (secret || dflt === undefined),
      code: this.code(f, e), site: at, ...(got ? { source: got.source } : {}),
    };
    // DatabaseURLValue gives DATABASES itself: {"default": <the parsed URL>}
    const asDatabases = (v: Val): Val => (cast === "db" ? { t: "dict", entries: [[{ t: "str", v: "default" }, v]], at } : v);
    if (got) return { ...asDatabases(parseEnvString(got.value, cast, "django-configurations")), at, env: [read] } as Val;
    if (secret || !dflt) return { t: "unknown", why: `${variable} is not set and ${name} has no default (ImproperlyConfigured at startup)`, at, env: [read] };
    return withEnv({ ...asDatabases(cast === "db" && dflt.t === "str" ? databaseUrl(dflt.v) : dflt), at: dflt.at ?? at, env: [read] } as Val, dflt);
  }

  /** The module a project class is defined in, as a frame over its namespace (null when that module was never evaluated). */
  private homeOf(cls: DefVal): Frame | null {
    const file = cls.module ? this.project.pythonByModule.get(cls.module) : undefined;
    const ns = cls.module ? this.modules.get(cls.module) : undefined;
    return file && ns ? { file, ns } : null;
  }

  private readonly ownAttrsMemo = new Map<A.ClassDef, Map<string, Binding & { property?: A.FunctionDef }>>();

  /** What a class body assigns (its own attributes, not its bases'), and which of its methods are properties. */
  private ownAttrs(cls: DefVal): Map<string, Binding & { property?: A.FunctionDef }> {
    const node = cls.node as A.ClassDef;
    const memo = this.ownAttrsMemo.get(node);
    if (memo) return memo;
    const out = new Map<string, Binding & { property?: A.FunctionDef }>();
    this.ownAttrsMemo.set(node, out);
    const home = this.homeOf(cls);
    if (!home) return out;
    const moduleNs = home.ns;
    // A class body sees the module's names and its own earlier assignments (not its bases').
    const frame: Frame = { file: home.file, ns: new Map(moduleNs) };
    try {
      this.execBody(frame, node.body);
    } catch (e) {
      if (!(e instanceof PyImportError)) throw e;
    }
    for (const [k, b] of frame.ns) if (moduleNs.get(k) !== b) out.set(k, b);
    // django-configurations values read the environment under the attribute's own name
    for (const st of node.body) {
      if (st.kind !== "Assign" || st.targets.length !== 1 || st.targets[0]!.kind !== "Name") continue;
      const name = st.targets[0]!.id;
      const v = this.configurationValue(frame, name, st.value);
      if (v && out.has(name)) out.set(name, { value: v, steps: out.get(name)!.steps });
    }
    for (const st of node.body) {
      if (st.kind === "FunctionDef" && st.decorators.some((d) => /(^|\.)(property|cached_property)$/.test(this.code(frame, d)))) {
        out.set(st.name, { value: unknown(`property ${st.name}`, this.site(frame, st)), steps: [{ site: this.site(frame, st), action: "set", code: this.firstLine(frame, st) }], property: st });
      }
    }
    return out;
  }

  /** The class, then its project bases depth-first, each once (C3 agrees on the single-inheritance chains settings use). */
  private classMro(cls: DefVal, seen = new Set<A.ClassDef>()): DefVal[] {
    const node = cls.node as A.ClassDef;
    if (seen.has(node) || seen.size > 30) return [];
    seen.add(node);
    const out = [cls];
    const home = this.homeOf(cls);
    if (!home) return out;
    for (const b of node.bases) {
      const base = this.eval(home, b);
      if (base.t === "def" && base.node?.kind === "ClassDef") out.push(...this.classMro(base, seen));
    }
    return out;
  }

  private readonly propertiesInProgress = new Set<string>();

  /** An attribute along the class's MRO; a property is evaluated on `self` (null when read on the class). */
  private classAttr(cls: DefVal, attr: string, self: Val | null, at: Site): Binding | null {
    for (const c of this.classMro(cls)) {
      const b = this.ownAttrs(c).get(attr);
      if (!b) continue;
      if (!b.property) return b;
      if (!self) return { value: unknown(`${attr} is a property`, at), steps: b.steps };
      const value = this.property(c, b.property, self, at);
      // the property's history is the expression it returned, where one is known (`return ["*"]`)
      const site = value.t !== "unknown" && value.at?.path === b.steps[0]?.site.path ? value.at : null;
      return { value, steps: site ? [{ site, action: "set", code: stripComment((this.project.lines(site.path)[site.line - 1] ?? "").trim()) }] : b.steps };
    }
    return null;
  }

  private property(owner: DefVal, fn: A.FunctionDef, self: Val, at: Site): Val {
    const key = `${owner.name}.${fn.name}`;
    const home = this.homeOf(owner);
    if (!home || this.propertiesInProgress.has(key) || this.callDepth >= 4 || fn.params.length !== 1) return unknown(`property ${fn.name} could not be evaluated`, at);
    const frame: Frame = { file: home.file, ns: new Map(home.ns), inFunction: true, deps: [] };
    frame.ns.set(fn.params[0]!.name, { value: self, steps: [] });
    this.propertiesInProgress.add(key);
    try {
      return this.runFunction(frame, fn.body, this.site(frame, fn), at, `property ${fn.name}`, "raises or depends on something we cannot decide", (v) =>
        frame.deps!.length ? withEnv(v, { t: "none", env: frame.deps! }) : v);
    } finally {
      this.propertiesInProgress.delete(key);
    }
  }

  private callDepth = 0;

  /**
   * Run a project function's body in its frame (properties and small helpers): what
   * it returns, through `returned`; None when it ends without a return (`end`); unknown
   * when it raises, cannot be decided or imports a missing module.
   */
  private runFunction(frame: Frame, body: A.Stmt[], end: Site, at: Site, what: string, raises: string, returned: (v: Val) => Val): Val {
    this.callDepth++;
    try {
      this.execBody(frame, body);
      return { t: "none", at: end };
    } catch (x) {
      if (x instanceof ReturnSignal) return returned(x.value);
      if (x instanceof RaiseSignal) return unknown(`${what} ${raises}`, at);
      if (x instanceof PyImportError) return unknown(`${what} imports a missing module`, at);
      throw x;
    } finally {
      this.callDepth--;
    }
  }

  /** Evaluate a small project function (settings helpers like `envbool("DEBUG", "True")`) with its arguments bound. */
  private callDef(f: Frame, e: A.Call, fn: DefVal, at: Site): Val {
    const node = fn.node;
    if (node?.kind === "ClassDef") return { t: "obj", cls: fn, at };
    const file = fn.module ? this.project.pythonByModule.get(fn.module) : undefined;
    if (!node || !file || node.isAsync || this.callDepth >= 4 || node.body.length > 40) return unknown(`${fn.name}() is a project function we do not evaluate`, at);
    const defNs = fn.module === f.file.moduleName ? f.ns : this.modules.get(fn.module!) ?? f.ns;
    const frame: Frame = { file, ns: new Map(defNs), inFunction: true, deps: [] };
    const args = e.args.map((a) => (a.kind === "Starred" ? null : this.eval(f, a)));
    if (args.includes(null) || e.keywords.some((k) => k.arg === null)) return unknown(`${fn.name}() called with * or ** arguments`, at);
    let i = 0;
    for (const p of node.params) {
      if (p.star) return unknown(`${fn.name}() takes *args/**kwargs`, at);
      const kw = e.keywords.find((k) => k.arg === p.name);
      const v = !p.keywordOnly && i < args.length ? args[i++]! : kw ? this.eval(f, kw.value) : p.default ? this.eval({ file, ns: defNs }, p.default) : null;
      if (!v) return unknown(`${fn.name}() is missing argument ${p.name}`, at);
      frame.ns.set(p.name, { value: v, steps: [] });
    }
    return this.runFunction(frame, node.body, at, at, `${fn.name}()`, "raises or cannot be decided for these arguments", (v) => {
      // Environment reads inside the helper are reported as the call that made them.
      const call = this.code(f, e);
      const reads = [...(v.env ?? []), ...frame.deps!.filter((r) => !(v.env ?? []).includes(r))];
      const env = reads.length ? reads.map((r) => ({ ...r, code: `${call} → ${r.code}`, site: at })) : undefined;
      return { ...v, at, ...(env ? { env } : {}) } as Val;
    });
  }

  private method(f: Frame, e: A.Call, self: Val, name: string, at: Site): Val {
    if (self.t === "envobj") {
      if (name === "read_env") { this.readEnv(f, e); return { t: "none", at }; }
      return this.envLib(f, e, self, name);
    }
    const args = e.args.map((a) => this.eval(f, a));
    const r = ((): Val => {
      if (self.t === "str") {
        const s = self.v;
        switch (name) {
          case "lower": return { t: "str", v: s.toLowerCase() };
          case "upper": return { t: "str", v: s.toUpperCase() };
          case "strip": return { t: "str", v: s.trim() };
          case "lstrip": return { t: "str", v: s.trimStart() };
          case "rstrip": return { t: "str", v: s.trimEnd() };
          case "title": return { t: "str", v: s.replace(/\w\S*/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()) };
          case "capitalize": return { t: "str", v: s ? s[0]!.toUpperCase() + s.slice(1).toLowerCase() : s };
          case "startswith": case "endswith": {
            const a = args[0];
            const opts = a?.t === "str" ? [a.v] : itemsOf(a)?.flatMap((x) => (x.t === "str" ? [x.v] : [])) ?? null;
            if (!opts) break;
            return { t: "bool", v: opts.some((o) => (name === "startswith" ? s.startsWith(o) : s.endsWith(o))) };
          }
          case "split": {
            const sep = args[0];
            if (!sep || sep.t === "none") return { t: "list", items: s.split(/\s+/).filter(Boolean).map((x) => ({ t: "str", v: x }) as Val) };
            if (sep.t === "str") return { t: "list", items: s.split(sep.v).map((x) => ({ t: "str", v: x }) as Val) };
            break;
          }
          case "replace": if (args[0]?.t === "str" && args[1]?.t === "str") return { t: "str", v: s.split(args[0].v).join(args[1].v) }; break;
          case "join": {
            const items = itemsOf(args[0]);
            if (items && items.every((i) => i.t === "str")) return { t: "str", v: items.map((i) => (i as { v: string }).v).join(s) };
            break;
          }
          case "isdigit": return { t: "bool", v: /^\d+$/.test(s) };
          case "format": break;
        }
      }
      if (self.t === "path") {
        switch (name) {
          case "resolve": case "absolute": case "expanduser": return { t: "path", v: normPath(self.v) };
          case "joinpath": {
            const parts = args.map((x) => (x.t === "str" || x.t === "path" ? x.v : null));
            if (!parts.includes(null)) return { t: "path", v: (parts as string[]).reduce((acc, p) => joinPath(acc, p), self.v) };
            break;
          }
          case "__str__": return { t: "str", v: self.v };
          case "exists": case "is_file": case "is_dir": return { t: "bool", v: this.pathExists(self.v, name) };
        }
      }
      if (self.t === "dict" && name === "get" && args[0]) {
        const k = args[0];
        if (k.t === "str") return dictGet(self, k.v) ?? args[1] ?? { t: "none" };
      }
      if ((self.t === "list" || self.t === "tuple") && name === "index" && args[0]) {
        const i = self.items.findIndex((x) => pyEquals(x, args[0]!) === true);
        if (i >= 0) return { t: "num", v: i };
      }
      if (self.t === "dict" && name === "copy") return self;
      if (self.t === "list" && name === "copy") return self;
      return unknown(`.${name}() on ${self.t}`);
    })();
    return withEnv({ ...r, at } as Val, self, ...args);
  }

  // ---------- environment reads ----------

  private envRead(f: Frame, e: A.Expr, variable: string, via: string, dflt: Val | undefined, _cast: null): Val {
    const at = this.site(f, e);
    const got = this.env.get(variable);
    const read: EnvRead = {
      variable, via, set: !!got, defaulted: !got && dflt !== undefined, missing: !got && dflt === undefined,
      code: this.code(f, e), site: at, ...(got ? { source: got.source } : {}),
    };
    if (got) return { t: "str", v: got.value, at, env: [read] };
    if (dflt) return withEnv({ ...dflt, at: dflt.at ?? at, env: [read] } as Val, dflt);
    return { t: "unknown", why: `${variable} is not set and has no default (KeyError at startup)`, at, env: [read] };
  }

  /** django-environ and environs helpers: env("X"), env.bool("X", default=...), env.list(...). */
  private envLib(f: Frame, e: A.Call, obj: Extract<Val, { t: "envobj" }>, method: string): Val {
    const at = this.site(f, e);
    const key = e.args[0] ? this.eval(f, e.args[0]) : e.keywords.find((k) => k.arg === "var") ? this.eval(f, e.keywords.find((k) => k.arg === "var")!.value) : undefined;
    if (key?.t !== "str") return unknown("environment read with an unknown name", at);
    const kw = (n: string) => { const k = e.keywords.find((x) => x.arg === n); return k ? this.eval(f, k.value) : undefined; };
    let cast: Val | string | undefined;
    let dflt: Val | undefined;
    if (method === "__call__") {
      cast = obj.lib === "django-environ" ? (e.args[1] ? this.eval(f, e.args[1]) : kw("cast")) : undefined;
      dflt = obj.lib === "django-environ" ? (e.args[2] ? this.eval(f, e.args[2]) : kw("default")) : (e.args[1] ? this.eval(f, e.args[1]) : kw("default"));
    } else {
      cast = method;
      // django-environ's list/tuple/dict take `cast` second; the other helpers take `default` second.
      const castSecond = obj.lib === "django-environ" && ["list", "tuple", "dict"].includes(method);
      const pos = castSecond ? e.args[2] : e.args[1];
      dflt = pos ? this.eval(f, pos) : kw("default");
    }
    const scheme = obj.schemes.get(key.v);
    if (scheme) {
      if (cast === undefined || (typeof cast !== "string" && cast.t === "none")) cast = scheme.cast;
      if (dflt === undefined && scheme.default) dflt = scheme.default;
    }
    const via = obj.lib;
    const got = this.env.get(key.v);
    const read: EnvRead = {
      variable: key.v, via, set: !!got, defaulted: !got && dflt !== undefined, missing: !got && dflt === undefined,
      code: this.code(f, e), site: at, ...(got ? { source: got.source } : {}),
    };
    if (!got) {
      if (!dflt) return { t: "unknown", why: `${key.v} is not set and has no default (ImproperlyConfigured at startup)`, at, env: [read] };
      // django-environ returns a default unparsed (parse_default=False), except that db()/db_url() parse URL defaults.
      if ((method === "db" || method === "db_url") && dflt.t === "str") return { ...databaseUrl(dflt.v), at, env: [read] } as Val;
      return withEnv({ ...dflt, at: dflt.at ?? at, env: [read] } as Val, dflt);
    }
    const castName = typeof cast === "string" ? cast : cast?.t === "ext" ? cast.q.replace(/^builtins\./, "") : cast === undefined ? "str" : "?";
    return { ...parseEnvString(got.value, castName, via), at, env: [read] } as Val;
  }

  /** python-decouple: config("X", default=..., cast=bool|int|Csv()). The cast applies to defaults too. */
  private decouple(f: Frame, e: A.Call): Val {
    const at = this.site(f, e);
    const key = e.args[0] ? this.eval(f, e.args[0]) : undefined;
    if (key?.t !== "str") return unknown("config() with an unknown name", at);
    const kw = (n: string) => { const k = e.keywords.find((x) => x.arg === n); return k ? this.eval(f, k.value) : undefined; };
    const dflt = e.args[1] ? this.eval(f, e.args[1]) : kw("default");
    const cast = e.args[2] ? this.eval(f, e.args[2]) : kw("cast");
    const got = this.env.get(key.v);
    const read: EnvRead = {
      variable: key.v, via: "python-decouple", set: !!got, defaulted: !got && dflt !== undefined, missing: !got && dflt === undefined,
      code: this.code(f, e), site: at, ...(got ? { source: got.source } : {}),
    };
    let raw: Val;
    if (got) raw = { t: "str", v: got.value };
    else if (dflt) raw = dflt;
    else return { t: "unknown", why: `${key.v} not found and no default (UndefinedValueError at startup)`, at, env: [read] };
    const castName = !cast ? "none" : cast.t === "ext" ? cast.q.replace(/^builtins\./, "") : "?";
    let out: Val;
    if (castName === "none") out = raw;
    else if (castName === "bool") {
      const s = strOf(raw);
      const table: Record<string, boolean> = { "1": true, yes: true, true: true, on: true, "0": false, no: false, false: false, off: false, "": false };
      out = s !== null && s.toLowerCase() in table ? { t: "bool", v: table[s.toLowerCase()]! } : unknown(`config(${key.v}) cannot be cast to bool (ValueError at startup)`);
    } else if (castName === "decouple.Csv()") {
      const s = strOf(raw);
      out = s === null ? unknown("Csv() of an unknown value") : { t: "list", items: s.split(",").map((x) => x.trim()).filter((x) => x.length > 0).map((x) => ({ t: "str", v: x }) as Val) };
    } else if (castName === "int" || castName === "float") {
      const s = strOf(raw);
      out = s !== null && /^\s*[-+]?\d+(\.\d*)?\s*$/.test(s) ? { t: "num", v: Number(s) } : raw.t === "num" ? raw : unknown(`config(${key.v}) cast to ${castName}`);
    } else if (castName === "str") {
      const s = strOf(raw);
      out = s === null ? unknown("str cast of an unknown value") : { t: "str", v: s };
    } else out = unknown(`config(${key.v}) with a cast we do not model`);
    return { ...out, at, env: [read] } as Val;
  }

  private readEnv(f: Frame, e: A.Call): void {
    // django-environ/environs read_env(path=None): without a path, the .env next to the calling module.
    let target: string | null = null;
    const arg = e.args[0] ?? e.keywords.find((k) => k.arg === "env_file" || k.arg === "path")?.value;
    if (arg) {
      const v = this.eval(f, arg);
      if (v.t === "path" || v.t === "str") target = normPath(v.v).replace(/^\//, "");
    } else {
      const dir = f.file.path.includes("/") ? f.file.path.slice(0, f.file.path.lastIndexOf("/")) : "";
      target = dir ? `${dir}/.env` : ".env";
    }
    if (!target) return;
    const file = this.project.byPath.get(target);
    if (!file) return;
    this.dotenvLoaded.push(target);
    for (const entry of parseDotenv(file.text)) this.env.setdefault(entry.key, entry.value, `${target}:${entry.line} (read_env)`);
  }

  // ---------- helpers ----------

  /** Whether a path (absolute as if the project root were "/") exists in the scanned tree. */
  private pathExists(p: string, how: string): boolean {
    const rel = normPath(p).replace(/^\//, "");
    const isFile = this.project.byPath.has(rel);
    const isDir = !isFile && this.project.files.some((x) => x.path.startsWith(`${rel}/`));
    return how === "is_file" ? isFile : how === "is_dir" ? isDir : isFile || isDir;
  }

  site(f: Frame, n: A.Span): Site {
    return { path: f.file.path, line: n.line, col: n.col, endLine: n.endLine, endCol: n.endCol };
  }

  /** The exact source text of a node. */
  code(f: Frame, n: A.Span): string {
    const lines = this.project.lines(f.file.path);
    if (n.line === n.endLine) return (lines[n.line - 1] ?? "").slice(n.col - 1, n.endCol - 1);
    const parts = [(lines[n.line - 1] ?? "").slice(n.col - 1), ...lines.slice(n.line, n.endLine - 1), (lines[n.endLine - 1] ?? "").slice(0, n.endCol - 1)];
    return parts.map((p) => p.trim()).join(" ");
  }

  firstLine(f: Frame, n: A.Span): string {
    return stripComment((this.project.lines(f.file.path)[n.line - 1] ?? "").trim());
  }
}

/** A line without its trailing `# comment` (a `#` inside a string literal stays). */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) { if (c === "\\") i++; else if (c === quote) quote = null; }
    else if (c === '"' || c === "'") quote = c;
    else if (c === "#") return line.slice(0, i).trimEnd();
  }
  return line;
}

/** A value as Python's str() would print it, for known scalars. */
export function strOf(v: Val): string | null {
  switch (v.t) {
    case "str": case "path": return v.v;
    case "num": return String(v.v);
    case "bool": return v.v ? "True" : "False";
    case "none": return "None";
    default: return null;
  }
}

function contains(container: Val, item: Val): boolean | null {
  if (container.t === "str" && item.t === "str") return container.v.includes(item.v);
  if (container.t === "dict") {
    let unsure = false;
    for (const [k] of container.entries) { const e = pyEquals(k, item); if (e === true) return true; if (e === null) unsure = true; }
    return unsure ? null : false;
  }
  const items = itemsOf(container);
  if (!items) return null;
  let unsure = false;
  for (const x of items) { const e = pyEquals(x, item); if (e === true) return true; if (e === null) unsure = true; }
  return unsure ? null : false;
}

function subscript(base: Val, key: Val, at: Site): Val {
  if (base.t === "dict" && key.t === "str") return dictGet(base, key.v) ?? unknown(`no key ${key.v}`, at);
  const items = itemsOf(base);
  if (items && key.t === "num") {
    const i = key.v < 0 ? items.length + key.v : key.v;
    return items[i] ?? unknown("index out of range", at);
  }
  if (base.t === "str" && key.t === "num") return { t: "str", v: base.v.at(key.v) ?? "", at };
  return unknown("subscript of an unknown value", at);
}

function setIn(root: Val, keys: Val[], value: Val, at: Site): Val {
  if (keys.length === 0) return value;
  // a value that depends on a condition: the assignment happens to each possibility
  if (root.t === "choice") return { ...root, options: root.options.map((o) => ({ ...o, value: setIn(o.value, keys, value, at) })) };
  const [k, ...rest] = keys;
  if (root.t === "dict" && k!.t === "str") {
    const cur = dictGet(root, k!.v);
    const next = setIn(cur ?? { t: "dict", entries: [] }, rest, value, at);
    const entries = root.entries.filter(([x]) => !(x.t === "str" && x.v === (k as { v: string }).v));
    return withEnv({ ...root, entries: [...entries, [k!, next]] }, value);
  }
  const items = itemsOf(root);
  if (items && (root.t === "list") && k!.t === "num") {
    const i = k!.v < 0 ? items.length + k!.v : k!.v;
    if (i < 0 || i >= items.length) return unknown("assignment out of range", at);
    const copy = [...items];
    copy[i] = setIn(copy[i]!, rest, value, at);
    return withEnv({ ...root, items: copy }, value);
  }
  return unknown("item assignment into an unknown value", at);
}

function normPath(p: string): string {
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (!part || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}

function joinPath(a: string, b: string): string {
  if (b.startsWith("/")) return normPath(b);
  return normPath(`${a}/${b}`);
}

function parentN(p: string, n: number): string {
  let cur = normPath(p);
  for (let i = 0; i < n; i++) cur = cur.slice(0, cur.lastIndexOf("/")) || "/";
  return cur;
}

/** A database URL (dj-database-url, django-environ's db()) as a DATABASES entry. */
function databaseUrl(url: string): Val {
  const m = /^([a-z0-9+]+):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^:/?]*)(?::(\d+))?(?:\/([^?]*))?/i.exec(url);
  if (!m) return unknown("not a database URL");
  const scheme = m[1]!.toLowerCase();
  const engines: Record<string, string> = {
    postgres: "django.db.backends.postgresql", postgresql: "django.db.backends.postgresql", pgsql: "django.db.backends.postgresql",
    postgis: "django.contrib.gis.db.backends.postgis", mysql: "django.db.backends.mysql", mysql2: "django.db.backends.mysql",
    sqlite: "django.db.backends.sqlite3", oracle: "django.db.backends.oracle",
  };
  const str = (v: string | undefined): Val => ({ t: "str", v: v ? decodeURIComponent(v) : "" });
  const entries: [Val, Val][] = [
    [str("ENGINE"), str(engines[scheme] ?? scheme)],
    [str("NAME"), str(m[6])],
    [str("USER"), str(m[2])],
    [str("PASSWORD"), str(m[3])],
    [str("HOST"), str(m[4])],
    [str("PORT"), str(m[5])],
  ];
  const query = /\?(.*)$/.exec(url)?.[1];
  if (query) {
    const opts: [Val, Val][] = query.split("&").filter(Boolean).map((kv) => { const [k, v = ""] = kv.split("="); return [str(k), str(v)]; });
    entries.push([str("OPTIONS"), { t: "dict", entries: opts }]);
  }
  return { t: "dict", entries };
}

/** django-environ / environs parsing of a set variable. */
function parseEnvString(s: string, cast: string, lib: string): Val {
  switch (cast) {
    case "bool": {
      if (lib === "environs") {
        const t = ["t", "true", "on", "y", "yes", "1"], fl = ["f", "false", "off", "n", "no", "0", ""];
        const l = s.toLowerCase();
        return t.includes(l) ? { t: "bool", v: true } : fl.includes(l) ? { t: "bool", v: false } : unknown(`not a boolean: startup fails`);
      }
      return { t: "bool", v: ["true", "on", "ok", "y", "yes", "1"].includes(s.toLowerCase()) };
    }
    case "int": case "float": return /^\s*[-+]?\d+(\.\d*)?\s*$/.test(s) ? { t: "num", v: Number(s) } : unknown(`not a number: startup fails`);
    case "list": case "tuple": {
      const items = s.split(",").filter((x) => x.length > 0).map((x) => ({ t: "str", v: lib === "environs" ? x.trim() : x }) as Val);
      return { t: cast === "list" ? "list" : "tuple", items };
    }
    case "str": return { t: "str", v: s };
    case "db": case "db_url": return databaseUrl(s);
    default: return unknown(`env.${cast}() parsing is not modelled`);
  }
}
