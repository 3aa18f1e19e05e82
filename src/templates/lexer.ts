// A hand-written lexer for the Django template language (and the subset of
// Jinja2 syntax we need: the same three delimiters, `-` whitespace control,
// `{% raw %}`). No maintained JavaScript library lexes Django templates, and we
// need what Django's own lexer does not keep: exact line/column of every token,
// filter chains with the position of each filter, and tolerance of broken markup
// (an unterminated tag becomes text plus an "error" token; lexing goes on).
//
// Differences from Django's regex lexer, on purpose: quotes are honoured inside
// `{{ }}`/`{% %}`, so `{{ x|default:"}}" }}` is one token, as the author meant.

import { exact, intern } from "../project/compact.js";

export type Dialect = "django" | "jinja2";

export interface Pos {
  /** 0-based UTF-16 offset into the template text */
  offset: number;
  /** 1-based line and column */
  line: number;
  col: number;
}

export interface Filter {
  name: string;
  /** raw argument text (`"a|b"`, `var`, `("x", 2)`), or null */
  arg: string | null;
  /** offset of the filter name in the template */
  offset: number;
}

interface TokenBase {
  readonly start: Pos;
  /** exclusive */
  readonly end: Pos;
  /** the exact source text of the token */
  readonly raw: string;
  /** start and end offsets, without making a Pos */
  readonly from: number;
  readonly to: number;
}
export interface TextToken extends TokenBase { type: "text" }
export interface CommentToken extends TokenBase { type: "comment" }
export interface VarToken extends TokenBase {
  type: "var";
  /** the expression before the first filter, trimmed: `user.profile.bio` */
  expr: string;
  filters: readonly Filter[];
}
export interface BlockToken extends TokenBase {
  type: "block";
  /** tag name: `if`, `for`, `autoescape`, `endblock`... */
  name: string;
  /** arguments split on whitespace outside quotes (Django's smart_split) */
  args: string[];
  /** the text after the tag name, trimmed */
  argText: string;
}
/** Broken markup: an opening delimiter with no close. The text is also kept as a text token. */
export interface ErrorToken extends TokenBase { type: "error"; message: string }

export type Token = TextToken | CommentToken | VarToken | BlockToken | ErrorToken;

/** Maps offsets to 1-based line/column once per text. */
export class LineIndex {
  private readonly starts: number[];
  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    this.starts = exact(starts);
  }
  pos(offset: number): Pos {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo + 1, col: offset - this.starts[lo]! + 1 };
  }
}

// Tokens keep two offsets and the text's line index, and make their positions and
// source text when asked: a template's variables live for the whole scan, and two
// position objects and a copy of the text per variable were ~12 MB on a
// 1.5M-line tree, for values only a finding's location reads.
abstract class Spanned {
  constructor(readonly from: number, readonly to: number, private readonly index: LineIndex) {}
  get start(): Pos { return this.index.pos(this.from); }
  get end(): Pos { return this.index.pos(this.to); }
  get raw(): string { return this.index.text.slice(this.from, this.to); }
}

class Tok extends Spanned {
  constructor(readonly type: "text" | "comment", from: number, to: number, index: LineIndex) { super(from, to, index); }
}

class VarTok extends Spanned {
  readonly type = "var";
  constructor(readonly expr: string, readonly filters: readonly Filter[], from: number, to: number, index: LineIndex) { super(from, to, index); }
}

class BlockTok extends Spanned {
  readonly type = "block";
  constructor(readonly name: string, readonly args: string[], readonly argText: string, from: number, to: number, index: LineIndex) { super(from, to, index); }
}

class ErrorTok extends Spanned {
  readonly type = "error";
  constructor(readonly message: string, from: number, to: number, index: LineIndex) { super(from, to, index); }
}

const CLOSE: Record<string, string> = { "{{": "}}", "{%": "%}", "{#": "#}" };

/**
 * Find the close delimiter of a tag opened at `from`, honouring quotes. Django
 * tags end at the line end (its lexer does not cross newlines); Jinja2 tags may span lines.
 */
function findClose(text: string, from: number, close: string, multiline: boolean, quoteAware: boolean): number {
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\n" && !multiline) return -1;
    if (quote) {
      if (c === "\\" && i + 1 < text.length) { i++; continue; }
      if (c === quote) quote = null;
      continue;
    }
    if (quoteAware && (c === '"' || c === "'")) { quote = c; continue; }
    if (c === close[0] && text[i + 1] === close[1]) return i;
  }
  // An unbalanced quote must not swallow the rest of the line: retry without quotes.
  return quoteAware ? findClose(text, from, close, multiline, false) : -1;
}

