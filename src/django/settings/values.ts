// The values the static settings evaluator computes. A value is either known
// (a Python literal we could fold), environment-dependent (known under the
// environment we evaluate with, and marked with the variables it read), or
// unknown (a call we do not model, an import we cannot follow...). Unknown
// values never produce a confident finding.
import type { Span } from "../../python/ast.js";

/** Where a value (or a step of a setting's history) is written. */
export interface Site extends Span {
  /** POSIX path relative to the scanned root */
  path: string;
}

/** One environment read that a value depends on. */
export interface EnvRead {
  variable: string;
  /** "os.environ", "django-environ", "python-decouple", "environs" */
  via: string;
  /** the variable was set in the environment we evaluated with */
  set: boolean;
  /** where the set value came from: "--env", "--env-file", "Dockerfile:12", ".env (read_env)" */
  source?: string;
  /** the default was used because the variable is unset */
  defaulted: boolean;
  /** the variable is unset and there is no default: Django would fail to start */
  missing: boolean;
  /** the call that read it, as written */
  code: string;
  site: Site;
}

interface Meta {
  /** the expression that produced this value */
  at?: Site;
  /** environment reads this value depends on */
  env?: EnvRead[];
}

export type Val =
  | (Meta & { t: "str"; v: string })
  | (Meta & { t: "num"; v: number })
  | (Meta & { t: "bool"; v: boolean })
  | (Meta & { t: "none" })
  | (Meta & { t: "list" | "tuple" | "set"; items: Val[] })
  | (Meta & { t: "dict"; entries: [Val, Val][] })
  /** a pathlib.Path (or a path built with os.path), absolute as if the project root were "/" */
  | (Meta & { t: "path"; v: string })
  /** several possible values, chosen by a condition we cannot decide statically */
  | (Meta & { t: "choice"; options: { when: string; value: Val }[] })
  | (Meta & { t: "unknown"; why: string })
  /** a module, function or object outside the project, by canonical dotted name (os.environ, environ.Env...) */
  | (Meta & { t: "ext"; q: string })
  /** an environment helper object (environ.Env(), environs.Env()) with its schemes */
  | (Meta & { t: "envobj"; lib: "django-environ" | "environs"; schemes: Map<string, { cast: Val; default?: Val }> })
  /** a bound method on a value: `env.bool`, `"x".lower`, `path.joinpath` */
  | (Meta & { t: "method"; self: Val; name: string })
  /** a function or class defined in the project (small functions are evaluated when called; a class's attributes can be read) */
  | (Meta & { t: "def"; name: string; node?: import("../../python/ast.js").FunctionDef | import("../../python/ast.js").ClassDef; module?: string })
  /** an instance of a project class (`self` in a class-based settings property) */
  | (Meta & { t: "obj"; cls: DefVal });

/** A project function or class. */
export type DefVal = Extract<Val, { t: "def" }>;

export type Known = Exclude<Val, { t: "unknown" | "choice" }>;

export function unknown(why: string, at?: Site): Val {
  return at ? { t: "unknown", why, at } : { t: "unknown", why };
}

/** Combine the env reads of several operands into a new value. */
export function withEnv<T extends Val>(v: T, ...from: (Val | undefined)[]): T {
  const reads: EnvRead[] = [...(v.env ?? [])];
  for (const f of from) for (const r of f?.env ?? []) if (!reads.includes(r)) reads.push(r);
  return reads.length ? { ...v, env: reads } : v;
}

/** Python truthiness: true/false, or null when it cannot be decided. */
export function truthy(v: Val): boolean | null {
  switch (v.t) {
    case "str": return v.v.length > 0;
    case "num": return v.v !== 0;
    case "bool": return v.v;
    case "none": return false;
    case "list": case "tuple": case "set": return v.items.length > 0;
    case "dict": return v.entries.length > 0;
    case "path": return true;
    case "choice": return agreed(v.options.map((o) => truthy(o.value))) ?? null;
    case "ext": case "envobj": case "method": case "def": case "obj": return true;
    case "unknown": return null;
  }
}

/** `value is True` (Django's stricter checks): true/false, or null when undecidable. */
export function isTrue(v: Val): boolean | null {
  if (v.t === "bool") return v.v;
  if (v.t === "unknown") return null;
  if (v.t === "choice") return agreed(v.options.map((o) => isTrue(o.value))) ?? null;
  return false;
}

