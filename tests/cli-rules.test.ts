// `djangoguard rules`: the table, JSON, and one rule explained with all its metadata.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { RULES } from "../src/rules/index.js";

// the built CLI (npm test builds first)
const MAIN = path.join(import.meta.dirname, "..", "bin", "djangoguard.js");
const rules = (...args: string[]) => spawnSync(process.execPath, [MAIN, "rules", ...args], { encoding: "utf8" });

describe("rules command", () => {
  it("lists every rule as a table", () => {
    const r = rules();
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.match(lines[0]!, /^ID\s+SEVERITY\s+CWE\s+OWASP\s+TITLE$/);
    for (const rule of RULES) assert.ok(lines.some((l) => l.startsWith(rule.id + " ") && l.includes(rule.title) && l.includes(rule.cwe)), rule.id);
  });

  it("lists every rule's metadata as JSON", () => {
    const r = rules("--format", "json");
    assert.equal(r.status, 0, r.stderr);
    const list = JSON.parse(r.stdout) as { id: string; checks?: unknown }[];
    assert.deepEqual(list.map((x) => x.id), RULES.map((x) => x.id));
    assert.equal(list[0]!.checks, undefined, "checks are code, not metadata");
  });

  it("explains one rule with all its metadata, example and references", () => {
    const r = rules("django-sql-001");
    assert.equal(r.status, 0, r.stderr);
    const sql = RULES.find((x) => x.id === "DJANGO-SQL-001")!;
    for (const heading of ["What it does", "Why it is bad", "Example (flagged)", "Example (fixed)", "How to fix", "Mitigation", "False positives", "References"]) {
      assert.match(r.stdout, new RegExp(`^${heading.replace(/[()]/g, "\\$&")}$`, "m"), heading);
    }
    assert.match(r.stdout, /^DJANGO-SQL-001: /);
    assert.ok(r.stdout.includes(sql.cwe) && r.stdout.includes(sql.owasp));
    assert.ok(r.stdout.includes(sql.example!.bad.split("\n")[0]!));
    for (const ref of sql.references) assert.ok(r.stdout.includes(ref), ref);
    const j = rules("DJANGO-SQL-001", "--format", "json");
    assert.deepEqual(Object.keys(JSON.parse(j.stdout)).sort(), Object.keys(sql).filter((k) => k !== "checks").sort());
    assert.match(rules("DJANGO-SQL-001", "--format", "markdown").stdout, /^# DJANGO-SQL-001: [\s\S]*## How to fix/);
  });

  it("exits 2 on an unknown rule with a suggestion", () => {
    const r = rules("SQL-01");
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim(), "djangoguard: no rule SQL-01 (did you mean DJANGO-SQL-001?); `djangoguard rules` lists them");
    assert.equal(rules("--format", "yaml").status, 2);
  });
});
