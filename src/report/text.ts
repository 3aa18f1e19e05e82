// --format text: findings grouped by file, with a code frame. Colour only when
// asked (TTY and no NO_COLOR); reporters never decide anything.
import pc from "picocolors";
import type { Finding } from "../findings.js";
import type { ScanResult } from "../scan.js";

export function formatText(result: ScanResult, opts: { color: boolean }): string {
  const c = pc.createColors(opts.color);
  const sevColor: Record<Finding["severity"], (s: string) => string> = { critical: c.magenta, high: c.red, medium: c.yellow, low: c.blue };
  const out: string[] = [];
  out.push(c.bold(`djangoguard ${result.tool.version}`) + c.dim(` — settings: ${result.settings.module ?? "none"} (${result.settings.reason})`));
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const list = byFile.get(f.location.path) ?? [];
    list.push(f);
    byFile.set(f.location.path, list);
  }
  for (const [file, list] of byFile) {
    out.push("", c.underline(file));
    for (const f of list) {
      const where = `${f.location.startLine}:${f.location.startColumn}`;
      out.push(`  ${sevColor[f.severity](f.severity.toUpperCase().padEnd(8))} ${c.bold(f.ruleId)} ${where}${f.location.symbol ? c.dim(` in ${f.location.symbol}`) : ""} ${c.dim(`[confidence: ${f.confidence}]`)}`);
      out.push(`    ${f.title}: ${f.message}`);
      for (const [i, line] of f.evidence.split("\n").entries()) out.push(c.dim(`    ${String(f.location.startLine + i).padStart(5)} | `) + line);
      if (f.trace?.length) {
        out.push(c.dim("    trace:"));
        for (const s of f.trace) out.push(c.dim(`      ${s.kind.padEnd(6)} ${s.path}:${s.line}  `) + s.note);
      }
      out.push(`    ${c.green("fix:")} ${f.fix}`);
    }
  }
  if (result.notes.length) {
    out.push("", c.bold(`notes (${result.notes.length}):`));
    for (const n of result.notes) out.push(c.dim(`  ${n.path || "(scan)"}${n.line ? `:${n.line}` : ""} [${n.kind}] `) + n.message);
  }
  const s = result.summary;
  out.push(
    "",
    `${s.files} files, ${s.lines} lines, ${s.findings} findings (${s.bySeverity.critical} critical, ${s.bySeverity.high} high, ${s.bySeverity.medium} medium, ${s.bySeverity.low} low) in ${(s.durationMs / 1000).toFixed(2)}s`,
  );
  return out.join("\n") + "\n";
}
