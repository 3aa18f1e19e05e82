// Inline suppressions: `# djangoguard: ignore[DJANGO-SQL-001] reason` (Python,
// YAML, Dockerfile, requirements, .env, nginx), `{# djangoguard: ignore[...] reason #}`
// (templates), `<!-- ... -->` (HTML) and `// ...` (JS). Several IDs may be
// comma-separated. A suppression covers findings that start on its own line
// or, when it is the only thing on its line, on the next line. One without a
// rule ID or without a reason suppresses nothing and becomes a note, so a
// reviewer sees it in every report format; so does one that matches no finding
// (stale, or not on the finding's first line).
import type { Finding, Note } from "./findings.js";
import { redact } from "./redact.js";

export interface Suppression {
  path: string;
  /** 1-based line of the comment */
  line: number;
  ruleIds: string[];
  reason: string;
  /** the comment stands alone on its line, so it also covers the next line */
  ownLine: boolean;
}

export interface SuppressedFinding extends Finding {
  suppression: { kind: "inline"; path: string; line: number; reason: string };
}

const MARKER = "djangoguard:";
const COMMENT = /(^|\s)(#|\{#|<!--|\/\/)\s*djangoguard:\s*(\S*)(.*)$/;
const RULE_ID = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;

/**
 * Find the suppression comments in one file. Malformed ones become notes.
 * `knownRule` tells whether an ID is registered (an unknown ID is reported too).
 */
export function parseSuppressions(path: string, text: string, knownRule: (id: string) => boolean, notes: Note[]): Suppression[] {
  if (!text.includes(MARKER)) return [];
  const out: Suppression[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    if (!raw.includes(MARKER)) return;
    const m = COMMENT.exec(raw);
    if (!m) return;
    const line = i + 1;
    const opener = m[2]!;
    const ownLine = raw.slice(0, m.index + m[1]!.length).trim() === "";
    // the directive is everything after "djangoguard:", less a template/HTML comment's closer
    let directive = m[3]! + (m[4] ?? "");
    if (opener === "{#") directive = directive.replace(/#\}\s*$/, "");
    if (opener === "<!--") directive = directive.replace(/-->\s*$/, "");
    const bad = (why: string) => notes.push({ path, line, kind: "suppression", message: `suppression ignored: ${why} — write \`djangoguard: ignore[RULE-ID] why this is safe\`` });
    const im = /^ignore\s*(\[([^\]]*)\]?)?(.*)$/.exec(directive);
    if (!im) return bad(`unknown directive "${m[3]!.replace(/\[.*$/, "")}"`);
    if (!im[1]) return bad("it names no rule ID");
    if (!im[1].endsWith("]")) return bad("the rule ID list is not closed with ]");
    const ids = im[2]!.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean);
    const reason = im[3]!.trim().replace(/^[-–—:]\s*/, "");
    if (ids.length === 0) return bad("it names no rule ID");
    const malformed = ids.filter((id) => !RULE_ID.test(id));
    if (malformed.length) return bad(`${malformed.map((x) => JSON.stringify(x)).join(", ")} is not a rule ID`);
    if (!reason) return bad(`it gives no reason for ignoring ${ids.join(", ")}`);
    const unknown = ids.filter((id) => !knownRule(id));
    if (unknown.length) notes.push({ path, line, kind: "suppression", message: `suppression names unknown rule ${unknown.join(", ")} (see \`djangoguard rules\`)` });
    out.push({ path, line, ruleIds: ids, reason, ownLine });
  });
  return out;
}

/** Split findings into kept and suppressed, given every suppression in the project. */
export function applySuppressions(findings: Finding[], suppressions: Suppression[]): { kept: Finding[]; suppressed: SuppressedFinding[]; unused: Suppression[] } {
  const byLine = new Map<string, Suppression[]>();
  const add = (key: string, s: Suppression) => {
    const list = byLine.get(key);
    if (list) list.push(s);
    else byLine.set(key, [s]);
  };
  for (const s of suppressions) {
    add(`${s.path}:${s.line}`, s);
    if (s.ownLine) add(`${s.path}:${s.line + 1}`, s);
  }
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const used = new Set<Suppression>();
  for (const f of findings) {
    const s = byLine.get(`${f.location.path}:${f.location.startLine}`)?.find((x) => x.ruleIds.includes(f.ruleId));
    if (s) {
      used.add(s);
      // the reason is the author's comment text: it is shown in every format, so it is redacted like evidence
      suppressed.push({ ...f, suppression: { kind: "inline", path: s.path, line: s.line, reason: redact(s.reason) } });
    } else kept.push(f);
  }
  return { kept, suppressed, unused: suppressions.filter((s) => !used.has(s)) };
}
