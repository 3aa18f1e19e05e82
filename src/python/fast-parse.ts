// A hand-written Python tokenizer and recursive-descent parser that builds the
// same AST as the tree-sitter path (parse.ts: parseToTape + tapeToAst), several
// times faster. It mirrors tree-sitter-python's grammar and the Converter's
// choices exactly (spans, Unknown nodes for generic types, string decoding,
// comment placement at block ends), and returns null on anything it is not sure
// of: the caller then falls back to tree-sitter for that file. Bailing is always
// safe; a different AST is a bug (scripts/parse-diff.ts checks both paths agree).
//
// Speed notes: the tokenizer keeps its current token in fields (no token
// objects), hot paths use charCodeAt loops, nodes are built with ast.ts's
// classes (one hidden class per node kind), lists are built on shared scratch
// stacks and sliced to their exact length (as compactArrays does).
import * as A from "./ast.js";
import { decodeEscapes, EMPTY, firstLine, type ParseResult } from "./parse.js";
import { intern } from "../project/compact.js";

/** Longest string constant interned (see compact.ts intern): longer ones rarely repeat. */
const SHORT_STRING = 40;

/** Thrown to give up on a file; `reason` groups bails in parse-diff. */
class Bail {
  constructor(readonly reason: string) {}
}

let bailReason = "";
let bailDetail = "";
/** Where the last syntax bail happened (for debugging parse-diff output). */
export function lastBailDetail(): string {
  return bailDetail;
}
/** Why the last fastParse returned null ("" when it did not). */
export function lastBailReason(): string {
  return bailReason;
}

/** Nesting (brackets, expressions, blocks) beyond this bails: tree-sitter copes. */
const MAX_NEST = 100;

const T_EOF: number = 0, T_NL: number = 1, T_INDENT: number = 2, T_DEDENT: number = 3, T_NAME: number = 4, T_KW: number = 5, T_NUM: number = 6, T_STR: number = 7, T_OP: number = 8;

const KEYWORDS = new Set([
  "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
  "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
  "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
]);

/**
 * Names the lexer has seen, looked up by a hash it computes while scanning the
 * identifier, so a name seen before costs no substring and no Map lookup (most
 * names recur: on NetBox ~95% of identifier tokens). Open addressing over a
 * power-of-two table; the names kept are interned (compact.ts), so the AST holds
 * the same strings it did. Emptied when half full, so it cannot grow without end.
 */
const NAME_SLOTS = 1 << 16;
const nameKeys: (string | undefined)[] = new Array<string | undefined>(NAME_SLOTS);
const nameHashes = new Int32Array(NAME_SLOTS);
const nameKinds = new Uint8Array(NAME_SLOTS);
let namesKept = 0;

const AUG_OPS = new Set(["+=", "-=", "*=", "/=", "@=", "//=", "%=", "**=", ">>=", "<<=", "&=", "^=", "|="]);
const COMPARE_OPS = new Set(["<", ">", "==", ">=", "<=", "!="]);
/** tree-sitter-python's binary precedences (note & binds looser than ^, unlike CPython). */
const BIN_LEVEL: Record<string, number> = {
  "|": 14, "&": 15, "^": 16, "<<": 17, ">>": 17, "+": 18, "-": 18, "*": 19, "@": 19, "/": 19, "%": 19, "//": 19,
};

