// Readers for every dependency file format. Each file is read once, here, inside
// dependenciesAnalysis; versions and specifiers are PEP 440 (pep508.ts).
import { parse as parseToml } from "smol-toml";
import type { Project, PythonFile, SourceFile } from "../project/project.js";
import type * as A from "../python/ast.js";
import { joinRelative } from "../deploy/common.js";
import { calleeName, constString, keywordArg } from "../python/walk.js";
import { redact } from "../redact.js";
import type { IndexOption, Requirement } from "./packages.js";
import { normalizeName, parseRequirement, pinnedVersion, poetryToPep440 } from "./pep508.js";

const DEV_FILE = /(^|[._-])(dev|devel|develop|development|test|tests|testing|ci|lint|linting|docs|doc|local|typing|mypy|qa)([._-]|$)/i;
const DEV_GROUP = /^(dev|devel|develop|development|test|tests|testing|ci|lint|linting|docs|doc|local|typing|mypy|qa|style|format|coverage)$/i;

function isDevFile(path: string): boolean {
  const parts = path.split("/");
  return DEV_FILE.test(parts[parts.length - 1]!.replace(/\.(txt|in)$/i, "")) || parts.slice(0, -1).some((d) => DEV_GROUP.test(d) || d === "tests");
}

/** A line that is not PEP 508, quoted (redacted: a URL in it may carry a token) in a parse-failed note. */
function noteInvalid(project: Project, f: SourceFile, line: number, text: string): void {
  project.note({ path: f.path, line, kind: "parse-failed", message: `not a valid requirement (PEP 508): ${redact(text).slice(0, 80)}` });
}

/** Line (1-based) and column of the first line matching a test, for formats whose parser gives no positions. */
function findLine(lines: readonly string[], test: (line: string) => boolean, from = 0): { line: number; col: number } | null {
  for (let i = from; i < lines.length; i++) if (test(lines[i]!)) return { line: i + 1, col: lines[i]!.length - lines[i]!.trimStart().length + 1 };
  return null;
}

// ---------- requirements.txt / constraints.txt ----------

interface ReqLine {
  line: number;
  col: number;
  text: string;
}

/** Logical lines: comments stripped, backslash continuations joined. */
function requirementLines(phys: readonly string[]): ReqLine[] {
  const out: ReqLine[] = [];
  for (let i = 0; i < phys.length; i++) {
    const start = i;
    let t = stripComment(phys[i]!);
    while (/\\\s*$/.test(t) && i + 1 < phys.length) t = t.replace(/\\\s*$/, " ") + stripComment(phys[++i]!);
    if (!t.trim()) continue;
    out.push({ line: start + 1, col: phys[start]!.length - phys[start]!.trimStart().length + 1, text: t.trim() });
  }
  return out;
}

