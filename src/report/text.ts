// --format text: findings grouped by file, each with a code frame, its trace and
// the fix; then scan notes and a one-line summary. Colour only when the caller
// asks (a TTY, no NO_COLOR, no --output); reporters never decide anything.
import pc from "picocolors";
import type { Finding } from "../findings.js";
import type { ScanResult } from "../scan.js";
import { notesToShow, summaryLine } from "./summary.js";

export function formatText(result: ScanResult, opts: { color: boolean }): string {
  const c = pc.createColors(opts.color);
  const sevColor: Record<Finding["severity"], (s: string) => string> = { critical: (s) => c.bold(c.magenta(s)), high: c.red, medium: c.yellow, low: c.blue };
  const out: string[] = [];
  const cfg = result.config.file ? `, config: ${result.config.file}` : "";
  out.push(c.bold(`djangoguard ${result.tool.version}`) + c.dim(` — settings: ${result.settings.module ?? "none"} (${result.settings.reason})${cfg}`));

  const fixShown = new Set<string>();
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const list = byFile.get(f.location.path) ?? [];
    list.push(f);
    byFile.set(f.location.path, list);
  }
  for (const [file, list] of [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push("", c.bold(c.underline(file)));
    for (const f of [...list].sort((a, b) => a.location.startLine - b.location.startLine || a.location.startColumn - b.location.startColumn)) {
      const where = `${f.location.path}:${f.location.startLine}:${f.location.startColumn}`;
      out.push("");
      out.push(`  ${sevColor[f.severity](f.severity.toUpperCase().padEnd(8))} ${c.bold(f.ruleId)} ${f.title}`);
      out.push(`           ${c.cyan(where)}${f.location.symbol ? c.dim(` in ${f.location.symbol}`) : ""} ${c.dim(`(confidence: ${f.confidence})`)}`);
      out.push(`    ${f.message}`);
      out.push(...codeFrame(f, c));
      if (f.trace?.length) {
        out.push(c.dim("    data flow:"));
        for (const s of f.trace) {
          out.push(`      ${c.dim(s.kind.padEnd(6))} ${c.cyan(`${s.path}:${s.line}`)}  ${s.note}`);
          if (s.snippet) out.push(c.dim(`             ${s.snippet.split("\n")[0]!.trim()}`));
        }
      }
      // a rule's fix is the same for each of its findings: print it once, point back after that
      if (fixShown.has(f.ruleId)) out.push(c.dim(`    fix: as for ${f.ruleId} above (\`djangoguard rules ${f.ruleId}\` explains)`));
      else {
        fixShown.add(f.ruleId);
        out.push(`    ${c.green("fix:")} ${f.fix}`);
      }
      if (f.djangoCheckId) out.push(c.dim(`    Django check: ${f.djangoCheckId}`));
    }
  }
  if (!result.findings.length) out.push("", c.green("No findings at or above the chosen thresholds."));
  if (result.suppressed.length) {
    out.push("", c.bold(`suppressed inline (${result.suppressed.length}):`));
    for (const f of result.suppressed) out.push(`  ${c.dim(`${f.location.path}:${f.location.startLine}`)} ${f.ruleId} — ${f.suppression.reason}`);
  }
  if (result.notes.length) {
    out.push("", c.bold(`notes (${result.notes.length}):`));
    // suppression and config notes are always shown; file notes in a big tree are capped
    const { shown, hidden } = notesToShow(result.notes);
    for (const n of shown) out.push(`  ${c.dim(`${n.path || "(scan)"}${n.line ? `:${n.line}` : ""} [${n.kind}]`)} ${n.message}`);
    if (hidden.length) {
      const byKind = new Map<string, number>();
      for (const n of hidden) byKind.set(n.kind, (byKind.get(n.kind) ?? 0) + 1);
      out.push(c.dim(`  … and ${hidden.length} more (${[...byKind].map(([k, v]) => `${v} ${k}`).join(", ")}); --format json lists them all`));
    }
  }
  const s = result.summary;
  const hidden: string[] = [];
  if (s.suppressed) hidden.push(`${s.suppressed} suppressed`);
  if (s.baselined) hidden.push(`${s.baselined} baselined`);
  out.push("", summaryLine(result).trimEnd() + (hidden.length ? c.dim(` (not shown: ${hidden.join(", ")})`) : ""));
  return out.join("\n") + "\n";
}

/** The evidence with line numbers; the first line of the span is marked. */
function codeFrame(f: Finding, c: ReturnType<typeof pc.createColors>): string[] {
  const lines = f.evidence.split("\n");
  const width = String(f.location.startLine + lines.length - 1).length;
  return lines.map((line, i) => {
    const n = f.location.startLine + i;
    const mark = i === 0 ? c.red(">") : " ";
    return `  ${mark} ${c.dim(`${String(n).padStart(width)} |`)} ${line}`;
  });
}
