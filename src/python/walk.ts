// Generic traversal helpers over our AST. Analyses use these instead of writing
// their own recursive walkers. All walks are iterative-friendly in depth because
// the converter already cut nesting at MAX_DEPTH.
import { weakMemo } from "../project/memo.js";
import type * as A from "./ast.js";

/** Expressions that belong directly to a statement (not to nested statements). */
export function stmtExprs(s: A.Stmt): A.Expr[] {
  switch (s.kind) {
    case "FunctionDef": return [...s.decorators, ...s.params.flatMap((p) => (p.default ? [p.default] : []))];
    case "ClassDef": return [...s.decorators, ...s.bases, ...s.keywords.map((k) => k.value)];
    case "Return": return s.value ? [s.value] : [];
    case "Assign": return [...s.targets, s.value];
    case "AugAssign": return [s.target, s.value];
    case "AnnAssign": return s.value ? [s.target, s.value] : [s.target];
    case "Expr": return [s.value];
    case "If": case "While": return [s.test];
    case "For": return [s.target, s.iter];
    case "With": return s.items.flatMap((i) => (i.target ? [i.context, i.target] : [i.context]));
    case "Try": return s.handlers.flatMap((h) => (h.type ? [h.type] : []));
    case "Raise": return [s.exc, s.cause].filter((x): x is A.Expr => x !== null);
    case "Delete": return s.targets;
    case "Assert": return s.msg ? [s.test, s.msg] : [s.test];
    case "Match": return [s.subject, ...s.cases.flatMap((c) => (c.guard ? [c.guard] : []))];
    case "UnknownStmt": return s.exprs;
    default: return [];
  }
}

/** Nested statement lists of a statement (bodies, branches, handlers). */
export function stmtBodies(s: A.Stmt): A.Stmt[][] {
  switch (s.kind) {
    case "FunctionDef": case "ClassDef": return [s.body];
    case "If": case "For": case "While": return [s.body, s.orelse];
    case "With": return [s.body];
    case "Try": return [s.body, ...s.handlers.map((h) => h.body), s.orelse, s.finalbody];
    case "Match": return s.cases.map((c) => c.body);
    case "UnknownStmt": return [s.body];
    default: return [];
  }
}

/**
 * Push the direct children of `e` onto `stack` last-first, so popping yields them
 * in source order. No child array per node: the walks visit every node of every
 * body several times over a scan, and allocating one was most of their cost.
 */
function pushChildren(e: A.Expr, stack: A.Expr[]): void {
  switch (e.kind) {
    case "Name": case "Constant": return;
    case "FormattedValue": case "Attribute": case "Starred": case "Await": stack.push(e.value); return;
    case "Subscript": stack.push(e.slice, e.value); return;
    case "Slice":
      if (e.step) stack.push(e.step);
      if (e.upper) stack.push(e.upper);
      if (e.lower) stack.push(e.lower);
      return;
    case "Call":
      for (let i = e.keywords.length - 1; i >= 0; i--) stack.push(e.keywords[i]!.value);
      pushAll(e.args, stack);
      stack.push(e.func);
      return;
    case "BinOp": stack.push(e.right, e.left); return;
    case "UnaryOp": stack.push(e.operand); return;
    case "Compare": pushAll(e.comparators, stack); stack.push(e.left); return;
    case "IfExp": stack.push(e.orelse, e.body, e.test); return;
    case "Lambda":
      for (let i = e.params.length - 1; i >= 0; i--) { const d = e.params[i]!.default; if (d) stack.push(d); }
      stack.push(e.body);
      return;
    case "JoinedStr": case "BoolOp": pushAll(e.values, stack); return;
    case "List": case "Tuple": case "Set": pushAll(e.elts, stack); return;
    case "Dict":
      pushAll(e.values, stack);
      for (let i = e.keys.length - 1; i >= 0; i--) { const k = e.keys[i]; if (k) stack.push(k); }
      return;
    case "ListComp": case "SetComp": case "GeneratorExp": pushGenerators(e.generators, stack); stack.push(e.elt); return;
    case "DictComp": pushGenerators(e.generators, stack); stack.push(e.value, e.key); return;
    case "Yield": if (e.value) stack.push(e.value); return;
    case "NamedExpr": stack.push(e.value, e.target); return;
    case "Unknown": pushAll(e.children, stack); return;
  }
}

function pushAll(list: readonly A.Expr[], stack: A.Expr[]): void {
  for (let i = list.length - 1; i >= 0; i--) stack.push(list[i]!);
}