/** Split on whitespace outside quotes (and outside parentheses for Jinja2 calls). */
export function smartSplit(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quote: string | null = null;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      cur += c;
      if (c === "\\" && i + 1 < s.length) { cur += s[++i]; continue; }
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") { quote = c; cur += c; continue; }
    if (c === "(" || c === "[" || c === "{") depth++;
    if ((c === ")" || c === "]" || c === "}") && depth > 0) depth--;
    if (/\s/.test(c) && depth === 0) {
      if (cur) out.push(cur);
      cur = "";
      continue;
    }
    cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

/** Most variables have no filter: they share one empty, frozen list. */
const NO_FILTERS: readonly Filter[] = Object.freeze([]);

/** Split a variable body into expression and filters, honouring quotes and parentheses. */
export function parseFilterChain(body: string, bodyOffset: number): { expr: string; filters: readonly Filter[] } {
  const parts: { text: string; offset: number }[] = [];
  let quote: string | null = null;
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quote) {
      if (c === "\\") { i++; continue; }
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === "(" || c === "[") depth++;
    else if ((c === ")" || c === "]") && depth > 0) depth--;
    else if (c === "|" && depth === 0 && body[i + 1] !== "|") {
      parts.push({ text: body.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  parts.push({ text: body.slice(start), offset: start });
  // variables recur across templates ({{ form.as_p }}, {{ object.title }}): one copy each
  const expr = intern(parts[0]!.text.trim());
  const filters: Filter[] = [];
  for (const p of parts.slice(1)) {
    const lead = p.text.length - p.text.trimStart().length;
    const t = p.text.trim();
    const m = /^([A-Za-z_][\w.]*)\s*(?::\s*([\s\S]*)|(\([\s\S]*\)))?$/.exec(t);
    if (m) filters.push({ name: intern(m[1]!), arg: (m[2] ?? m[3] ?? null)?.trim() ?? null, offset: bodyOffset + p.offset + lead });
    else filters.push({ name: t.split(/[\s:(]/)[0] ?? t, arg: null, offset: bodyOffset + p.offset + lead });
  }
  return { expr, filters: filters.length ? exact(filters) : NO_FILTERS };
}

export function lex(text: string, dialect: Dialect = "django", index = new LineIndex(text)): Token[] {
  const tokens: Token[] = [];
  const multiline = dialect === "jinja2";
  let i = 0;
  let textStart = 0;
  // Inside {% verbatim %}/{% raw %} or {% comment %}: the end tag that closes it.
  let rawUntil: { names: string[]; kind: "text" | "comment"; start: number } | null = null;

  const flushText = (end: number) => {
    if (end > textStart) {
      const kind = rawUntil?.kind === "comment" ? "comment" : "text";
      tokens.push(new Tok(kind, textStart, end, index));
    }
    textStart = end;
  };

  while (i < text.length) {
    const open = text.indexOf("{", i);
    if (open === -1 || open + 1 >= text.length) break;
    const delim = text.slice(open, open + 2);
    const close = CLOSE[delim];
    if (!close) { i = open + 1; continue; }
    const end = findClose(text, open + 2, close, multiline, delim !== "{#");
    if (end === -1) {
      if (!rawUntil) {
        const lineEnd = text.indexOf("\n", open);
        const stop = lineEnd === -1 ? text.length : lineEnd;
        tokens.push(new ErrorTok(`unterminated ${delim} … ${close}`, open, stop, index));
      }
      i = open + 2;
      continue;
    }
    const tagEnd = end + 2;
    let inner = text.slice(open + 2, end);
    let innerOffset = open + 2;
    if (dialect === "jinja2") {
      // whitespace control: {%- ... -%}, {{- ... -}}, {%+
      if (inner.startsWith("-") || inner.startsWith("+")) { inner = inner.slice(1); innerOffset++; }
      if (inner.endsWith("-") || inner.endsWith("+")) inner = inner.slice(0, -1);
    }
    if (rawUntil) {
      // Only the matching end tag leaves a verbatim/comment region.
      if (delim === "{%") {
        const words = smartSplit(inner.trim());
        if (words.length && rawUntil.names.includes(words.join(" "))) {
          flushText(open);
          rawUntil = null;
          const parts = words;
          tokens.push(new BlockTok(parts[0]!, parts.slice(1), inner.trim().slice(parts[0]!.length).trim(), open, tagEnd, index));
          textStart = tagEnd;
        }
      }
      i = tagEnd;
      continue;
    }
    flushText(open);
    if (delim === "{#") {
      tokens.push(new Tok("comment", open, tagEnd, index));
    } else if (delim === "{{") {
      const lead = inner.length - inner.trimStart().length;
      const { expr, filters } = parseFilterChain(inner.trim(), innerOffset + lead);
      tokens.push(new VarTok(expr, filters, open, tagEnd, index));
    } else {
      const body = inner.trim();
      const parts = smartSplit(body);
      const name = parts[0] ?? "";
      tokens.push(new BlockTok(name, parts.slice(1), body.slice(name.length).trim(), open, tagEnd, index));
      if (name === "verbatim") rawUntil = { names: ["endverbatim" + (parts[1] ? " " + parts.slice(1).join(" ") : "")], kind: "text", start: tagEnd };
      else if (name === "raw" && dialect === "jinja2") rawUntil = { names: ["endraw"], kind: "text", start: tagEnd };
      else if (name === "comment") rawUntil = { names: ["endcomment"], kind: "comment", start: tagEnd };
    }
    textStart = tagEnd;
    i = tagEnd;
  }
  if (rawUntil) {
    tokens.push(new ErrorTok(`{% ${rawUntil.names[0]!.replace(/^end/, "")} %} is never closed`, rawUntil.start, text.length, index));
  }
  flushText(text.length);
  tokens.sort((a, b) => a.from - b.from || (a.type === "error" ? 1 : 0) - (b.type === "error" ? 1 : 0));
  return tokens;
}
