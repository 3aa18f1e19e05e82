// --format markdown: an audit report in the spec's §2.3 format (Rule ID,
// Severity, Location, Evidence, Impact, Fix, Mitigation, False positive notes),
// a summary table on top; small enough to paste as a pull-request comment.
import type { Finding, Note, Severity } from "../findings.js";
import type { ScanResult } from "../scan.js";
import { escapeCell } from "./rule-docs.js";
import { notesToShow } from "./summary.js";

const SEV_LABEL: Record<Severity, string> = { critical: "Critical", high: "High", medium: "Medium", low: "Low" };
const FENCE_BY_EXT: [RegExp, string][] = [
  [/\.pyw?$/, "python"],
  [/\.(html?|txt|jinja2?|j2)$/, "django"],
  [/(^|\/)Dockerfile[^/]*$/, "dockerfile"],
  [/\.ya?ml$/, "yaml"],
  [/\.toml$/, "toml"],
  [/\.js$/, "javascript"],
];

export function formatMarkdown(result: ScanResult): string {
  const s = result.summary;
  const out: string[] = ["# djangoguard security audit", ""];
  out.push(
    `Scanned \`${baseName(result.root)}\` with djangoguard ${result.tool.version}: ${s.files} files, ${s.lines} lines, ${s.rules} rules. ` +
      `Production settings: ${result.settings.module ? `\`${result.settings.module}\`` : "none found"} (${result.settings.reason}).`,
    "",
    "| Severity | Findings |",
    "|---|---|",
    ...(["critical", "high", "medium", "low"] as const).map((sev) => `| ${SEV_LABEL[sev]} | ${s.bySeverity[sev]} |`),
    `| **Total** | **${s.findings}** |`,
    "",
  );
  const extra: string[] = [];
  if (s.suppressed) extra.push(`${s.suppressed} suppressed inline`);
  if (s.baselined) extra.push(`${s.baselined} in the baseline`);
  if (extra.length) out.push(`Not counted above: ${extra.join(", ")}.`, "");

  if (result.findings.length) {
    out.push("| # | Rule ID | Severity | Confidence | Location | Title |", "|---|---|---|---|---|---|");
    result.findings.forEach((f, i) => {
      out.push(`| [${i + 1}](#finding-${i + 1}) | ${f.ruleId} | ${SEV_LABEL[f.severity]} | ${f.confidence} | \`${escapeCell(where(f))}\` | ${escapeCell(f.title)} |`);
    });
    out.push("", "## Findings", "");
    // The rule-level fields repeat for every finding of a rule; after the first
    // they point back to it, which keeps a long report within a PR comment's size.
    const firstOfRule = new Map<string, number>();
    result.findings.forEach((f, i) => {
      out.push(...findingSection(f, i + 1, firstOfRule.get(f.ruleId)));
      if (!firstOfRule.has(f.ruleId)) firstOfRule.set(f.ruleId, i + 1);
    });
  } else {
    out.push("No findings at or above the chosen thresholds.", "");
  }

  if (result.suppressed.length) {
    out.push("## Suppressed findings", "", "| Rule ID | Location | Reason |", "|---|---|---|");
    for (const f of result.suppressed) out.push(`| ${f.ruleId} | \`${escapeCell(where(f))}\` | ${escapeCell(f.suppression.reason)} |`);
    out.push("");
  }
  if (result.notes.length) {
    // suppression/config notes always; file notes of a big tree are capped to keep a PR comment readable
    const { shown, hidden } = notesToShow(result.notes);
    out.push("## Scan notes", "", "| File | Kind | Note |", "|---|---|---|");
    for (const n of shown) out.push(`| ${noteWhere(n)} | ${n.kind} | ${escapeCell(n.message)} |`);
    out.push("");
    if (hidden.length) out.push(`${hidden.length} more notes are not shown; \`--format json\` lists them all.`, "");
  }
  return out.join("\n");
}

function findingSection(f: Finding, n: number, sameRuleAs?: number): string[] {
  const loc = f.location;
  const lines = loc.endLine > loc.startLine ? `lines ${loc.startLine}–${loc.endLine}` : `line ${loc.startLine}`;
  const out = [
    `<a id="finding-${n}"></a>`,
    `### ${n}. ${f.title}`,
    "",
    f.message,
    "",
    `- **Rule ID:** ${f.ruleId}`,
    `- **Severity:** ${SEV_LABEL[f.severity]} (confidence: ${f.confidence})`,
    `- **Location:** \`${loc.path}\`${loc.symbol ? ` in \`${loc.symbol}\`` : ""}, ${lines}`,
    `- **Classification:** ${f.cwe}, OWASP ${f.owasp}${f.djangoCheckId ? `, Django check \`${f.djangoCheckId}\`` : ""}`,
    "",
    "**Evidence:**",
    "",
    ...fenced(f.evidence, fenceLang(loc.path)),
    "",
  ];
  if (f.trace?.length) {
    out.push("**Data flow:**", "");
    f.trace.forEach((s, i) => out.push(`${i + 1}. ${s.kind}: \`${s.path}:${s.line}\` — ${s.note}`));
    out.push("");
  }
  const asBefore = sameRuleAs === undefined ? undefined : `as for [finding ${sameRuleAs}](#finding-${sameRuleAs}) (${f.ruleId}).`;
  out.push(
    `**Impact:** ${asBefore ?? f.impact}`,
    "",
    `**Fix:** ${asBefore ?? f.fix}`,
    "",
    `**Mitigation:** ${asBefore ?? f.mitigation}`,
    "",
    `**False positive notes:** ${asBefore ?? f.falsePositiveNotes}`,
    "",
    `<sub>fingerprint \`${f.fingerprint}\` · to accept after review: \`djangoguard: ignore[${f.ruleId}] reason\`</sub>`,
    "",
  );
  return out;
}

function fenced(text: string, lang: string): string[] {
  // a fence longer than any backtick run inside the snippet
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(longest + 1);
  return [fence + lang, text, fence];
}

function fenceLang(p: string): string {
  return FENCE_BY_EXT.find(([re]) => re.test(p))?.[1] ?? "";
}

function where(f: Finding): string {
  return `${f.location.path}:${f.location.startLine}`;
}

function noteWhere(n: Note): string {
  return n.path ? `\`${escapeCell(n.path)}${n.line ? `:${n.line}` : ""}\`` : "(scan)";
}

function baseName(p: string): string {
  return p.split(/[\\/]/).filter(Boolean).pop() ?? p;
}