function pushGenerators(gens: readonly A.Comprehension[], stack: A.Expr[]): void {
  for (let i = gens.length - 1; i >= 0; i--) {
    const g = gens[i]!;
    pushAll(g.ifs, stack);
    stack.push(g.iter, g.target);
  }
}

/** Visit every expression under `e` (pre-order), including `e`. */
export function walkExpr(e: A.Expr, visit: (e: A.Expr) => void | false): void {
  const stack: A.Expr[] = [e];
  while (stack.length) {
    const cur = stack.pop()!;
    if (visit(cur) === false) continue;
    pushChildren(cur, stack);
  }
}

export interface StmtVisitor {
  /** return false to skip the statement's nested bodies */
  stmt?(s: A.Stmt, ancestors: readonly A.Stmt[]): void | false;
  expr?(e: A.Expr, owner: A.Stmt, ancestors: readonly A.Stmt[]): void;
}

/** Visit every statement and (optionally) every expression in a body. */
export function walkBody(body: readonly A.Stmt[], v: StmtVisitor, ancestors: A.Stmt[] = []): void {
  walkStmts(body, v, ancestors, []);
}

/** walkBody with one expression stack for the whole walk: the analyses walk every
 *  body of the project several times over, and a list per statement (stmtExprs,
 *  stmtBodies) was most of what they allocated. Same order as those lists. */
function walkStmts(body: readonly A.Stmt[], v: StmtVisitor, ancestors: A.Stmt[], stack: A.Expr[]): void {
  // indexed loops: `for...of` makes an iterator result per element until V8 optimises the loop
  for (let k = 0; k < body.length; k++) {
    const s = body[k]!;
    const descend = v.stmt ? v.stmt(s, ancestors) !== false : true;
    if (v.expr) {
      // the statement's own expressions in stmtExprs order, each walked pre-order
      pushStmtExprs(s, stack);
      while (stack.length) {
        const cur = stack.pop()!;
        v.expr(cur, s, ancestors);
        pushChildren(cur, stack);
      }
    }
    if (!descend) continue;
    ancestors.push(s);
    switch (s.kind) {
      case "FunctionDef": case "ClassDef": case "With": case "UnknownStmt": walkStmts(s.body, v, ancestors, stack); break;
      case "If": case "For": case "While": walkStmts(s.body, v, ancestors, stack); walkStmts(s.orelse, v, ancestors, stack); break;
      case "Try":
        walkStmts(s.body, v, ancestors, stack);
        for (let i = 0; i < s.handlers.length; i++) walkStmts(s.handlers[i]!.body, v, ancestors, stack);
        walkStmts(s.orelse, v, ancestors, stack);
        walkStmts(s.finalbody, v, ancestors, stack);
        break;
      case "Match": for (let i = 0; i < s.cases.length; i++) walkStmts(s.cases[i]!.body, v, ancestors, stack); break;
      default: break;
    }
    ancestors.pop();
  }
}

/** Push a statement's own expressions so that popping yields them in stmtExprs order. */
function pushStmtExprs(s: A.Stmt, stack: A.Expr[]): void {
  switch (s.kind) {
    case "FunctionDef":
      for (let i = s.params.length - 1; i >= 0; i--) { const d = s.params[i]!.default; if (d) stack.push(d); }
      pushAll(s.decorators, stack);
      return;
    case "ClassDef":
      for (let i = s.keywords.length - 1; i >= 0; i--) stack.push(s.keywords[i]!.value);
      pushAll(s.bases, stack);
      pushAll(s.decorators, stack);
      return;
    case "Return": if (s.value) stack.push(s.value); return;
    case "Assign": stack.push(s.value); pushAll(s.targets, stack); return;
    case "AugAssign": stack.push(s.value, s.target); return;
    case "AnnAssign": if (s.value) stack.push(s.value); stack.push(s.target); return;
    case "Expr": stack.push(s.value); return;
    case "If": case "While": stack.push(s.test); return;
    case "For": stack.push(s.iter, s.target); return;
    case "With":
      for (let i = s.items.length - 1; i >= 0; i--) { const it = s.items[i]!; if (it.target) stack.push(it.target); stack.push(it.context); }
      return;
    case "Try": for (let i = s.handlers.length - 1; i >= 0; i--) { const t = s.handlers[i]!.type; if (t) stack.push(t); } return;
    case "Raise": if (s.cause) stack.push(s.cause); if (s.exc) stack.push(s.exc); return;
    case "Delete": pushAll(s.targets, stack); return;
    case "Assert": if (s.msg) stack.push(s.msg); stack.push(s.test); return;
    case "Match": for (let i = s.cases.length - 1; i >= 0; i--) { const g = s.cases[i]!.guard; if (g) stack.push(g); } stack.push(s.subject); return;
    case "UnknownStmt": pushAll(s.exprs, stack); return;
    default: return;
  }
}

