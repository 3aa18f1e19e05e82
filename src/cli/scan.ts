// `djangoguard scan PATH`
import { promises as fs } from "node:fs";
import type { Command } from "commander";
import { SEVERITIES, CONFIDENCES, type Severity, type Confidence } from "../findings.js";
import { formatJson } from "../report/json.js";
import { formatText } from "../report/text.js";
import { exitCodeFor, scan } from "../scan.js";

export function registerScan(program: Command): void {
  program
    .command("scan")
    .description("Scan a Django project and report security findings")
    .argument("[path]", "project root", ".")
    .option("-f, --format <format>", "text | json", "text")
    .option("-o, --output <file>", "write the report to a file")
    .option("--fail-on <severity>", `exit 1 on findings at or above: ${SEVERITIES.join("|")}|none`, "high")
    .option("--min-severity <severity>", "hide findings below this severity", "low")
    .option("--min-confidence <confidence>", "hide findings below this confidence", "low")
    .option("--rules <ids>", "only these rule IDs (comma-separated)")
    .option("--exclude-rules <ids>", "skip these rule IDs (comma-separated)")
    .option("--exclude <glob...>", "leave out paths (gitignore syntax)")
    .option("--include <glob...>", "scan paths that the default excludes leave out")
    .option("--settings <module>", "the production settings module, e.g. shop.settings.production")
    .option("--env <KEY=VALUE...>", "production environment variable for the settings evaluator")
    .option("--tls <mode>", "is the site served over HTTPS: yes|no|auto", "auto")
    .option("--django-version <version>", "Django version, when requirement files do not say")
    .action(async (root: string, o: Record<string, unknown>) => {
      const severity = (v: unknown, name: string): Severity => {
        if (!SEVERITIES.includes(v as Severity)) throw new Error(`--${name} takes ${SEVERITIES.join("|")}`);
        return v as Severity;
      };
      const failOn = o.failOn === "none" ? "none" : severity(o.failOn, "fail-on");
      if (!CONFIDENCES.includes(o.minConfidence as Confidence)) throw new Error(`--min-confidence takes ${CONFIDENCES.join("|")}`);
      const st = await fs.stat(root).catch(() => null);
      if (!st?.isDirectory()) {
        process.stderr.write(`djangoguard: ${root} is not a directory\n`);
        process.exitCode = 2;
        return;
      }
      const env: Record<string, string> = {};
      for (const kv of (o.env as string[] | undefined) ?? []) {
        const i = kv.indexOf("=");
        if (i <= 0) throw new Error(`--env takes KEY=VALUE, got ${kv}`);
        env[kv.slice(0, i)] = kv.slice(i + 1);
      }
      const list = (v: unknown) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : []);
      const result = await scan(root, {
        failOn,
        minSeverity: severity(o.minSeverity, "min-severity"),
        minConfidence: o.minConfidence as Confidence,
        rules: list(o.rules),
        excludeRules: list(o.excludeRules),
        exclude: (o.exclude as string[] | undefined) ?? [],
        include: (o.include as string[] | undefined) ?? [],
        env,
        tls: o.tls as "yes" | "no" | "auto",
        ...(o.settings ? { settingsModule: o.settings as string } : {}),
        ...(o.djangoVersion ? { djangoVersion: o.djangoVersion as string } : {}),
      });
      const color = !o.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
      const text = o.format === "json" ? formatJson(result) : formatText(result, { color });
      if (o.output) await fs.writeFile(o.output as string, text);
      else process.stdout.write(text);
      process.exitCode = exitCodeFor(result, failOn);
    });
}
