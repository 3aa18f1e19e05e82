// Rule documentation rendered from RuleMeta: docs/rules/<ID>.md, the index,
// `djangoguard rules ID` and SARIF `help.markdown` all come from here.
import type { RuleMeta } from "../rules/types.js";

const FENCE_LANG: Record<string, string> = { python: "python", django: "django", dockerfile: "dockerfile", text: "text" };

export function ruleMarkdown(rule: RuleMeta, opts: { heading?: boolean } = {}): string {
  const out: string[] = [];
  if (opts.heading !== false) out.push(`# ${rule.id}: ${rule.title}`, "");
  out.push(
    `| Severity | CWE | OWASP Top 10 (2021) | Django check IDs |`,
    `|---|---|---|---|`,
    `| ${rule.severity} | ${cweLink(rule.cwe)} | ${rule.owasp} | ${rule.djangoCheckIds.length ? rule.djangoCheckIds.map((c) => `\`${c}\``).join(", ") : "—"} |`,
    "",
    "## What it does",
    "",
    rule.description,
    "",
    "## Why it is bad",
    "",
    rule.impact,
    "",
  );
  if (rule.example) {
    const lang = FENCE_LANG[rule.example.language ?? "python"] ?? "";
    out.push("## Example", "", "Flagged:", "", "```" + lang, rule.example.bad, "```", "", "Fixed:", "", "```" + lang, rule.example.good, "```", "");
  }
  out.push(
    "## How to fix",
    "",
    rule.fix,
    "",
    "## Mitigation",
    "",
    rule.mitigation,
    "",
    "## False positives",
    "",
    rule.falsePositives,
    "",
    `To accept a reviewed finding, add \`# djangoguard: ignore[${rule.id}] <why this is safe>\` on its line or the line above.`,
    "",
    "## References",
    "",
    ...rule.references.map((r) => `- <${r}>`),
    "",
    "## Django check IDs",
    "",
    rule.djangoCheckIds.length ? rule.djangoCheckIds.map((c) => `- \`${c}\``).join("\n") : "None: Django's `check --deploy` does not cover this.",
    "",
    "## CWE",
    "",
    cweLink(rule.cwe),
    "",
    "## OWASP",
    "",
    rule.owasp,
    "",
  );
  return out.join("\n");
}

function rulesIndexMarkdown(rules: readonly RuleMeta[]): string {
  const out = [
    "# djangoguard rules",
    "",
    "Generated from the rule metadata in `src/rules/` by `npm run docs`; do not edit by hand.",
    "",
    "| ID | Severity | Title | CWE | OWASP | Django checks |",
    "|---|---|---|---|---|---|",
  ];
  for (const r of rules) {
    out.push(`| [${r.id}](${r.id}.md) | ${r.severity} | ${escapeCell(r.title)} | ${r.cwe} | ${r.owasp} | ${r.djangoCheckIds.join(", ") || "—"} |`);
  }
  return out.join("\n") + "\n";
}

/** "CWE-79" → "79"; undefined for anything else. */
export function cweNumber(cwe: string): string | undefined {
  return /^CWE-(\d+)$/.exec(cwe)?.[1];
}

function cweUrl(cwe: string): string | undefined {
  const n = cweNumber(cwe);
  return n ? `https://cwe.mitre.org/data/definitions/${n}.html` : undefined;
}

function cweLink(cwe: string): string {
  const url = cweUrl(cwe);
  return url ? `[${cwe}](${url})` : cwe;
}

export function escapeCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** Every file under docs/rules/ by name, as `npm run docs` writes it. */
export function expectedRuleDocs(rules: readonly RuleMeta[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const r of rules) files.set(`${r.id}.md`, ruleMarkdown(r));
  files.set("README.md", rulesIndexMarkdown(rules));
  return files;
}
