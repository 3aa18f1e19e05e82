// `djangoguard rules [ID]`
import type { Command } from "commander";
import { RULES, getRule } from "../rules/index.js";

export function registerRules(program: Command): void {
  program
    .command("rules")
    .description("List the rules, or explain one")
    .argument("[id]", "a rule ID, e.g. DJANGO-SQL-001")
    .option("-f, --format <format>", "text | json", "text")
    .action((id: string | undefined, o: { format: string }) => {
      if (id) {
        const rule = getRule(id.toUpperCase());
        if (!rule) {
          process.stderr.write(`djangoguard: no rule ${id}\n`);
          process.exitCode = 2;
          return;
        }
        const { checks: _checks, ...meta } = rule;
        if (o.format === "json") process.stdout.write(JSON.stringify(meta, null, 2) + "\n");
        else process.stdout.write(`${rule.id} — ${rule.title}\nseverity: ${rule.severity}  ${rule.cwe}  ${rule.owasp}\n\n${rule.description}\n\nImpact: ${rule.impact}\nFix: ${rule.fix}\nMitigation: ${rule.mitigation}\nFalse positives: ${rule.falsePositives}\n`);
        return;
      }
      if (o.format === "json") {
        process.stdout.write(JSON.stringify(RULES.map(({ checks: _c, ...meta }) => meta), null, 2) + "\n");
        return;
      }
      for (const r of RULES) process.stdout.write(`${r.id.padEnd(20)} ${r.severity.padEnd(8)} ${r.title}\n`);
    });
}
