// `djangoguard deps [PATH]`: the dependency audit on its own (SUPPLY-001).
import path from "node:path";
import type { Command } from "commander";
import { ConfigError } from "../config/load.js";
import { defaultDatabasePath } from "../deps/advisories.js";
import { auditDependencies, formatDepsText } from "../deps/run.js";
import { redact } from "../redact.js";

export function registerDeps(program: Command): void {
  program
    .command("deps")
    .description("Audit dependencies: known advisories (offline database or --online), Django end of support, pinning, package indexes")
    .argument("[path]", "project root", ".")
    .option("-f, --format <format>", "text | json", "text")
    .option("--db <file>", "advisory database built by `djangoguard db update`")
    .option("--online", "ask the OSV API instead of the local database")
    .option("--api-url <url>", "OSV API base URL", "https://api.osv.dev")
    .option("--timeout <seconds>", "per-request timeout for --online", "15")
    .action(async (root: string, o: { format: string; db?: string; online?: boolean; apiUrl: string; timeout: string }) => {
      if (o.format !== "text" && o.format !== "json") throw new ConfigError(`--format takes text|json, got ${o.format}`);
      if (!(Number(o.timeout) > 0)) throw new ConfigError(`--timeout takes a number of seconds, got ${o.timeout}`);
      const cacheDir = path.join(path.dirname(defaultDatabasePath()), "osv-api");
      const r = await auditDependencies(root, { ...(o.db ? { db: o.db } : {}), online: !!o.online, apiUrl: o.apiUrl, timeoutMs: Number(o.timeout) * 1000, cacheDir });
      if (o.format === "json") {
        const { dependencies, ...rest } = r;
        // index and package URLs can carry credentials (https://user:token@host/...)
        process.stdout.write(redact(JSON.stringify({ ...rest, requirements: dependencies.requirements, django: dependencies.django, indexes: dependencies.indexes }, null, 2)) + "\n");
      } else process.stdout.write(redact(formatDepsText(r)));
      if (r.advisorySource.kind === "none") process.stderr.write(`djangoguard: ${r.advisorySource.detail}\n`);
      process.exitCode = r.findings.some((f) => f.severity === "high" || f.severity === "critical") ? 1 : 0;
    });
}
