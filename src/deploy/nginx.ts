// nginx configuration: a tokenizer and block parser for nginx's own syntax
// (directives `name args;`, blocks `name args { ... }`, `#` comments, quoted
// strings), read once per file into a directive tree with line numbers.
import type { Project } from "../project/project.js";
import { defineAnalysis } from "../project/project.js";
import { isDevPath } from "./common.js";

export interface NginxDirective {
  name: string;
  args: string[];
  line: number;
  col: number;
  /** child directives when this is a block */
  block: NginxDirective[] | null;
}

export interface NginxFile {
  path: string;
  dev: boolean;
  directives: NginxDirective[];
}

export const nginxAnalysis = defineAnalysis<NginxFile[]>("nginx", (project: Project) => {
  const out: NginxFile[] = [];
  for (const f of project.ofKind("nginx")) {
    try {
      out.push({ path: f.path, dev: isDevPath(f.path), directives: parseNginx(f.text) });
    } catch (e) {
      project.note({ path: f.path, kind: "parse-failed", line: (e as NginxSyntaxError).line, message: `nginx configuration could not be read: ${(e as Error).message}` });
    }
  }
  return out;
});

export class NginxSyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(`${message} (line ${line})`);
  }
}

interface Token {
  t: string;
  line: number;
  col: number;
  quoted: boolean;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\n") {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    const col = i - lineStart + 1;
    if (c === "{" || c === "}" || c === ";") {
      out.push({ t: c, line, col, quoted: false });
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const startLine = line;
      let v = "";
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === "\\" && i + 1 < text.length) {
          i++;
        }
        if (text[i] === "\n") {
          line++;
          lineStart = i + 1;
        }
        v += text[i];
        i++;
      }
      if (i >= text.length) throw new NginxSyntaxError("unterminated string", startLine);
      i++;
      out.push({ t: v, line: startLine, col, quoted: true });
      continue;
    }
    let v = "";
    while (i < text.length && !/[\s;{}]/.test(text[i]!) && !(text[i] === "#" && v === "")) {
      // `${var}` inside a word keeps its braces
      if (text[i] === "$" && text[i + 1] === "{") {
        const end = text.indexOf("}", i);
        if (end === -1) break;
        v += text.slice(i, end + 1);
        i = end + 1;
        continue;
      }
      v += text[i];
      i++;
    }
    out.push({ t: v, line, col, quoted: false });
  }
  return out;
}

export function parseNginx(text: string): NginxDirective[] {
  const tokens = tokenize(text);
  let i = 0;
  const parseBlock = (depth: number): NginxDirective[] => {
    const out: NginxDirective[] = [];
    while (i < tokens.length) {
      const tok = tokens[i]!;
      if (tok.t === "}" && !tok.quoted) {
        if (depth === 0) throw new NginxSyntaxError("unexpected }", tok.line);
        i++;
        return out;
      }
      if ((tok.t === ";" || tok.t === "{") && !tok.quoted) throw new NginxSyntaxError(`unexpected ${tok.t}`, tok.line);
      const d: NginxDirective = { name: tok.t, args: [], line: tok.line, col: tok.col, block: null };
      i++;
      for (;;) {
        const a = tokens[i];
        if (!a) throw new NginxSyntaxError(`directive ${d.name} has no closing ;`, d.line);
        i++;
        if (!a.quoted && a.t === ";") break;
        if (!a.quoted && a.t === "{") {
          d.block = parseBlock(depth + 1);
          break;
        }
        if (!a.quoted && a.t === "}") throw new NginxSyntaxError(`directive ${d.name} has no closing ;`, d.line);
        d.args.push(a.t);
      }
      out.push(d);
    }
    if (depth > 0) throw new NginxSyntaxError("missing }", tokens[tokens.length - 1]?.line ?? 1);
    return out;
  };
  return parseBlock(0);
}

/** Every directive, depth first, with its enclosing blocks (outermost first). */
export function* walkNginx(ds: NginxDirective[], parents: NginxDirective[] = []): Generator<{ d: NginxDirective; parents: NginxDirective[] }> {
  for (const d of ds) {
    yield { d, parents };
    if (d.block) yield* walkNginx(d.block, [...parents, d]);
  }
}

/** The server blocks of a file (inside `http {}` or at the top of a conf.d include). */
export function serverBlocks(file: NginxFile): NginxDirective[] {
  const out: NginxDirective[] = [];
  for (const { d } of walkNginx(file.directives)) if (d.name === "server" && d.block) out.push(d);
  return out;
}

/** Size in bytes of an nginx size value (`10m`, `1g`, `512k`, `0`). */
export function nginxSize(v: string): number | null {
  const m = /^(\d+)([kKmMgG]?)$/.exec(v);
  if (!m) return null;
  const mult = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  return Number(m[1]) * mult;
}