/** Python equality for known scalars; null when undecidable. */
export function pyEquals(a: Val, b: Val): boolean | null {
  if (a.t === "unknown" || b.t === "unknown" || a.t === "choice" || b.t === "choice") return null;
  const num = (v: Val): number | null => (v.t === "num" ? v.v : v.t === "bool" ? (v.v ? 1 : 0) : null);
  const na = num(a), nb = num(b);
  if (na !== null && nb !== null) return na === nb;
  if (a.t === "str" && b.t === "str") return a.v === b.v;
  if (a.t === "path" && b.t === "path") return a.v === b.v;
  if (a.t === "none" || b.t === "none") return a.t === b.t;
  if ((a.t === "list" && b.t === "list") || (a.t === "tuple" && b.t === "tuple")) {
    if (a.items.length !== b.items.length) return false;
    let all: boolean | null = true;
    for (let i = 0; i < a.items.length; i++) {
      const e = pyEquals(a.items[i]!, b.items[i]!);
      if (e === false) return false;
      if (e === null) all = null;
    }
    return all;
  }
  if (a.t === "ext" || b.t === "ext" || a.t === "def" || b.t === "def" || a.t === "method" || b.t === "method" || a.t === "envobj" || b.t === "envobj" || a.t === "obj" || b.t === "obj") return null;
  return false;
}

/** The values a setting can take: a choice's options (nested choices flattened), or the value itself. */
export function optionsOf(v: Val): Val[] {
  return v.t === "choice" ? v.options.flatMap((o) => optionsOf(o.value)) : [v];
}

/**
 * The answer every option gives, or undefined when they differ. Settings that
 * depend on a condition we cannot decide are known where every branch agrees
 * (`answers` from optionsOf(v).map(...); compared as JSON).
 */
export function agreed<T>(answers: readonly T[]): T | undefined {
  const first = JSON.stringify(answers[0]);
  return answers.every((a) => JSON.stringify(a) === first) ? answers[0] : undefined;
}

/** Items of a sequence value, or null when it is not a known sequence. */
export function itemsOf(v: Val | undefined): Val[] | null {
  if (!v) return null;
  if (v.t === "list" || v.t === "tuple" || v.t === "set") return v.items;
  return null;
}

/** The string items of a known sequence (unknown items are skipped; `complete` says whether any were). */
export function stringItems(v: Val | undefined): { items: string[]; complete: boolean } | null {
  const items = itemsOf(v);
  if (!items) return null;
  const out: string[] = [];
  let complete = true;
  for (const i of items) {
    if (i.t === "str") out.push(i.v);
    else complete = false;
  }
  return { items: out, complete };
}

/** Look a key up in a known dict value. */
export function dictGet(v: Val | undefined, key: string): Val | undefined {
  if (!v || v.t !== "dict") return undefined;
  for (let i = v.entries.length - 1; i >= 0; i--) {
    const [k, val] = v.entries[i]!;
    if (k.t === "str" && k.v === key) return val;
  }
  return undefined;
}

/** Plain JavaScript for a value (strings, numbers, booleans, null, arrays, objects); undefined when not fully known. */
export function toJS(v: Val | undefined): unknown {
  if (!v) return undefined;
  switch (v.t) {
    case "str": case "path": case "num": case "bool": return v.v;
    case "none": return null;
    case "list": case "tuple": case "set": {
      const out = v.items.map(toJS);
      return out.includes(undefined) ? undefined : out;
    }
    case "dict": {
      const o: Record<string, unknown> = {};
      for (const [k, val] of v.entries) {
        if (k.t !== "str") return undefined;
        const j = toJS(val);
        if (j === undefined) return undefined;
        o[k.v] = j;
      }
      return o;
    }
    default: return undefined;
  }
}

/** A short Python-ish rendering of a value for messages. Never use it on secret settings. */
export function show(v: Val, max = 60): string {
  let s: string;
  switch (v.t) {
    case "str": s = JSON.stringify(v.v).replace(/^"|"$/g, "'"); break;
    case "path": s = `Path('${v.v}')`; break;
    case "num": s = String(v.v); break;
    case "bool": s = v.v ? "True" : "False"; break;
    case "none": s = "None"; break;
    case "list": s = `[${v.items.map((i) => show(i, 30)).join(", ")}]`; break;
    case "tuple": s = `(${v.items.map((i) => show(i, 30)).join(", ")}${v.items.length === 1 ? "," : ""})`; break;
    case "set": s = `{${v.items.map((i) => show(i, 30)).join(", ")}}`; break;
    case "dict": s = `{${v.entries.map(([k, x]) => `${show(k, 20)}: ${show(x, 30)}`).join(", ")}}`; break;
    case "choice": s = v.options.map((o) => `${show(o.value, 30)} (${o.when})`).join(" or "); break;
    case "unknown": s = `<unknown: ${v.why}>`; break;
    case "ext": s = v.q; break;
    case "def": s = v.name; break;
    default: s = `<${v.t}>`;
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
