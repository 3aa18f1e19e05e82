// Discovery: walk, classify, read and decode every interesting file once, parse
// every Python file once, and hand back the Project model.
import { promises as fs } from "node:fs";
import type { Note } from "../findings.js";
import type { ScanOptions } from "../options.js";
import { parsePython } from "../python/parse.js";
import { Project, type PythonFile, type SourceFile } from "../project/project.js";
import { classify, isInteresting } from "./classify.js";
import { decodeSource } from "./decode.js";
import { walk } from "./walk.js";

export interface LoadProgress {
  (done: number, total: number): void;
}

export async function loadProject(options: ScanOptions, onProgress?: LoadProgress): Promise<Project> {
  const notes: Note[] = [];
  const walked = await walk(options.root, { exclude: options.exclude, include: options.include }, notes);
  const files: SourceFile[] = [];
  const packageDirs = new Set(walked.filter((w) => /(^|\/)__init__\.pyi?$/.test(w.rel)).map((w) => dirOf(w.rel)));

  let done = 0;
  for (const w of walked) {
    done++;
    onProgress?.(done, walked.length);
    const kindGuess = classify(w.rel, "");
    // YAML/HTML/conf need a peek at the content to classify; other "other" files are skipped unread.
    const needsPeek = kindGuess === "other" || kindGuess === "yaml";
    if (!needsPeek && !isInteresting(kindGuess)) continue;
    if (needsPeek && !/\.(ya?ml|html?|conf|ini|txt|xml|email)$/i.test(w.rel)) continue;
    if (w.size > options.maxFileSize) {
      notes.push({ path: w.rel, kind: "too-large", message: `skipped: ${w.size} bytes is over the ${options.maxFileSize}-byte limit (--max-file-size)` });
      continue;
    }
    let buf: Buffer;
    try {
      buf = await fs.readFile(w.abs);
    } catch (e) {
      notes.push({ path: w.rel, kind: "unreadable", message: `file could not be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
      continue;
    }
    const dec = decodeSource(buf, kindGuess === "python");
    if (!dec.ok) {
      if (kindGuess !== "other") notes.push({ path: w.rel, kind: "binary", message: "binary content (NUL bytes); skipped" });
      continue;
    }
    if (dec.warning) notes.push({ path: w.rel, kind: "encoding", message: dec.warning });
    const kind = needsPeek ? classify(w.rel, dec.text.slice(0, 4096)) : kindGuess;
    if (!isInteresting(kind)) continue;
    const base: SourceFile = { path: w.rel, absPath: w.abs, kind, text: dec.text, size: w.size };
    if (kind === "python") {
      const pf = await toPythonFile(base, packageDirs, notes);
      if (pf) files.push(pf);
    } else files.push(base);
  }
  return new Project(options.root, files, notes, options);
}

async function toPythonFile(f: SourceFile, packageDirs: Set<string>, notes: Note[]): Promise<PythonFile | null> {
  let parsed;
  try {
    parsed = await parsePython(f.text);
  } catch (e) {
    notes.push({ path: f.path, kind: "parse-failed", message: `parser failed: ${(e as Error).message}` });
    return null;
  }
  const { module, tooDeep } = parsed;
  if (tooDeep) notes.push({ path: f.path, kind: "too-deep", message: "nesting too deep; the deepest parts were not analysed" });
  if (module.hasErrors) {
    const py2 = looksLikePython2(f.text);
    notes.push({
      path: f.path,
      kind: py2 ? "python2" : "syntax-error",
      line: module.errorLines[0],
      message: py2
        ? "looks like Python 2 source; analysed what parses as Python 3"
        : `syntax error at line ${module.errorLines.join(", ")}; the rest of the file is still analysed`,
    });
  }
  const { moduleName, isPackage } = moduleNameFor(f.path, packageDirs);
  return { ...f, kind: "python", ast: module, moduleName, isPackage };
}

function looksLikePython2(text: string): boolean {
  return /^\s*print\s+["'\w]/m.test(text) || /^\s*except\s+\w+\s*,\s*\w+\s*:/m.test(text) || /^\s*exec\s+["']/m.test(text);
}

function dirOf(rel: string): string {
  const i = rel.lastIndexOf("/");
  return i === -1 ? "" : rel.slice(0, i);
}

/** Python's view of the module name: climb while the directory is a package. */
export function moduleNameFor(rel: string, packageDirs: Set<string>): { moduleName: string; isPackage: boolean } {
  const parts = rel.replace(/\.pyw?$/, "").split("/");
  const isPackage = parts[parts.length - 1] === "__init__";
  if (isPackage) parts.pop();
  let start = parts.length - (isPackage ? 0 : 1);
  while (start > 0 && packageDirs.has(parts.slice(0, start).join("/"))) start--;
  // parts[start] is the first package directory (or the module itself)
  const name = parts.slice(isPackage ? start : start, parts.length);
  return { moduleName: name.join(".") || parts.join("."), isPackage };
}