const ID_START = /[\p{XID_Start}_]/u;
const ID_CONTINUE = /[\p{XID_Continue}]/u;

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isIdStartAscii(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isIdContAscii(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
}

/** Scratch stacks: lists are pushed here and sliced off at their exact length. */
const S: unknown[] = [];
const S2: unknown[] = [];
function take<T>(st: unknown[], mark: number): T[] {
  if (st.length === mark) return EMPTY;
  const a = st.slice(mark) as T[];
  st.length = mark;
  return a;
}
function one<T>(x: T): T[] {
  const a = new Array<T>(1);
  a[0] = x;
  return a;
}

type Target = A.Expr;

class Parser {
  /** an import statement stood past column 1 (in a def, class or block): the module scope must look inside */
  innerImports = false;
  private readonly src: string;
  private readonly n: number;
  private pos = 0;
  private line = 1;
  private ls = 0; // offset of the current line's start

  // current token
  private tt = T_EOF;
  private tv = "";
  private ts = 0;
  private te = 0;
  private tLine = 1;
  private tCol = 1;
  private teLine = 1;
  private teCol = 1;
  // string token details
  private sPre = 0; // prefix length
  private sQ = 0; // quote length (1 or 3)
  private sFlags = 0; // 1 raw, 2 bytes, 4 format
  // previous token's end
  private pEnd = 0;
  private pLine = 1;
  private pCol = 1;

  private par = 0; // bracket depth (newlines are whitespace inside)
  private lineHasContent = false;
  private needLineScan = true;
  private pendDedent = 0;
  private pendIndent = false;
  private readonly ind: number[] = [0];
  /** per block depth: end of the last comment placed in that block (offset, line, col) */
  private readonly dcOff: number[] = [-1];
  private readonly dcLine: number[] = [0];
  private readonly dcCol: number[] = [0];
  private bdepth = 0; // parser's block depth, in step with ind.length - 1

  private nest = 0;
  /** per f-string interpolation we are inside: whether its string is triple-quoted */
  private readonly fTriple: boolean[] = [];
  /** expressions written as `(x)`: as targets tree-sitter makes them tuple_patterns */
  private readonly parenSingles = new Map<A.Expr, A.Span | null>();

  // end of the statement just parsed (offset, line, col): block ends need it
  private stEndOff = 0;
  private stEndLine = 0;
  private stEndCol = 0;

  constructor(src: string) {
    this.src = src;
    this.n = src.length;
  }

  // ---------------------------------------------------------------- tokenizer

  private bail(reason: string): never {
    bailDetail = `line ${this.tLine} col ${this.tCol}`;
    throw new Bail(reason);
  }

  private syntax(): never {
    bailDetail = `line ${this.tLine} col ${this.tCol} token ${JSON.stringify(this.tv)} (${this.tt})`;
    throw new Bail("syntax");
  }

  private next(): void {
    this.pEnd = this.te;
    this.pLine = this.teLine;
    this.pCol = this.teCol;
    for (;;) {
      if (this.pendDedent > 0) { this.pendDedent--; this.tt = T_DEDENT; this.tv = ""; return; }
      if (this.pendIndent) { this.pendIndent = false; this.tt = T_INDENT; this.tv = ""; return; }
      if (this.needLineScan) { this.needLineScan = false; this.lineScan(); continue; }
      break;
    }
    this.lex();
  }

  /** At a line start outside brackets: skip blank and comment lines, then work out
   *  INDENT/DEDENT the way tree-sitter-python's scanner does, placing each comment
   *  line in the block that is still open when the scanner meets it. */
  private lineScan(): void {
    const src = this.src;
    let indent = 0;
    let sp = false;
    let tab = false;
    let eof = false;
    const cmtMark = S.length;
    for (;;) {
      if (this.pos >= this.n) { eof = true; indent = 0; break; }
      const c = src.charCodeAt(this.pos);
      if (c === 32) { indent++; sp = true; this.pos++; }
      else if (c === 9) { indent += 8; tab = true; this.pos++; }
      else if (c === 12 || c === 13) { indent = 0; this.pos++; }
      else if (c === 10) { this.pos++; this.line++; this.ls = this.pos; indent = 0; sp = tab = false; }
      else if (c === 35) {
        let e = src.indexOf("\n", this.pos);
        if (e === -1) e = this.n;
        S.push(indent, e, this.line, e - this.ls + 1);
        this.pos = e;
        indent = 0;
      } else if (c === 92) this.bail("continuation at line start");
      else break;
    }
    if (sp && tab && !eof) this.bail("mixed tabs and spaces");
    const ind = this.ind;
    for (let k = cmtMark; k < S.length; k += 4) {
      const ci = S[k] as number;
      while (ind.length > 1 && indent < ind[ind.length - 1]! && ci < ind[ind.length - 1]!) { ind.pop(); this.pendDedent++; }
      const d = ind.length - 1;
      this.dcOff[d] = S[k + 1] as number;
      this.dcLine[d] = S[k + 2] as number;
      this.dcCol[d] = S[k + 3] as number;
    }
    S.length = cmtMark;
    const top = ind[ind.length - 1]!;
    if (indent > top) {
      ind.push(indent);
      const d = ind.length - 1;
      this.dcOff[d] = -1;
      this.pendIndent = true;
    } else {
      while (indent < ind[ind.length - 1]!) { ind.pop(); this.pendDedent++; }
      if (indent !== ind[ind.length - 1]!) this.bail("inconsistent dedent");
    }
  }

  /** The current (previous, when called from lex) token ends an operand or opens a list of them. */
  private endsOperand(): boolean {
    switch (this.tt) {
      case T_NAME: case T_NUM: case T_STR: return true;
      case T_KW: return this.tv === "None" || this.tv === "True" || this.tv === "False";
      case T_OP: return this.tv === ")" || this.tv === "]" || this.tv === "}" || this.tv === "..." || this.tv === "," || this.tv === "(" || this.tv === "{";
      default: return false;
    }
  }

  private recordComment(e: number): void {
    const d = this.ind.length - 1;
    this.dcOff[d] = e;
    this.dcLine[d] = this.line;
    this.dcCol[d] = e - this.ls + 1;
  }

  private lex(): void {
    const src = this.src;
    const n = this.n;
    let c = 0;
    /** a line break inside brackets was skipped before this token */
    let bracketBreak = false;
    for (;;) {
      if (this.pos >= n) {
        if (this.par > 0 || this.fTriple.length) this.syntax();
        if (this.lineHasContent) {
          this.lineHasContent = false;
          this.tt = T_NL; this.tv = "";
          this.ts = this.te = this.pos;
          this.needLineScan = true;
          return;
        }
        this.tt = T_EOF; this.tv = "";
        this.ts = this.te = this.pos;
        return;
      }
      c = src.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 12 || c === 13) { this.pos++; continue; }
      if (c === 10) {
        if (this.par > 0) {
          if (this.fTriple.length && !this.fTriple[this.fTriple.length - 1]) this.bail("newline in f-string expression");
          this.pos++; this.line++; this.ls = this.pos; bracketBreak = true; continue;
        }
        this.tt = T_NL; this.tv = "";
        this.ts = this.pos; this.te = this.pos + 1;
        this.pos++; this.line++; this.ls = this.pos;
        this.lineHasContent = false;
        this.needLineScan = true;
        return;
      }
      if (c === 35) {
        if (this.fTriple.length) this.bail("comment in f-string");
        let e = src.indexOf("\n", this.pos);
        if (e === -1) e = n;
        this.recordComment(e);
        this.pos = e;
        continue;
      }
      if (c === 92) {
        if (this.fTriple.length) this.bail("backslash in f-string expression");
        const d = src.charCodeAt(this.pos + 1);
        if (d === 10 || (d === 13 && src.charCodeAt(this.pos + 2) === 10)) {
          this.pos += d === 10 ? 2 : 3; this.line++; this.ls = this.pos;
          continue;
        }
        this.bail("stray backslash");
      }
      break;
    }
    // Inside brackets, a line that starts left of the enclosing block's indentation
    // right after an operator or keyword (`(a or` / `b)`) is an error to tree-sitter,
    // though valid Python: decline rather than disagree. After an operand, a comma or
    // an opening ( or { it is fine for both.
    if (bracketBreak && this.pos - this.ls < this.ind[this.ind.length - 1]! && !this.endsOperand()) this.bail("bracketed line left of its block");
    this.lineHasContent = true;
    const start = this.pos;
    this.ts = start;
    this.tLine = this.line;
    this.tCol = start - this.ls + 1;
    if (isIdStartAscii(c) || c >= 128) {
      let p = start + 1;
      if (c >= 128) p = this.idNonAscii(start, true);
      for (;;) {
        const d = src.charCodeAt(p);
        if (isIdContAscii(d)) p++;
        else if (d >= 128) p = this.idNonAscii(p, false);
        else break;
        if (p === -1) break;
      }
      const q = src.charCodeAt(p);
      if ((q === 34 || q === 39) && p - start <= 2) {
        const flags = stringPrefix(src, start, p);
        if (flags >= 0) { this.lexString(start, p, flags); return; }
      }
      this.te = p;
      this.pos = p;
      this.lexName(start, p);
      this.teLine = this.line;
      this.teCol = this.tCol + (p - start);
      return;
    }
    if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(start + 1)))) { this.lexNumber(start); return; }
    if (c === 34 || c === 39) { this.lexString(start, start, 0); return; }
    this.lexOp(start, c);
  }

  /** The identifier src[start, end) as the current token (NAME or KW), from the name table when seen before. */
  private lexName(start: number, end: number): void {
    const src = this.src;
    const len = end - start;
    let h = 0x811c9dc5 ^ len;
    for (let i = start; i < end; i++) h = Math.imul(h ^ src.charCodeAt(i), 0x01000193);
    let slot = h & (NAME_SLOTS - 1);
    for (;;) {
      const k = nameKeys[slot];
      if (k === undefined) break;
      if (nameHashes[slot] === h && k.length === len && src.startsWith(k, start)) {
        this.tv = k;
        this.tt = nameKinds[slot]!;
        return;
      }
      slot = (slot + 1) & (NAME_SLOTS - 1);
    }
    const v = intern(src.slice(start, end));
    const kind = KEYWORDS.has(v) ? T_KW : T_NAME;
    if (namesKept >= NAME_SLOTS >> 1) {
      nameKeys.fill(undefined);
      namesKept = 0;
      slot = h & (NAME_SLOTS - 1);
    }
    nameKeys[slot] = v;
    nameHashes[slot] = h;
    nameKinds[slot] = kind;
    namesKept++;
    this.tv = v;
    this.tt = kind;
  }

  /** Non-ASCII identifier characters: XID classes, by code point. Returns the
   *  offset after the character, or -1 when it does not continue an identifier. */
  private idNonAscii(p: number, first: boolean): number {
    const cp = this.src.codePointAt(p)!;
    if (cp >= 0xd800 && cp <= 0xdfff) this.bail("lone surrogate");
    const ch = String.fromCodePoint(cp);
    if (first ? !ID_START.test(ch) : !ID_CONTINUE.test(ch)) {
      if (first) this.bail("unexpected character");
      return -1;
    }
    return p + ch.length;
  }

  private lexNumber(start: number): void {
    const src = this.src;
    let p = start;
    let c = src.charCodeAt(p);
    const digits = (hex: boolean): void => {
      // digit groups separated by single underscores
      let any = false;
      for (;;) {
        const d = src.charCodeAt(p);
        if (hex ? isHex(d) : isDigit(d)) { p++; any = true; continue; }
        if (d === 95 && any && (hex ? isHex(src.charCodeAt(p + 1)) : isDigit(src.charCodeAt(p + 1)))) { p++; continue; }
        break;
      }
      if (!any) this.bail("number");
    };
    let kind = 0; // 0 int, 1 float, 2 complex, 3 hex, 4 oct, 5 bin
    const c1 = src.charCodeAt(p + 1) | 32;
    if (c === 48 && (c1 === 120 || c1 === 111 || c1 === 98)) {
      p += 2;
      digits(true);
      kind = c1 === 120 ? 3 : c1 === 111 ? 4 : 5;
      const t = src.slice(start + 2, p).replace(/_/g, "");
      if (kind === 4 && !/^[0-7]+$/.test(t)) this.bail("number");
      if (kind === 5 && !/^[01]+$/.test(t)) this.bail("number");
      if (kind === 3 && !/^[0-9a-fA-F]+$/.test(t)) this.bail("number");
    } else {
      if (c !== 46) digits(false);
      c = src.charCodeAt(p);
      if (c === 46) {
        kind = 1;
        p++;
        if (isDigit(src.charCodeAt(p))) digits(false);
        c = src.charCodeAt(p);
      }
      if ((c | 32) === 101) {
        const s = src.charCodeAt(p + 1);
        const e1 = s === 43 || s === 45 ? p + 2 : p + 1;
        if (isDigit(src.charCodeAt(e1))) { p = e1; digits(false); kind = 1; c = src.charCodeAt(p); }
      }
      if ((c | 32) === 106) { p++; kind = 2; }
    }
    const after = src.charCodeAt(p);
    if (isIdContAscii(after) || after >= 128 || after === 46 && kind !== 1) this.bail("number suffix");
    this.te = p;
    this.pos = p;
    this.tt = T_NUM;
    this.tv = src.slice(start, p);
    this.sFlags = kind;
    this.teLine = this.line;
    this.teCol = this.tCol + (p - start);
  }

  private lexOp(start: number, c: number): void {
    const src = this.src;
    const c1 = src.charCodeAt(start + 1);
    const c2 = src.charCodeAt(start + 2);
    let op: string;
    switch (c) {
      case 40: op = "("; this.par++; break;
      case 41: op = ")"; this.par--; break;
      case 91: op = "["; this.par++; break;
      case 93: op = "]"; this.par--; break;
      case 123: op = "{"; this.par++; break;
      case 125: op = "}"; this.par--; break;
      case 44: op = ","; break;
      case 58: op = c1 === 61 ? ":=" : ":"; break;
      case 59: op = ";"; break;
      case 46: op = c1 === 46 && c2 === 46 ? "..." : "."; break;
      case 126: op = "~"; break;
      case 43: op = c1 === 61 ? "+=" : "+"; break;
      case 45: op = c1 === 61 ? "-=" : c1 === 62 ? "->" : "-"; break;
      case 42: op = c1 === 42 ? (c2 === 61 ? "**=" : "**") : c1 === 61 ? "*=" : "*"; break;
      case 47: op = c1 === 47 ? (c2 === 61 ? "//=" : "//") : c1 === 61 ? "/=" : "/"; break;
      case 37: op = c1 === 61 ? "%=" : "%"; break;
      case 64: op = c1 === 61 ? "@=" : "@"; break;
      case 38: op = c1 === 61 ? "&=" : "&"; break;
      case 124: op = c1 === 61 ? "|=" : "|"; break;
      case 94: op = c1 === 61 ? "^=" : "^"; break;
      case 61: op = c1 === 61 ? "==" : "="; break;
      case 33: op = c1 === 61 ? "!=" : "!"; break;
      case 60:
        if (c1 === 62) this.bail("<> operator");
        op = c1 === 60 ? (c2 === 61 ? "<<=" : "<<") : c1 === 61 ? "<=" : "<"; break;
      case 62: op = c1 === 62 ? (c2 === 61 ? ">>=" : ">>") : c1 === 61 ? ">=" : ">"; break;
      default:
        if (c === 0) this.bail("NUL byte");
        if (c === 96) this.bail("backquote");
        this.bail("unexpected character");
    }
    if (this.par < 0) this.syntax();
    const len = op.length;
    this.pos = start + len;
    this.te = this.pos;
    this.tt = T_OP;
    this.tv = op;
    this.teLine = this.line;
    this.teCol = this.tCol + len;
  }

  /** A string token: prefix [start, q), quote at q. Non-f strings are scanned
   *  whole here; f-strings stop after the opening quote (the parser reads on). */
  private lexString(start: number, q: number, flags: number): void {
    const src = this.src;
    const quote = src.charCodeAt(q);
    const triple = src.charCodeAt(q + 1) === quote && src.charCodeAt(q + 2) === quote;
    const ql = triple ? 3 : 1;
    this.tt = T_STR;
    this.tv = "";
    this.sPre = q - start;
    this.sQ = ql;
    this.sFlags = flags;
    let p = q + ql;
    if (flags & 4) {
      this.pos = p;
      this.te = p;
      return;
    }
    const raw = (flags & 1) !== 0;
    for (;;) {
      if (p >= this.n) this.syntax();
      const c = src.charCodeAt(p);
      if (c === quote) {
        if (!triple) { p++; break; }
        if (src.charCodeAt(p + 1) === quote && src.charCodeAt(p + 2) === quote) { p += 3; break; }
        p++;
        continue;
      }
      if (c === 92) {
        const d = src.charCodeAt(p + 1);
        if (d === 10) { p += 2; this.line++; this.ls = p; continue; }
        if (d === 13 && src.charCodeAt(p + 2) === 10) { p += 3; this.line++; this.ls = p; continue; }
        if (raw) { p += d === quote || d === 92 ? 2 : 1; continue; }
        p += 2;
        continue;
      }
      if (c === 10) {
        if (!triple) this.syntax();
        p++; this.line++; this.ls = p;
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) this.checkSurrogate(p);
      p++;
    }
    this.endTokenAt(p);
  }

  /** The current token ends at `p`, on the current line; scanning resumes there. */
  private endTokenAt(p: number): void {
    this.pos = p;
    this.te = p;
    this.teLine = this.line;
    this.teCol = p - this.ls + 1;
  }

  private checkSurrogate(p: number): void {
    const c = this.src.charCodeAt(p);
    if (c <= 0xdbff) {
      const d = this.src.charCodeAt(p + 1);
      if (d >= 0xdc00 && d <= 0xdfff) return;
    } else {
      const b = this.src.charCodeAt(p - 1);
      if (b >= 0xd800 && b <= 0xdbff) return;
    }
    this.bail("lone surrogate");
  }

  // ---------------------------------------------------------------- helpers

  /** (a method, so TypeScript does not narrow the token type across next()) */
  private isTok(t: number): boolean {
    return this.tt === t;
  }
  private isOp(v: string): boolean {
    return this.tt === T_OP && this.tv === v;
  }
  private isKw(v: string): boolean {
    return this.tt === T_KW && this.tv === v;
  }
  private expectOp(v: string): void {
    if (this.tt !== T_OP || this.tv !== v) this.syntax();
    this.next();
  }
  private expectKw(v: string): void {
    if (this.tt !== T_KW || this.tv !== v) this.syntax();
    this.next();
  }
  private enter(): void {
    if (++this.nest > MAX_NEST) this.bail("too deep");
  }
  /** One more link of a chain read in a loop (`a + b + ...`, `a.b(c)[d]...`, `x or y or ...`):
   *  tree-sitter nests each link one level deeper and cuts its tree at MAX_DEPTH, so a
   *  long chain counts against the nesting limit like brackets do. */
  private link(links: number): number {
    if (links + this.nest >= MAX_NEST) this.bail("long chain");
    return links + 1;
  }

  // ---------------------------------------------------------------- module and blocks

  parseModule(): A.Stmt[] {
    this.next();
    const mark = S.length;
    while (this.tt !== T_EOF) this.statement();
    return take<A.Stmt>(S, mark);
  }

  /** One line's statements (pushed on S); sets stEnd* to the last one's end. */
  private statement(): void {
    if (this.tt === T_KW) {
      switch (this.tv) {
        case "def": case "class": case "if": case "for": case "while": case "try": case "with":
          S.push(this.compound(this.tLine, this.tCol, false));
          return;
        case "async": {
          const l = this.tLine, c = this.tCol;
          this.next();
          if (!(this.isKw("def") || this.isKw("for") || this.isKw("with"))) this.syntax();
          S.push(this.compound(l, c, true));
          return;
        }
        default: break;
      }
    } else if (this.tt === T_OP && this.tv === "@") {
      S.push(this.decorated());
      return;
    } else if (this.tt === T_INDENT || this.tt === T_DEDENT || this.tt === T_NL) this.syntax();
    else if (this.tt === T_NAME && this.tv === "match" && this.matchAhead()) {
      S.push(this.matchStmt(this.tLine, this.tCol));
      return;
    }
    this.simpleStatements();
    this.next(); // the NEWLINE
  }

  private simpleStatements(): void {
    for (;;) {
      S.push(this.simple());
      this.stEndOff = this.pEnd; this.stEndLine = this.pLine; this.stEndCol = this.pCol;
      if (this.isOp(";")) {
        this.next();
        if (this.tt === T_NL) {
          // a trailing ';' ends the enclosing block in tree-sitter's tree (`if x: a;`)
          this.stEndOff = this.pEnd; this.stEndLine = this.pLine; this.stEndCol = this.pCol;
          break;
        }
        continue;
      }
      if (this.tt !== T_NL) this.syntax();
      break;
    }
  }

  /** After ':' — an indented block or statements on the same line. Returns the
   *  body; stEnd* is the block's end (a trailing comment in it counts, as in
   *  tree-sitter, where it is the block node's last child). */
  private suite(): A.Stmt[] {
    this.expectOp(":");
    const mark = S.length;
    if (this.tt === T_NL) {
      this.next();
      if (!this.isTok(T_INDENT)) this.syntax();
      this.enter();
      const d = ++this.bdepth;
      this.next();
      while (this.tt !== T_DEDENT) {
        if (this.tt === T_EOF) this.syntax();
        this.statement();
      }
      if (this.dcOff[d]! > this.stEndOff) {
        this.stEndOff = this.dcOff[d]!; this.stEndLine = this.dcLine[d]!; this.stEndCol = this.dcCol[d]!;
      }
      this.bdepth--;
      this.nest--;
      this.next();
      return take<A.Stmt>(S, mark);
    }
    this.simpleStatements();
    const d = this.ind.length - 1;
    if (this.dcOff[d]! > this.stEndOff) {
      this.stEndOff = this.dcOff[d]!; this.stEndLine = this.dcLine[d]!; this.stEndCol = this.dcCol[d]!;
    }
    this.next(); // the NEWLINE
    return take<A.Stmt>(S, mark);
  }

  private decorated(): A.Stmt {
    const l = this.tLine, c = this.tCol;
    const mark = S.length;
    while (this.isOp("@")) {
      this.next();
      S.push(this.expr());
      if (this.tt !== T_NL) this.syntax();
      this.next();
    }
    const decorators = take<A.Expr>(S, mark);
    let isAsync = false;
    const dl = this.tLine, dc = this.tCol;
    if (this.isKw("async")) { isAsync = true; this.next(); }
    let node: A.FunctionDef | A.ClassDef;
    if (this.isKw("def")) node = this.funcDef(dl, dc, isAsync, decorators);
    else if (this.isKw("class") && !isAsync) node = this.classDef(dl, dc, decorators);
    else this.syntax();
    node.line = l;
    node.col = c;
    return node;
  }

  private compound(l: number, c: number, isAsync: boolean): A.Stmt {
    switch (this.tv) {
      case "def": return this.funcDef(l, c, isAsync, EMPTY);
      case "class": return this.classDef(l, c, EMPTY);
      case "if": return this.ifStmt(l, c);
      case "for": return this.forStmt(l, c, isAsync);
      case "while": return this.whileStmt(l, c);
      case "try": return this.tryStmt(l, c);
      default: return this.withStmt(l, c, isAsync);
    }
  }

  private funcDef(l: number, c: number, isAsync: boolean, decorators: A.Expr[]): A.FunctionDef {
    this.next(); // def
    if (this.tt !== T_NAME) this.syntax();
    const name = this.tv;
    const nameLine = this.tLine;
    this.next();
    if (this.isOp("[")) this.typeParameters();
    this.expectOp("(");
    const params = this.params(")");
    this.expectOp(")");
    let returns: A.Expr | null = null;
    if (this.isOp("->")) { this.next(); returns = this.type(); }
    const body = this.suite();
    return new A.FunctionDef(name, params, body, decorators, returns, isAsync, nameLine, l, c, this.stEndLine, this.stEndCol);
  }

  private classDef(l: number, c: number, decorators: A.Expr[]): A.ClassDef {
    this.next(); // class
    if (this.tt !== T_NAME) this.syntax();
    const name = this.tv;
    const nameLine = this.tLine;
    this.next();
    if (this.isOp("[")) this.typeParameters();
    let bases: A.Expr[] = EMPTY;
    let keywords: A.Keyword[] = EMPTY;
    if (this.isOp("(")) {
      this.next();
      const r = this.args(false);
      bases = r.args; keywords = r.keywords;
    }
    const body = this.suite();
    return new A.ClassDef(name, bases, keywords, body, decorators, nameLine, l, c, this.stEndLine, this.stEndCol);
  }

  /** `def f[T: int, *Ts, **P]`, `class C[T]`: the Converter ignores the
   *  type_parameters field, so they are read for validity and dropped. */
  private typeParameters(): void {
    const mark = S2.length;
    this.next();
    for (;;) {
      if (this.isOp("**")) {
        this.next();
        if (!this.isTok(T_NAME)) this.syntax();
        this.next();
      } else this.typeParamElement();
      if (this.isOp("=")) this.bail("type parameter default");
      if (this.isOp(",")) { this.next(); if (this.isOp("]")) break; continue; }
      break;
    }
    this.expectOp("]");
    S2.length = mark;
  }

  private params(close: string): A.Param[] {
    const mark = S.length;
    let keywordOnly = false;
    const lambda = close === ":";
    while (!this.isOp(close)) {
      const l = this.tLine, c = this.tCol;
      if (this.isOp("/")) { this.next(); }
      else if (this.isOp("*") || this.isOp("**")) {
        const star = this.tv as "*" | "**";
        const starStart = this.ts;
        this.next();
        if (star === "*" && (this.isOp(",") || this.isOp(close))) keywordOnly = true;
        else {
          if (this.tt !== T_NAME) this.syntax();
          const name = intern(this.src.slice(starStart + star.length, this.te));
          this.next();
          let annotation: A.Expr | null = null;
          if (!lambda && this.isOp(":")) { this.next(); annotation = this.type(); }
          S.push(new A.Param(name, star, annotation, null, keywordOnly, l, c, this.pLine, this.pCol));
          if (star === "*") keywordOnly = true;
        }
      } else {
        if (this.tt !== T_NAME) this.syntax();
        const name = this.tv;
        this.next();
        let annotation: A.Expr | null = null;
        let dflt: A.Expr | null = null;
        if (!lambda && this.isOp(":")) { this.next(); annotation = this.type(); }
        if (this.isOp("=")) { this.next(); dflt = this.expr(); }
        S.push(new A.Param(name, "", annotation, dflt, keywordOnly, l, c, this.pLine, this.pCol));
      }
      if (this.isOp(",")) this.next();
      else if (!this.isOp(close)) this.syntax();
    }
    return take<A.Param>(S, mark);
  }

  private ifStmt(l: number, c: number): A.If {
    this.next();
    const test = this.expr();
    const body = this.suite();
    // elif/else clauses, collected then folded from the end like the Converter
    const mark = S2.length;
    let elseBody: A.Stmt[] | null = null;
    while (this.isKw("elif")) {
      const el = this.tLine, ec = this.tCol;
      this.next();
      const t = this.expr();
      const b = this.suite();
      S2.push(el, ec, t, b, this.stEndLine, this.stEndCol);
    }
    if (this.isKw("else")) { this.next(); elseBody = this.suite(); }
    let orelse: A.Stmt[] = elseBody ?? EMPTY;
    for (let k = S2.length - 6; k >= mark; k -= 6) {
      const node: A.If = new A.If(S2[k + 2] as A.Expr, S2[k + 3] as A.Stmt[], orelse, S2[k] as number, S2[k + 1] as number, S2[k + 4] as number, S2[k + 5] as number);
      orelse = one<A.Stmt>(node);
    }
    S2.length = mark;
    return new A.If(test, body, orelse, l, c, this.stEndLine, this.stEndCol);
  }

  private elseClause(): A.Stmt[] {
    if (!this.isKw("else")) return EMPTY;
    this.next();
    return this.suite();
  }

  private forStmt(l: number, c: number, isAsync: boolean): A.For {
    this.next();
    const target = this.targetList();
    this.expectKw("in");
    const iter = this.exprList(true);
    const body = this.suite();
    const orelse = this.elseClause();
    return new A.For(target, iter, body, orelse, isAsync, l, c, this.stEndLine, this.stEndCol);
  }

  private whileStmt(l: number, c: number): A.While {
    this.next();
    const test = this.expr();
    const body = this.suite();
    const orelse = this.elseClause();
    return new A.While(test, body, orelse, l, c, this.stEndLine, this.stEndCol);
  }

  private tryStmt(l: number, c: number): A.Try {
    this.next();
    const body = this.suite();
    const mark = S.length;
    while (this.isKw("except")) {
      const hl = this.tLine, hc = this.tCol;
      this.next();
      if (this.isOp("*")) this.next();
      let type: A.Expr | null = null;
      let name: string | null = null;
      if (!this.isOp(":")) {
        const tl = this.tLine, tc = this.tCol; // where the first exception starts, parentheses included
        type = this.expr();
        if (this.isKw("as")) {
          this.next();
          if (this.tt !== T_NAME) this.bail("except target");
          name = this.tv;
          this.next();
        } else if (this.isOp(",")) {
          // `except A, B:` (Python 3.14, PEP 758): one tuple of the exceptions, as the Converter builds it
          const mark2 = S2.length;
          S2.push(type);
          while (this.isOp(",")) { this.next(); S2.push(this.expr()); }
          if (this.isKw("as")) this.syntax();
          const elts = take<A.Expr>(S2, mark2);
          type = new A.TupleExpr(elts, tl, tc, this.pLine, this.pCol);
        }
      }
      const hbody = this.suite();
      S.push(new A.ExceptHandler(type, name, hbody, hl, hc, this.stEndLine, this.stEndCol));
    }
    const handlers = take<A.ExceptHandler>(S, mark);
    const orelse = this.elseClause();
    let finalbody: A.Stmt[] = EMPTY;
    if (this.isKw("finally")) { this.next(); finalbody = this.suite(); }
    if (handlers.length === 0 && finalbody === EMPTY) this.syntax();
    return new A.Try(body, handlers, orelse, finalbody, l, c, this.stEndLine, this.stEndCol);
  }

  private withStmt(l: number, c: number, isAsync: boolean): A.With {
    this.next();
    const mark = S.length;
    let parenForm = false;
    if (this.isOp("(")) {
      // `with (a as b, c):` — the parenthesized form, when ':' follows the ')';
      // else (`with (a).b() as c:`, `with (a, b) as c:`) read it again as expressions.
      const snap = this.snapshot();
      this.next();
      for (;;) {
        S.push(this.withItem());
        if (this.isOp(",")) { this.next(); if (this.isOp(")")) break; continue; }
        break;
      }
      if (this.isOp(")")) {
        this.next();
        parenForm = this.isOp(":");
      }
      if (!parenForm) {
        S.length = mark;
        this.restore(snap);
      }
    }
    if (!parenForm) {
      for (;;) {
        S.push(this.withItem());
        if (this.isOp(",")) { this.next(); continue; }
        break;
      }
    }
    const items = take<A.WithItem>(S, mark);
    const body = this.suite();
    return new A.With(items, body, isAsync, l, c, this.stEndLine, this.stEndCol);
  }

  private withItem(): A.WithItem {
    const context = this.expr();
    let target: A.Expr | null = null;
    if (this.isKw("as")) { this.next(); target = this.expr(); }
    return { context, target };
  }

  /** Tokenizer state, to read a bracketed stretch twice (only used inside brackets,
   *  where no indentation state changes). */
  private snapshot(): number[] {
    return [this.pos, this.line, this.ls, this.tt, this.ts, this.te, this.tLine, this.tCol, this.teLine, this.teCol,
      this.sPre, this.sQ, this.sFlags, this.pEnd, this.pLine, this.pCol, this.par, this.nest, this.lineHasContent ? 1 : 0, this.needLineScan ? 1 : 0];
  }
  private restore(s: number[]): void {
    [this.pos, this.line, this.ls, this.tt, this.ts, this.te, this.tLine, this.tCol, this.teLine, this.teCol,
      this.sPre, this.sQ, this.sFlags, this.pEnd, this.pLine, this.pCol, this.par] = s as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
    this.nest = s[17]!;
    this.lineHasContent = s[18] === 1;
    this.needLineScan = s[19] === 1;
    this.tv = "(";
  }

  // ---------------------------------------------------------------- simple statements

  private simple(): A.Stmt {
    const l = this.tLine, c = this.tCol;
    if (this.tt === T_KW) {
      switch (this.tv) {
        case "pass": this.next(); return new A.SimpleStmt("Pass", l, c, this.pLine, this.pCol);
        case "break": this.next(); return new A.SimpleStmt("Break", l, c, this.pLine, this.pCol);
        case "continue": this.next(); return new A.SimpleStmt("Continue", l, c, this.pLine, this.pCol);
        case "return": {
          this.next();
          const value = this.atStmtEnd() ? null : this.exprList(true);
          return new A.Return(value, l, c, this.pLine, this.pCol);
        }
        case "import": return this.importStmt(l, c);
        case "from": return this.fromStmt(l, c);
        case "global": case "nonlocal": {
          const kind = this.tv === "global" ? "Global" : "Nonlocal";
          this.next();
          const mark = S.length;
          for (;;) {
            if (!this.isTok(T_NAME)) this.syntax();
            S.push(this.tv);
            this.next();
            if (this.isOp(",")) { this.next(); continue; }
            break;
          }
          return new A.Global(kind, take<string>(S, mark), l, c, this.pLine, this.pCol);
        }
        case "del": {
          this.next();
          const e = this.exprList(false);
          const targets = this.listComma ? (e as A.TupleExpr).elts : one(e);
          return new A.Delete(targets, l, c, this.pLine, this.pCol);
        }
        case "assert": {
          this.next();
          const test = this.expr();
          let msg: A.Expr | null = null;
          if (this.isOp(",")) { this.next(); msg = this.expr(); }
          return new A.Assert(test, msg, l, c, this.pLine, this.pCol);
        }
        case "raise": {
          this.next();
          let exc: A.Expr | null = null;
          let cause: A.Expr | null = null;
          if (!this.atStmtEnd() && !this.isKw("from")) {
            exc = this.expr();
            // `raise E, "message"`: Python 2 (tree-sitter's path notes it as such)
            if (this.isOp(",")) this.bail("Python 2 raise");
          }
          if (this.isKw("from")) { this.next(); cause = this.expr(); }
          return new A.Raise(exc, cause, l, c, this.pLine, this.pCol);
        }
        default: break;
      }
    } else if (this.tt === T_NAME) {
      const v = this.tv;
      if (v === "type" && this.typeAliasAhead()) return this.typeAlias(l, c);
      if (v === "print" || v === "exec" || v === "type") this.softKeywordCheck(v);
    }
    return this.exprStatement(l, c);
  }

  /** `type Name =` or `type Name[`: a type alias statement. */
  private typeAliasAhead(): boolean {
    const src = this.src;
    let p = this.te;
    if (src.charCodeAt(p) !== 32) return false;
    while (src.charCodeAt(p) === 32) p++;
    if (!isIdStartAscii(src.charCodeAt(p))) return false;
    while (isIdContAscii(src.charCodeAt(p))) p++;
    while (src.charCodeAt(p) === 32) p++;
    const c = src.charCodeAt(p);
    return (c === 61 && src.charCodeAt(p + 1) !== 61) || c === 91;
  }

  /** The Converter keeps a type alias as an UnknownStmt whose exprs are its two types. */
  private typeAlias(l: number, c: number): A.UnknownStmt {
    const start = this.ts;
    this.next();
    const left = this.type();
    this.expectOp("=");
    const right = this.type();
    if (!this.atStmtEnd()) this.syntax();
    const exprs = new Array<A.Expr>(2);
    exprs[0] = left; exprs[1] = right;
    return new A.UnknownStmt(firstLine(this.src.slice(start, this.pEnd)), exprs, EMPTY, l, c, this.pLine, this.pCol);
  }

  /** `print >>f, x`, `type X ...` not read as an alias: statements tree-sitter models apart. */
  private softKeywordCheck(v: string): void {
    const src = this.src;
    let p = this.te;
    while (src.charCodeAt(p) === 32 || src.charCodeAt(p) === 9) p++;
    const c = src.charCodeAt(p);
    if (v === "print" || v === "exec") {
      if (c === 62 && src.charCodeAt(p + 1) === 62) this.bail("python 2 print");
      return;
    }
    // `type` followed by something that starts an expression
    if (isIdStartAscii(c) || c >= 128 || isDigit(c) || c === 34 || c === 39 || c === 40 || c === 91 || c === 123 || c === 45 || c === 42 || c === 126)
      this.bail("type alias");
  }

  private atStmtEnd(): boolean {
    return this.tt === T_NL || (this.tt === T_OP && this.tv === ";") || this.tt === T_EOF;
  }

  private importStmt(l: number, c: number): A.Import {
    if (c > 1) this.innerImports = true;
    this.next();
    const mark = S.length;
    for (;;) {
      S.push(this.alias());
      if (this.isOp(",")) { this.next(); continue; }
      break;
    }
    return new A.Import(take<A.Alias>(S, mark), l, c, this.pLine, this.pCol);
  }

  /** `a.b [as c]` in an import. */
  private alias(): A.Alias {
    const name = this.dotted();
    let asname: string | null = null;
    if (this.isKw("as")) { this.next(); if (this.tt !== T_NAME) this.syntax(); asname = this.tv; this.next(); }
    return { name, asname };
  }

  /** a.b.c, as written (no spaces or comments between the parts). */
  private dotted(): string {
    if (this.tt !== T_NAME) this.syntax();
    const start = this.ts;
    this.next();
    while (this.isOp(".")) {
      this.next();
      if (!this.isTok(T_NAME)) this.syntax();
      this.next();
    }
    return intern(this.src.slice(start, this.pEnd));
  }

  private fromStmt(l: number, c: number): A.ImportFrom {
    if (c > 1) this.innerImports = true;
    this.next();
    let level = 0;
    let module = "";
    if (this.isOp(".") || this.isOp("...")) {
      const start = this.ts;
      while (this.isOp(".") || this.isOp("...")) {
        if (this.ts !== start + level) this.bail("spaced relative import");
        level += this.tv.length;
        this.next();
      }
      if (this.tt === T_NAME) module = this.dotted();
    } else module = this.dotted();
    this.expectKw("import");
    let names: A.Alias[];
    if (this.isOp("*")) {
      if (module === "__future__" && level === 0) this.bail("from __future__ import *"); // an error to Python and tree-sitter
      this.next();
      names = one<A.Alias>({ name: "*", asname: null });
    } else {
      const paren = this.isOp("(");
      if (paren) this.next();
      const mark = S.length;
      for (;;) {
        S.push(this.alias());
        if (this.isOp(",")) {
          this.next();
          if (paren && this.isOp(")")) break;
          if (!paren && this.atStmtEnd()) break;
          continue;
        }
        break;
      }
      names = take<A.Alias>(S, mark);
      if (paren) this.expectOp(")");
    }
    return new A.ImportFrom(module, level, names, l, c, this.pLine, this.pCol);
  }

  private exprStatement(l: number, c: number): A.Stmt {
    const isYield = this.isKw("yield");
    const first = isYield ? this.yieldExpr() : this.exprList(true);
    const comma = !isYield && this.listComma;
    if (this.tt === T_OP) {
      const op = this.tv;
      if (op === "=") {
        const mark = S.length;
        S.push(this.toTarget(first));
        let value: A.Expr;
        let links = 0;
        for (;;) {
          links = this.link(links); // `a = b = c = ...`: tree-sitter nests each target
          this.next();
          const v = this.isKw("yield") ? this.yieldExpr() : this.exprList(true);
          if (this.isOp("=")) { S.push(this.toTarget(v)); continue; }
          value = v;
          break;
        }
        return new A.Assign(take<A.Expr>(S, mark), value, l, c, this.pLine, this.pCol);
      }
      if (op === ":") {
        if (comma) this.syntax();
        const target = this.toTarget(first);
        this.next();
        const annotation = this.type();
        let value: A.Expr | null = null;
        if (this.isOp("=")) {
          this.next();
          value = this.isKw("yield") ? this.yieldExpr() : this.exprList(true);
          if (this.isOp("=")) this.bail("annotated chained assignment");
        }
        return new A.AnnAssign(target, annotation, value, l, c, this.pLine, this.pCol);
      }
      if (AUG_OPS.has(op)) {
        const target = this.toTarget(first);
        this.next();
        const value = this.isKw("yield") ? this.yieldExpr() : this.exprList(true);
        if (this.isOp("=") || (this.tt === T_OP && AUG_OPS.has(this.tv))) this.bail("chained augmented assignment");
        return new A.AugAssign(target, op.slice(0, -1), value, l, c, this.pLine, this.pCol);
      }
    }
    if (!this.atStmtEnd()) this.syntax();
    if (comma && (first as A.TupleExpr).elts.length === 1) {
      // `x,` as a statement: tree-sitter's expression_statement holds the bare expression
      return new A.ExprStmt((first as A.TupleExpr).elts[0]!, l, c, this.pLine, this.pCol);
    }
    return new A.ExprStmt(first, l, c, this.pLine, this.pCol);
  }

  /** Assignment targets must be tree-sitter patterns (else it is an ERROR there);
   *  `(x)` as a target is a one-element tuple_pattern there, so a Tuple here. */
  private toTarget(e: A.Expr): A.Expr {
    const ps = this.parenSingles.get(e);
    if (ps !== undefined) {
      if (ps === null) this.bail("parenthesized target");
      this.parenSingles.delete(e);
      const inner = this.toTarget(e);
      return new A.TupleExpr(one(inner), ps.line, ps.col, ps.endLine, ps.endCol);
    }
    switch (e.kind) {
      case "Name": case "Attribute": case "Subscript": return e;
      case "Starred":
        if (e.double) this.syntax();
        if (e.value.kind !== "Name" && e.value.kind !== "Attribute" && e.value.kind !== "Subscript") this.bail("starred target");
        if (this.parenSingles.has(e.value)) this.bail("parenthesized target");
        return e;
      case "Tuple": case "List": {
        const elts = e.elts;
        for (let i = 0; i < elts.length; i++) elts[i] = this.toTarget(elts[i]!);
        return e;
      }
      default: this.bail("target");
    }
  }

  // ---------------------------------------------------------------- expressions

  /** set by exprList: whether a comma made it a tuple */
  private listComma = false;

  /** expression or expression_list (a Tuple spanning first..last incl. a trailing comma).
   *  `restrictedStar`: `*x` as tree-sitter's list_splat_pattern (identifier, attribute,
   *  subscript only) — else a star is not allowed here. */
  private exprList(restrictedStar: boolean): A.Expr {
    const l = this.tLine, c = this.tCol;
    const first = this.starOrExpr(restrictedStar);
    if (!this.isOp(",")) { this.listComma = false; return first; }
    const mark = S.length;
    S.push(first);
    while (this.isOp(",")) {
      this.next();
      if (this.exprListEnds()) break;
      S.push(this.starOrExpr(restrictedStar));
    }
    this.listComma = true;
    const elts = take<A.Expr>(S, mark);
    return new A.TupleExpr(elts, l, c, this.pLine, this.pCol);
  }

  private exprListEnds(): boolean {
    if (this.tt === T_NL || this.tt === T_EOF) return true;
    if (this.tt === T_OP) {
      const v = this.tv;
      return v === "=" || v === ";" || v === ":" || v === ")" || v === "]" || v === "}" || AUG_OPS.has(v);
    }
    return this.tt === T_KW && (this.tv === "in" || this.tv === "from");
  }

  private starOrExpr(restricted: boolean): A.Expr {
    if (this.isOp("*")) {
      if (!restricted) this.bail("star here");
      return this.restrictedStar();
    }
    return this.expr();
  }

  /** `*x` where tree-sitter only accepts list_splat_pattern. */
  private restrictedStar(): A.Starred {
    const l = this.tLine, c = this.tCol;
    this.next();
    const v = this.primary();
    if ((v.kind !== "Name" && v.kind !== "Attribute" && v.kind !== "Subscript") || this.parenSingles.has(v)) this.bail("starred expression");
    // `return a, *b[1:]`, `x[*b[0]]`: tree-sitter's tree may read `(*b)[1:]` (an ambiguity it resolves by context)
    if (v.kind === "Subscript") this.bail("starred subscript");
    if (!(this.tt === T_NL || this.tt === T_EOF || this.isKw("in") ||
      (this.tt === T_OP && (this.tv === "," || this.tv === ")" || this.tv === "]" || this.tv === "}" || this.tv === "=" || this.tv === ";" || this.tv === ":")))) {
      this.bail("starred expression");
    }
    return new A.Starred(v, false, l, c, this.pLine, this.pCol);
  }

  /** `*expr` as list_splat (collections, call arguments). */
  private fullStar(): A.Starred {
    const l = this.tLine, c = this.tCol;
    this.next();
    const v = this.expr();
    return new A.Starred(v, false, l, c, this.pLine, this.pCol);
  }

  private yieldExpr(): A.Yield {
    const l = this.tLine, c = this.tCol;
    this.next();
    if (this.isKw("from")) {
      this.next();
      const v = this.expr();
      return new A.Yield(v, true, l, c, this.pLine, this.pCol);
    }
    let value: A.Expr | null = null;
    if (!(this.atStmtEnd() || this.isOp(")") || this.isOp("=") || this.isOp("]") || this.isOp("}"))) value = this.exprList(true);
    return new A.Yield(value, false, l, c, this.pLine, this.pCol);
  }

  /** tree-sitter's `expression`: lambda, conditional, walrus, boolean ops, comparisons. */
  expr(): A.Expr {
    this.enter();
    const l = this.tLine, c = this.tCol;
    let e: A.Expr;
    if (this.isKw("lambda")) e = this.lambda();
    else {
      e = this.orExpr();
      if (this.tt === T_KW && this.tv === "if") {
        this.next();
        const test = this.orExpr();
        this.expectKw("else");
        const orelse = this.expr();
        e = new A.IfExp(test, e, orelse, l, c, this.pLine, this.pCol);
      } else if (this.tt === T_OP && this.tv === ":=") {
        if (e.kind !== "Name" || this.parenSingles.has(e)) this.syntax();
        if (this.fTriple.length && this.par === 1) this.bail("walrus in f-string");
        this.next();
        const value = this.expr();
        e = new A.NamedExpr(e, value, l, c, this.pLine, this.pCol);
      }
    }
    this.nest--;
    return e;
  }

  private lambda(): A.Lambda {
    const l = this.tLine, c = this.tCol;
    this.next();
    const params = this.params(":");
    this.expectOp(":");
    const body = this.expr();
    return new A.Lambda(params, body, l, c, this.pLine, this.pCol);
  }

  private orExpr(): A.Expr {
    return this.boolChain("or");
  }

  /** `a or b or ...` over and-chains, `a and b and ...` over not-expressions
   *  (the operand is chosen by the op, not passed as a closure: this is every expression's path). */
  private boolChain(op: "or" | "and"): A.Expr {
    const l = this.tLine, c = this.tCol;
    let e = op === "or" ? this.boolChain("and") : this.notExpr();
    let links = 0;
    while (this.tt === T_KW && this.tv === op) {
      links = this.link(links);
      this.next();
      const r = op === "or" ? this.boolChain("and") : this.notExpr();
      e = this.boolOp(op, e, r, l, c);
    }
    return e;
  }

  /** Flattened like the Converter: any BoolOp operand with the same op (even parenthesized). */
  private boolOp(op: "and" | "or", a: A.Expr, b: A.Expr, l: number, c: number): A.BoolOp {
    const mark = S.length;
    if (a.kind === "BoolOp" && a.op === op) for (const v of a.values) S.push(v); else S.push(a);
    if (b.kind === "BoolOp" && b.op === op) for (const v of b.values) S.push(v); else S.push(b);
    return new A.BoolOp(op, take<A.Expr>(S, mark), l, c, this.pLine, this.pCol);
  }

  private notExpr(): A.Expr {
    if (this.tt === T_KW && this.tv === "not") {
      this.enter();
      const l = this.tLine, c = this.tCol;
      this.next();
      const operand = this.notExpr();
      this.nest--;
      return new A.UnaryOp("not", operand, l, c, this.pLine, this.pCol);
    }
    return this.comparison();
  }

  private compareOp(): string | null {
    if (this.tt === T_OP) {
      if (COMPARE_OPS.has(this.tv)) return this.tv;
      return null;
    }
    if (this.tt === T_KW) {
      if (this.tv === "in") return "in";
      if (this.tv === "is") return "is";
      if (this.tv === "not") return "not";
    }
    return null;
  }

  private comparison(): A.Expr {
    const l = this.tLine, c = this.tCol;
    const left = this.binary(14);
    let op = this.compareOp();
    if (op === null) return left;
    const mark = S.length;
    const mark2 = S2.length;
    while (op !== null) {
      const opEnd = this.te;
      this.next();
      if (op === "not") {
        if (!this.isKw("in")) this.syntax();
        this.gapIsSpace(opEnd, this.ts);
        op = "not in";
        this.next();
      } else if (op === "is" && this.isKw("not")) {
        this.gapIsSpace(opEnd, this.ts);
        op = "is not";
        this.next();
      }
      S2.push(op);
      S.push(this.binary(14));
      op = this.compareOp();
    }
    const comparators = take<A.Expr>(S, mark);
    return new A.Compare(left, take<string>(S2, mark2), comparators, l, c, this.pLine, this.pCol);
  }

  private gapIsSpace(a: number, b: number): void {
    for (let i = a; i < b; i++) {
      const ch = this.src.charCodeAt(i);
      if (ch !== 32 && ch !== 9) this.bail("split comparison operator");
    }
  }

  /** Binary operators by precedence climbing (levels as in tree-sitter-python). */
  private binary(minLevel: number): A.Expr {
    const l = this.tLine, c = this.tCol;
    let left = this.unary();
    let links = 0;
    for (;;) {
      if (this.tt !== T_OP) return left;
      const lvl = BIN_LEVEL[this.tv];
      if (lvl === undefined || lvl < minLevel) return left;
      links = this.link(links);
      const op = this.tv;
      this.next();
      const right = this.binary(lvl + 1);
      left = new A.BinOp(op, left, right, l, c, this.pLine, this.pCol);
    }
  }

  private unary(): A.Expr {
    this.enter();
    const l = this.tLine, c = this.tCol;
    let e: A.Expr;
    if (this.tt === T_OP && (this.tv === "-" || this.tv === "+" || this.tv === "~")) {
      const op = this.tv;
      this.next();
      const operand = this.unary();
      if (op === "-" && operand.kind === "Constant" && typeof operand.value === "number") {
        e = new A.Constant(-operand.value, operand.type, l, c, this.pLine, this.pCol);
      } else e = new A.UnaryOp(op, operand, l, c, this.pLine, this.pCol);
    } else if (this.tt === T_KW && this.tv === "await") {
      this.next();
      const value = this.unary();
      e = new A.Await(value, l, c, this.pLine, this.pCol);
    } else {
      e = this.primary();
      if (this.tt === T_OP && this.tv === "**") {
        this.next();
        const right = this.unary();
        e = new A.BinOp("**", e, right, l, c, this.pLine, this.pCol);
      }
    }
    this.nest--;
    return e;
  }

  private primary(): A.Expr {
    const l = this.tLine, c = this.tCol;
    let e = this.atom();
    let links = 0;
    for (;;) {
      if (this.tt !== T_OP) return e;
      const v = this.tv;
      if (v === "." || v === "(" || v === "[") links = this.link(links);
      if (v === ".") {
        this.next();
        if (this.tt !== T_NAME) this.syntax();
        const attr = this.tv;
        this.next();
        e = new A.Attribute(e, attr, l, c, this.pLine, this.pCol);
      } else if (v === "(") {
        this.next();
        e = this.call(e, l, c);
      } else if (v === "[") {
        this.next();
        e = this.subscript(e, l, c);
      } else return e;
    }
  }

  private call(func: A.Expr, l: number, c: number): A.Call {
    const r = this.args(true);
    return new A.Call(func, r.args, r.keywords, l, c, this.pLine, this.pCol);
  }

  /** Arguments after '(' up to and including ')'. */
  private args(allowGen: boolean): { args: A.Expr[]; keywords: A.Keyword[] } {
    const mark = S.length;
    const kmark = S2.length;
    const pl = this.pLine, pc = this.pCol; // end of '(' — for a generator's start
    const genStartLine = pl, genStartCol = pc - 1;
    let count = 0;
    while (!this.isOp(")")) {
      const al = this.tLine, ac = this.tCol;
      if (this.isOp("*")) {
        const star = this.fullStar();
        // `f(a, *b.c())` (not first): tree-sitter may read the argument as `(*b.c)()`
        if (count > 0 && star.value.kind === "Call" && star.value.args.length === 0 && star.value.keywords.length === 0) this.bail("starred call without arguments");
        S.push(star);
      }
      else if (this.isOp("**")) {
        this.next();
        const value = this.expr();
        S2.push(new A.Keyword(null, value, al, ac, this.pLine, this.pCol));
      } else {
        const e = this.expr();
        if (this.isOp("=") && e.kind === "Name" && !this.parenSingles.has(e)) {
          this.next();
          const value = this.expr();
          S2.push(new A.Keyword(e.id, value, al, ac, this.pLine, this.pCol));
        } else if (this.tt === T_KW && (this.tv === "for" || this.tv === "async")) {
          if (!allowGen || count > 0) this.syntax();
          const generators = this.comprehension();
          if (!this.isOp(")")) this.syntax();
          this.next();
          const gen: A.ListComp = new A.ListComp("GeneratorExp", e, generators, genStartLine, genStartCol, this.pLine, this.pCol);
          S.length = mark;
          S2.length = kmark;
          return { args: one<A.Expr>(gen), keywords: EMPTY };
        } else S.push(e);
      }
      count++;
      if (this.isOp(",")) this.next();
      else if (!this.isOp(")")) this.syntax();
    }
    this.next();
    const args = take<A.Expr>(S, mark);
    const keywords = take<A.Keyword>(S2, kmark);
    return { args, keywords };
  }

  private subscript(value: A.Expr, l: number, c: number): A.Subscript {
    const mark = S.length;
    for (;;) {
      S.push(this.sliceOrExpr());
      if (this.isOp(",")) {
        this.next();
        if (this.isOp("]")) break;
        continue;
      }
      break;
    }
    this.expectOp("]");
    const n = S.length - mark;
    let slice: A.Expr;
    if (n === 1) { slice = S[mark] as A.Expr; S.length = mark; }
    else slice = new A.TupleExpr(take<A.Expr>(S, mark), l, c, this.pLine, this.pCol);
    return new A.Subscript(value, slice, l, c, this.pLine, this.pCol);
  }

  private sliceOrExpr(): A.Expr {
    const l = this.tLine, c = this.tCol;
    let lower: A.Expr | null = null;
    if (!this.isOp(":")) {
      if (this.isOp("*")) return this.restrictedStar();
      lower = this.expr();
      if (!this.isOp(":")) return lower;
    }
    this.next(); // ':'
    let upper: A.Expr | null = null;
    let step: A.Expr | null = null;
    if (!this.sliceEnd()) upper = this.expr();
    if (this.isOp(":")) {
      this.next();
      if (!this.sliceEnd()) step = this.expr();
    }
    return new A.Slice(lower, upper, step, l, c, this.pLine, this.pCol);
  }

  private sliceEnd(): boolean {
    return this.tt === T_OP && (this.tv === ":" || this.tv === "," || this.tv === "]");
  }

  private comprehension(): A.Comprehension[] {
    const mark = S.length;
    while (this.tt === T_KW && (this.tv === "for" || this.tv === "async")) {
      let isAsync = false;
      if (this.tv === "async") { isAsync = true; this.next(); if (!this.isKw("for")) this.syntax(); }
      this.next();
      const target = this.targetList();
      this.expectKw("in");
      const iter = this.isKw("lambda") ? this.lambda() : this.orExpr();
      if (this.isOp(",")) this.bail("comprehension iterable list");
      const imark = S2.length;
      while (this.isKw("if")) {
        this.next();
        const cond = this.isKw("lambda") ? this.lambda() : this.orExpr();
        S2.push(cond);
      }
      S.push({ target, iter, ifs: take<A.Expr>(S2, imark), isAsync });
    }
    return take<A.Comprehension>(S, mark);
  }

  /** for-loop and comprehension targets: patterns, a pattern_list when commas. */
  private targetList(): Target {
    const l = this.tLine, c = this.tCol;
    const first = this.target();
    if (!this.isOp(",")) return first;
    const mark = S.length;
    S.push(first);
    while (this.isOp(",")) {
      this.next();
      if (this.isKw("in")) break;
      S.push(this.target());
    }
    const elts = take<A.Expr>(S, mark);
    return new A.TupleExpr(elts, l, c, this.pLine, this.pCol);
  }

  private target(): Target {
    if (this.isOp("*")) return this.restrictedStar();
    return this.toTarget(this.binary(14));
  }

  private atom(): A.Expr {
    const l = this.tLine, c = this.tCol;
    switch (this.tt) {
      case T_NAME:
        if (this.tv === "async") this.bail("async as a name");
        return this.name();
      case T_NUM: return this.number(l, c);
      case T_STR: return this.strings(l, c);
      case T_KW:
        switch (this.tv) {
          case "None": this.next(); return new A.Constant(null, "None", l, c, this.pLine, this.pCol);
          case "True": this.next(); return new A.Constant(true, "bool", l, c, this.pLine, this.pCol);
          case "False": this.next(); return new A.Constant(false, "bool", l, c, this.pLine, this.pCol);
          default: this.syntax();
        }
      // falls through (never reached: syntax() throws)
      case T_OP:
        switch (this.tv) {
          case "(": return this.paren(l, c);
          case "[": return this.list(l, c);
          case "{": return this.brace(l, c);
          case "...": this.next(); return new A.Constant("...", "ellipsis", l, c, this.pLine, this.pCol);
          default: this.syntax();
        }
      // falls through
      default: this.syntax();
    }
  }

  private number(l: number, c: number): A.Constant {
    const raw = this.tv;
    const kind = this.sFlags;
    this.next();
    const t = raw.indexOf("_") === -1 ? raw : raw.replace(/_/g, "");
    if (kind === 2) return new A.Constant(t, "complex", l, c, this.pLine, this.pCol);
    if (kind === 1) return new A.Constant(Number(t), "float", l, c, this.pLine, this.pCol);
    const v = kind === 4 ? parseInt(t.slice(2), 8) : kind === 5 ? parseInt(t.slice(2), 2) : Number(t);
    return new A.Constant(v, "int", l, c, this.pLine, this.pCol);
  }

  private paren(l: number, c: number): A.Expr {
    this.next();
    if (this.isOp(")")) {
      this.next();
      return new A.TupleExpr(EMPTY, l, c, this.pLine, this.pCol);
    }
    let first: A.Expr;
    if (this.isKw("yield")) {
      const y = this.yieldExpr();
      this.expectOp(")");
      return y;
    }
    if (this.isOp("*")) {
      first = this.fullStar();
      if (!this.isOp(",")) this.bail("parenthesized star");
    } else first = this.expr();
    if (this.isOp(")")) {
      this.next();
      // a second pair of parentheses around the same node: too odd to mirror as a target
      this.parenSingles.set(first, this.parenSingles.has(first) ? null : { line: l, col: c, endLine: this.pLine, endCol: this.pCol });
      return first;
    }
    if (this.tt === T_KW && (this.tv === "for" || this.tv === "async")) {
      const generators = this.comprehension();
      this.expectOp(")");
      return new A.ListComp("GeneratorExp", first, generators, l, c, this.pLine, this.pCol);
    }
    const mark = S.length;
    S.push(first);
    while (this.isOp(",")) {
      this.next();
      if (this.isOp(")")) break;
      S.push(this.collectionElement());
    }
    this.expectOp(")");
    const elts = take<A.Expr>(S, mark);
    return new A.TupleExpr(elts, l, c, this.pLine, this.pCol);
  }

  /** `[*a.b()]`, `{*a.b}`: a lone starred element (or comprehension body). There
   *  tree-sitter binds the star to the first name only (its list_splat_pattern
   *  alias) and applies the rest on top: Call(Attribute(Starred(a), b)). Rebuild
   *  that shape: the leftmost spine gets the Starred leaf and starts at the star. */
  private loneStar(st: A.Starred): A.Expr {
    const v = st.value;
    if (v.kind === "Name") {
      if (this.parenSingles.has(v)) this.bail("starred parenthesized name");
      return st;
    }
    let node: A.Expr = v;
    for (let guard = 0; guard < 1000; guard++) {
      if (this.parenSingles.has(node)) this.bail("starred parenthesized expression");
      let child: A.Expr;
      switch (node.kind) {
        case "Attribute": case "Subscript": child = node.value; break;
        case "Call": child = node.func; break;
        case "BinOp": case "Compare": child = node.left; break;
        case "BoolOp": child = node.values[0]!; break;
        default: this.bail("starred expression shape");
      }
      node.line = st.line;
      node.col = st.col;
      if (child.kind === "Name") {
        if (this.parenSingles.has(child)) this.bail("starred parenthesized name");
        const star: A.Starred = new A.Starred(child, false, st.line, st.col, child.endLine, child.endCol);
        switch (node.kind) {
          case "Attribute": case "Subscript": node.value = star; break;
          case "Call": node.func = star; break;
          case "BinOp": case "Compare": node.left = star; break;
          case "BoolOp": node.values[0] = star; break;
          default: break;
        }
        return v;
      }
      node = child;
    }
    this.bail("starred expression shape");
  }

  private collectionElement(): A.Expr {
    if (this.isOp("*")) return this.fullStar();
    if (this.isKw("yield")) return this.yieldExpr();
    return this.expr();
  }

  private list(l: number, c: number): A.Expr {
    this.next();
    if (this.isOp("]")) {
      this.next();
      return new A.ListExpr(EMPTY, l, c, this.pLine, this.pCol);
    }
    let first = this.collectionElement();
    if (first.kind === "Starred" && (this.isOp("]") || this.isKw("for") || this.isKw("async"))) first = this.loneStar(first);
    return this.displayRest(first, "]", l, c);
  }

  /** A list or set display after its first element: a comprehension, or the other elements up to `close`. */
  private displayRest(first: A.Expr, close: "]" | "}", l: number, c: number): A.Expr {
    const list = close === "]";
    if (this.tt === T_KW && (this.tv === "for" || this.tv === "async")) {
      if (first.kind === "Yield") this.syntax();
      const generators = this.comprehension();
      this.expectOp(close);
      return new A.ListComp(list ? "ListComp" : "SetComp", first, generators, l, c, this.pLine, this.pCol);
    }
    const mark = S.length;
    S.push(first);
    while (this.isOp(",")) {
      this.next();
      if (this.isOp(close)) break;
      S.push(this.collectionElement());
    }
    this.expectOp(close);
    const elts = take<A.Expr>(S, mark);
    return list ? new A.ListExpr(elts, l, c, this.pLine, this.pCol) : new A.SetExpr(elts, l, c, this.pLine, this.pCol);
  }

  private brace(l: number, c: number): A.Expr {
    this.next();
    if (this.isOp("}")) {
      this.next();
      return new A.DictExpr(EMPTY, EMPTY, l, c, this.pLine, this.pCol);
    }
    if (this.isOp("**")) return this.dictRest(l, c, null, null);
    let first = this.collectionElement();
    if (first.kind === "Starred" && (this.isOp("}") || this.isKw("for") || this.isKw("async"))) first = this.loneStar(first);
    if (this.isOp(":")) {
      if (first.kind === "Starred" || first.kind === "Yield") this.syntax();
      this.next();
      const value = this.expr();
      if (this.tt === T_KW && (this.tv === "for" || this.tv === "async")) {
        const generators = this.comprehension();
        this.expectOp("}");
        return new A.DictComp(first, value, generators, l, c, this.pLine, this.pCol);
      }
      return this.dictRest(l, c, first, value);
    }
    return this.displayRest(first, "}", l, c);
  }

  /** Dict entries; the first pair (if any) is already parsed. */
  private dictRest(l: number, c: number, k0: A.Expr | null, v0: A.Expr | null): A.DictExpr {
    const mark = S.length;
    const vmark = S2.length;
    let needEntry = true;
    if (v0) {
      S.push(k0); S2.push(v0);
      needEntry = false;
    }
    for (;;) {
      if (!needEntry) {
        if (!this.isOp(",")) break;
        this.next();
        if (this.isOp("}")) break;
      }
      needEntry = false;
      if (this.isOp("**")) {
        this.next();
        S.push(null);
        S2.push(this.binary(14));
      } else {
        const k = this.expr();
        this.expectOp(":");
        const v = this.expr();
        S.push(k); S2.push(v);
      }
    }
    this.expectOp("}");
    return new A.DictExpr(take<A.Expr | null>(S, mark), take<A.Expr>(S2, vmark), l, c, this.pLine, this.pCol);
  }

  // ---------------------------------------------------------------- match statements

  /** `match <subject>:` on one line (brackets balanced, a ':' last): a match
   *  statement. Anything else starting with `match` is an expression (`match(x)`,
   *  `match = ...`), or a match statement we do not model (declined). */
  private matchAhead(): boolean {
    const src = this.src;
    let p = this.te;
    let depth = 0;
    let last = 0;
    let quote = 0;
    for (; p < this.n; p++) {
      const ch = src.charCodeAt(p);
      if (quote) { if (ch === quote) quote = 0; else if (ch === 92) p++; continue; }
      if (ch === 10 || ch === 13 || ch === 35) break;
      if (ch === 34 || ch === 39) { quote = ch; last = ch; continue; }
      if (ch === 40 || ch === 91 || ch === 123) depth++;
      else if (ch === 41 || ch === 93 || ch === 125) depth--;
      if (ch !== 32 && ch !== 9) last = ch;
    }
    return depth === 0 && quote === 0 && last === 58;
  }

  /** The Converter keeps the first subject, and each case's first pattern as
   *  tree-sitter's nodes: a `case_pattern` Unknown around what it holds. */
  private matchStmt(l: number, c: number): A.Match {
    this.enter();
    this.next(); // match
    const subject = this.expr();
    if (!this.isOp(":")) this.bail("match with several subjects");
    this.next();
    if (this.tt !== T_NL) this.syntax();
    this.next();
    if (!this.isTok(T_INDENT)) this.syntax();
    const d = ++this.bdepth;
    this.next();
    const cases: A.MatchCase[] = [];
    while (this.tt !== T_DEDENT) {
      if (!(this.tt === T_NAME && this.tv === "case")) this.syntax();
      cases.push(this.caseClause());
    }
    if (this.dcOff[d]! > this.stEndOff) {
      this.stEndOff = this.dcOff[d]!; this.stEndLine = this.dcLine[d]!; this.stEndCol = this.dcCol[d]!;
    }
    this.bdepth--;
    this.nest--;
    this.next();
    return new A.Match(subject, cases.slice(), l, c, this.stEndLine, this.stEndCol);
  }

  private caseClause(): A.MatchCase {
    this.next(); // case
    const pattern = this.casePattern();
    if (this.isOp(",")) this.bail("case with several patterns");
    let guard: A.Expr | null = null;
    if (this.isKw("if")) { this.next(); guard = this.expr(); }
    const body = this.suite();
    return { pattern, guard, body };
  }

  /** case_pattern: an as_pattern, a keyword_pattern or a simple pattern (whose nodes it holds directly). */
  private casePattern(): A.Expr {
    this.enter();
    const l = this.tLine, c = this.tCol, off = this.ts;
    const kids = this.tt === T_NAME && this.eqAhead() ? one(this.keywordPattern()) : this.simplePattern();
    let node = this.unknown(off, l, c, kids);
    let links = 0;
    while (this.isKw("as")) {
      links = this.link(links);
      this.next();
      if (this.tt !== T_NAME) this.syntax();
      const name = this.name();
      const as = this.unknown(off, l, c, [node, name]);
      node = this.unknown(off, l, c, one<A.Expr>(as));
    }
    this.nest--;
    return node;
  }

  /** `x=` (not `x==`) ahead: a keyword pattern in a class pattern's arguments. */
  private eqAhead(): boolean {
    if (!this.nextCharIs(61)) return false;
    let p = this.te;
    while (this.src.charCodeAt(p) === 32 || this.src.charCodeAt(p) === 9) p++;
    return this.src.charCodeAt(p + 1) !== 61;
  }

  private keywordPattern(): A.Expr {
    const l = this.tLine, c = this.tCol, off = this.ts;
    const name = this.name();
    this.expectOp("=");
    return this.unknown(off, l, c, [name, ...this.simplePattern()]);
  }

  /** The nodes a simple pattern puts in its parent: one, or none for `_`; alternatives joined by `|` are one union_pattern. */
  private simplePattern(): A.Expr[] {
    const l = this.tLine, c = this.tCol, off = this.ts;
    const first = this.simpleAlternative();
    if (!this.isOp("|")) return first;
    const mark = S.length;
    for (const k of first) S.push(k);
    let links = 0;
    while (this.isOp("|")) {
      links = this.link(links);
      this.next();
      for (const k of this.simpleAlternative()) S.push(k);
    }
    return one<A.Expr>(this.unknown(off, l, c, take<A.Expr>(S, mark)));
  }

  private simpleAlternative(): A.Expr[] {
    const l = this.tLine, c = this.tCol, off = this.ts;
    switch (this.tt) {
      case T_NUM: return one(this.numberPattern(off, l, c));
      case T_STR: {
        const s = this.strings(l, c);
        if (s.kind !== "Constant") this.bail("f-string pattern");
        return one<A.Expr>(s);
      }
      case T_KW:
        if (this.tv === "None" || this.tv === "True" || this.tv === "False") return one(this.atom());
        return this.syntax();
      case T_NAME: {
        if (this.tv === "_") {
          // `_.a`, `_()`: tree-sitter reads `_` as the wildcard only and reports an error
          if (this.nextCharIs(46) || this.nextCharIs(40)) this.bail("wildcard followed by . or (");
          this.next();
          return EMPTY;
        }
        const dotted = this.dottedName();
        if (!this.isOp("(")) return one(dotted);
        this.next();
        const mark = S.length;
        S.push(dotted);
        this.patternList(")");
        return one<A.Expr>(this.unknown(off, l, c, take<A.Expr>(S, mark)));
      }
      case T_OP:
        switch (this.tv) {
          case "-": {
            this.next();
            if (this.tt !== T_NUM) this.syntax();
            return one(this.numberPattern(off, l, c));
          }
          case "*": return one(this.splatPattern());
          case "[": case "(": {
            const close = this.tv === "[" ? "]" : ")";
            this.next();
            const mark = S.length;
            this.patternList(close);
            const elts = take<A.Expr>(S, mark);
            return one<A.Expr>(close === "]" ? new A.ListExpr(elts, l, c, this.pLine, this.pCol) : new A.TupleExpr(elts, l, c, this.pLine, this.pCol));
          }
          case "{": return one(this.dictPattern(off, l, c));
        }
        return this.syntax();
      default: return this.syntax();
    }
  }

  /** `*rest` / `**rest` (a splat_pattern around the name), `*_` / `**_` (the wildcard is no node). */
  private splatPattern(): A.Expr {
    const l = this.tLine, c = this.tCol, off = this.ts;
    this.next();
    if (this.tt !== T_NAME) this.syntax();
    if (this.tv === "_") { this.next(); return this.unknown(off, l, c, EMPTY); }
    return this.unknown(off, l, c, one<A.Expr>(this.name()));
  }

  /** case patterns separated by commas up to `close` (consumed), pushed on S. */
  private patternList(close: string): void {
    this.enter();
    while (!this.isOp(close)) {
      S.push(this.casePattern());
      if (this.isOp(",")) this.next();
      else if (!this.isOp(close)) this.syntax();
    }
    this.next();
    this.nest--;
  }

  /** A number (after an optional '-', which stays out of the node), or a complex_pattern `1+2j`. */
  private numberPattern(off: number, l: number, c: number): A.Expr {
    const nl = this.tLine, nc = this.tCol;
    const n = this.number(nl, nc);
    // `-1`: tree-sitter keeps the '-' in the parent node (whose span starts there) and the number positive
    if (!(this.isOp("+") || this.isOp("-"))) return n;
    this.next();
    if (this.tt !== T_NUM) this.syntax();
    const m = this.number(this.tLine, this.tCol);
    return this.unknown(off, l, c, [n, m]);
  }

  private dictPattern(off: number, l: number, c: number): A.Expr {
    this.next(); // {
    this.enter();
    const mark = S.length;
    while (!this.isOp("}")) {
      if (this.isOp("**")) {
        S.push(this.splatPattern());
      } else {
        for (const k of this.simplePattern()) S.push(k);
        this.expectOp(":");
        S.push(this.casePattern());
      }
      if (this.isOp(",")) this.next();
      else if (!this.isOp("}")) this.syntax();
    }
    this.next();
    this.nest--;
    return this.unknown(off, l, c, take<A.Expr>(S, mark));
  }

  private dottedName(): A.Expr {
    const l = this.tLine, c = this.tCol, off = this.ts;
    const mark = S.length;
    S.push(this.name());
    while (this.isOp(".")) {
      this.next();
      if (this.tt !== T_NAME) this.syntax();
      S.push(this.name());
    }
    return this.unknown(off, l, c, take<A.Expr>(S, mark));
  }

  /** The current NAME token as a Name node. */
  private name(): A.Name {
    const l = this.tLine, c = this.tCol;
    const id = this.tv;
    this.next();
    return new A.Name(id, l, c, this.pLine, this.pCol);
  }

  // ---------------------------------------------------------------- types

  /** tree-sitter's `type`: a plain expression, unless it starts `Name[` (a
   *  generic_type), which the Converter turns into Unknown nodes. */
  private type(): A.Expr {
    const l = this.tLine, c = this.tCol, off = this.ts;
    if (this.tt === T_OP && (this.tv === "*" || this.tv === "**")) this.bail("splat type");
    if (!(this.tt === T_NAME && this.nextCharIs(91))) return this.expr();
    if (this.tv === "match" || this.tv === "print" || this.tv === "exec") this.bail("keyword generic type");
    this.enter();
    let t: A.Expr = this.genericType(l, c, off);
    let links = 0;
    for (;;) {
      if (this.isOp(".") || this.isOp("|")) links = this.link(links);
      if (this.isOp(".")) {
        this.next();
        if (!this.isTok(T_NAME)) this.syntax();
        t = this.unknown(off, l, c, [t, this.name()]);
        continue;
      }
      if (this.isOp("|")) {
        this.next();
        const r = this.typeOperand();
        t = this.unknown(off, l, c, [t, r]);
        if (this.isOp(".")) this.bail("member of union type");
        continue;
      }
      break;
    }
    this.nest--;
    return t;
  }

  /** the right side of a union: a generic (without its own unions) or an expression */
  private typeOperand(): A.Expr {
    const l = this.tLine, c = this.tCol, off = this.ts;
    if (this.tt === T_NAME && this.nextCharIs(91)) {
      if (this.tv === "match" || this.tv === "print" || this.tv === "exec") this.bail("keyword generic type");
      const t = this.genericType(l, c, off);
      if (this.isOp(".")) this.bail("member type after union");
      return t;
    }
    if (this.tt === T_OP && (this.tv === "*" || this.tv === "**")) this.bail("splat type");
    return this.expr();
  }

  private nextCharIs(ch: number): boolean {
    let p = this.te;
    const src = this.src;
    while (src.charCodeAt(p) === 32 || src.charCodeAt(p) === 9) p++;
    return src.charCodeAt(p) === ch;
  }

  /** `Name[...]` at the current token (l, c, off: where it starts). */
  private genericType(l: number, c: number, off: number): A.UnknownExpr {
    const name = this.name();
    const pl = this.tLine, pc = this.tCol, poff = this.ts;
    this.expectOp("[");
    const mark = S2.length;
    for (;;) {
      S2.push(this.typeParamElement());
      if (this.isOp(",")) { this.next(); if (this.isOp("]")) break; continue; }
      break;
    }
    this.expectOp("]");
    const elts = take<A.Expr>(S2, mark);
    const tp: A.UnknownExpr = new A.UnknownExpr(firstLine(this.src.slice(poff, this.pEnd)), elts, pl, pc, this.pLine, this.pCol);
    return this.unknown(off, l, c, [name, tp]);
  }

  private typeParamElement(): A.Expr {
    const l = this.tLine, c = this.tCol, off = this.ts;
    if (this.isOp("*")) {
      this.next();
      if (this.tt !== T_NAME) this.bail("splat type");
      const t = this.unknown(off, l, c, [this.name()]);
      if (this.isOp(":")) this.bail("constrained splat type");
      return t;
    }
    const t = this.type();
    if (this.isOp(":")) {
      this.next();
      const r = this.typeParamElement();
      return this.unknown(off, l, c, [t, r]);
    }
    return t;
  }

  private unknown(off: number, l: number, c: number, children: A.Expr[]): A.UnknownExpr {
    return new A.UnknownExpr(firstLine(this.src.slice(off, this.pEnd)), children, l, c, this.pLine, this.pCol);
  }

  // ---------------------------------------------------------------- strings

  private strings(l: number, c: number): A.Expr {
    const first = this.oneString();
    if (this.tt !== T_STR) return first;
    const mark = S.length;
    S.push(first);
    while (this.tt === T_STR) S.push(this.oneString());
    const parts = take<A.Constant | A.JoinedStr>(S, mark);
    let allConst = true;
    let isBytes = false;
    for (const p of parts) {
      if (p.kind !== "Constant") allConst = false;
      else if (p.type === "bytes") isBytes = true;
    }
    if (allConst) {
      let v = "";
      for (const p of parts) v += (p as A.Constant).value as string;
      return new A.Constant(v, isBytes ? "bytes" : "str", l, c, this.pLine, this.pCol);
    }
    const vm = S.length;
    for (const p of parts) {
      if (p.kind === "JoinedStr") for (const v of p.values) S.push(v);
      else S.push(p);
    }
    return new A.JoinedStr(take<A.Expr>(S, vm), l, c, this.pLine, this.pCol);
  }

  private oneString(): A.Constant | A.JoinedStr {
    const l = this.tLine, c = this.tCol;
    const flags = this.sFlags;
    if (flags & 4) return this.fString(l, c);
    const start = this.ts + this.sPre + this.sQ;
    const end = this.te - this.sQ;
    const value = end > start ? this.contentValue(start, end, (flags & 1) !== 0, (flags & 2) !== 0) : "";
    this.next();
    // short strings recur (field names, dict keys, "POST"): one copy each
    return new A.Constant(value.length <= SHORT_STRING ? intern(value) : value, flags & 2 ? "bytes" : "str", l, c, this.pLine, this.pCol);
  }

  /** The value the Converter gives one string_content node of a non-f string:
   *  escapes as tree-sitter tokenizes them (children) decoded one by one, or —
   *  when there is no escape child — decodeEscapes over the whole text. */
  private contentValue(start: number, end: number, raw: boolean, bytes: boolean): string {
    const src = this.src;
    const text = src.slice(start, end);
    if (raw || text.indexOf("\\") === -1) return text;
    let out = "";
    let from = start;
    let children = false;
    for (let p = start; p < end; p++) {
      if (src.charCodeAt(p) !== 92) continue;
      const len = this.escapeLen(p, end, bytes);
      if (len === 0) continue;
      children = true;
      out += src.slice(from, p) + decodeEscapes(src.slice(p, p + len));
      p += len - 1;
      from = p + 1;
    }
    if (!children) return decodeEscapes(text);
    return out + src.slice(from, end);
  }

  /** Length of tree-sitter-python's escape_sequence token at a backslash, or 0. */
  private escapeLen(p: number, end: number, bytes: boolean): number {
    const src = this.src;
    const d = src.charCodeAt(p + 1);
    const hexRun = (k: number): boolean => {
      if (p + 2 + k > end) return false;
      for (let i = 0; i < k; i++) if (!isHex(src.charCodeAt(p + 2 + i))) return false;
      return true;
    };
    switch (d) {
      case 117: return !bytes && hexRun(4) ? 6 : 0; // u
      case 85: return !bytes && hexRun(8) ? 10 : 0; // U
      case 120: return hexRun(2) ? 4 : 0; // x
      case 10: return 2;
      case 13: return src.charCodeAt(p + 2) === 10 ? 3 : 0;
      case 39: case 34: case 97: case 98: case 102: case 114: case 110: case 116: case 118: case 92: return 2;
      case 78: { // N{...}
        if (bytes || src.charCodeAt(p + 2) !== 123) return 0;
        // The name ends at the first '}'; a quote, newline or backslash first (or the
        // string's end) is where tree-sitter's token and ours could part: decline.
        // (Scanning only this far keeps many unclosed `\N{` linear.)
        let close = p + 3;
        for (; close < end; close++) {
          const ch = src.charCodeAt(close);
          if (ch === 125) break;
          if (ch === 10 || ch === 34 || ch === 39 || ch === 92) this.bail("odd \\N escape");
        }
        if (close >= end) this.bail("odd \\N escape");
        if (close === p + 3) return 0;
        return close + 1 - p;
      }
      default:
        if (isDigit(d)) {
          let k = 2;
          while (k < 4 && p + k < end && isDigit(src.charCodeAt(p + k))) k++;
          return k;
        }
        return 0;
    }
  }

  /** An f-string: the tokenizer stopped after the opening quote; read the body
   *  here, parsing each `{...}` with the expression parser. */
  private fString(l: number, c: number): A.Constant | A.JoinedStr {
    const src = this.src;
    const flags = this.sFlags;
    if (flags & 2) this.bail("bytes f-string");
    const raw = (flags & 1) !== 0;
    const quote = src.charCodeAt(this.ts + this.sPre);
    const triple = this.sQ === 3;
    const mark = S.length;
    let p = this.pos;
    let segStart = p, segLine = this.line, segCol = p - this.ls + 1;
    let from = p;
    let out = "";
    let children = false;
    const flush = (end: number): void => {
      if (end > segStart) {
        const value = children ? out + src.slice(from, end) : raw ? src.slice(segStart, end) : decodeEscapes(src.slice(segStart, end));
        if (value !== "") S.push(new A.Constant(value, "str", segLine, segCol, this.line, end - this.ls + 1));
      }
      out = ""; children = false;
    };
    let interps = 0;
    for (;;) {
      if (p >= this.n) this.syntax();
      const ch = src.charCodeAt(p);
      if (ch === quote) {
        if (!triple) { flush(p); p++; break; }
        if (src.charCodeAt(p + 1) === quote && src.charCodeAt(p + 2) === quote) { flush(p); p += 3; break; }
        p++;
        continue;
      }
      if (ch === 10) {
        if (!triple) this.syntax();
        p++; this.line++; this.ls = p;
        continue;
      }
      if (ch === 92) {
        const d = src.charCodeAt(p + 1);
        if (raw) {
          p++;
          if (d === quote || d === 92) p++;
          else if (d === 13 || d === 10) {
            if (d === 13 && src.charCodeAt(p + 1) === 10) p++;
            if (src.charCodeAt(p) === 10) { p++; this.line++; this.ls = p; }
            else p++;
          }
          continue;
        }
        const len = this.escapeLen(p, this.n, false);
        if (len === 0) { p++; continue; }
        children = true;
        out += src.slice(from, p) + decodeEscapes(src.slice(p, p + len));
        if (d === 10 || d === 13) { this.line++; this.ls = p + len; }
        p += len;
        from = p;
        continue;
      }
      if (ch === 123 || ch === 125) {
        if (src.charCodeAt(p + 1) === ch) {
          children = true;
          out += src.slice(from, p) + (ch === 123 ? "{{" : "}}");
          p += 2;
          from = p;
          continue;
        }
        if (ch === 125) this.syntax();
        flush(p);
        this.pos = p;
        S.push(this.interpolation(quote, triple));
        interps++;
        p = this.pos;
        segStart = p; segLine = this.line; segCol = p - this.ls + 1;
        from = p;
        continue;
      }
      if (ch >= 0xd800 && ch <= 0xdfff) this.checkSurrogate(p);
      p++;
    }
    this.endTokenAt(p);
    this.next();
    const values = take<A.Expr>(S, mark);
    if (interps === 0) {
      let v = "";
      for (const x of values) v += (x as A.Constant).value as string;
      return new A.Constant(v, "str", l, c, this.pLine, this.pCol);
    }
    return new A.JoinedStr(values, l, c, this.pLine, this.pCol);
  }

  /** `{expr[=][!c][:spec]}` at this.pos (on the '{'); leaves pos after the '}'. */
  private interpolation(quote: number, triple: boolean): A.FormattedValue {
    const src = this.src;
    const l = this.line, c = this.pos - this.ls + 1;
    this.enter();
    this.fTriple.push(triple);
    const savedPar = this.par;
    const savedContent = this.lineHasContent;
    this.par = 1;
    this.endTokenAt(this.pos + 1);
    this.next();
    if (this.isOp("}")) this.syntax();
    const value = this.isKw("yield") ? this.yieldExpr() : this.exprList(false);
    if (this.isOp("=")) this.next();
    let conversion: string | null = null;
    if (this.isOp("!")) {
      const ch = src.charCodeAt(this.te);
      if (!(ch >= 97 && ch <= 122)) this.syntax();
      conversion = src[this.te]!;
      this.pos = this.te + 1;
      this.te = this.pos; this.teCol++;
      this.next();
    }
    let formatSpec: string | null = null;
    if (this.isOp(":")) {
      const specStart = this.te;
      let p = specStart;
      const first = src.charCodeAt(p);
      if (first === 32 || first === 9) this.bail("format spec starting with space");
      for (;;) {
        if (p >= this.n) this.syntax();
        const ch = src.charCodeAt(p);
        if (ch === 125) break;
        if (ch === 123) {
          if (src.charCodeAt(p + 1) === 123) this.bail("{{ in format spec");
          this.pos = p;
          this.par = 0;
          this.interpolation(quote, triple);
          p = this.pos;
          continue;
        }
        if (ch === 10 || ch === quote || ch === 92) this.bail("odd format spec");
        p++;
      }
      formatSpec = src.slice(specStart, p);
      if (formatSpec.trim() === "" && formatSpec !== "") this.bail("blank format spec");
      this.pos = p + 1;
    } else {
      if (!this.isOp("}")) this.syntax();
      this.pos = this.te;
    }
    this.fTriple.pop();
    this.par = savedPar;
    this.lineHasContent = savedContent;
    this.nest--;
    return new A.FormattedValue(value, conversion, formatSpec, l, c, this.line, this.pos - this.ls + 1);
  }
}

