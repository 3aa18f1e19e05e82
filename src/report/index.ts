// One reporter per output format. Reporters only format; they never decide.
import type { ScanResult } from "../scan.js";
import { formatJson } from "./json.js";
import { formatMarkdown } from "./markdown.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";

export const FORMATS = ["text", "json", "sarif", "markdown"] as const;
export type Format = (typeof FORMATS)[number];

export function render(result: ScanResult, format: Format, opts: { color: boolean } = { color: false }): string {
  switch (format) {
    case "text": return formatText(result, opts);
    case "json": return formatJson(result);
    case "sarif": return formatSarif(result);
    case "markdown": return formatMarkdown(result);
  }
}
