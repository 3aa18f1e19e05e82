// Discovery: walk, classify, read and decode every interesting file once, parse
// every Python file once (with our own parser, or tree-sitter for the files it
// declines, on this thread or in a worker pool), and hand back the Project model. Bad input never throws: it becomes a note and the scan goes on.
import fs from "node:fs";
import type { Note } from "../findings.js";
import type { ScanOptions } from "../options.js";
import { getParser, isWasmTrap, parseToTape, resetParser, tapeToAst, type ParseResult, type Tape } from "../python/parse.js";
import { fastParse } from "../python/fast-parse.js";
import { TapeCache } from "../python/tape-cache.js";
import { autoWorkers, ParsePool, PoolUnavailableError } from "../python/workers.js";
import { Project, type PythonFile, type SourceFile } from "../project/project.js";
import { classify, isInteresting, isTestCode } from "./classify.js";
import { decodeSource } from "./decode.js";
import { walk, type WalkedFile } from "./walk.js";

export interface LoadProgressEvent {
  phase: "walk" | "read" | "parse" | "rules";
  done: number;
  total: number;
}
export type LoadProgress = (e: LoadProgressEvent) => void;

export interface LoadStats {
  /** parse workers actually used (0: main thread) */
  workers: number;
  /** workers that died and were replaced */
  workersReplaced: number;
  /** tape cache use, when the cache is on */
  cache?: { hits: number; misses: number };
  /** Python files parsed by tree-sitter (all of them with parser "tree-sitter"; else those our parser declined) */
  treeSitterFiles?: number;
}

/** `pool`: parse with this pool instead of one sized by options.workers (the caller closes it). */
export async function loadProject(options: ScanOptions, onProgress?: LoadProgress, stats?: LoadStats, pool?: ParsePool): Promise<Project> {
  const notes: Note[] = [];
  onProgress?.({ phase: "walk", done: 0, total: 0 });
  const walked = skipTestCode(await walk(options.root, { exclude: options.exclude, include: options.include }, notes), options, notes);
  const packageDirs = new Set(walked.filter((w) => /(^|\/)__init__\.pyi?$/.test(w.rel)).map((w) => dirOf(w.rel)));
  // `python manage.py` puts manage.py's directory first on sys.path: modules below it are named from there
  // (moduleNameFor), even when that directory is a package itself (Tabbycat and Oscar's sandbox set
  // DJANGO_SETTINGS_MODULE "settings") or a directory below it has no __init__.py (a namespace package)
  const sourceRoots = walked.filter((w) => /(^|\/)manage\.py$/.test(w.rel)).map((w) => dirOf(w.rel)).sort((a, b) => b.length - a.length);

  // Python goes to our own parser first (python/fast-parse.ts): on a file without
  // syntax errors it gives the AST tree-sitter's path gives, several times faster
  // and on this thread. The files it declines (syntax errors, Python 2, very deep
  // nesting) are parsed by tree-sitter, whose error recovery keeps the rest of the
  // file, in worker threads when there is enough of them (README "Speed").
  // With parser "tree-sitter" every file takes that path, as soon as it is read.
  const fast = options.parser !== "tree-sitter";
  // Python files and bytes the walk found: the parse progress counts against them
  let pyBytes = 0;
  let pyTotal = 0;
  for (const w of walked) if (w.kind === "python") { pyBytes += w.size ?? 0; pyTotal++; }
  let nWorkers = pool ? pool.size : fast ? 0 : autoWorkers(pyBytes, options.workers);
  // (typed by assertion: assigned only inside poolForMiss, which TS's narrowing does not see)
  let ownPool = null as ParsePool | null;
  // Workers start at the first file the tape cache does not have (an unchanged tree needs none).
  const poolForMiss = () => pool ?? (nWorkers > 0 ? (ownPool ??= new ParsePool(nWorkers)) : null);
  const cache = options.cacheDir ? new TapeCache(options.cacheDir) : null;

  // Read, decode and parse. Notes are kept per file and joined in path order, so
  // the result does not depend on which read or parse finished first.
  const read: (SourceFile | null)[] = new Array(walked.length).fill(null);
  const fileNotes: Note[][] = walked.map(() => []);
  /** Python files for tree-sitter */
  const pyIdx: number[] = [];
  const parsing: Promise<void>[] = [];
  let readDone = 0;
  let parsed = 0;
  const parseOne = async (i: number) => {
    const f = read[i]!;
    const key = cache?.key(f.text);
    let tape: Tape | Error | null = key ? await cache!.get(key) : null;
    if (!tape) {
      tape = await tapeOf(f.text, poolForMiss());
      if (key && !(tape instanceof Error)) cache!.put(key, tape);
    }
    const r = tape instanceof Error ? tape : await astOf(tape, f.text, pool ?? ownPool);
    read[i] = r instanceof Error ? failParse(f, r, fileNotes[i]!) : toPythonFile(f, r, packageDirs, sourceRoots, fileNotes[i]!);
    onProgress?.({ phase: "parse", done: ++parsed, total: pyTotal });
  };
  try {
    // Read synchronously: small local files read faster so than through the
    // thread pool (NetBox: ~30 vs ~130 ms); tree-sitter's workers, when there are
    // any, parse meanwhile anyway.
    let declinedBytes = 0; // what tree-sitter will have to parse
    for (let i = 0; i < walked.length; i++) {
      const f = readOne(walked[i]!, options, fileNotes[i]!);
      read[i] = f;
      onProgress?.({ phase: "read", done: ++readDone, total: walked.length });
      if (f?.kind !== "python") continue;
      if (fast) {
        const r = fastParse(f.text);
        if (r) {
          read[i] = toPythonFile(f, r, packageDirs, sourceRoots, fileNotes[i]!);
          onProgress?.({ phase: "parse", done: ++parsed, total: pyTotal });
          continue;
        }
        declinedBytes += f.size;
      }
      pyIdx.push(i);
      if (!fast && nWorkers > 0) parsing.push(parseOne(i));
    }
    if (fast && pyIdx.length) {
      // workers only when the declined files are worth starting them for
      nWorkers = pool ? pool.size : autoWorkers(declinedBytes, options.workers);
      if (nWorkers > 0) for (const i of pyIdx) parsing.push(parseOne(i));
    }
    if (nWorkers > 0) await Promise.all(parsing);
    else for (const i of pyIdx) await parseOne(i);
  } finally {
    const used = pool ?? ownPool;
    if (stats) {
      stats.workers = used ? nWorkers : 0;
      stats.workersReplaced = used?.replaced ?? 0;
      stats.treeSitterFiles = pyIdx.length;
    }
    if (ownPool) await ownPool.close();
    if (cache) {
      await cache.flush();
      if (stats) stats.cache = { hits: cache.hits, misses: cache.misses };
    }
  }

  const files = read.filter((f): f is SourceFile => f !== null);
  for (const n of fileNotes) notes.push(...n);
  return new Project(options.root, files, notes, options);
}

