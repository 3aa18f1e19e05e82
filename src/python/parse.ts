// Python source → our AST (ast.ts), through web-tree-sitter.
//
// Why web-tree-sitter and not the native binding: measured numbers are in the
// README (similar speed, a fraction of the memory, no segfault on deep nesting).
// Three steps, so that the expensive first one can run in a worker thread:
//   1. parse and walk the tree-sitter tree once into a flat "tape" (an Int32Array
//      of four numbers per node, preorder) and free the tree (`parseToTape`);
//   2. rebuild a light "raw" tree from the tape (`tapeToRaw`, plain JS);
//   3. convert the raw tree into our AST (`Converter`).
// The tape's buffer moves between threads without copying (a transfer), while
// the AST as objects would have to be cloned, which costs more than building it.
import { createRequire } from "node:module";
import { Language, Parser, type Tree } from "web-tree-sitter";
import * as A from "./ast.js";
import { intern } from "../project/compact.js";

const require = createRequire(import.meta.url);

/** Beyond this depth the subtree is replaced by an Unknown node (and noted): deep
 *  nesting must never overflow our stack. */
export const MAX_DEPTH = 400;

/** A WebAssembly trap (RuntimeError: unreachable, out of bounds...): the wasm
 *  instance may be corrupt afterwards. (No DOM lib here, so test by name.) */
export function isWasmTrap(e: unknown): boolean {
  return (e as { constructor?: { name?: string } } | null)?.constructor?.name === "RuntimeError";
}

/** The raw exports of web-tree-sitter's wasm module we call directly (see walkTape). */
interface WasmCursorApi {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
}

/** web-tree-sitter's emscripten module assigns its exports onto the options object
 *  given to the first `Parser.init`; we keep that object to reach them. These are
 *  internals, so package.json pins web-tree-sitter to one exact version, and
 *  getParser fails loudly (every parse test with it) if a new version moves them. */
const wasmModule = {} as WasmCursorApi;

/** What the tape needs to know about the grammar, by node type id. */
export interface Grammar {
  types: string[];
  fields: (string | null)[];
  named: Uint8Array;
  ownText: Uint8Array;
  commentId: number;
}

/** Bytes of web-tree-sitter's wasm memory (it only grows): a leak in the walk shows here. */
export function wasmMemoryBytes(): number {
  return wasmModule.HEAP32?.byteLength ?? 0;
}

export interface PythonParser {
  parser: Parser;
  grammar: Grammar;
}

let parserPromise: Promise<PythonParser> | null = null;

/** Forget the shared parser (after a wasm trap); the next parse builds a new one. */
export function resetParser(): void {
  parserPromise = null;
}

export function getParser(): Promise<PythonParser> {
  parserPromise ??= (async () => {
    await Parser.init(wasmModule as object);
    if (typeof wasmModule._ts_tree_cursor_goto_first_child_wasm !== "function") {
      throw new Error("web-tree-sitter's wasm exports are not reachable (unsupported web-tree-sitter version?)");
    }
    const lang = await Language.load(require.resolve("tree-sitter-python/tree-sitter-python.wasm"));
    const parser = new Parser();
    parser.setLanguage(lang);
    return { parser, grammar: grammarOf(lang) };
  })();
  return parserPromise;
}

function grammarOf(lang: Language): Grammar {
  const types = lang.types.map((t) => t || "ERROR");
  const named = new Uint8Array(types.length);
  const ownText = new Uint8Array(types.length);
  for (let id = 0; id < types.length; id++) {
    named[id] = types[id] === "ERROR" || lang.nodeTypeIsNamed(id) ? 1 : 0;
    ownText[id] = OWN_TEXT.has(types[id]!) ? 1 : 0;
  }
  return { types, fields: lang.fields.map((f) => f ?? null), named, ownText, commentId: types.indexOf("comment") };
}

/** One tree-sitter node, rebuilt from the tape. Positions are UTF-16 offsets; the
 *  converter turns them into lines and columns only for the nodes it keeps (a third
 *  of them: punctuation and keywords never become AST nodes). */
interface Raw {
  type: string;
  field: string | null;
  named: boolean;
  missing: boolean;
  si: number; ei: number;
  children: Raw[];
}

/** The children of every leaf (read-only, like all raw children). */
const NO_CHILDREN: Raw[] = [];

export interface ParseResult {
  module: A.Module;
  /** nesting deeper than MAX_DEPTH was cut */
  tooDeep: boolean;
  /** 1-based line of the first Python-2-only statement (print/exec statement), if any */
  python2Line?: number;
}

export async function parsePython(source: string): Promise<ParseResult> {
  const p = await getParser();
  return parsePythonWith(p, source);
}

export function parsePythonWith(p: PythonParser, source: string): ParseResult {
  return tapeToAst(parseToTape(p, source), p.grammar, source);
}

/** Step 1, in whichever thread: parse and read the tree into a tape. */
export function parseToTape(p: PythonParser, source: string): Tape {
  const tree = p.parser.parse(source);
  if (!tree) throw new Error("tree-sitter returned no tree");
  try {
    return walkTape(tree, p.grammar);
  } finally {
    tree.delete();
  }
}

/** Steps 2 and 3, on the thread that keeps the AST. */
export function tapeToAst(tape: Tape, grammar: Grammar, source: string): ParseResult {
  const { raw, tooDeep, errorLines, python2Line } = tapeToRaw(tape, grammar, source);
  const conv = new Converter(source);
  const body = compactArrays(conv.block(raw.children));
  const allErrors = [...new Set([...errorLines, ...conv.errorLines])].sort((a, b) => a - b);
  return {
    module: { kind: "Module", body, hasErrors: allErrors.length > 0, errorLines: allErrors.length ? allErrors : EMPTY, innerImports: conv.innerImports },
    tooDeep,
    ...(python2Line ? { python2Line } : {}),
  };
}

/** Comments and backslash line continuations: tree-sitter's "extras", which may sit
 *  between any two children of any node. They are never part of the AST (a
 *  continuation read as a child would shift the children the Converter reads by position). */