/** Whether `e` or any expression inside it satisfies `pred` (stops at the first). */
export function exprHas(e: A.Expr, pred: (x: A.Expr) => boolean): boolean {
  let hit = false;
  walkExpr(e, (x) => {
    if (hit) return false;
    if (pred(x)) hit = true;
  });
  return hit;
}

/** What a statement binds: assignment targets, a `for` loop's target, `with ... as` targets. */
export function bindingTargets(st: A.Stmt): readonly A.Expr[] {
  switch (st.kind) {
    case "Assign": return st.targets;
    case "AnnAssign": case "AugAssign": case "For": return [st.target];
    case "With": return st.items.flatMap((i) => (i.target ? [i.target] : []));
    default: return [];
  }
}

/** Whether any expression in a body, nested statements included, satisfies `pred` (stops at the first). */
export function anyExpr(body: readonly A.Stmt[], pred: (x: A.Expr) => boolean): boolean {
  for (const s of body) {
    if (stmtExprs(s).some((e) => exprHas(e, pred))) return true;
    for (const b of stmtBodies(s)) if (anyExpr(b, pred)) return true;
  }
  return false;
}

const wordsMemo = weakMemo<readonly A.Stmt[], ReadonlySet<string>>();

/**
 * The words a body uses: names, attribute names, keyword-argument names, string
 * constants and nested def/class names. For checks that ask "does this function
 * mention has_perm / session / a password field anywhere?"; built once per body.
 */
export function bodyWords(body: readonly A.Stmt[]): ReadonlySet<string> {
  return wordsMemo(body, () => {
    const out = new Set<string>();
    walkBody(body, {
      stmt(s) {
        if (s.kind === "FunctionDef" || s.kind === "ClassDef") out.add(s.name);
      },
      expr(e) {
        if (e.kind === "Name") out.add(e.id);
        else if (e.kind === "Attribute") out.add(e.attr);
        else if (e.kind === "Constant" && typeof e.value === "string") out.add(e.value);
        else if (e.kind === "Call") for (const k of e.keywords) if (k.arg) out.add(k.arg);
      },
    });
    return out;
  });
}

/** Whether a body uses any of these words (see bodyWords). */
export function usesAnyWord(body: readonly A.Stmt[], words: readonly string[]): boolean {
  const w = bodyWords(body);
  return words.some((x) => w.has(x));
}

/** A class statement's base as the class it names: a subscripted generic (`GenericAPIView[Any]`, `Generic[T]`) is its class. */
export function baseClass(b: A.Expr): A.Expr {
  return b.kind === "Subscript" ? b.value : b;
}

/** `a.b.c` for Name/Attribute chains, else null. */
export function dottedName(e: A.Expr): string | null {
  if (e.kind === "Name") return e.id;
  if (e.kind === "Attribute") {
    const base = dottedName(e.value);
    return base === null ? null : `${base}.${e.attr}`;
  }
  return null;
}

/** A short text for an expression in messages, receiver checks and route listings: `a.b`, `f()`, `g(…)`, `x[…]`, `"s"`. */
export function exprText(e: A.Expr): string {
  const d = dottedName(e);
  if (d) return d;
  if (e.kind === "Call") return `${exprText(e.func)}(${e.args.length || e.keywords.length ? "…" : ""})`;
  if (e.kind === "Constant") return typeof e.value === "string" ? JSON.stringify(e.value) : String(e.value);
  if (e.kind === "Subscript") return `${exprText(e.value)}[…]`;
  if (e.kind === "Attribute") return `${exprText(e.value)}.${e.attr}`;
  if (e.kind === "BinOp") return `${exprText(e.left)} ${e.op} ${exprText(e.right)}`;
  return "…";
}

/** The last segment of a call's callee: `foo` in `a.b.foo(...)`. */
export function calleeName(c: A.Call): string | null {
  if (c.func.kind === "Name") return c.func.id;
  if (c.func.kind === "Attribute") return c.func.attr;
  return null;
}

