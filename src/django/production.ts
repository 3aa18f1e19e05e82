// Which settings module is production, and why (RULES.md, "Which settings are
// production"). Owned by the settings evaluator; scan.ts reports it in every output.
import type { Project } from "../project/project.js";

export function settingsSummary(project: Project): { module: string | null; reason: string } {
  const settings = project.python.filter((f) => /(^|\.)settings(\.|$)/.test(f.moduleName));
  if (project.options.settingsModule) return { module: project.options.settingsModule, reason: "chosen with --settings" };
  const first = settings[0];
  return first ? { module: first.moduleName, reason: "first settings module found" } : { module: null, reason: "no settings module found" };
}
