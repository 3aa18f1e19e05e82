// `djangoguard routes PATH`: the route inventory (every URL pattern with its view,
// methods, authentication, CSRF status, throttling and state changes).
import path from "node:path";
import type { Command } from "commander";
import { ConfigError } from "../config/load.js";
import { loadProject } from "../discovery/load.js";
import { defaultOptions } from "../options.js";
import { formatRoutesJson, formatRoutesMarkdown, formatRoutesTable, routeInventoryAnalysis } from "../django/routes.js";

export async function routesOutput(root: string, format: string, settingsModule?: string): Promise<string> {
  const options = { ...defaultOptions(path.resolve(root)), ...(settingsModule ? { settingsModule } : {}) };
  const project = await loadProject(options);
  const inv = project.use(routeInventoryAnalysis);
  if (format === "json") return formatRoutesJson(inv);
  if (format === "markdown") return formatRoutesMarkdown(inv);
  return formatRoutesTable(inv);
}

export function registerRoutes(program: Command): void {
  program
    .command("routes")
    .description("List every URL route with its view, methods, auth, CSRF, throttling and state changes")
    .argument("[path]", "project root", ".")
    .option("-f, --format <format>", "table | json | markdown", "table")
    .option("--settings <module>", "the production settings module")
    .action(async (root: string, o: { format: string; settings?: string }) => {
      if (!["table", "json", "markdown"].includes(o.format)) throw new ConfigError(`unknown format ${o.format} (table, json, markdown)`);
      process.stdout.write(await routesOutput(root, o.format, o.settings));
    });
}
