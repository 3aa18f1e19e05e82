// The one-line scan summary (files, lines, findings by severity, notes, time).
// The text report ends with it; the CLI prints it on stderr when the report
// itself went to a file, so a terminal always shows exactly one summary.
// Also which notes the human reports (text, markdown) list.
import type { Note } from "../findings.js";
import type { ScanResult } from "../scan.js";

const MAX_NOTES = 40;

/**
 * The notes a human report lists: suppression, config and analysis-error notes
 * always, other (file) notes up to MAX_NOTES in all; `hidden` are the file notes left out.
 */
export function notesToShow(notes: readonly Note[]): { shown: Note[]; hidden: Note[] } {
  const always: Note[] = [];
  const rest: Note[] = [];
  for (const n of notes) (n.kind === "suppression" || n.kind === "config" || n.kind === "analysis-error" ? always : rest).push(n);
  const room = Math.max(0, MAX_NOTES - always.length);
  return { shown: [...always, ...rest.slice(0, room)], hidden: rest.slice(room) };
}

/** 1234567 → "1,234,567". Not toLocaleString: its first call loads ICU's locale data, ~18 ms of every CLI run. */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "djangoguard: 1,696 files, 265,586 lines, 3 findings (1 high, 2 medium) in 4.9 s" */
export function summaryLine(result: Pick<ScanResult, "summary" | "notes">): string {
  const s = result.summary;
  const sev = (["critical", "high", "medium", "low"] as const).filter((k) => s.bySeverity[k] > 0).map((k) => `${s.bySeverity[k]} ${k}`);
  const findings = `${thousands(s.findings)} finding${s.findings === 1 ? "" : "s"}${sev.length ? ` (${sev.join(", ")})` : ""}`;
  const notes = result.notes.length ? `, ${thousands(result.notes.length)} note${result.notes.length === 1 ? "" : "s"}` : "";
  const secs = s.durationMs >= 10_000 ? `${Math.round(s.durationMs / 1000)} s` : `${(s.durationMs / 1000).toFixed(1)} s`;
  const n = (v: number, word: string) => `${thousands(v)} ${word}${v === 1 ? "" : "s"}`;
  return `djangoguard: ${n(s.files, "file")}, ${n(s.lines, "line")}, ${findings}${notes} in ${secs}\n`;
}
