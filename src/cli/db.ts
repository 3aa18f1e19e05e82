// `djangoguard db update|info`: the local OSV advisory database for PyPI.
import type { Command } from "commander";
import { ConfigError } from "../config/load.js";
import { defaultDatabasePath, loadDatabaseSync, writeDatabase } from "../deps/advisories.js";
import { download, OSV_PYPI_EXPORT, recordsFromDirectory, recordsFromZip } from "../deps/osv.js";

export function registerDb(program: Command): void {
  const db = program.command("db").description("Manage the local advisory database used by `deps` and `scan`");
  db.command("update")
    .description("Download the OSV export for PyPI and rebuild the database (atomic swap)")
    .option("--source <url>", "zip of OSV records", OSV_PYPI_EXPORT)
    .option("--from-dir <dir>", "build from a directory of OSV JSON/YAML records instead (e.g. the PyPA advisory database)")
    .option("--db <file>", "database file", defaultDatabasePath())
    .option("--timeout <seconds>", "download timeout", "600")
    .action(async (o: { source: string; fromDir?: string; db: string; timeout: string }) => {
      if (!(Number(o.timeout) > 0)) throw new ConfigError(`--timeout takes a number of seconds, got ${o.timeout}`);
      const progress = (m: string) => process.stderr.write(`djangoguard: ${m}\n`);
      const records = o.fromDir ? await recordsFromDirectory(o.fromDir, progress) : recordsFromZip(await download(o.source, { timeoutMs: Number(o.timeout) * 1000, onProgress: progress }), progress);
      if (!records.length) throw new ConfigError(`no OSV records found in ${o.fromDir ?? o.source}; the database was left unchanged`);
      const built = await writeDatabase(o.db, records, o.fromDir ?? o.source);
      progress(`wrote ${o.db}: ${built.records} advisories for ${Object.keys(built.packages).length} packages`);
    });
  db.command("info")
    .description("Show where the database is and what it holds")
    .option("--db <file>", "database file", defaultDatabasePath())
    .action((o: { db: string }) => {
      const { db: d, problem } = loadDatabaseSync(o.db);
      if (!d) {
        process.stdout.write(`${problem}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`${o.db}\n  source: ${d.source}\n  built: ${d.built}\n  advisories: ${d.records} for ${Object.keys(d.packages).length} packages\n`);
    });
}
