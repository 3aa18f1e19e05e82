// The shared project model. Discovery reads every file once and parses Python
// once; everything else (settings, URLs, templates, taint, deployment files,
// dependencies) is an Analysis computed lazily, once, from this model and cached
// here. Rules ask the model; no rule reads or parses a file.
import type { Note } from "../findings.js";
import type { Module } from "../python/ast.js";
import type { ScanOptions } from "../options.js";

export type FileKind =
  | "python" | "django-template" | "jinja2-template" | "dockerfile" | "compose" | "kubernetes" | "procfile"
  | "systemd" | "nginx" | "requirements" | "lockfile" | "pyproject" | "pipfile" | "setup-cfg" | "env"
  | "static-js" | "uwsgi" | "yaml" | "shell" | "makefile" | "other";

export interface SourceFile {
  /** POSIX path relative to the scanned root */
  path: string;
  absPath: string;
  kind: FileKind;
  /** decoded text (BOM stripped, CRLF kept as read; positions use lines split on \r?\n) */
  text: string;
  size: number;
}

export interface PythonFile extends SourceFile {
  kind: "python";
  ast: Module;
  /** dotted module name derived from the path, e.g. "shop.settings.production" */
  moduleName: string;
  /** the file is a package `__init__.py` */
  isPackage: boolean;
  /** another name the file is importable under (discovery/load.ts moduleNameFor), or null */
  moduleAlias: string | null;
}

export interface Analysis<T> {
  readonly name: string;
  compute(project: Project): T;
}

/** Declare an analysis once, in the module that owns it; rules call project.use(it). */
export function defineAnalysis<T>(name: string, compute: (project: Project) => T): Analysis<T> {
  return { name, compute };
}

/** How many files' split lines Project.lines keeps (least recently used go first):
 *  enough that the data-flow engine, following calls across files, rarely splits a file twice. */
const LINE_CACHE_FILES = 256;

export class Project {
  readonly byPath = new Map<string, SourceFile>();
  readonly pythonByModule = new Map<string, PythonFile>();
  private readonly cache = new Map<Analysis<unknown>, unknown>();
  private readonly computing = new Set<Analysis<unknown>>();
  private lineCache = new Map<string, string[]>();

  constructor(
    readonly root: string,
    readonly files: readonly SourceFile[],
    readonly notes: Note[],
    readonly options: ScanOptions,
  ) {
    for (const f of files) {
      this.byPath.set(f.path, f);
      if (f.kind === "python") this.pythonByModule.set((f as PythonFile).moduleName, f as PythonFile);
    }
    // second names never shadow a file's own
    for (const f of files) {
      const alias = f.kind === "python" ? (f as PythonFile).moduleAlias : undefined;
      if (alias && !this.pythonByModule.has(alias)) this.pythonByModule.set(alias, f as PythonFile);
    }
  }

  // Filtered once: analyses read `project.python` in loops, and filtering all
  // files on every access allocated a fresh array each time. `files` is readonly.
  private pythonList: PythonFile[] | null = null;

  get python(): PythonFile[] {
    return (this.pythonList ??= this.files.filter((f): f is PythonFile => f.kind === "python"));
  }

  ofKind(...kinds: FileKind[]): SourceFile[] {
    return this.files.filter((f) => kinds.includes(f.kind));
  }

  /**
   * Lines of a file, split once and cached (for evidence and suppressions).
   * The cache keeps only the most recently used files: the data-flow engine asks
   * for a line of nearly every Python file (trace snippets), and keeping every
   * file's line array for the whole scan cost ~30 bytes per line of the tree.
   * Callers visit files in order, so re-splitting is rare. Same lines either way.
   */
  lines(path: string): string[] {
    let l = this.lineCache.get(path);
    if (l) {
      // most recently used last (Map iteration order), so eviction drops the oldest
      if (this.lineCache.size > 1) { this.lineCache.delete(path); this.lineCache.set(path, l); }
      return l;
    }
    const f = this.byPath.get(path);
    l = f ? f.text.split(/\r?\n/) : [];
    this.lineCache.set(path, l);
    if (this.lineCache.size > LINE_CACHE_FILES) this.lineCache.delete(this.lineCache.keys().next().value!);
    return l;
  }

  /** Compute an analysis once and cache it. A failing analysis becomes a note and yields its error. */
  use<T>(a: Analysis<T>): T {
    if (this.cache.has(a)) return this.cache.get(a) as T;
    if (this.computing.has(a)) throw new Error(`analysis cycle through ${a.name}`);
    this.computing.add(a);
    try {
      const v = a.compute(this);
      this.cache.set(a, v);
      return v;
    } finally {
      this.computing.delete(a);
    }
  }

  note(n: Note): void {
    this.notes.push(n);
  }
}