export function keywordArg(c: A.Call, name: string): A.Expr | undefined {
  return c.keywords.find((k) => k.arg === name)?.value;
}

/** Positional argument `i`, or keyword `name` when given by keyword. */
export function argument(c: A.Call, i: number, name?: string): A.Expr | undefined {
  const pos = c.args[i];
  if (pos && pos.kind !== "Starred") return pos;
  return name ? keywordArg(c, name) : undefined;
}

export function isConstant(e: A.Expr): e is A.Constant {
  return e.kind === "Constant";
}

export function constString(e: A.Expr | undefined): string | null {
  return e && e.kind === "Constant" && (e.type === "str" || e.type === "bytes") ? String(e.value) : null;
}

/** True when the expression is made only of literals (no names, calls or holes). */
export function isLiteral(e: A.Expr): boolean {
  let literal = true;
  walkExpr(e, (x) => {
    if (!literal) return false;
    switch (x.kind) {
      case "Constant": case "List": case "Tuple": case "Set": case "Dict": return;
      default: literal = false; return false;
    }
  });
  return literal;
}

/**
 * What leadingConst gives for a value that is a path of this site with no
 * literal text (reverse(), settings.STATIC_URL): like a literal "/docs/" it fixes
 * the host. A literal "/" alone does not: "/" + "/evil.example" is "//evil.example".
 */
export const SITE_PATH = "/\u2026";

/** The constant text an expression starts with (for URL prefixes). */
export function leadingConst(e: A.Expr | undefined): string | null {
  if (!e) return null;
  if (e.kind === "Constant" && typeof e.value === "string") return e.value;
  if (e.kind === "JoinedStr") return leadingConst(e.values[0]);
  if (e.kind === "FormattedValue") return leadingConst(e.value);
  // URLs of this site: reverse(), resolve_url(), obj.get_absolute_url()
  if (e.kind === "Call" && /(^|\.)(reverse|reverse_lazy|resolve_url|get_absolute_url)$/.test(dottedName(e.func) ?? "")) return SITE_PATH;
  // STATIC_URL and MEDIA_URL end with "/" (Django checks): a path of this site or a fixed host
  if (e.kind === "Attribute" && /(^|\.)settings\.(STATIC_URL|MEDIA_URL)$/.test(dottedName(e) ?? "")) return SITE_PATH;
  if (e.kind === "BinOp" && e.op === "+") return leadingConst(e.left);
  // "/user/{}".format(name): the text before the first field
  if (e.kind === "Call" && e.func.kind === "Attribute" && e.func.attr === "format" && e.func.value.kind === "Constant" && typeof e.func.value.value === "string") {
    const head = e.func.value.value.split("{")[0]!;
    return head.length ? head : null;
  }
  if (e.kind === "BinOp" && e.op === "%" && e.left.kind === "Constant" && typeof e.left.value === "string") {
    const head = e.left.value.split("%")[0]!;
    return head.length ? head : null;
  }
  return null;
}

/** A function's own `return value` statements (not those of functions or classes nested in it). */
export function returnsOf(fn: A.FunctionDef): A.Return[] {
  const out: A.Return[] = [];
  walkBody(fn.body, {
    stmt: (s) => {
      if (s.kind === "FunctionDef" || s.kind === "ClassDef") return false;
      if (s.kind === "Return" && s.value) out.push(s);
      return undefined;
    },
  });
  return out;
}

/**
 * What a function's own statements put in a local name: assigned (`x = v`), appended
 * (`x += v`), or otherwise (a loop or `with` target, an unpacking, another operator).
 */
export function localBindings(fn: A.FunctionDef, name: string): { assigned: A.Expr[]; appended: A.Expr[]; other: boolean } {
  const out = { assigned: [] as A.Expr[], appended: [] as A.Expr[], other: false };
  const binds = (t: A.Expr): boolean =>
    t.kind === "Name" ? t.id === name : t.kind === "Tuple" || t.kind === "List" ? t.elts.some(binds) : t.kind === "Starred" && binds(t.value);
  walkBody(fn.body, {
    stmt: (st) => {
      if (st.kind === "FunctionDef" || st.kind === "ClassDef") return false;
      for (const t of bindingTargets(st)) {
        if (!binds(t)) continue;
        if (t.kind === "Name" && st.kind === "Assign") out.assigned.push(st.value);
        else if (t.kind === "Name" && st.kind === "AugAssign" && st.op === "+") out.appended.push(st.value);
        else out.other = true;
      }
      return undefined;
    },
  });
  return out;
}
