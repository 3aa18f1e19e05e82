// `djangoguard rules [ID]`: list every rule, or explain one — all from the rule
// metadata (the same source as docs/rules/*.md and SARIF rules[]).
import type { Command } from "commander";
import { ConfigError } from "../config/load.js";
import { RULES, getRule } from "../rules/index.js";
import type { Rule, RuleMeta } from "../rules/types.js";
import { ruleMarkdown } from "../report/rule-docs.js";

const FORMATS = ["text", "json", "markdown"] as const;

export function registerRules(program: Command, rules: readonly Rule[] = RULES): void {
  program
    .command("rules")
    .description("List the rules, or explain one")
    .argument("[id]", "a rule ID, e.g. DJANGO-SQL-001")
    .option("-f, --format <format>", FORMATS.join(" | "), "text")
    .action((id: string | undefined, o: { format: string }) => {
      const format = o.format.toLowerCase();
      if (!(FORMATS as readonly string[]).includes(format)) throw new ConfigError(`--format takes ${FORMATS.join("|")}, got ${JSON.stringify(o.format)}`);
      if (id) {
        const rule = rules === RULES ? getRule(id.toUpperCase()) : rules.find((r) => r.id === id.toUpperCase());
        if (!rule) throw new ConfigError(`no rule ${id}${suggest(id, rules)}; \`djangoguard rules\` lists them`);
        const meta = metaOf(rule);
        process.stdout.write(format === "json" ? JSON.stringify(meta, null, 2) + "\n" : format === "markdown" ? ruleMarkdown(meta) : explain(meta));
        return;
      }
      const metas = rules.map(metaOf);
      if (format === "json") process.stdout.write(JSON.stringify(metas, null, 2) + "\n");
      else if (format === "markdown") process.stdout.write(metas.map((m) => ruleMarkdown(m)).join("\n"));
      else process.stdout.write(table(metas));
    });
}

function metaOf(rule: Rule): RuleMeta {
  const { checks: _checks, ...meta } = rule;
  return meta;
}

function table(metas: RuleMeta[]): string {
  const rows = metas.map((r) => [r.id, r.severity, r.cwe, r.owasp.split("-")[0] ?? "", r.title]);
  const head = ["ID", "SEVERITY", "CWE", "OWASP", "TITLE"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  return [line(head), ...rows.map(line), "", `${metas.length} rules. \`djangoguard rules <ID>\` explains one.`].join("\n") + "\n";
}

function explain(r: RuleMeta): string {
  const wrap = (s: string) => s.replace(/\s+/g, " ").trim();
  const out = [
    `${r.id}: ${r.title}`,
    "",
    `Severity:          ${r.severity}`,
    `CWE:              ${r.cwe}`,
    `OWASP (2021):     ${r.owasp}`,
    `Django check IDs: ${r.djangoCheckIds.length ? r.djangoCheckIds.join(", ") : "none"}`,
    "",
    "What it does",
    `  ${wrap(r.description)}`,
    "",
    "Why it is bad",
    `  ${wrap(r.impact)}`,
  ];
  if (r.example) {
    const indent = (s: string) => s.split("\n").map((l) => `    ${l}`).join("\n");
    out.push("", "Example (flagged)", indent(r.example.bad), "", "Example (fixed)", indent(r.example.good));
  }
  out.push(
    "",
    "How to fix",
    `  ${wrap(r.fix)}`,
    "",
    "Mitigation",
    `  ${wrap(r.mitigation)}`,
    "",
    "False positives",
    `  ${wrap(r.falsePositives)}`,
    `  Accept a reviewed finding with: # djangoguard: ignore[${r.id}] <reason>`,
    "",
    "References",
    ...r.references.map((u) => `  ${u}`),
  );
  return out.join("\n") + "\n";
}

function suggest(id: string, rules: readonly Rule[]): string {
  const tail = id.toUpperCase().replace(/^DJANGO-/, "");
  const hit = rules.find((r) => r.id.endsWith(`-${tail}`)) ?? rules.find((r) => r.id.includes(tail.split("-")[0] || "\u0000"));
  return hit ? ` (did you mean ${hit.id}?)` : "";
}