/** Prefix letters before a quote: flags (1 raw, 2 bytes, 4 format), or -1 when
 *  these letters are not a Python string prefix (then it is an identifier). */
function stringPrefix(src: string, start: number, end: number): number {
  let flags = 0;
  let u = false;
  for (let p = start; p < end; p++) {
    const ch = src.charCodeAt(p) | 32;
    if (ch === 114) { if (flags & 1) return -1; flags |= 1; }
    else if (ch === 98) { if (flags & 2) return -1; flags |= 2; }
    else if (ch === 102) { if (flags & 4) return -1; flags |= 4; }
    else if (ch === 117) { if (u || end - start > 1) return -1; u = true; }
    else return -1;
  }
  if ((flags & 6) === 6) return -1;
  return flags;
}

/** Parse `source` into the same AST as the tree-sitter path, or null (see file comment). */
/** Our AST of `source`, or null when this parser declines it (the reason: lastBailReason()).
 *  Never throws: an internal error is a decline too, and tree-sitter parses the file. */
export function fastParse(source: string): ParseResult | null {
  bailReason = "";
  // NUL anywhere (strings and comments too) is an error to tree-sitter; a backslash
  // continuation at the very end is an UnknownStmt there. Both rare: decline.
  if (source.includes("\0")) { bailReason = "NUL byte"; return null; }
  if (/\\\s*$/.test(source.slice(-64))) { bailReason = "continuation at end of file"; return null; }
  const sMark = S.length, s2Mark = S2.length;
  try {
    const p = new Parser(source);
    const body = p.parseModule();
    return { module: { kind: "Module", body, hasErrors: false, errorLines: EMPTY, innerImports: p.innerImports }, tooDeep: false };
  } catch (e) {
    S.length = sMark;
    S2.length = s2Mark;
    if (e instanceof Bail) bailReason = e.reason;
    else { bailReason = "internal: " + (e instanceof Error ? e.message : String(e)); bailDetail = e instanceof Error ? String(e.stack) : ""; }
    return null;
  }
}
