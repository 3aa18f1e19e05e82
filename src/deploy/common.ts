// Small helpers every deployment reader shares: which files are dev-only, relative paths, shell
// word splitting, compose-style `${VAR:-default}` interpolation, truthy values.
import type { Span } from "../python/ast.js";

/** Name tokens that mark a file or directory as local development, tests or CI only. */
const DEV_TOKENS = new Set(["dev", "devel", "develop", "development", "local", "test", "tests", "testing", "ci", "override", "debug", "devcontainer"]);
/** Directories whose content is documentation or tests, never what production runs. */
const DEV_DIRS = new Set(["docs", "doc", "documentation", "examples", "example", "tests", "test", ".devcontainer", "dev", "local", "development"]);
/** Template/placeholder copies (`.env.example`, `docker-compose.sample.yml`) hold no real values. */
const EXAMPLE_TOKENS = new Set(["example", "examples", "sample", "template", "tmpl", "dist", "defaults", "skel"]);

function tokens(base: string): string[] {
  return base.toLowerCase().split(/[._-]+/).filter(Boolean);
}

/**
 * A deployment file used only for development: docker-compose.override.yml,
 * compose.dev.yml, Dockerfile.dev, Procfile.dev, .env.local, anything under docs/.
 */
export function isDevPath(path: string): boolean {
  const parts = path.split("/");
  const base = parts[parts.length - 1]!;
  if (parts.slice(0, -1).some((d) => DEV_DIRS.has(d.toLowerCase()) || DEV_TOKENS.has(d.toLowerCase().replace(/^\./, "")))) return true;
  return tokens(base).some((t) => DEV_TOKENS.has(t)) || isExamplePath(path);
}

export function isExamplePath(path: string): boolean {
  const base = path.split("/").pop()!;
  return tokens(base).some((t) => EXAMPLE_TOKENS.has(t));
}

/** A file whose name says it is the production variant (docker-compose.prod.yml, production.yml). */
export function isProdPath(path: string): boolean {
  const base = path.split("/").pop()!;
  return tokens(base).some((t) => t === "prod" || t === "production" || t === "live" || t === "deploy");
}

/**
 * A path written in a file (`../Dockerfile`, `-r base.txt`) resolved against that
 * file's directory, project-relative with `/` separators; `..` above the root is dropped.
 */
export function joinRelative(from: string, ref: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const seg of ref.split("/")) {
    if (seg === "." || seg === "") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return parts.join("/");
}

/** POSIX-ish shell word splitting: quotes, backslashes; operators (&&, ||, ;, |) become their own words. */
export function shellWords(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let has = false;
  let i = 0;
  const push = () => {
    if (has) out.push(cur);
    cur = "";
    has = false;
  };
  while (i < s.length) {
    const c = s[i]!;
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      cur += j === -1 ? s.slice(i + 1) : s.slice(i + 1, j);
      has = true;
      i = j === -1 ? s.length : j + 1;
    } else if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === "\\" && i + 1 < s.length) i++;
        cur += s[i];
        i++;
      }
      has = true;
      i++;
    } else if (c === "\\" && i + 1 < s.length) {
      if (s[i + 1] !== "\n") {
        cur += s[i + 1];
        has = true;
      }
      i += 2;
    } else if (/\s/.test(c)) {
      push();
      i++;
    } else if (c === "&" || c === "|" || c === ";") {
      push();
      let op = c;
      if ((c === "&" || c === "|") && s[i + 1] === c) op += c;
      out.push(op);
      i += op.length;
    } else {
      cur += c;
      has = true;
      i++;
    }
  }
  push();
  return out;
}

const OPERATORS = new Set(["&&", "||", ";", "|", "&"]);

/**
 * The simple commands inside an argv, descending into `sh -c "..."`/`bash -c`
 * strings and splitting on shell operators.
 */
export function simpleCommands(argv: readonly string[]): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  const flush = () => {
    if (cur.length) out.push(cur);
    cur = [];
  };
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    if (OPERATORS.has(w)) {
      flush();
      continue;
    }
    if (w === "-c" && cur.length >= 1 && /(^|\/)(sh|bash|dash|ash|zsh)$/.test(cur[0]!) && i + 1 < argv.length) {
      flush();
      out.push(...simpleCommands(shellWords(argv[i + 1]!)));
      i++;
      continue;
    }
    cur.push(w);
  }
  flush();
  return out;
}

export interface RunserverUse {
  /** the simple command, e.g. ["python", "manage.py", "runserver", "0.0.0.0:8000"] */
  command: string[];
  insecure: boolean;
  /** `runserver_plus` (django-extensions' Werkzeug server) */
  plus: boolean;
  address: string | null;
}

/** `manage.py runserver`, `django-admin runserver`, `python -m django runserver` anywhere in a command. */
export function findRunserver(argv: readonly string[]): RunserverUse | null {
  for (const cmd of simpleCommands(argv)) {
    const i = cmd.findIndex((w) => w === "runserver" || w === "runserver_plus");
    if (i === -1) continue;
    const before = cmd.slice(0, i);
    const django = before.some((w) => /(^|\/)manage\.py$/.test(w) || /(^|\/)django-admin(\.py)?$/.test(w)) ||
      before.some((w, k) => w === "-m" && before[k + 1] === "django");
    if (!django) continue;
    const rest = cmd.slice(i + 1);
    return {
      command: cmd,
      insecure: rest.includes("--insecure"),
      plus: cmd[i] === "runserver_plus",
      address: rest.find((w) => !w.startsWith("-")) ?? null,
    };
  }
  return null;
}

/**
 * Compose/shell interpolation: `${X:-d}` and `${X-d}` give their default (the
 * value production gets when nobody sets X), `$$` is a literal `$`. Returns null
 * when the value depends on a variable without a default.
 */
export function interpolateDefaults(v: string): string | null {
  let unresolved = false;
  const out = v.replace(/\$\$|\$\{([A-Za-z_]\w*)(?:(:?[-?+])((?:[^}]|\}(?!$))*?))?\}|\$([A-Za-z_]\w*)/g, (m, name?: string, op?: string, def?: string) => {
    if (m === "$$") return "$";
    if (name && op && op.endsWith("-")) return def ?? "";
    unresolved = true;
    return m;
  });
  return unresolved ? null : out;
}

export function isTruthy(v: string): boolean {
  return /^(1|true|yes|on|y|t)$/i.test(v.trim());
}

/** A value that stands for a secret rather than being one: empty, a reference, a placeholder. */
export function isPlaceholder(v: string): boolean {
  const s = v.trim();
  if (s.length === 0) return true;
  if (/^\$\{?[A-Za-z_]\w*/.test(s) || /^<[^>]*>$/.test(s) || /^\{\{.*\}\}$/.test(s)) return true;
  if (/^(changeme|change[-_ ]?me|change[-_]?this|replace[-_]?me|todo|tbd|none|null|secret|password|xxx+|\*+|\.\.\.|your[-_].*|insert[-_].*|example|dummy|placeholder|<.*)$/i.test(s)) return true;
  return false;
}

/** A 1-based span covering one line from a 1-based column to a 1-based end column. */
export function lineSpan(line: number, col: number, endCol: number): Span {
  return { line, col, endLine: line, endCol: Math.max(endCol, col + 1) };
}

/** A settings module named for development (`shop.settings.dev`, `config.settings.local`). */
export const DEV_SETTINGS = /(^|\.)(dev|devel|development|local|test|tests|testing|ci|debug)$/i;