function stripComment(l: string): string {
  if (/^\s*#/.test(l)) return "";
  const m = /(^|\s)#/.exec(l);
  return m ? l.slice(0, m.index) : l;
}

const OPTION = /^(-[rcefi]|--requirement|--constraint|--editable|--index-url|--extra-index-url|--trusted-host|--find-links)(?:\s*=\s*|\s+|(?<=^-[rcefi]))(\S.*)$/;

export function readRequirementFiles(project: Project, out: Requirement[], indexes: IndexOption[]): void {
  const files = project.ofKind("requirements");
  const constraintTargets = new Set<string>();
  const parsed = new Map<string, ReqLine[]>();
  for (const f of files) {
    const lines = requirementLines(project.lines(f.path));
    parsed.set(f.path, lines);
    for (const l of lines) {
      const m = OPTION.exec(l.text);
      if (!m) continue;
      const opt = m[1]!;
      if (opt === "-r" || opt === "--requirement" || opt === "-c" || opt === "--constraint") {
        const target = joinRelative(f.path, m[2]!.trim());
        if (!project.byPath.has(target)) {
          project.note({ path: f.path, line: l.line, kind: "info", message: `${opt} ${m[2]!.trim()}: the included file is not in the scanned tree (or not named like a requirements file), so its requirements were not read` });
        } else if (opt === "-c" || opt === "--constraint") constraintTargets.add(target);
      }
    }
  }
  for (const f of files) {
    const base = f.path.split("/").pop()!.toLowerCase();
    const source: Requirement["source"] = constraintTargets.has(f.path) || base.startsWith("constraints") ? "constraints" : "requirements";
    const dev = isDevFile(f.path);
    const templated: number[] = [];
    for (const l of parsed.get(f.path)!) {
      // Jinja/cookiecutter template lines are not requirements; one note per file says so
      if (/^\{[%{#]/.test(l.text)) {
        templated.push(l.line);
        continue;
      }
      const m = OPTION.exec(l.text);
      if (m) {
        const opt = m[1]!;
        const value = m[2]!.trim().split(/\s+/)[0]!;
        if (opt === "-i" || opt === "--index-url") indexes.push({ option: "--index-url", value, path: f.path, line: l.line, col: l.col });
        else if (opt === "--extra-index-url") indexes.push({ option: "--extra-index-url", value, path: f.path, line: l.line, col: l.col });
        else if (opt === "--trusted-host") indexes.push({ option: "--trusted-host", value, path: f.path, line: l.line, col: l.col });
        else if (opt === "-f" || opt === "--find-links") indexes.push({ option: "--find-links", value, path: f.path, line: l.line, col: l.col });
        else if (opt === "-e" || opt === "--editable") {
          const name = eggName(value);
          if (name) out.push({ name, specifier: "", version: null, path: f.path, line: l.line, col: l.col, source, dev, url: value, editable: true });
        }
        continue;
      }
      if (l.text.startsWith("-")) continue; // other pip options (--pre, --no-binary ...)
      // per-requirement options: --hash, --config-settings ...
      const hashed = /\s--hash[=\s]/.test(" " + l.text);
      const reqText = l.text.replace(/\s+--[\w-]+(?:[=\s]\S+)?/g, "").trim();
      if (/^([a-z+]+:\/\/|\.{0,2}\/|git\+)/i.test(reqText)) {
        const name = eggName(reqText);
        if (name) out.push({ name, specifier: "", version: null, path: f.path, line: l.line, col: l.col, source, dev, url: reqText, ...(hashed ? { hashed } : {}) });
        continue;
      }
      const r = parseRequirement(reqText);
      if (!r) {
        noteInvalid(project, f, l.line, reqText);
        continue;
      }
      out.push({
        name: r.name, specifier: r.specifier, version: r.url ? null : pinnedVersion(r.specifier), path: f.path, line: l.line, col: l.col, source, dev,
        ...(r.extras.length ? { extras: r.extras } : {}), ...(r.marker ? { marker: r.marker } : {}), ...(r.url ? { url: r.url } : {}), ...(hashed ? { hashed } : {}),
      });
    }
    if (templated.length) project.note({ path: f.path, line: templated[0]!, kind: "info", message: `${templated.length} template (Jinja) lines skipped; requirements inside conditional blocks were read as if every block applied` });
  }
}

function eggName(url: string): string | null {
  const m = /[#&]egg=([A-Za-z0-9._-]+)/.exec(url);
  if (m) return normalizeName(m[1]!.replace(/-[\d.]+$/, ""));
  const whl = /\/([A-Za-z0-9_.]+?)-\d[^/]*\.(whl|tar\.gz|zip)$/.exec(url);
  return whl ? normalizeName(whl[1]!) : null;
}

// ---------- pyproject.toml (PEP 621, PEP 735 groups, Poetry) ----------

function tomlOf(project: Project, f: SourceFile): Record<string, unknown> | null {
  try {
    return parseToml(f.text) as Record<string, unknown>;
  } catch (e) {
    project.note({ path: f.path, kind: "parse-failed", message: `TOML could not be parsed: ${(e as Error).message.split("\n")[0]}` });
    return null;
  }
}

const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Position of a PEP 508 string in the file text. */
function locateString(project: Project, f: SourceFile, s: string, after = 0): { line: number; col: number } {
  const lines = project.lines(f.path);
  for (let i = after; i < lines.length; i++) {
    const c = lines[i]!.indexOf(s);
    if (c !== -1 && /["']/.test(lines[i]![c - 1] ?? "")) return { line: i + 1, col: c };
  }
  return { line: 1, col: 1 };
}

/** Position of `name = ...` key in a TOML table, searched after the table header. */
function locateKey(project: Project, f: SourceFile, header: RegExp, key: string): { line: number; col: number } {
  const lines = project.lines(f.path);
  let start = lines.findIndex((l) => header.test(l.trim()));
  if (start === -1) start = 0;
  const esc = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`^\\s*["']?${esc}["']?\\s*=`, "i");
  for (let i = start; i < lines.length; i++) {
    if (i > start && /^\s*\[/.test(lines[i]!)) break;
    if (re.test(lines[i]!)) return { line: i + 1, col: lines[i]!.length - lines[i]!.trimStart().length + 1 };
  }
  return { line: start + 1, col: 1 };
}

function pushPep508(project: Project, f: SourceFile, s: string, source: Requirement["source"], dev: boolean, out: Requirement[]): void {
  const r = parseRequirement(s);
  const at = locateString(project, f, s);
  if (!r) {
    noteInvalid(project, f, at.line, s);
    return;
  }
  out.push({
    name: r.name, specifier: r.specifier, version: r.url ? null : pinnedVersion(r.specifier), path: f.path, line: at.line, col: at.col, source, dev,
    ...(r.extras.length ? { extras: r.extras } : {}), ...(r.marker ? { marker: r.marker } : {}), ...(r.url ? { url: r.url } : {}),
  });
}

export function readPyprojects(project: Project, out: Requirement[], indexes: IndexOption[]): void {
  for (const f of project.ofKind("pyproject")) {
    const t = tomlOf(project, f);
    if (!t) continue;
    const proj = obj(t.project);
    for (const d of arr(proj?.dependencies)) if (typeof d === "string") pushPep508(project, f, d, "pyproject", false, out);
    for (const [group, list] of Object.entries(obj(proj?.["optional-dependencies"]) ?? {}))
      for (const d of arr(list)) if (typeof d === "string") pushPep508(project, f, d, "pyproject", DEV_GROUP.test(group), out);
    for (const [, list] of Object.entries(obj(t["dependency-groups"]) ?? {}))
      for (const d of arr(list)) if (typeof d === "string") pushPep508(project, f, d, "pyproject", true, out);
    const poetry = obj(obj(t.tool)?.poetry);
    if (poetry) {
      readPoetryTable(project, f, obj(poetry.dependencies), /^\[tool\.poetry\.dependencies\]$/, false, out);
      readPoetryTable(project, f, obj(poetry["dev-dependencies"]), /^\[tool\.poetry\.dev-dependencies\]$/, true, out);
      for (const [group, g] of Object.entries(obj(poetry.group) ?? {})) {
        const esc = group.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        readPoetryTable(project, f, obj(obj(g)?.dependencies), new RegExp(`^\\[tool\\.poetry\\.group\\.${esc}\\.dependencies\\]$`), group !== "main", out);
      }
      for (const src of arr(poetry.source)) {
        const s = obj(src);
        const url = typeof s?.url === "string" ? s.url : null;
        if (!url) continue;
        const at = locateString(project, f, url);
        const priority = typeof s?.priority === "string" ? s.priority : s?.secondary === true ? "supplemental" : "primary";
        indexes.push({ option: priority === "primary" || priority === "default" ? "--index-url" : "--extra-index-url", value: url, path: f.path, line: at.line, col: at.col });
      }
    }
  }
}

function readPoetryTable(project: Project, f: SourceFile, table: Record<string, unknown> | null, header: RegExp, dev: boolean, out: Requirement[]): void {
  for (const [rawName, v] of Object.entries(table ?? {})) {
    if (rawName.toLowerCase() === "python") continue;
    const at = locateKey(project, f, header, rawName);
    const o = obj(v);
    const constraint = typeof v === "string" ? v : typeof o?.version === "string" ? o.version : null;
    const url = o ? (["git", "url", "path"].map((k) => o[k]).find((x) => typeof x === "string") as string | undefined) : undefined;
    const spec = constraint === null ? "" : poetryToPep440(constraint);
    if (spec === null) {
      project.note({ path: f.path, line: at.line, kind: "parse-failed", message: `Poetry constraint for ${rawName} has no PEP 440 form: ${redact(String(constraint))}` });
      continue;
    }
    out.push({ name: normalizeName(rawName), specifier: spec, version: pinnedVersion(spec), path: f.path, line: at.line, col: at.col, source: "pyproject", dev, ...(url ? { url } : {}) });
  }
}

// ---------- Pipfile ----------

export function readPipfiles(project: Project, out: Requirement[], indexes: IndexOption[]): void {
  for (const f of project.ofKind("pipfile")) {
    const t = tomlOf(project, f);
    if (!t) continue;
    for (const [table, dev] of [["packages", false], ["dev-packages", true]] as const) {
      for (const [rawName, v] of Object.entries(obj(t[table]) ?? {})) {
        const at = locateKey(project, f, new RegExp(`^\\[${table}\\]$`), rawName);
        const o = obj(v);
        const constraint = typeof v === "string" ? v : typeof o?.version === "string" ? o.version : "*";
        const spec = constraint === "*" ? "" : constraint.replace(/\s+/g, "");
        const url = o ? (["git", "file", "path"].map((k) => o[k]).find((x) => typeof x === "string") as string | undefined) : undefined;
        if (spec && !poetryToPep440(spec)) {
          project.note({ path: f.path, line: at.line, kind: "parse-failed", message: `Pipfile version for ${rawName} is not a PEP 440 specifier: ${redact(constraint)}` });
          continue;
        }
        out.push({ name: normalizeName(rawName), specifier: spec, version: pinnedVersion(spec), path: f.path, line: at.line, col: at.col, source: "pipfile", dev, ...(url ? { url } : {}) });
      }
    }
    for (const src of arr(t.source)) {
      const s = obj(src);
      if (typeof s?.url !== "string") continue;
      const at = locateString(project, f, s.url);
      const isFirst = arr(t.source)[0] === src;
      indexes.push({ option: isFirst ? "--index-url" : "--extra-index-url", value: s.url, path: f.path, line: at.line, col: at.col });
      if (s.verify_ssl === false) indexes.push({ option: "--trusted-host", value: s.url.replace(/^[a-z]+:\/\//i, "").replace(/[/:].*$/, ""), path: f.path, line: at.line, col: at.col });
    }
  }
}

// ---------- lock files: poetry.lock, uv.lock, Pipfile.lock ----------

export function readLockfiles(project: Project, out: Requirement[]): void {
  for (const f of project.ofKind("lockfile")) {
    const base = f.path.split("/").pop()!.toLowerCase();
    if (base === "pipfile.lock") readPipfileLock(project, f, out);
    else if (base === "poetry.lock" || base === "uv.lock") readTomlLock(project, f, base, out);
  }
}

function readTomlLock(project: Project, f: SourceFile, base: "poetry.lock" | "uv.lock", out: Requirement[]): void {
  const t = tomlOf(project, f);
  if (!t) return;
  const lines = project.lines(f.path);
  // [[package]] headers in order: positions for the nth package table
  const headers: number[] = [];
  lines.forEach((l, i) => {
    if (/^\s*\[\[package\]\]\s*$/.test(l)) headers.push(i);
  });
  arr(t.package).forEach((p, i) => {
    const pkg = obj(p);
    if (!pkg || typeof pkg.name !== "string" || typeof pkg.version !== "string") return;
    const src = obj(pkg.source);
    // uv.lock lists the project itself (virtual/editable source); it is not a dependency
    if (base === "uv.lock" && src && (src.virtual !== undefined || src.editable !== undefined)) return;
    const at = findLine(lines, (l) => /^\s*name\s*=/.test(l), headers[i] ?? 0) ?? { line: (headers[i] ?? 0) + 1, col: 1 };
    const groups = arr(pkg.groups).filter((g): g is string => typeof g === "string");
    const dev = pkg.category === "dev" || (groups.length > 0 && !groups.includes("main"));
    out.push({ name: normalizeName(pkg.name), specifier: `==${pkg.version}`, version: pkg.version, path: f.path, line: at.line, col: at.col, source: base, dev });
  });
}

function readPipfileLock(project: Project, f: SourceFile, out: Requirement[]): void {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(f.text) as Record<string, unknown>;
  } catch (e) {
    project.note({ path: f.path, kind: "parse-failed", message: `Pipfile.lock is not valid JSON: ${redact((e as Error).message)}` });
    return;
  }
  const lines = project.lines(f.path);
  for (const [section, dev] of [["default", false], ["develop", true]] as const) {
    const start = lines.findIndex((l) => new RegExp(`^\\s*"${section}"\\s*:`).test(l));
    for (const [rawName, v] of Object.entries(obj(j[section]) ?? {})) {
      const o = obj(v);
      const spec = typeof o?.version === "string" ? o.version : "";
      const esc = rawName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const at = findLine(lines, (l) => new RegExp(`^\\s*"${esc}"\\s*:`).test(l), Math.max(0, start)) ?? { line: 1, col: 1 };
      out.push({ name: normalizeName(rawName), specifier: spec, version: pinnedVersion(spec), path: f.path, line: at.line, col: at.col, source: "pipfile.lock", dev });
    }
  }
}

// ---------- setup.cfg / setup.py ----------

export function readSetupFiles(project: Project, out: Requirement[]): void {
  for (const f of project.ofKind("setup-cfg")) readSetupCfg(project, f, out);
  for (const f of project.python.filter((p) => p.path.split("/").pop() === "setup.py")) readSetupPy(project, f, out);
}

function readSetupCfg(project: Project, f: SourceFile, out: Requirement[]): void {
  const lines = project.lines(f.path);
  let section = "";
  let key: string | null = null;
  const emit = (s: string, i: number) => {
    const t = s.replace(/\s[#;].*$/, "").trim();
    if (!t || t.startsWith("#") || t.startsWith(";")) return;
    const r = parseRequirement(t);
    const col = lines[i]!.indexOf(t) + 1;
    if (!r) {
      noteInvalid(project, f, i + 1, t);
      return;
    }
    const dev = section === "options.extras_require" && key !== null && DEV_GROUP.test(key);
    out.push({ name: r.name, specifier: r.specifier, version: r.url ? null : pinnedVersion(r.specifier), path: f.path, line: i + 1, col, source: "setup.cfg", dev, ...(r.marker ? { marker: r.marker } : {}), ...(r.extras.length ? { extras: r.extras } : {}) });
  };
  lines.forEach((l, i) => {
    const sec = /^\s*\[([^\]]+)\]\s*$/.exec(l);
    if (sec) {
      section = sec[1]!.trim();
      key = null;
      return;
    }
    const kv = /^([A-Za-z_][\w.-]*)\s*[=:]\s*(.*)$/.exec(l);
    if (kv) {
      key = null;
      const wanted = (section === "options" && kv[1] === "install_requires") || section === "options.extras_require";
      if (!wanted) return;
      key = kv[1]!;
      if (kv[2]!.trim()) for (const part of kv[2]!.split(section === "options" ? /;(?=\s*[A-Za-z])|,/ : /,/)) emit(part, i);
      return;
    }
    if (key && /^\s+\S/.test(l)) emit(l, i);
  });
}

function readSetupPy(project: Project, f: PythonFile, out: Requirement[]): void {
  const topLists = new Map<string, A.Expr>();
  for (const s of f.ast.body) if (s.kind === "Assign" && s.targets.length === 1 && s.targets[0]!.kind === "Name") topLists.set(s.targets[0]!.id, s.value);
  const resolve = (e: A.Expr | undefined): A.Expr | undefined => (e?.kind === "Name" ? topLists.get(e.id) : e);
  const strings = (e: A.Expr | undefined): A.Constant[] => {
    const v = resolve(e);
    if (!v || (v.kind !== "List" && v.kind !== "Tuple")) return [];
    return v.elts.filter((x): x is A.Constant => constString(x) !== null);
  };
  const visit = (c: A.Call) => {
    const name = calleeName(c);
    if (name !== "setup") return;
    const add = (k: A.Constant, dev: boolean) => {
      const r = parseRequirement(String(k.value));
      if (!r) {
        noteInvalid(project, f, k.line, String(k.value));
        return;
      }
      out.push({ name: r.name, specifier: r.specifier, version: r.url ? null : pinnedVersion(r.specifier), path: f.path, line: k.line, col: k.col, source: "setup.py", dev, ...(r.marker ? { marker: r.marker } : {}) });
    };
    for (const k of strings(keywordArg(c, "install_requires"))) add(k, false);
    const extras = resolve(keywordArg(c, "extras_require"));
    if (extras?.kind === "Dict") {
      extras.keys.forEach((key, i) => {
        const group = constString(key ?? undefined) ?? "";
        for (const k of strings(extras.values[i])) add(k, DEV_GROUP.test(group));
      });
    }
  };
  for (const s of f.ast.body) {
    const stmts = s.kind === "If" ? [s, ...s.body] : [s];
    for (const st of stmts) if (st.kind === "Expr" && st.value.kind === "Call") visit(st.value);
  }
}
