// Our own compact Python syntax tree, shaped after CPython's `ast` module so that
// every analysis (settings evaluator, data flow, routes, rules) reads one familiar
// structure. It is built once per file from tree-sitter's concrete tree (see
// parse.ts) and the tree-sitter tree is freed straight after.
//
// Positions are 1-based lines and 1-based columns (UTF-16 code units), end
// exclusive of the column after the last character, as SARIF expects.

export interface Span {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

// ---------- expressions ----------

export type ConstValue = string | number | boolean | null;

export interface Name extends Span { kind: "Name"; id: string }
export interface Constant extends Span {
  kind: "Constant";
  value: ConstValue;
  /** "str" | "bytes" | "int" | "float" | "bool" | "None" | "ellipsis" | "complex" */
  type: "str" | "bytes" | "int" | "float" | "bool" | "None" | "ellipsis" | "complex";
}
/** f-string: literal pieces are Constant(str) nodes, holes are FormattedValue. */
export interface JoinedStr extends Span { kind: "JoinedStr"; values: Expr[] }
export interface FormattedValue extends Span { kind: "FormattedValue"; value: Expr; conversion: string | null; formatSpec: string | null }
export interface Attribute extends Span { kind: "Attribute"; value: Expr; attr: string }
export interface Subscript extends Span { kind: "Subscript"; value: Expr; slice: Expr }
export interface Slice extends Span { kind: "Slice"; lower: Expr | null; upper: Expr | null; step: Expr | null }
export interface Keyword extends Span { arg: string | null; value: Expr }
export interface Call extends Span { kind: "Call"; func: Expr; args: Expr[]; keywords: Keyword[] }
export interface BinOp extends Span { kind: "BinOp"; op: string; left: Expr; right: Expr }
export interface BoolOp extends Span { kind: "BoolOp"; op: "and" | "or"; values: Expr[] }
export interface UnaryOp extends Span { kind: "UnaryOp"; op: string; operand: Expr }
export interface Compare extends Span { kind: "Compare"; left: Expr; ops: string[]; comparators: Expr[] }
export interface IfExp extends Span { kind: "IfExp"; test: Expr; body: Expr; orelse: Expr }
export interface Lambda extends Span { kind: "Lambda"; params: Param[]; body: Expr }
export interface ListExpr extends Span { kind: "List"; elts: Expr[] }
export interface TupleExpr extends Span { kind: "Tuple"; elts: Expr[] }
export interface SetExpr extends Span { kind: "Set"; elts: Expr[] }
/** keys[i] === null means `**values[i]`. */
export interface DictExpr extends Span { kind: "Dict"; keys: (Expr | null)[]; values: Expr[] }
export interface Comprehension { target: Expr; iter: Expr; ifs: Expr[]; isAsync: boolean }
export interface ListComp extends Span { kind: "ListComp" | "SetComp" | "GeneratorExp"; elt: Expr; generators: Comprehension[] }
export interface DictComp extends Span { kind: "DictComp"; key: Expr; value: Expr; generators: Comprehension[] }
export interface Starred extends Span { kind: "Starred"; value: Expr; double: boolean }
export interface Await extends Span { kind: "Await"; value: Expr }
export interface Yield extends Span { kind: "Yield"; value: Expr | null; from: boolean }
export interface NamedExpr extends Span { kind: "NamedExpr"; target: Name; value: Expr }
/** Anything we do not model (or an error region): analyses treat it as unknown. */
export interface UnknownExpr extends Span { kind: "Unknown"; text: string; children: Expr[] }

export type Expr =
  | Name | Constant | JoinedStr | FormattedValue | Attribute | Subscript | Slice | Call | BinOp | BoolOp
  | UnaryOp | Compare | IfExp | Lambda | ListExpr | TupleExpr | SetExpr | DictExpr | ListComp | DictComp
  | Starred | Await | Yield | NamedExpr | UnknownExpr;

// ---------- statements ----------

export interface Param extends Span {
  name: string;
  /** "normal" | "*args" | "**kwargs" */
  star: "" | "*" | "**";
  annotation: Expr | null;
  default: Expr | null;
  keywordOnly: boolean;
}

export interface FunctionDef extends Span {
  kind: "FunctionDef";
  name: string;
  params: Param[];
  body: Stmt[];
  decorators: Expr[];
  returns: Expr | null;
  isAsync: boolean;
  /** span of the `def name` header line, for reporting */
  nameLine: number;
}
export interface ClassDef extends Span {
  kind: "ClassDef";
  name: string;
  bases: Expr[];
  keywords: Keyword[];
  body: Stmt[];
  decorators: Expr[];
  nameLine: number;
}
export interface Return extends Span { kind: "Return"; value: Expr | null }
export interface Assign extends Span { kind: "Assign"; targets: Expr[]; value: Expr }
export interface AugAssign extends Span { kind: "AugAssign"; target: Expr; op: string; value: Expr }
export interface AnnAssign extends Span { kind: "AnnAssign"; target: Expr; annotation: Expr; value: Expr | null }
export interface ExprStmt extends Span { kind: "Expr"; value: Expr }
export interface If extends Span { kind: "If"; test: Expr; body: Stmt[]; orelse: Stmt[] }
export interface For extends Span { kind: "For"; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[]; isAsync: boolean }
export interface While extends Span { kind: "While"; test: Expr; body: Stmt[]; orelse: Stmt[] }
export interface WithItem { context: Expr; target: Expr | null }
export interface With extends Span { kind: "With"; items: WithItem[]; body: Stmt[]; isAsync: boolean }
export interface ExceptHandler extends Span { type: Expr | null; name: string | null; body: Stmt[] }
export interface Try extends Span { kind: "Try"; body: Stmt[]; handlers: ExceptHandler[]; orelse: Stmt[]; finalbody: Stmt[] }
export interface Alias { name: string; asname: string | null }
export interface Import extends Span { kind: "Import"; names: Alias[] }
/** `from ..a.b import x` → module "a.b", level 2. `import *` → names [{name:"*"}]. */
export interface ImportFrom extends Span { kind: "ImportFrom"; module: string; level: number; names: Alias[] }
export interface Raise extends Span { kind: "Raise"; exc: Expr | null; cause: Expr | null }
export interface Delete extends Span { kind: "Delete"; targets: Expr[] }
export interface Global extends Span { kind: "Global" | "Nonlocal"; names: string[] }
export interface Assert extends Span { kind: "Assert"; test: Expr; msg: Expr | null }
export interface MatchCase { pattern: Expr; guard: Expr | null; body: Stmt[] }
export interface Match extends Span { kind: "Match"; subject: Expr; cases: MatchCase[] }
export interface SimpleStmt extends Span { kind: "Pass" | "Break" | "Continue" }
/** A statement we could not model (error region, Python 2 print, type alias...). */
export interface UnknownStmt extends Span { kind: "UnknownStmt"; text: string; exprs: Expr[]; body: Stmt[] }

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
}

export type AnyNode = Expr | Stmt;
