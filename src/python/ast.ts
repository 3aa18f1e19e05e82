// Our own compact Python syntax tree, shaped after CPython's `ast` module so that
// every analysis (settings evaluator, data flow, routes, rules) reads one familiar
// structure. It is built once per file, by our own parser (fast-parse.ts) or,
// for the files it declines, from tree-sitter's concrete tree (parse.ts).
//
// Positions are 1-based lines and 1-based columns (UTF-16 code units), end
// exclusive of the column after the last character, as SARIF expects.
//
// Every node with a position is a class instance, not an object literal, and
// that is for memory: the AST is the largest thing a scan keeps (~4.5 million
// nodes at 1.5 million lines), Node's V8 has no pointer compression (8 bytes a
// field, 24 a header), and a class lets a node keep `kind` on its prototype and
// its four position numbers in two fields (line * 2048 + column, a small
// integer), 24 bytes less per node. Code reads `line`, `col`, `endLine`,
// `endCol` and `kind` as before. JSON.stringify gives the old literal shape.

export interface Span {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

const COL_LIMIT = 0x800;
const LINE_LIMIT = 0x100000;
/** Positions that do not fit the packed form (a column past 2047, a line past
 *  1,048,575, or anything not a small non-negative integer) are kept exactly here. */
const UNPACKED = new WeakMap<object, [number, number, number, number]>();

/** line * 2048 + col, a small integer; -1 when it does not fit (see UNPACKED). */
function pack(line: number, col: number): number {
  return line >= 0 && line < LINE_LIMIT && col >= 0 && col < COL_LIMIT && line % 1 === 0 && col % 1 === 0 ? line * COL_LIMIT + col : -1;
}

/** The end, packed; a node whose start or end does not fit is kept in UNPACKED. */
function packEnd(node: object, line: number, col: number, endLine: number, endCol: number): number {
  const e = pack(endLine, endCol);
  if (e < 0 || pack(line, col) < 0) UNPACKED.set(node, [line, col, endLine, endCol]);
  return e;
}

/** What every node class below has besides its own fields. Each constructor
 *  packs its position itself (s, e) rather than through a shared base
 *  constructor: stores in one shared function see every node class and go
 *  megamorphic, which made the parser twice as slow. */
export interface Positioned extends Span {
  /** The plain-object shape: kind, the node's own fields, then its position. */
  toJSON(): Record<string, unknown>;
}

type Packed = { s: number; e: number; kind?: string };

function setSpan(n: Packed, line: number, col: number, endLine: number, endCol: number): void {
  n.s = pack(line, col);
  n.e = pack(endLine, endCol);
  if (n.s < 0 || n.e < 0) UNPACKED.set(n, [line, col, endLine, endCol]);
  else UNPACKED.delete(n);
}

const POSITIONED: PropertyDescriptorMap & ThisType<Packed & Positioned> = {
  line: {
    get(this: Packed) { return this.s >= 0 ? this.s >>> 11 : UNPACKED.get(this)![0]; },
    set(this: Packed & Span, v: number) { setSpan(this, v, this.col, this.endLine, this.endCol); },
  },
  col: {
    get(this: Packed) { return this.s >= 0 ? this.s & (COL_LIMIT - 1) : UNPACKED.get(this)![1]; },
    set(this: Packed & Span, v: number) { setSpan(this, this.line, v, this.endLine, this.endCol); },
  },
  endLine: {
    get(this: Packed) { return this.e >= 0 ? this.e >>> 11 : UNPACKED.get(this)![2]; },
    set(this: Packed & Span, v: number) { setSpan(this, this.line, this.col, v, this.endCol); },
  },
  endCol: {
    get(this: Packed) { return this.e >= 0 ? this.e & (COL_LIMIT - 1) : UNPACKED.get(this)![3]; },
    set(this: Packed & Span, v: number) { setSpan(this, this.line, this.col, this.endLine, v); },
  },
  toJSON: {
    value(this: Packed & Span): Record<string, unknown> {
      const out: Record<string, unknown> = {};
      if (this.kind !== undefined) out.kind = this.kind;
      for (const key of Object.keys(this)) if (key !== "s" && key !== "e" && key !== "kind") out[key] = (this as unknown as Record<string, unknown>)[key];
      out.line = this.line;
      out.col = this.col;
      out.endLine = this.endLine;
      out.endCol = this.endCol;
      return out;
    },
  },
};

/** Gives a node class its position accessors and, when all its instances have
 *  one kind, that kind on the prototype. */
function positioned(cls: { prototype: object }, kind?: string, accessors: PropertyDescriptorMap = POSITIONED): void {
  Object.defineProperties(cls.prototype, accessors);
  if (kind !== undefined) Object.defineProperty(cls.prototype, "kind", { value: kind, enumerable: false, writable: false });
}

// ---------- expressions ----------

export type ConstValue = string | number | boolean | null;

/** A name ends where its identifier does, so it keeps only its start (one field
 *  less on the most common node, ~10 MB at 1.5M lines); one that does not (none
 *  the parsers make) keeps all four numbers in UNPACKED. */
export class Name {
  declare private s: number;
  declare readonly kind: "Name";
  declare readonly id: string;
  constructor(id: string, line: number, col: number, endLine: number, endCol: number) {
    const s = endLine === line && endCol === col + id.length ? pack(line, col) : -1;
    this.s = s >= 0 ? s : unpackedName(this, line, col, endLine, endCol);
    this.id = id;
  }
}
export interface Name extends Positioned {}
positioned(Name, "Name", {
  ...POSITIONED,
  endLine: {
    get(this: { s: number }) { return this.s >= 0 ? this.s >>> 11 : UNPACKED.get(this)![2]; },
    set(this: Name, v: number) { setNameSpan(this, this.line, this.col, v, this.endCol); },
  },
  endCol: {
    get(this: { s: number; id: string }) { return this.s >= 0 ? (this.s & (COL_LIMIT - 1)) + this.id.length : UNPACKED.get(this)![3]; },
    set(this: Name, v: number) { setNameSpan(this, this.line, this.col, this.endLine, v); },
  },
  // the start reads as on every node; writes keep the end where it was
  line: { get: POSITIONED.line!.get, set(this: Name, v: number) { setNameSpan(this, v, this.col, this.endLine, this.endCol); } },
  col: { get: POSITIONED.col!.get, set(this: Name, v: number) { setNameSpan(this, this.line, v, this.endLine, this.endCol); } },
} as PropertyDescriptorMap);

/** -1, the start field of a name whose position is kept in UNPACKED. */
function unpackedName(n: object, line: number, col: number, endLine: number, endCol: number): number {
  UNPACKED.set(n, [line, col, endLine, endCol]);
  return -1;
}

function setNameSpan(n: Name, line: number, col: number, endLine: number, endCol: number): void {
  const packed = endLine === line && endCol === col + n.id.length ? pack(line, col) : -1;
  if (packed >= 0) UNPACKED.delete(n);
  (n as unknown as { s: number }).s = packed >= 0 ? packed : unpackedName(n, line, col, endLine, endCol);
}

export class Constant {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Constant";
    declare value: ConstValue;
  declare type: "str" | "bytes" | "int" | "float" | "bool" | "None" | "ellipsis" | "complex";
  constructor(value: ConstValue, type: "str" | "bytes" | "int" | "float" | "bool" | "None" | "ellipsis" | "complex", line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.value = value;
    this.type = type;
  }
}
export interface Constant extends Positioned {}
positioned(Constant, "Constant");
/** f-string: literal pieces are Constant(str) nodes, holes are FormattedValue. */
export class JoinedStr {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "JoinedStr";
    declare values: Expr[];
  constructor(values: Expr[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.values = values;
  }
}
export interface JoinedStr extends Positioned {}
positioned(JoinedStr, "JoinedStr");
export class FormattedValue {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "FormattedValue";
    declare value: Expr;
  declare conversion: string | null;
  declare formatSpec: string | null;
  constructor(value: Expr, conversion: string | null, formatSpec: string | null, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.value = value;
    this.conversion = conversion;
    this.formatSpec = formatSpec;
  }
}
export interface FormattedValue extends Positioned {}
positioned(FormattedValue, "FormattedValue");
export class Attribute {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Attribute";
    declare value: Expr;
  declare attr: string;
  constructor(value: Expr, attr: string, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.value = value;
    this.attr = attr;
  }
}
export interface Attribute extends Positioned {}
positioned(Attribute, "Attribute");
export class Subscript {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Subscript";
    declare value: Expr;
  declare slice: Expr;
  constructor(value: Expr, slice: Expr, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.value = value;
    this.slice = slice;
  }
}
export interface Subscript extends Positioned {}
positioned(Subscript, "Subscript");
export class Slice {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Slice";
    declare lower: Expr | null;
  declare upper: Expr | null;
  declare step: Expr | null;
  constructor(lower: Expr | null, upper: Expr | null, step: Expr | null, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.lower = lower;
    this.upper = upper;
    this.step = step;
  }
}
export interface Slice extends Positioned {}
positioned(Slice, "Slice");
export class Keyword {
  declare private s: number;
  declare private e: number;
  declare arg: string | null;
  declare value: Expr;
  constructor(arg: string | null, value: Expr, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.arg = arg;
    this.value = value;
  }
}
export interface Keyword extends Positioned {}
positioned(Keyword);
export class Call {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Call";
    declare func: Expr;
  declare args: Expr[];
  declare keywords: Keyword[];
  constructor(func: Expr, args: Expr[], keywords: Keyword[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.func = func;
    this.args = args;
    this.keywords = keywords;
  }
}
export interface Call extends Positioned {}
positioned(Call, "Call");
export class BinOp {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "BinOp";
    declare op: string;
  declare left: Expr;
  declare right: Expr;
  constructor(op: string, left: Expr, right: Expr, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.op = op;
    this.left = left;
    this.right = right;
  }
}
export interface BinOp extends Positioned {}
positioned(BinOp, "BinOp");
export class BoolOp {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "BoolOp";
    declare op: "and" | "or";
  declare values: Expr[];
  constructor(op: "and" | "or", values: Expr[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.op = op;
    this.values = values;
  }
}
export interface BoolOp extends Positioned {}
positioned(BoolOp, "BoolOp");
export class UnaryOp {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "UnaryOp";
    declare op: string;
  declare operand: Expr;
  constructor(op: string, operand: Expr, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.op = op;
    this.operand = operand;
  }
}
export interface UnaryOp extends Positioned {}
positioned(UnaryOp, "UnaryOp");
export class Compare {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Compare";
    declare left: Expr;
  declare ops: string[];
  declare comparators: Expr[];
  constructor(left: Expr, ops: string[], comparators: Expr[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.left = left;
    this.ops = ops;
    this.comparators = comparators;
  }
}
export interface Compare extends Positioned {}
positioned(Compare, "Compare");
export class IfExp {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "IfExp";
    declare test: Expr;
  declare body: Expr;
  declare orelse: Expr;
  constructor(test: Expr, body: Expr, orelse: Expr, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.test = test;
    this.body = body;
    this.orelse = orelse;
  }
}
export interface IfExp extends Positioned {}
positioned(IfExp, "IfExp");
export class Lambda {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Lambda";
    declare params: Param[];
  declare body: Expr;
  constructor(params: Param[], body: Expr, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.params = params;
    this.body = body;
  }
}
export interface Lambda extends Positioned {}
positioned(Lambda, "Lambda");
export class ListExpr {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "List";
    declare elts: Expr[];
  constructor(elts: Expr[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.elts = elts;
  }
}
export interface ListExpr extends Positioned {}
positioned(ListExpr, "List");
export class TupleExpr {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Tuple";
    declare elts: Expr[];
  constructor(elts: Expr[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.elts = elts;
  }
}
export interface TupleExpr extends Positioned {}
positioned(TupleExpr, "Tuple");
export class SetExpr {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Set";
    declare elts: Expr[];
  constructor(elts: Expr[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.elts = elts;
  }
}
export interface SetExpr extends Positioned {}
positioned(SetExpr, "Set");
/** keys[i] === null means `**values[i]`. */
export class DictExpr {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Dict";
    declare keys: (Expr | null)[];
  declare values: Expr[];
  constructor(keys: (Expr | null)[], values: Expr[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.keys = keys;
    this.values = values;
  }
}
export interface DictExpr extends Positioned {}
positioned(DictExpr, "Dict");
export interface Comprehension { target: Expr; iter: Expr; ifs: Expr[]; isAsync: boolean }
export class ListComp {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "ListComp" | "SetComp" | "GeneratorExp";
  declare elt: Expr;
  declare generators: Comprehension[];
  constructor(kind: "ListComp" | "SetComp" | "GeneratorExp", elt: Expr, generators: Comprehension[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    (this as { kind: string }).kind = kind;
    this.elt = elt;
    this.generators = generators;
  }
}
export interface ListComp extends Positioned {}
positioned(ListComp);
export class DictComp {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "DictComp";
    declare key: Expr;
  declare value: Expr;
  declare generators: Comprehension[];
  constructor(key: Expr, value: Expr, generators: Comprehension[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.key = key;
    this.value = value;
    this.generators = generators;
  }
}
export interface DictComp extends Positioned {}
positioned(DictComp, "DictComp");
export class Starred {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Starred";
    declare value: Expr;
  declare double: boolean;
  constructor(value: Expr, double: boolean, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.value = value;
    this.double = double;
  }
}
export interface Starred extends Positioned {}
positioned(Starred, "Starred");
export class Await {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Await";
    declare value: Expr;
  constructor(value: Expr, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.value = value;
  }
}
export interface Await extends Positioned {}
positioned(Await, "Await");
export class Yield {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Yield";
    declare value: Expr | null;
  declare from: boolean;
  constructor(value: Expr | null, from: boolean, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.value = value;
    this.from = from;
  }
}
export interface Yield extends Positioned {}
positioned(Yield, "Yield");
export class NamedExpr {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "NamedExpr";
    declare target: Name;
  declare value: Expr;
  constructor(target: Name, value: Expr, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.target = target;
    this.value = value;
  }
}
export interface NamedExpr extends Positioned {}
positioned(NamedExpr, "NamedExpr");
/** Anything we do not model (or an error region): analyses treat it as unknown. */
export class UnknownExpr {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Unknown";
    declare text: string;
  declare children: Expr[];
  constructor(text: string, children: Expr[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.text = text;
    this.children = children;
  }
}
export interface UnknownExpr extends Positioned {}
positioned(UnknownExpr, "Unknown");

export type Expr =
  | Name | Constant | JoinedStr | FormattedValue | Attribute | Subscript | Slice | Call | BinOp | BoolOp
  | UnaryOp | Compare | IfExp | Lambda | ListExpr | TupleExpr | SetExpr | DictExpr | ListComp | DictComp
  | Starred | Await | Yield | NamedExpr | UnknownExpr;

// ---------- statements ----------

export class Param {
  declare private s: number;
  declare private e: number;
  declare name: string;
  /** "" a plain parameter, "*" *args, "**" **kwargs */
  declare star: "" | "*" | "**";
  declare annotation: Expr | null;
  declare default: Expr | null;
  declare keywordOnly: boolean;
  constructor(name: string, star: "" | "*" | "**", annotation: Expr | null, dflt: Expr | null, keywordOnly: boolean, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.name = name;
    this.star = star;
    this.annotation = annotation;
    this.default = dflt;
    this.keywordOnly = keywordOnly;
  }
}
export interface Param extends Positioned {}
positioned(Param);

export class FunctionDef {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "FunctionDef";
    declare name: string;
  declare params: Param[];
  declare body: Stmt[];
  declare decorators: Expr[];
  declare returns: Expr | null;
  declare isAsync: boolean;
  /** the line of the `def name` / `class name` header, for reporting */
  declare nameLine: number;
  constructor(name: string, params: Param[], body: Stmt[], decorators: Expr[], returns: Expr | null, isAsync: boolean, nameLine: number, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.name = name;
    this.params = params;
    this.body = body;
    this.decorators = decorators;
    this.returns = returns;
    this.isAsync = isAsync;
    this.nameLine = nameLine;
  }
}
export interface FunctionDef extends Positioned {}
positioned(FunctionDef, "FunctionDef");
export class ClassDef {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "ClassDef";
    declare name: string;
  declare bases: Expr[];
  declare keywords: Keyword[];
  declare body: Stmt[];
  declare decorators: Expr[];
  /** the line of the `def name` / `class name` header, for reporting */
  declare nameLine: number;
  constructor(name: string, bases: Expr[], keywords: Keyword[], body: Stmt[], decorators: Expr[], nameLine: number, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.name = name;
    this.bases = bases;
    this.keywords = keywords;
    this.body = body;
    this.decorators = decorators;
    this.nameLine = nameLine;
  }
}
export interface ClassDef extends Positioned {}
positioned(ClassDef, "ClassDef");
export class Return {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Return";
    declare value: Expr | null;
  constructor(value: Expr | null, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.value = value;
  }
}
export interface Return extends Positioned {}
positioned(Return, "Return");
export class Assign {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Assign";
    declare targets: Expr[];
  declare value: Expr;
  constructor(targets: Expr[], value: Expr, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.targets = targets;
    this.value = value;
  }
}
export interface Assign extends Positioned {}
positioned(Assign, "Assign");
export class AugAssign {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "AugAssign";
    declare target: Expr;
  declare op: string;
  declare value: Expr;
  constructor(target: Expr, op: string, value: Expr, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.target = target;
    this.op = op;
    this.value = value;
  }
}
export interface AugAssign extends Positioned {}
positioned(AugAssign, "AugAssign");
export class AnnAssign {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "AnnAssign";
    declare target: Expr;
  declare annotation: Expr;
  declare value: Expr | null;
  constructor(target: Expr, annotation: Expr, value: Expr | null, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.target = target;
    this.annotation = annotation;
    this.value = value;
  }
}
export interface AnnAssign extends Positioned {}
positioned(AnnAssign, "AnnAssign");
export class ExprStmt {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Expr";
    declare value: Expr;
  constructor(value: Expr, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.value = value;
  }
}
export interface ExprStmt extends Positioned {}
positioned(ExprStmt, "Expr");
export class If {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "If";
    declare test: Expr;
  declare body: Stmt[];
  declare orelse: Stmt[];
  constructor(test: Expr, body: Stmt[], orelse: Stmt[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.test = test;
    this.body = body;
    this.orelse = orelse;
  }
}
export interface If extends Positioned {}
positioned(If, "If");
export class For {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "For";
    declare target: Expr;
  declare iter: Expr;
  declare body: Stmt[];
  declare orelse: Stmt[];
  declare isAsync: boolean;
  constructor(target: Expr, iter: Expr, body: Stmt[], orelse: Stmt[], isAsync: boolean, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.target = target;
    this.iter = iter;
    this.body = body;
    this.orelse = orelse;
    this.isAsync = isAsync;
  }
}
export interface For extends Positioned {}
positioned(For, "For");
export class While {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "While";
    declare test: Expr;
  declare body: Stmt[];
  declare orelse: Stmt[];
  constructor(test: Expr, body: Stmt[], orelse: Stmt[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.test = test;
    this.body = body;
    this.orelse = orelse;
  }
}
export interface While extends Positioned {}
positioned(While, "While");
export interface WithItem { context: Expr; target: Expr | null }
export class With {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "With";
    declare items: WithItem[];
  declare body: Stmt[];
  declare isAsync: boolean;
  constructor(items: WithItem[], body: Stmt[], isAsync: boolean, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.items = items;
    this.body = body;
    this.isAsync = isAsync;
  }
}
export interface With extends Positioned {}
positioned(With, "With");
export class ExceptHandler {
  declare private s: number;
  declare private e: number;
  declare type: Expr | null;
  declare name: string | null;
  declare body: Stmt[];
  constructor(type: Expr | null, name: string | null, body: Stmt[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.type = type;
    this.name = name;
    this.body = body;
  }
}
export interface ExceptHandler extends Positioned {}
positioned(ExceptHandler);
export class Try {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Try";
    declare body: Stmt[];
  declare handlers: ExceptHandler[];
  declare orelse: Stmt[];
  declare finalbody: Stmt[];
  constructor(body: Stmt[], handlers: ExceptHandler[], orelse: Stmt[], finalbody: Stmt[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.body = body;
    this.handlers = handlers;
    this.orelse = orelse;
    this.finalbody = finalbody;
  }
}
export interface Try extends Positioned {}
positioned(Try, "Try");
export interface Alias { name: string; asname: string | null }
export class Import {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Import";
    declare names: Alias[];
  constructor(names: Alias[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.names = names;
  }
}
export interface Import extends Positioned {}
positioned(Import, "Import");
/** `from ..a.b import x` → module "a.b", level 2. `import *` → names [{name:"*"}]. */
export class ImportFrom {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "ImportFrom";
    declare module: string;
  declare level: number;
  declare names: Alias[];
  constructor(module: string, level: number, names: Alias[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.module = module;
    this.level = level;
    this.names = names;
  }
}
export interface ImportFrom extends Positioned {}
positioned(ImportFrom, "ImportFrom");
export class Raise {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Raise";
    declare exc: Expr | null;
  declare cause: Expr | null;
  constructor(exc: Expr | null, cause: Expr | null, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.exc = exc;
    this.cause = cause;
  }
}
export interface Raise extends Positioned {}
positioned(Raise, "Raise");
export class Delete {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Delete";
    declare targets: Expr[];
  constructor(targets: Expr[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.targets = targets;
  }
}
export interface Delete extends Positioned {}
positioned(Delete, "Delete");
export class Global {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Global" | "Nonlocal";
  declare names: string[];
  constructor(kind: "Global" | "Nonlocal", names: string[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    (this as { kind: string }).kind = kind;
    this.names = names;
  }
}
export interface Global extends Positioned {}
positioned(Global);
export class Assert {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Assert";
    declare test: Expr;
  declare msg: Expr | null;
  constructor(test: Expr, msg: Expr | null, line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.test = test;
    this.msg = msg;
  }
}
export interface Assert extends Positioned {}
positioned(Assert, "Assert");
export interface MatchCase { pattern: Expr; guard: Expr | null; body: Stmt[] }
export class Match {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Match";
    declare subject: Expr;
  declare cases: MatchCase[];
  constructor(subject: Expr, cases: MatchCase[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.subject = subject;
    this.cases = cases;
  }
}
export interface Match extends Positioned {}
positioned(Match, "Match");
export class SimpleStmt {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "Pass" | "Break" | "Continue";
  constructor(kind: "Pass" | "Break" | "Continue", line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    (this as { kind: string }).kind = kind;
  }
}
export interface SimpleStmt extends Positioned {}
positioned(SimpleStmt);
/** A statement we could not model (error region, Python 2 print, type alias...). */
export class UnknownStmt {
  declare private s: number;
  declare private e: number;
  declare readonly kind: "UnknownStmt";
    declare text: string;
  declare exprs: Expr[];
  declare body: Stmt[];
  constructor(text: string, exprs: Expr[], body: Stmt[], line: number, col: number, endLine: number, endCol: number) {
    this.s = pack(line, col);
    this.e = packEnd(this, line, col, endLine, endCol);
    this.text = text;
    this.exprs = exprs;
    this.body = body;
  }
}
export interface UnknownStmt extends Positioned {}
positioned(UnknownStmt, "UnknownStmt");

export type Stmt =
  | FunctionDef | ClassDef | Return | Assign | AugAssign | AnnAssign | ExprStmt | If | For | While | With
  | Try | Import | ImportFrom | Raise | Delete | Global | Assert | Match | SimpleStmt | UnknownStmt;

export interface Module {
  kind: "Module";
  body: Stmt[];
  /** true when tree-sitter found syntax errors; the rest of the tree is still usable */
  hasErrors: boolean;
  /** 1-based lines where syntax errors start */
  errorLines: number[];
  /** false when every import statement is at the top level (our parser says so); absent: not known */
  innerImports?: boolean;
}

export type AnyNode = Expr | Stmt;
