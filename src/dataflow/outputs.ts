// What template output needs of each expression the engine evaluated, kept
// compact: one byte per expression of an analysed function (0: not evaluated or
// a parameter's value, 1: constant or escaped for HTML, 2: request data, 3: no
// request data but not constant either: a database value, a call we cannot see
// into), plus the request taints themselves. Keeping every evaluated
// expression's whole value cost ~150 bytes a line of code; a WeakMap entry per
// expression still ~50.
//
// An expression is addressed by its function and its position in that function's
// own body (ownExprs order), which both the engine and the templates analysis can
// compute from the AST alone.
import type * as A from "../python/ast.js";
import { walkBody } from "../python/walk.js";
import { SINK_KINDS } from "./kinds.js";
import { flatten, originRank, type Taint, type Val } from "./taint.js";

/** An expression whose value is constant or escaped for HTML. */
export const NO_OUTPUT = Object.freeze({ none: true });
/** An expression no request data reaches whose value is not constant (a stored field, an opaque call's result). */
export const NOT_REQUEST = Object.freeze({ other: true });
export type OutputVerdict = Taint | typeof NO_OUTPUT | typeof NOT_REQUEST;

const XSS_BIT = 1 << SINK_KINDS.indexOf("xss");

/**
 * The taint template output sees in a value: NO_OUTPUT when nothing but
 * credentials or HTML-escaped data reaches it; its strongest taint (the first of
 * the highest rank) when that is request data; null when it is a parameter's
 * value (the callers decide); NOT_REQUEST for any other origin.
 */
export function outputVerdict(v: Val): OutputVerdict | null {
  if (v.t.length === 0 && !v.keys) return NO_OUTPUT;
  let top: Taint | null = null;
  for (const t of flatten(v).t) {
    if (t.origin === "secret" || t.safe & XSS_BIT) continue;
    if (top === null || originRank(t.origin) > originRank(top.origin)) top = t;
  }
  if (top === null) return NO_OUTPUT;
  if (top.origin === "request" || (top.origin === "param" && top.urlParam)) return top;
  return top.origin === "param" ? null : NOT_REQUEST;
}

/**
 * The expressions of a function's own body (those the engine evaluates when it
 * analyses the function: not the bodies of nested defs and classes), each with
 * its position, in a fixed order.
 */
export function ownExprs(fn: A.FunctionDef, visit: (e: A.Expr, i: number) => void): void {
  let i = 0;
  walkBody(fn.body, {
    stmt: (s) => (s.kind === "FunctionDef" || s.kind === "ClassDef" ? false : undefined),
    expr: (e) => visit(e, i++),
  });
}

export class OutputStore {
  private codes = new Uint8Array(1 << 16);
  private used = 0;
  /** function → offset of its first expression in `codes` */
  private readonly start = new Map<A.FunctionDef, number>();
  private readonly request = new Map<number, Taint>();
  /** recorded expressions ownExprs does not reach (none expected; kept so nothing is lost) */
  private readonly stray = new WeakMap<A.Expr, OutputVerdict>();

  /** Keep a function's recorded verdicts (expression → verdict, as the analysis left them). */
  store(fn: A.FunctionDef, recorded: Map<A.Expr, OutputVerdict>): void {
    if (recorded.size === 0 || this.start.has(fn)) return;
    const base = this.used;
    let n = 0;
    ownExprs(fn, (e, i) => {
      n = i + 1;
      const v = recorded.get(e);
      if (v === undefined) return;
      recorded.delete(e);
      if (base + i >= this.codes.length) this.grow(base + i + 1);
      if (v === NO_OUTPUT) this.codes[base + i] = 1;
      else if (v === NOT_REQUEST) this.codes[base + i] = 3;
      else { this.codes[base + i] = 2; this.request.set(base + i, v as Taint); }
    });
    this.used = base + n;
    this.start.set(fn, base);
    for (const [e, v] of recorded) this.stray.set(e, v);
  }

  /** The verdict for the expression at position `i` of `fn`'s own body (see ownExprs), or for a stray one. */
  get(fn: A.FunctionDef | null, i: number, e: A.Expr): OutputVerdict | undefined {
    const base = fn ? this.start.get(fn) : undefined;
    if (base !== undefined && i >= 0) {
      const code = base + i < this.used ? this.codes[base + i] : 0;
      if (code === 1) return NO_OUTPUT;
      if (code === 2) return this.request.get(base + i);
      if (code === 3) return NOT_REQUEST;
    }
    return this.stray.get(e);
  }

  private grow(min: number): void {
    let size = this.codes.length * 2;
    while (size < min) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.codes);
    this.codes = next;
  }
}