function isExtra(r: Raw): boolean {
  return r.type === "comment" || r.type === "line_continuation";
}

/** The one empty array every AST node shares (frozen: the AST is read-only). */
export const EMPTY: never[] = Object.freeze([]) as unknown as never[];

/** Every array of a fresh AST, copied to its exact length (an empty one becomes
 *  EMPTY). Arrays the converter grew with push() keep spare capacity (a
 *  one-statement body reserves 17 slots), which was a fifth of the AST's heap;
 *  the ASTs of the whole tree live as long as the scan. Returns `v` or its copy. */
function compactArrays<T>(v: T): T {
  if (Array.isArray(v)) {
    if (v.length === 0) return EMPTY as T;
    const c = v.slice();
    for (let i = 0; i < c.length; i++) { const x = c[i]; if (x !== null && typeof x === "object") c[i] = compactArrays(x); }
    return c as T;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) { const x = o[k]; if (x !== null && typeof x === "object") o[k] = compactArrays(x); }
  return v;
}

/** Four int32 per node, preorder: [type | field << 16 | flags, start, end, child count].
 *  Start and end are UTF-16 offsets into the source. */
export interface Tape {
  data: Int32Array;
  /** nodes on the tape */
  count: number;
}

const MISSING = 1 << 24;
const TOO_DEEP = 1 << 25;
const TYPE_MASK = 0xffff;
const FIELD_SHIFT = 16;
const FIELD_MASK = 0xff;

/** Iterative cursor walk (no JS recursion, so depth never threatens the stack).
 *  web-tree-sitter's TreeCursor marshals the cursor through a transfer buffer in
 *  wasm memory on every property read and move (two to four JS→wasm writes and
 *  reads around each call), which cost more than the walk itself. The cursor
 *  state never needs to leave wasm while we walk, so we call the module's raw
 *  cursor exports directly: `tree.walk()` leaves the new cursor in the transfer
 *  buffer, every raw call reads and updates it there, and at the end we copy it
 *  back into the TreeCursor object (its stack may have been reallocated) so that
 *  `delete()` frees the right memory.
 *  Per node we ask type and field; positions only of leaves (an inner node spans
 *  its first to its last child), except OWN_TEXT nodes whose children (escapes,
 *  interpolations) sit inside text of their own; "missing" only of zero-width nodes. */
function walkTape(tree: Tree, g: Grammar): Tape {
  const M = wasmModule;
  const cursor = tree.walk();
  const t = (tree as unknown as { [0]: number })[0];
  let data = new Int32Array(4096);
  let n = 0;
  // per open node: its tape index and the tape index of its last child so far (-1: none)
  const open: number[] = [];
  const lastChild: number[] = [];
  const emit = (): number => {
    if ((n + 1) * 4 > data.length) {
      const bigger = new Int32Array(data.length * 2);
      bigger.set(data);
      data = bigger;
    }
    const i = n++;
    const typeId = M._ts_tree_cursor_current_node_type_id_wasm(t);
    const fieldId = M._ts_tree_cursor_current_field_id_wasm(t);
    data[i * 4] = typeId | ((fieldId & FIELD_MASK) << FIELD_SHIFT);
    data[i * 4 + 3] = 0;
    if (g.ownText[typeId]) placeLeaf(i);
    return i;
  };
  /** the cursor is on node i, which has no (walked) children */
  const placeLeaf = (i: number) => {
    const si = M._ts_tree_cursor_start_index_wasm(t);
    const ei = M._ts_tree_cursor_end_index_wasm(t);
    data[i * 4 + 1] = si;
    data[i * 4 + 2] = ei;
    if (si === ei && M._ts_tree_cursor_current_node_is_missing_wasm(t)) data[i * 4] |= MISSING;
  };
  /** node i is being left; its children are placed */
  const leave = (i: number, last: number) => {
    if (last >= 0 && !g.ownText[data[i * 4]! & TYPE_MASK]) {
      data[i * 4 + 1] = data[(i + 1) * 4 + 1]!; // first child follows its parent on the tape
      data[i * 4 + 2] = data[last * 4 + 2]!;
    }
  };
  const addChild = () => {
    const c = emit();
    const p = open.length - 1;
    data[open[p]! * 4 + 3]++;
    lastChild[p] = c;
    open.push(c);
    lastChild.push(-1);
  };
  try {
    open.push(emit());
    lastChild.push(-1);
    for (;;) {
      const depth = open.length;
      if (depth < MAX_DEPTH && M._ts_tree_cursor_goto_first_child_wasm(t)) {
        addChild();
        continue;
      }
      const top = open[depth - 1]!;
      const typeId = data[top * 4]! & TYPE_MASK;
      if (!g.ownText[typeId]) placeLeaf(top);
      // Cut here: mark as too deep so conversion yields Unknown.
      if (depth >= MAX_DEPTH && typeId !== g.commentId && data[top * 4 + 2]! > data[top * 4 + 1]!) data[top * 4] |= TOO_DEEP;
      for (;;) {
        if (M._ts_tree_cursor_goto_next_sibling_wasm(t)) {
          leave(open.pop()!, lastChild.pop()!);
          addChild();
          break;
        }
        if (!M._ts_tree_cursor_goto_parent_wasm(t)) {
          leave(open.pop()!, lastChild.pop()!);
          return { data, count: n };
        }
        leave(open.pop()!, lastChild.pop()!);
      }
    }
  } finally {
    try {
      const base = M._ts_init() >> 2;
      const c = cursor as unknown as Record<number, number>;
      for (let k = 0; k < 4; k++) c[k] = M.HEAP32[base + k]!;
      cursor.delete();
    } catch {
      // only after a wasm trap mid-walk: the instance is unusable anyway (the caller
      // replaces it), and the trap, not this, is the error to report
    }
  }
}

/** Start offsets of every line (tree-sitter counts rows on \n only; \r stays in the line). */
function lineStarts(source: string): Int32Array {
  let n = 1;
  for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) n++;
  const starts = new Int32Array(n);
  let k = 1;
  for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) starts[k++] = i + 1;
  return starts;
}

