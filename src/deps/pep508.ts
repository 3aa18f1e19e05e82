// PEP 508 requirement strings (`name[extra] >=1.0 ; marker`, `name @ url`) and
// PEP 440 specifiers. Splitting the string is syntax; every version question
// (is it a pin, what is the lower bound, does a version match) goes through
// @renovatebot/pep440.
import { valid, validRange, explain, compare, satisfies } from "@renovatebot/pep440";
import specifier from "@renovatebot/pep440/lib/specifier.js";

export interface ParsedRequirement {
  name: string;
  extras: string[];
  specifier: string;
  url: string | null;
  marker: string | null;
}

/** PEP 503 normalised name. */
export function normalizeName(n: string): string {
  return n.trim().toLowerCase().replace(/[-_.]+/g, "-");
}

const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*/;

export function parseRequirement(text: string): ParsedRequirement | null {
  let rest = text.trim();
  let marker: string | null = null;
  const semi = findMarker(rest);
  if (semi !== -1) {
    marker = rest.slice(semi + 1).trim() || null;
    rest = rest.slice(0, semi).trim();
  }
  const m = NAME.exec(rest);
  if (!m) return null;
  const name = normalizeName(m[1]!);
  rest = rest.slice(m[0].length);
  let extras: string[] = [];
  if (rest.startsWith("[")) {
    const end = rest.indexOf("]");
    if (end === -1) return null;
    extras = rest.slice(1, end).split(",").map((s) => s.trim()).filter(Boolean);
    rest = rest.slice(end + 1).trim();
  }
  if (rest.startsWith("@")) return { name, extras, specifier: "", url: rest.slice(1).trim(), marker };
  let spec = rest.trim();
  if (spec.startsWith("(") && spec.endsWith(")")) spec = spec.slice(1, -1).trim();
  spec = spec.replace(/\s+/g, "");
  if (spec && !validRange(spec)) return null;
  return { name, extras, specifier: spec, url: null, marker };
}

/** `;` that starts the marker (URL requirements may contain `;` only after whitespace per PEP 508). */
function findMarker(s: string): number {
  const at = s.indexOf("@");
  if (at === -1) return s.indexOf(";");
  const m = /\s;/.exec(s.slice(at));
  return m ? at + m.index + 1 : -1;
}

/** The exact version a specifier pins (`==3.2.0`, `===3.2.0`), or null. */
export function pinnedVersion(spec: string): string | null {
  if (!spec) return null;
  const clauses = spec.split(",").map((c) => c.trim()).filter(Boolean);
  if (clauses.length !== 1) return null;
  const m = /^(===?)(.+)$/.exec(clauses[0]!);
  if (!m || m[2]!.includes("*")) return null;
  return valid(m[2]!) ? m[2]! : null;
}

/** The smallest version a specifier admits when it names one (`>=4.2`, `~=4.2.1`, `==4.2.*`, `^4.2` after conversion). */
export function lowerBound(spec: string): string | null {
  if (!spec || !validRange(spec)) return null;
  let best: string | null = null;
  for (const c of specifier.parse(spec)) {
    let v: string | null = null;
    if (c.operator === ">=" || c.operator === "~=" || c.operator === "==" || c.operator === "===" ) v = c.version.replace(/\.\*$/, "");
    if (v && valid(v) && (best === null || compare(v, best) > 0)) best = v;
  }
  return best;
}

/** The `major.minor` release series of a version ("3.2.0" → "3.2"). */
export function series(version: string): string | null {
  const e = explain(version);
  if (!e) return null;
  return `${e.release[0] ?? 0}.${e.release[1] ?? 0}`;
}

/**
 * Poetry's and Pipfile's version constraints to PEP 440: `^1.2.3`, `~1.2`, `1.2.*`,
 * `*`, bare versions (`1.2` means ==1.2 in Poetry), `>=1,<2`.
 */
export function poetryToPep440(c: string): string | null {
  const parts = c.split(/\s*(?:,|\|\|)\s*/).map((s) => s.trim()).filter(Boolean);
  if (c.includes("||")) return null; // unions have no PEP 440 form
  const out: string[] = [];
  for (const p of parts) {
    if (p === "*" || p === "") continue;
    let m: RegExpExecArray | null;
    if ((m = /^\^\s*(.+)$/.exec(p))) {
      const e = explain(m[1]!);
      if (!e) return null;
      const r = [...e.release, 0, 0].slice(0, Math.max(e.release.length, 1));
      const firstNonZero = r.findIndex((x) => x !== 0);
      const idx = firstNonZero === -1 ? r.length - 1 : firstNonZero;
      const upper = r.slice(0, idx + 1).map((x, i) => (i === idx ? x + 1 : x));
      out.push(`>=${m[1]}`, `<${upper.join(".")}`);
    } else if ((m = /^~(?!=)\s*(.+)$/.exec(p))) {
      const e = explain(m[1]!);
      if (!e) return null;
      const r = e.release;
      const upper = r.length >= 2 ? [r[0]!, r[1]! + 1] : [r[0]! + 1];
      out.push(`>=${m[1]}`, `<${upper.join(".")}`);
    } else if (/^(==|!=|<=|>=|<|>|~=|===)/.test(p)) {
      out.push(p.replace(/\s+/g, ""));
    } else if (valid(p.replace(/\.\*$/, "")) || /\.\*$/.test(p)) {
      out.push(`==${p}`);
    } else return null;
  }
  const spec = out.join(",");
  return spec === "" || validRange(spec) ? spec : null;
}

/**
 * A marker made only of `python_version` comparisons joined by `and` that no
 * supported Python 3 satisfies (`python_version < "3"`, `== "2.7"`): such a
 * requirement is never installed where Django runs today.
 */
export function pythonTwoOnly(marker: string | undefined): boolean {
  if (!marker || /\bor\b/.test(marker)) return false;
  const parts = marker.split(/\band\b/).map((p) => p.trim().replace(/^\(|\)$/g, ""));
  const clauses = parts.map((p) => /^python_(?:full_)?version\s*(===|==|!=|<=|>=|<|>|~=)\s*["']([^"']+)["']$/.exec(p));
  if (clauses.some((c) => c === null)) return false;
  const modern = ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14"];
  return !modern.some((py) => clauses.every((c) => satisfies(py, `${c![1]}${c![2]}`)));
}
