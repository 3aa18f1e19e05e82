// The fixture harness: every project under tests/fixtures/ carries its expected
// findings inline. A line with `# expect: DJANGO-X-001` (or `{# expect: ... #}`,
// `<!-- expect: ... -->`, `// expect: ...`) must produce that finding on that line;
// `# safe: ID` marks a look-alike that must not. `expect-next-line:` / `safe-next-line:`
// apply to the following line (for places a trailing comment cannot go).
// Files that cannot hold comments (JSON locks) list theirs in `<fixture>/.expect`
// as `path:line RULE-ID`. Any finding not expected is a failure too.
import { promises as fs } from "node:fs";
import path from "node:path";
import type { Finding } from "../src/findings.js";
import { scan, type ScanResult } from "../src/scan.js";

export interface Expectation {
  path: string;
  line: number;
  ruleId: string;
  kind: "expect" | "safe";
}

const ANNOT = /(?:#|\{#|<!--|\/\/)\s*(expect|safe)(-next-line)?:\s*([A-Z0-9, x-]+?)\s*(?:#\}|-->)?\s*$/;

export async function readExpectations(root: string, files: string[]): Promise<Expectation[]> {
  const out: Expectation[] = [];
  for (const rel of files) {
    let text: string;
    try {
      text = await fs.readFile(path.join(root, rel), "utf8");
    } catch {
      continue;
    }
    const lines = text.split(/\r?\n/);
    lines.forEach((line, i) => {
      const m = ANNOT.exec(line);
      if (!m) return;
      const target = m[2] ? i + 2 : i + 1;
      for (const id of m[3]!.split(",").map((s) => s.trim()).filter(Boolean)) {
        const [ruleId, times] = id.split(/\s+x/);
        for (let n = 0; n < Number(times ?? 1); n++) out.push({ path: rel, line: target, ruleId: ruleId!, kind: m[1] as "expect" | "safe" });
      }
    });
  }
  const sidecar = await fs.readFile(path.join(root, ".expect"), "utf8").catch(() => "");
  for (const line of sidecar.split(/\r?\n/)) {
    const m = /^(\S+):(\d+)\s+(expect|safe)?\s*([A-Z0-9-]+)/.exec(line.trim());
    if (m) out.push({ path: m[1]!, line: Number(m[2]), ruleId: m[4]!, kind: (m[3] as "expect" | "safe") ?? "expect" });
  }
  return out;
}

export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string) => {
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(dir, e.name), r);
      else if (e.isFile()) out.push(r);
    }
  };
  await walk(root, "");
  return out;
}

export interface FixtureOutcome {
  name: string;
  result: ScanResult;
  expectations: Expectation[];
  missing: Expectation[];
  unexpected: Finding[];
  /** safe annotations that were violated */
  violatedSafe: Expectation[];
  matched: { expectation: Expectation; finding: Finding }[];
}

export async function checkFixture(dir: string, name = path.basename(dir)): Promise<FixtureOutcome> {
  const files = await listFiles(dir);
  const expectations = await readExpectations(dir, files);
  const result = await scan(dir, { failOn: "none" });
  const remaining = [...result.findings];
  const matched: FixtureOutcome["matched"] = [];
  const missing: Expectation[] = [];
  for (const e of expectations.filter((x) => x.kind === "expect")) {
    const i = remaining.findIndex((f) => f.ruleId === e.ruleId && f.location.path === e.path && f.location.startLine === e.line);
    if (i === -1) missing.push(e);
    else matched.push({ expectation: e, finding: remaining.splice(i, 1)[0]! });
  }
  const violatedSafe = expectations
    .filter((x) => x.kind === "safe")
    .filter((e) => result.findings.some((f) => f.ruleId === e.ruleId && f.location.path === e.path && f.location.startLine === e.line));
  return { name, result, expectations, missing, unexpected: remaining, violatedSafe, matched };
}

export function describeOutcome(o: FixtureOutcome): string {
  const lines: string[] = [];
  for (const m of o.missing) lines.push(`  missing   ${m.ruleId} at ${m.path}:${m.line}`);
  for (const f of o.unexpected) lines.push(`  unexpected ${f.ruleId} at ${f.location.path}:${f.location.startLine} — ${f.message}`);
  for (const s of o.violatedSafe) lines.push(`  flagged safe look-alike ${s.ruleId} at ${s.path}:${s.line}`);
  return lines.join("\n");
}

/** Per-rule recall and precision over a set of fixture outcomes. */
export function scoreByRule(outcomes: FixtureOutcome[]): Map<string, { tp: number; fn: number; fp: number; safe: number }> {
  const score = new Map<string, { tp: number; fn: number; fp: number; safe: number }>();
  const get = (id: string) => {
    let s = score.get(id);
    if (!s) score.set(id, (s = { tp: 0, fn: 0, fp: 0, safe: 0 }));
    return s;
  };
  for (const o of outcomes) {
    for (const m of o.matched) get(m.finding.ruleId).tp++;
    for (const m of o.missing) get(m.ruleId).fn++;
    for (const f of o.unexpected) get(f.ruleId).fp++;
    for (const e of o.expectations) if (e.kind === "safe") get(e.ruleId).safe++;
  }
  return score;
}