/**
 * Test code and migrations are not read or parsed unless --include-tests: they do
 * not serve requests (test code is not deployed; migrations are generated schema
 * changes), and on real projects they are half of the Python or more (NetBox
 * 44%, Saleor 76%), which the scan paid to parse for nothing. One note says how
 * many and how to include them; with --include-tests they are code like any other.
 */
function skipTestCode(walked: WalkedFile[], options: ScanOptions, notes: Note[]): WalkedFile[] {
  if (options.includeTests) return walked;
  let skipped = 0;
  const kept = walked.filter((w) => {
    const test = w.kind === "python" && isTestCode(w.rel);
    if (test) skipped++;
    return !test;
  });
  if (skipped) {
    notes.push({
      path: "", kind: "skipped",
      message: `${skipped} test and migration Python file${skipped === 1 ? " was" : "s were"} not analysed (they do not serve requests); --include-tests analyses them`,
    });
  }
  return kept;
}

/** Parse one source into a tape: in a worker when there is a pool, else here. Failures are values. */
async function tapeOf(text: string, pool: ParsePool | null): Promise<Tape | Error> {
  if (pool) {
    try {
      return await pool.parseTape(text);
    } catch (e) {
      // No worker could start (e.g. a broken install): fall back to the main thread.
      if (!(e instanceof PoolUnavailableError)) return e instanceof Error ? e : new Error(String(e));
    }
  }
  try {
    return parseToTape(await getParser(), text);
  } catch (e) {
    // A wasm trap may leave the parser unusable: start the next file on a fresh one.
    if (isWasmTrap(e)) resetParser();
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** The AST from a tape, with the workers' grammar when they have one (the same grammar as ours). */
async function astOf(tape: Tape, text: string, pool: ParsePool | null): Promise<ParseResult | Error> {
  try {
    const r = tapeToAst(tape, pool?.readyGrammar ?? (await getParser()).grammar, text);
    // Python 2 that tree-sitter accepts without an error (our parser declines these files)
    const py2 = r.python2Line ?? python2Line(text);
    return py2 === undefined ? r : { ...r, python2Line: py2 };
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** Read, size-check and decode one walked file; null when it is not kept. */
function readOne(w: WalkedFile, options: ScanOptions, notes: Note[]): SourceFile | null {
  const kindGuess = w.kind;
  if (w.size === null) return null; // never read by its name (mayBeRead)
  // YAML/HTML/conf need a peek at the content to classify
  const needsPeek = kindGuess === "other" || kindGuess === "yaml";
  if (w.size > options.maxFileSize) {
    notes.push({
      path: w.rel, kind: "too-large",
      message: `skipped: ${w.size} bytes is over the ${options.maxFileSize}-byte limit (raise it with --max-file-size)`,
    });
    return null;
  }
  let buf: Buffer;
  try {
    buf = fs.readFileSync(w.abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    notes.push({ path: w.rel, kind: "unreadable", message: `file could not be read (${code ?? String(e)}); skipped` });
    return null;
  }
  // The size limit is checked again on what was read: the file may have grown since the walk.
  if (buf.length > options.maxFileSize) {
    notes.push({
      path: w.rel, kind: "too-large",
      message: `skipped: ${buf.length} bytes is over the ${options.maxFileSize}-byte limit (raise it with --max-file-size)`,
    });
    return null;
  }
  const dec = decodeSource(buf, kindGuess === "python");
  if (!dec.ok) {
    if (kindGuess !== "other") notes.push({ path: w.rel, kind: "binary", message: "binary content (NUL bytes); skipped" });
    return null;
  }
  const kind = needsPeek ? classify(w.rel, dec.text.slice(0, 4096)) : kindGuess;
  if (!isInteresting(kind)) return null;
  if (dec.warning) notes.push({ path: w.rel, kind: "encoding", message: dec.warning });
  return { path: w.rel, absPath: w.abs, kind, text: dec.text, size: w.size };
}

function failParse(f: SourceFile, e: Error, notes: Note[]): null {
  notes.push({ path: f.path, kind: "parse-failed", message: `parser failed (${e.message}); file not analysed` });
  return null;
}

function toPythonFile(f: SourceFile, parsed: ParseResult, packageDirs: Set<string>, sourceRoots: readonly string[], notes: Note[]): PythonFile {
  const { module, tooDeep } = parsed;
  if (tooDeep) notes.push({ path: f.path, kind: "too-deep", message: "nesting too deep; the deepest parts were not analysed" });
  const py2Line = parsed.python2Line;
  if (py2Line !== undefined) {
    const errs = module.errorLines.length ? `; syntax errors at line ${linesText(module.errorLines)}` : "";
    notes.push({
      path: f.path,
      kind: "python2",
      line: py2Line,
      message: `looks like Python 2 source (line ${py2Line})${errs}; analysed as far as it parses as Python 3`,
    });
  } else if (module.hasErrors) {
    notes.push({
      path: f.path,
      kind: "syntax-error",
      line: module.errorLines[0],
      message: `syntax error at line ${linesText(module.errorLines)}; the rest of the file is still analysed`,
    });
  }
  const { moduleName, isPackage, alias } = moduleNameFor(f.path, packageDirs, sourceRoots);
  // spelled out, not {...f}: V8 gave each spread copy a hidden class of its own
  return { path: f.path, absPath: f.absPath, kind: "python", text: f.text, size: f.size, ast: module, moduleName, isPackage, moduleAlias: alias ?? null };
}

function linesText(lines: number[]): string {
  return lines.length > 5 ? `${lines.slice(0, 5).join(", ")} (and ${lines.length - 5} more)` : lines.join(", ");
}

/** Python-2-only syntax tree-sitter accepts without an error: `except E, e:`, `raise E, "message"`.
 *  `except ValueError, TypeError:` is Python 3.14 (PEP 758: several exceptions without
 *  parentheses): Python 2 binds a variable there, named in lower case by convention. */
function python2Line(text: string): number | undefined {
  const m = /^[ \t]*except[ \t]+[\w.]+[ \t]*,[ \t]*[a-z_]\w*[ \t]*:/m.exec(text) ?? /^[ \t]*raise[ \t]+\w+[ \t]*,[ \t]*["'\w]/m.exec(text);
  if (!m) return undefined;
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < m.index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

function dirOf(rel: string): string {
  const i = rel.lastIndexOf("/");
  return i === -1 ? "" : rel.slice(0, i);
}

/**
 * Python's view of the module name: climb while the directory is a package.
 * Below a directory holding manage.py (longest first in `sourceRoots`), which
 * `python manage.py` puts first on sys.path, the name is the path from there,
 * namespace packages included, and the climbed name (for a tree that also puts
 * a directory such as `apps/` on sys.path) becomes a second name, `alias`.
 */
export function moduleNameFor(rel: string, packageDirs: Set<string>, sourceRoots: readonly string[] = []): { moduleName: string; isPackage: boolean; alias?: string } {
  const parts = rel.replace(/\.pyw?$/, "").split("/");
  const isPackage = parts[parts.length - 1] === "__init__";
  if (isPackage) parts.pop();
  let start = parts.length - (isPackage ? 0 : 1);
  while (start > 0 && packageDirs.has(parts.slice(0, start).join("/"))) start--;
  // parts[start] is the first package directory (or the module itself)
  const climbed = parts.slice(start).join(".") || parts.join(".");
  const root = sourceRoots.find((r) => r === "" || rel.startsWith(`${r}/`));
  const below = root === undefined ? [] : root === "" ? parts : parts.slice(root.split("/").length);
  if (!below.length) return { moduleName: climbed, isPackage };
  const moduleName = below.join(".");
  return moduleName === climbed ? { moduleName, isPackage } : { moduleName, isPackage, alias: climbed };
}
