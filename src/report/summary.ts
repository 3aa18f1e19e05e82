// The one-line scan summary (files, lines, findings by severity, notes, time).
// The text report ends with it; the CLI prints it on stderr when the report
// itself went to a file, so a terminal always shows exactly one summary.
import type { ScanResult } from "../scan.js";

/** "djangoguard: 1,696 files, 265,586 lines, 3 findings (1 high, 2 medium) in 4.9 s" */
export function summaryLine(result: Pick<ScanResult, "summary" | "notes">): string {
  const s = result.summary;
  const fmt = (n: number) => n.toLocaleString("en-US");
  const sev = (["critical", "high", "medium", "low"] as const).filter((k) => s.bySeverity[k] > 0).map((k) => `${s.bySeverity[k]} ${k}`);
  const findings = `${fmt(s.findings)} finding${s.findings === 1 ? "" : "s"}${sev.length ? ` (${sev.join(", ")})` : ""}`;
  const notes = result.notes.length ? `, ${fmt(result.notes.length)} note${result.notes.length === 1 ? "" : "s"}` : "";
  const secs = s.durationMs >= 10_000 ? `${Math.round(s.durationMs / 1000)} s` : `${(s.durationMs / 1000).toFixed(1)} s`;
  const n = (v: number, word: string) => `${fmt(v)} ${word}${v === 1 ? "" : "s"}`;
  return `djangoguard: ${n(s.files, "file")}, ${n(s.lines, "line")}, ${findings}${notes} in ${secs}\n`;
}