/** Row of a UTF-16 offset: the last line start <= offset. */
function rowOf(starts: Int32Array, offset: number, hint: number): number {
  // Nodes arrive in document order, so the hint (row of the previous start) is usually right or close.
  if (starts[hint]! <= offset && (hint + 1 >= starts.length || starts[hint + 1]! > offset)) return hint;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Step 2: the tape back into a tree. Children arrays are allocated at their
 *  final size (the tape has the count). */
function tapeToRaw(tape: Tape, g: Grammar, source: string): { raw: Raw; tooDeep: boolean; errorLines: number[]; python2Line?: number } {
  const { data, count } = tape;
  const errorLines: number[] = [];
  let python2Line: number | undefined;
  let tooDeep = false;
  let starts: Int32Array | undefined;
  const lineOf = (off: number) => rowOf((starts ??= lineStarts(source)), off, 0) + 1;
  const make = (i: number): Raw => {
    const w = data[i * 4]!;
    const typeId = w & TYPE_MASK;
    const missing = (w & MISSING) !== 0;
    let type = g.types[typeId] ?? "ERROR";
    if (w & TOO_DEEP) { type = "__too_deep__"; tooDeep = true; }
    const si = data[i * 4 + 1]!;
    if (type === "ERROR" || missing) errorLines.push(lineOf(si));
    else if (type === "print_statement" || type === "exec_statement") {
      const line = lineOf(si);
      if (python2Line === undefined || line < python2Line) python2Line = line;
    }
    const fieldId = (w >>> FIELD_SHIFT) & FIELD_MASK;
    const cc = data[i * 4 + 3]!;
    return {
      type,
      field: fieldId ? (g.fields[fieldId] ?? null) : null,
      // ERROR is type id 0xffff, past the grammar's own types
      named: g.named[typeId] === 1 || type === "ERROR",
      missing,
      si, ei: data[i * 4 + 2]!,
      children: cc ? new Array<Raw>(cc) : NO_CHILDREN,
    };
  };
  const root = make(0);
  // open nodes and how many of their children are placed so far
  const stack: Raw[] = [root];
  const placed: number[] = [0];
  for (let i = 1; i < count; i++) {
    let top = stack.length - 1;
    while (placed[top] === stack[top]!.children.length) { stack.pop(); placed.pop(); top--; }
    const r = make(i);
    stack[top]!.children[placed[top]!++] = r;
    stack.push(r);
    placed.push(0);
  }
  return { raw: root, tooDeep, errorLines, ...(python2Line ? { python2Line } : {}) };
}

/** Inner nodes with text of their own around their children: placed from the cursor. */
const OWN_TEXT = new Set(["string_content", "format_specifier"]);

class Converter {
  errorLines: number[] = [];
  /** an import statement stood past column 1 (A.Module.innerImports) */
  innerImports = false;
  /** line start offsets: rows and columns come from our own table (web-tree-sitter
   *  columns are UTF-16 offsets from the line start, which is what it gives) */
  private readonly starts: Int32Array;
  private rowHint = 0;
  constructor(private src: string) {
    this.starts = lineStarts(src);
  }

  /** 0-based row of an offset; nodes are visited roughly in order, so the last row is the hint */
  private row(off: number): number {
    return (this.rowHint = rowOf(this.starts, off, this.rowHint));
  }
  private line(r: Raw): number {
    return this.row(r.si) + 1;
  }
  private col(r: Raw): number {
    return r.si - this.starts[this.row(r.si)]! + 1;
  }
  private endLine(r: Raw): number {
    return this.row(r.ei) + 1;
  }
  private endCol(r: Raw): number {
    return r.ei - this.starts[this.row(r.ei)]! + 1;
  }
  private span(r: Raw): A.Span {
    return { line: this.line(r), col: this.col(r), endLine: this.endLine(r), endCol: this.endCol(r) };
  }
  private text(r: Raw): string {
    return this.src.slice(r.si, r.ei);
  }
  private name(r: Raw): string {
    return intern(this.src.slice(r.si, r.ei));
  }
  private named(r: Raw): Raw[] {
    return r.children.filter((c) => c.named && !isExtra(c));
  }
  private field(r: Raw, name: string): Raw | undefined {
    return r.children.find((c) => c.field === name);
  }
  private fields(r: Raw, name: string): Raw[] {
    return r.children.filter((c) => c.field === name);
  }

  // ---------- statements ----------

  block(children: Raw[]): A.Stmt[] {
    const out: A.Stmt[] = [];
    for (const c of children) {
      if (!c.named || isExtra(c)) continue;
      if (c.type === "block" || c.type === "module") { out.push(...this.block(c.children)); continue; }
      const s = this.stmt(c);
      if (Array.isArray(s)) out.push(...s);
      else if (s) out.push(s);
    }
    return out;
  }

  private body(r: Raw | undefined): A.Stmt[] {
    if (!r) return [];
    if (r.type === "block") return this.block(r.children);
    const s = this.stmt(r);
    return Array.isArray(s) ? s : s ? [s] : [];
  }

  private unknownStmt(r: Raw): A.UnknownStmt {
    const exprs: A.Expr[] = [];
    const body: A.Stmt[] = [];
    for (const c of this.named(r)) {
      if (c.type === "block") body.push(...this.block(c.children));
      else if (isStatementType(c.type)) { const s = this.stmt(c); if (Array.isArray(s)) body.push(...s); else if (s) body.push(s); }
      else exprs.push(this.expr(c));
    }
    return new A.UnknownStmt(firstLine(this.text(r)), exprs, body, this.line(r), this.col(r), this.endLine(r), this.endCol(r));
  }

  stmt(r: Raw): A.Stmt | A.Stmt[] | null {
    const sp = this.span(r);
    switch (r.type) {
      case "ERROR": {
        this.errorLines.push(this.line(r));
        // Keep whatever statements tree-sitter still recognised inside the error.
        const inner = this.named(r);
        const stmts: A.Stmt[] = [];
        for (const c of inner) {
          if (isStatementType(c.type)) { const s = this.stmt(c); if (Array.isArray(s)) stmts.push(...s); else if (s) stmts.push(s); }
          else if (c.type === "block") stmts.push(...this.block(c.children));
          else stmts.push(new A.ExprStmt(this.expr(c), this.line(c), this.col(c), this.endLine(c), this.endCol(c)));
        }
        return stmts;
      }
      case "expression_statement": {
        const kids = this.named(r);
        if (kids.length === 1) {
          const k = kids[0]!;
          if (k.type === "assignment") return this.assignment(k);
          if (k.type === "augmented_assignment") {
            const op = k.children.find((c) => c.field === "operator");
            return new A.AugAssign(this.expr(this.field(k, "left")!), op ? this.text(op).replace(/=$/, "") : "+", this.exprOrNone(this.field(k, "right")), sp.line, sp.col, sp.endLine, sp.endCol);
          }
          return new A.ExprStmt(this.expr(k), sp.line, sp.col, sp.endLine, sp.endCol);
        }
        return new A.ExprStmt(new A.TupleExpr(kids.map((k) => this.expr(k)), sp.line, sp.col, sp.endLine, sp.endCol), sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "function_definition": return this.functionDef(r, []);
      case "class_definition": return this.classDef(r, []);
      case "decorated_definition": {
        const decorators = r.children.filter((c) => c.type === "decorator").map((d) => this.expr(this.named(d)[0] ?? d));
        const def = this.field(r, "definition") ?? this.named(r).find((c) => c.type.endsWith("_definition"));
        if (!def) return this.unknownStmt(r);
        const node = def.type === "class_definition" ? this.classDef(def, decorators) : this.functionDef(def, decorators);
        // The decorated node's span starts at the first decorator.
        node.line = sp.line; node.col = sp.col;
        return node;
      }
      case "return_statement": {
        const v = this.named(r);
        return new A.Return(v.length === 0 ? null : v.length === 1 ? this.expr(v[0]!) : this.tupleOf(v, r), sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "if_statement": return this.ifStmt(r);
      case "for_statement":
        return new A.For(this.exprOrNone(this.field(r, "left")), this.exprOrNone(this.field(r, "right")), this.body(this.field(r, "body")), this.elseBody(this.field(r, "alternative")), r.children.some((c) => c.type === "async"), sp.line, sp.col, sp.endLine, sp.endCol);
      case "while_statement":
        return new A.While(this.exprOrNone(this.field(r, "condition")), this.body(this.field(r, "body")), this.elseBody(this.field(r, "alternative")), sp.line, sp.col, sp.endLine, sp.endCol);
      case "with_statement": {
        const items: A.WithItem[] = [];
        const clause = r.children.find((c) => c.type === "with_clause");
        const push = (inner: Raw) => {
          if (inner.type === "as_pattern") {
            const parts = this.named(inner);
            const tgt = parts[1];
            const tgtExpr = tgt ? (tgt.type === "as_pattern_target" ? this.expr(this.named(tgt)[0] ?? tgt) : this.expr(tgt)) : null;
            items.push({ context: this.expr(parts[0]!), target: tgtExpr });
          } else items.push({ context: this.expr(inner), target: null });
        };
        for (const item of clause ? this.named(clause) : []) {
          const inner = item.type === "with_item" ? (this.field(item, "value") ?? this.named(item)[0]) : item;
          if (!inner) continue;
          // `with (open(f) as x):`, `with (a as b,):`: tree-sitter reads the parentheses as an
          // expression around the items; they are the items (Python 3.10's parenthesized form)
          const wrapped = inner.type === "parenthesized_expression" || inner.type === "tuple" ? this.named(inner) : null;
          if (wrapped?.length && wrapped.every((k) => k.type === "as_pattern")) wrapped.forEach(push);
          else push(inner);
        }
        return new A.With(items, this.body(this.field(r, "body")), r.children.some((c) => c.type === "async"), sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "try_statement": {
        const handlers: A.ExceptHandler[] = [];
        let orelse: A.Stmt[] = [];
        let finalbody: A.Stmt[] = [];
        for (const c of this.named(r)) {
          if (c.type === "except_clause" || c.type === "except_group_clause") {
            const kids = this.named(c);
            const block = kids.find((k) => k.type === "block");
            const rest = kids.filter((k) => k !== block);
            let type: A.Expr | null = null;
            let name: string | null = null;
            const first = rest[0];
            if (first) {
              if (first.type === "as_pattern") {
                const p = this.named(first);
                type = p[0] ? this.expr(p[0]) : null;
                const t = p[1];
                if (t) name = this.text(t.type === "as_pattern_target" ? (this.named(t)[0] ?? t) : t);
              } else if (rest.length > 1 && !this.field(c, "alias")) {
                // `except A, B:`: several exceptions without parentheses (Python 3.14, PEP 758;
                // in Python 2 the second was a variable, which nothing binds here)
                const last = rest[rest.length - 1]!;
                type = new A.TupleExpr(rest.map((k) => this.expr(k)), this.line(first), this.col(first), this.endLine(last), this.endCol(last));
              } else {
                type = this.expr(first);
                const alias = this.field(c, "alias");
                if (alias) name = this.text(alias);
              }
            }
            handlers.push(new A.ExceptHandler(type, name, block ? this.block(block.children) : [], this.line(c), this.col(c), this.endLine(c), this.endCol(c)));
          } else if (c.type === "else_clause") orelse = this.body(this.field(c, "body") ?? this.named(c).find((k) => k.type === "block"));
          else if (c.type === "finally_clause") finalbody = this.body(this.named(c).find((k) => k.type === "block"));
        }
        return new A.Try(this.body(this.field(r, "body")), handlers, orelse, finalbody, sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "import_statement":
        if (sp.col > 1) this.innerImports = true;
        return new A.Import(this.fields(r, "name").map((n) => this.alias(n)), sp.line, sp.col, sp.endLine, sp.endCol);
      case "future_import_statement":
        if (sp.col > 1) this.innerImports = true;
        return new A.ImportFrom("__future__", 0, this.fields(r, "name").map((n) => this.alias(n)), sp.line, sp.col, sp.endLine, sp.endCol);
      case "import_from_statement": {
        const mod = this.field(r, "module_name");
        let module = "";
        let level = 0;
        if (mod) {
          if (mod.type === "relative_import") {
            const prefix = mod.children.find((c) => c.type === "import_prefix");
            level = prefix ? this.text(prefix).length : 0;
            const dn = mod.children.find((c) => c.type === "dotted_name");
            module = dn ? this.text(dn) : "";
          } else module = this.text(mod);
        }
        const names = r.children.some((c) => c.type === "wildcard_import")
          ? [{ name: "*", asname: null }]
          : this.fields(r, "name").map((n) => this.alias(n));
        if (sp.col > 1) this.innerImports = true;
        return new A.ImportFrom(module, level, names, sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "raise_statement": {
        const kids = this.named(r);
        const cause = this.field(r, "cause");
        const exc = kids.find((k) => k !== cause);
        return new A.Raise(exc ? this.expr(exc) : null, cause ? this.expr(cause) : null, sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "delete_statement": {
        const kids = this.named(r);
        const targets = kids.length === 1 && kids[0]!.type === "expression_list" ? this.named(kids[0]!) : kids;
        return new A.Delete(targets.map((t) => this.expr(t)), sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "global_statement":
      case "nonlocal_statement":
        return new A.Global(r.type === "global_statement" ? "Global" : "Nonlocal", this.named(r).map((n) => this.text(n)), sp.line, sp.col, sp.endLine, sp.endCol);
      case "assert_statement": {
        const kids = this.named(r);
        return new A.Assert(this.exprOrNone(kids[0]), kids[1] ? this.expr(kids[1]) : null, sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "match_statement": {
        const subj = this.field(r, "subject") ?? this.named(r)[0];
        const cases: A.MatchCase[] = [];
        const blk = this.field(r, "body") ?? r.children.find((c) => c.type === "block");
        for (const c of blk ? this.named(blk) : []) {
          if (c.type !== "case_clause") continue;
          const pat = this.named(c).find((k) => k.type === "case_pattern");
          const guard = this.field(c, "guard");
          const cons = this.field(c, "consequence") ?? c.children.find((k) => k.type === "block");
          cases.push({
            pattern: pat ? this.unknownExpr(pat) : this.unknownExpr(c),
            guard: guard ? this.expr(this.named(guard)[0] ?? guard) : null,
            body: this.body(cons),
          });
        }
        return new A.Match(this.exprOrNone(subj), cases, sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "pass_statement": return new A.SimpleStmt("Pass", sp.line, sp.col, sp.endLine, sp.endCol);
      case "break_statement": return new A.SimpleStmt("Break", sp.line, sp.col, sp.endLine, sp.endCol);
      case "continue_statement": return new A.SimpleStmt("Continue", sp.line, sp.col, sp.endLine, sp.endCol);
      default:
        if (r.missing) return null;
        return this.unknownStmt(r);
    }
  }

  private tupleOf(kids: Raw[], r: Raw): A.TupleExpr {
    return new A.TupleExpr(kids.map((k) => this.expr(k)), this.line(r), this.col(r), this.endLine(r), this.endCol(r));
  }

  private alias(n: Raw): A.Alias {
    if (n.type === "aliased_import") {
      const name = this.field(n, "name");
      const alias = this.field(n, "alias");
      return { name: name ? this.name(name) : this.name(n), asname: alias ? this.name(alias) : null };
    }
    return { name: this.name(n), asname: null };
  }

  private elseBody(r: Raw | undefined): A.Stmt[] {
    if (!r) return [];
    return this.body(this.field(r, "body") ?? r.children.find((c) => c.type === "block"));
  }

  private ifStmt(r: Raw): A.If {
    const sp = this.span(r);
    const test = this.exprOrNone(this.field(r, "condition"));
    const body = this.body(this.field(r, "consequence"));
    const alts = this.fields(r, "alternative");
    // elif chains become nested If nodes in orelse, as in CPython's ast.
    let orelse: A.Stmt[] = [];
    for (let i = alts.length - 1; i >= 0; i--) {
      const a = alts[i]!;
      if (a.type === "else_clause") orelse = this.elseBody(a);
      else if (a.type === "elif_clause") {
        orelse = [new A.If(this.exprOrNone(this.field(a, "condition")), this.body(this.field(a, "consequence")), orelse, this.line(a), this.col(a), this.endLine(a), this.endCol(a))];
      }
    }
    return new A.If(test, body, orelse, sp.line, sp.col, sp.endLine, sp.endCol);
  }

  private assignment(r: Raw): A.Stmt {
    const sp = this.span(r);
    const left = this.field(r, "left");
    const right = this.field(r, "right");
    const type = this.field(r, "type");
    if (type && !right) {
      return new A.AnnAssign(this.exprOrNone(left), this.expr(type), null, sp.line, sp.col, sp.endLine, sp.endCol);
    }
    // Chained `a = b = v`: tree-sitter nests assignments on the right.
    const targets: A.Expr[] = [this.exprOrNone(left)];
    let value = right;
    while (value && value.type === "assignment") {
      targets.push(this.exprOrNone(this.field(value, "left")));
      value = this.field(value, "right");
    }
    const v = this.exprOrNone(value);
    if (type) return new A.AnnAssign(targets[0]!, this.expr(type), v, sp.line, sp.col, sp.endLine, sp.endCol);
    return new A.Assign(targets, v, sp.line, sp.col, sp.endLine, sp.endCol);
  }

  private functionDef(r: Raw, decorators: A.Expr[]): A.FunctionDef {
    const name = this.field(r, "name");
    const ret = this.field(r, "return_type");
    return new A.FunctionDef(name ? this.name(name) : "<unknown>", this.params(this.field(r, "parameters")), this.body(this.field(r, "body")), decorators, ret ? this.expr(ret) : null, r.children.some((c) => c.type === "async"), this.line(name ?? r), this.line(r), this.col(r), this.endLine(r), this.endCol(r));
  }

  private classDef(r: Raw, decorators: A.Expr[]): A.ClassDef {
    const name = this.field(r, "name");
    const sup = this.field(r, "superclasses");
    const { args, keywords } = sup ? this.argList(sup) : { args: [], keywords: [] };
    return new A.ClassDef(name ? this.name(name) : "<unknown>", args, keywords, this.body(this.field(r, "body")), decorators, this.line(name ?? r), this.line(r), this.col(r), this.endLine(r), this.endCol(r));
  }

  private params(r: Raw | undefined): A.Param[] {
    if (!r) return [];
    const out: A.Param[] = [];
    let keywordOnly = false;
    for (const p of r.children) {
      if (!p.named) { if (this.text(p) === "*") keywordOnly = true; continue; }
      if (p.type === "keyword_separator") { keywordOnly = true; continue; }
      if (p.type === "positional_separator" || isExtra(p)) continue;
      const sp = this.span(p);
      // keyword-only as of this parameter (a `*args` makes only the ones after it so)
      const ko = keywordOnly;
      const param = (name: string, star: "" | "*" | "**", annotation: A.Expr | null, dflt: A.Expr | null): A.Param =>
        new A.Param(name, star, annotation, dflt, ko, sp.line, sp.col, sp.endLine, sp.endCol);
      switch (p.type) {
        case "identifier": out.push(param(this.text(p), "", null, null)); break;
        case "default_parameter": {
          const n = this.field(p, "name"); const v = this.field(p, "value");
          out.push(param(n ? this.text(n) : "?", "", null, v ? this.expr(v) : null));
          break;
        }
        case "typed_parameter": {
          const inner = this.named(p)[0];
          const t = this.field(p, "type");
          let star: "" | "*" | "**" = "";
          let nm = inner ? this.text(inner) : "?";
          if (inner?.type === "list_splat_pattern") { star = "*"; nm = nm.replace(/^\*/, ""); keywordOnly = true; }
          if (inner?.type === "dictionary_splat_pattern") { star = "**"; nm = nm.replace(/^\*\*/, ""); }
          out.push(param(nm, star, t ? this.expr(t) : null, null));
          break;
        }
        case "typed_default_parameter": {
          const n = this.field(p, "name"); const v = this.field(p, "value"); const t = this.field(p, "type");
          out.push(param(n ? this.text(n) : "?", "", t ? this.expr(t) : null, v ? this.expr(v) : null));
          break;
        }
        case "list_splat_pattern": out.push(param(this.text(p).replace(/^\*/, ""), "*", null, null)); keywordOnly = true; break;
        case "dictionary_splat_pattern": out.push(param(this.text(p).replace(/^\*\*/, ""), "**", null, null)); break;
        default: break;
      }
    }
    return out;
  }

  private argList(r: Raw): { args: A.Expr[]; keywords: A.Keyword[] } {
    const args: A.Expr[] = [];
    const keywords: A.Keyword[] = [];
    for (const c of this.named(r)) {
      if (c.type === "keyword_argument") {
        const n = this.field(c, "name"); const v = this.field(c, "value");
        keywords.push(new A.Keyword(n ? this.text(n) : null, this.exprOrNone(v), this.line(c), this.col(c), this.endLine(c), this.endCol(c)));
      } else if (c.type === "dictionary_splat") {
        keywords.push(new A.Keyword(null, this.exprOrNone(this.named(c)[0]), this.line(c), this.col(c), this.endLine(c), this.endCol(c)));
      } else args.push(this.expr(c));
    }
    return { args, keywords };
  }

  // ---------- expressions ----------

  private exprOrNone(r: Raw | undefined): A.Expr {
    if (!r) return new A.UnknownExpr("", [], 0, 0, 0, 0);
    return this.expr(r);
  }

  private unknownExpr(r: Raw): A.UnknownExpr {
    const children = r.type === "__too_deep__" ? [] : this.named(r).map((c) => this.expr(c));
    return new A.UnknownExpr(firstLine(this.text(r)), children, this.line(r), this.col(r), this.endLine(r), this.endCol(r));
  }

  expr(r: Raw): A.Expr {
    const sp = this.span(r);
    switch (r.type) {
      case "identifier": return new A.Name(this.name(r), sp.line, sp.col, sp.endLine, sp.endCol);
      case "keyword_identifier": return new A.Name(this.text(r), sp.line, sp.col, sp.endLine, sp.endCol);
      case "parenthesized_expression": {
        const kids = this.named(r);
        return kids.length === 1 ? this.expr(kids[0]!) : this.unknownExpr(r);
      }
      case "integer": {
        const t = this.text(r).replace(/_/g, "");
        if (/[jJ]$/.test(t)) return new A.Constant(t, "complex", sp.line, sp.col, sp.endLine, sp.endCol);
        const n = /^0[oO]/.test(t) ? parseInt(t.slice(2), 8) : /^0[bB]/.test(t) ? parseInt(t.slice(2), 2) : Number(t.replace(/[lL]$/, ""));
        return new A.Constant(n, "int", sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "float": {
        const t = this.text(r).replace(/_/g, "");
        if (/[jJ]$/.test(t)) return new A.Constant(t, "complex", sp.line, sp.col, sp.endLine, sp.endCol);
        return new A.Constant(Number(t), "float", sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "true": return new A.Constant(true, "bool", sp.line, sp.col, sp.endLine, sp.endCol);
      case "false": return new A.Constant(false, "bool", sp.line, sp.col, sp.endLine, sp.endCol);
      case "none": return new A.Constant(null, "None", sp.line, sp.col, sp.endLine, sp.endCol);
      case "ellipsis": return new A.Constant("...", "ellipsis", sp.line, sp.col, sp.endLine, sp.endCol);
      case "string": return this.string(r);
      case "concatenated_string": {
        const parts = this.named(r).filter((c) => c.type === "string").map((c) => this.string(c));
        if (parts.every((p) => p.kind === "Constant")) {
          const isBytes = parts.some((p) => (p as A.Constant).type === "bytes");
          return new A.Constant(parts.map((p) => (p as A.Constant).value).join(""), isBytes ? "bytes" : "str", sp.line, sp.col, sp.endLine, sp.endCol);
        }
        const values: A.Expr[] = [];
        for (const p of parts) { if (p.kind === "JoinedStr") values.push(...p.values); else values.push(p); }
        return new A.JoinedStr(values, sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "attribute": {
        const obj = this.field(r, "object"); const attr = this.field(r, "attribute");
        return new A.Attribute(this.exprOrNone(obj), attr ? this.name(attr) : "", sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "subscript": {
        const subs = this.fields(r, "subscript");
        const slice = subs.length === 1 ? this.expr(subs[0]!) : new A.TupleExpr(subs.map((s) => this.expr(s)), sp.line, sp.col, sp.endLine, sp.endCol);
        return new A.Subscript(this.exprOrNone(this.field(r, "value")), slice, sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "slice": {
        // children: [expr] ':' [expr] [':' [expr]]
        const parts: (A.Expr | null)[] = [null, null, null];
        let idx = 0;
        for (const c of r.children) {
          if (!c.named) { if (this.text(c) === ":") idx++; continue; }
          if (isExtra(c)) continue;
          if (idx < 3) parts[idx] = this.expr(c);
        }
        return new A.Slice(parts[0]!, parts[1]!, parts[2]!, sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "call": {
        const fn = this.field(r, "function");
        const argsNode = this.field(r, "arguments");
        if (argsNode?.type === "generator_expression") {
          return new A.Call(this.exprOrNone(fn), [this.expr(argsNode)], [], sp.line, sp.col, sp.endLine, sp.endCol);
        }
        const { args, keywords } = argsNode ? this.argList(argsNode) : { args: [], keywords: [] };
        return new A.Call(this.exprOrNone(fn), args, keywords, sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "binary_operator": {
        const op = this.field(r, "operator");
        const opText = op ? this.text(op) : "+";
        return new A.BinOp(opText, this.exprOrNone(this.field(r, "left")), this.exprOrNone(this.field(r, "right")), sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "boolean_operator": {
        const op = this.field(r, "operator");
        const opText = (op ? this.text(op) : "and") as "and" | "or";
        const left = this.exprOrNone(this.field(r, "left"));
        const right = this.exprOrNone(this.field(r, "right"));
        // Flatten `a or b or c` as CPython does.
        const values = [left, right].flatMap((v) => (v.kind === "BoolOp" && v.op === opText ? v.values : [v]));
        return new A.BoolOp(opText, values, sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "not_operator": return new A.UnaryOp("not", this.exprOrNone(this.field(r, "argument")), sp.line, sp.col, sp.endLine, sp.endCol);
      case "unary_operator": {
        const op = this.field(r, "operator");
        const operand = this.exprOrNone(this.field(r, "argument"));
        const opText = op ? this.text(op) : "-";
        if (operand.kind === "Constant" && typeof operand.value === "number" && opText === "-") {
          return new A.Constant(-operand.value, operand.type, sp.line, sp.col, sp.endLine, sp.endCol);
        }
        return new A.UnaryOp(opText, operand, sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "comparison_operator": {
        const kids = this.named(r);
        const ops = this.fields(r, "operators").map((o) => this.text(o).replace(/\s+/g, " "));
        const exprs = kids.filter((k) => k.field !== "operators").map((k) => this.expr(k));
        return new A.Compare(exprs[0] ?? this.exprOrNone(undefined), ops, exprs.slice(1), sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "conditional_expression": {
        const k = this.named(r);
        return new A.IfExp(this.exprOrNone(k[1]), this.exprOrNone(k[0]), this.exprOrNone(k[2]), sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "lambda": {
        const body = this.field(r, "body");
        return new A.Lambda(this.params(this.field(r, "parameters")), this.exprOrNone(body), sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "list": return new A.ListExpr(this.named(r).map((c) => this.expr(c)), sp.line, sp.col, sp.endLine, sp.endCol);
      case "set": return new A.SetExpr(this.named(r).map((c) => this.expr(c)), sp.line, sp.col, sp.endLine, sp.endCol);
      case "tuple":
      case "expression_list":
      case "pattern_list":
      case "tuple_pattern":
      case "list_pattern":
        const elts = this.named(r).map((c) => this.expr(c));
        return r.type === "list_pattern" ? new A.ListExpr(elts, sp.line, sp.col, sp.endLine, sp.endCol) : new A.TupleExpr(elts, sp.line, sp.col, sp.endLine, sp.endCol);
      case "dictionary": {
        const keys: (A.Expr | null)[] = [];
        const values: A.Expr[] = [];
        for (const c of this.named(r)) {
          if (c.type === "pair") { keys.push(this.exprOrNone(this.field(c, "key"))); values.push(this.exprOrNone(this.field(c, "value"))); }
          else if (c.type === "dictionary_splat") { keys.push(null); values.push(this.exprOrNone(this.named(c)[0])); }
        }
        return new A.DictExpr(keys, values, sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "list_comprehension":
      case "set_comprehension":
      case "generator_expression": {
        const kind = r.type === "list_comprehension" ? "ListComp" : r.type === "set_comprehension" ? "SetComp" : "GeneratorExp";
        return new A.ListComp(kind, this.exprOrNone(this.field(r, "body")), this.comprehensions(r), sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "dictionary_comprehension": {
        const body = this.field(r, "body");
        return new A.DictComp(this.exprOrNone(body ? this.field(body, "key") : undefined), this.exprOrNone(body ? this.field(body, "value") : undefined), this.comprehensions(r), sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "list_splat":
      case "list_splat_pattern":
      case "parenthesized_list_splat":
        return new A.Starred(this.exprOrNone(this.named(r)[0]), false, sp.line, sp.col, sp.endLine, sp.endCol);
      case "dictionary_splat":
      case "dictionary_splat_pattern":
        return new A.Starred(this.exprOrNone(this.named(r)[0]), true, sp.line, sp.col, sp.endLine, sp.endCol);
      case "await": return new A.Await(this.exprOrNone(this.named(r)[0]), sp.line, sp.col, sp.endLine, sp.endCol);
      case "yield": {
        const k = this.named(r)[0];
        return new A.Yield(k ? this.expr(k) : null, r.children.some((c) => c.type === "from"), sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "named_expression": {
        const n = this.field(r, "name");
        const tsp = n ? this.span(n) : sp;
        return new A.NamedExpr(new A.Name(n ? this.text(n) : "?", tsp.line, tsp.col, tsp.endLine, tsp.endCol), this.exprOrNone(this.field(r, "value")), sp.line, sp.col, sp.endLine, sp.endCol);
      }
      case "type": {
        const kids = this.named(r);
        return kids.length === 1 ? this.expr(kids[0]!) : this.unknownExpr(r);
      }
      case "keyword_argument": {
        // Only reachable in odd error recoveries; treat as its value.
        return this.exprOrNone(this.field(r, "value"));
      }
      case "ERROR":
        this.errorLines.push(this.line(r));
        return this.unknownExpr(r);
      default:
        return this.unknownExpr(r);
    }
  }

  private comprehensions(r: Raw): A.Comprehension[] {
    const gens: A.Comprehension[] = [];
    for (const c of this.named(r)) {
      if (c.type === "for_in_clause") {
        gens.push({
          target: this.exprOrNone(this.field(c, "left")), iter: this.exprOrNone(this.fields(c, "right")[0]), ifs: [],
          isAsync: c.children.some((k) => k.type === "async"),
        });
      } else if (c.type === "if_clause" && gens.length) {
        gens[gens.length - 1]!.ifs.push(this.exprOrNone(this.named(c)[0]));
      }
    }
    return gens;
  }

  private string(r: Raw): A.Constant | A.JoinedStr {
    const sp = this.span(r);
    const start = r.children.find((c) => c.type === "string_start");
    const prefix = (start ? this.text(start) : '"').replace(/['"]+$/, "").toLowerCase();
    const isRaw = prefix.includes("r");
    const quoteLen = start && /('''|""")$/.test(this.text(start)) ? 3 : 1;
    const isBytes = prefix.includes("b");
    const isF = prefix.includes("f") || prefix.includes("t");
    const values: A.Expr[] = [];
    let buf = "";
    let bufStart: Raw | null = null;
    const flush = () => {
      if (buf !== "" && bufStart) values.push(new A.Constant(buf, "str", this.line(bufStart), this.col(bufStart), this.endLine(bufStart), this.endCol(bufStart)));
      buf = ""; bufStart = null;
    };
    for (const c of r.children) {
      if (c.type === "string_content") {
        // string_content may itself contain escape_sequence children.
        if (c.children.length === 0) { bufStart ??= c; buf += isRaw ? this.text(c) : decodeEscapes(this.text(c)); }
        else {
          let pos = c.si;
          for (const e of c.children) {
            bufStart ??= c;
            buf += this.src.slice(pos, e.si);
            buf += isRaw ? this.text(e) : decodeEscapes(this.text(e));
            pos = e.ei;
          }
          buf += this.src.slice(pos, c.ei);
        }
      } else if (c.type === "escape_sequence") { bufStart ??= c; buf += isRaw ? this.text(c) : decodeEscapes(this.text(c)); }
      else if (c.type === "string_end" && isRaw && c.ei - c.si > quoteLen) {
        // tree-sitter's scanner leaves a raw string's trailing backslash pairs (r'\\', r'\'')
        // in its end token, with no content node: they are content
        bufStart ??= { ...c, ei: c.ei - quoteLen };
        buf += this.src.slice(c.si, c.ei - quoteLen);
      }
      else if (c.type === "interpolation") {
        flush();
        const e = this.field(c, "expression") ?? this.named(c)[0];
        const conv = c.children.find((k) => k.type === "type_conversion");
        const spec = c.children.find((k) => k.type === "format_specifier");
        values.push(new A.FormattedValue(this.exprOrNone(e), conv ? this.text(conv).replace(/^!/, "") : null, spec ? this.text(spec).replace(/^:/, "") : null, this.line(c), this.col(c), this.endLine(c), this.endCol(c)));
      }
    }
    flush();
    if (!isF) {
      const value = values.map((v) => (v.kind === "Constant" ? String(v.value) : "")).join("");
      return new A.Constant(value, isBytes ? "bytes" : "str", sp.line, sp.col, sp.endLine, sp.endCol);
    }
    if (values.every((v) => v.kind === "Constant")) {
      return new A.Constant(values.map((v) => String((v as A.Constant).value)).join(""), "str", sp.line, sp.col, sp.endLine, sp.endCol);
    }
    return new A.JoinedStr(values, sp.line, sp.col, sp.endLine, sp.endCol);
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0", a: "\x07", b: "\b", f: "\f", v: "\v", "\n": "" };

/** A string literal's escapes decoded (both parsers: the ASTs must match). */
export function decodeEscapes(s: string): string {
  if (!s.includes("\\")) return s;
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|[0-7]{1,3}|[\s\S])/g, (m, e: string) => {
    if (e.length > 1 && (e[0] === "x" || e[0] === "u" || e[0] === "U")) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    if (e[0] === "N") return m;
    return SIMPLE_ESCAPES[e] ?? m;
  });
}

/** The text an Unknown node keeps: its first line, at most 200 characters. */
export function firstLine(s: string): string {
  const nl = s.indexOf("\n");
  const line = nl === -1 ? s : s.slice(0, nl);
  return line.length > 200 ? line.slice(0, 200) : line;
}

const STATEMENT_TYPES = new Set([
  "expression_statement", "function_definition", "class_definition", "decorated_definition", "return_statement",
  "if_statement", "for_statement", "while_statement", "with_statement", "try_statement", "import_statement",
  "import_from_statement", "future_import_statement", "raise_statement", "delete_statement", "global_statement",
  "nonlocal_statement", "assert_statement", "match_statement", "pass_statement", "break_statement",
  "continue_statement", "print_statement", "exec_statement", "type_alias_statement", "ERROR",
]);
function isStatementType(t: string): boolean {
  return STATEMENT_TYPES.has(t);
}
