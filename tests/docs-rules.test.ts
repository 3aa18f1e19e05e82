// One source of truth: every ID in RULES.md's two tables is registered with
// complete metadata, and docs/rules/*.md match what `npm run docs` generates.
import assert from "node:assert/strict";
import { promises as fs, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { RULES } from "../src/rules/index.js";
import { SEVERITIES } from "../src/findings.js";
import { expectedRuleDocs } from "../src/report/rule-docs.js";

// the catalogue beside the repository (../shared/RULES.md)
const CATALOGUE = path.join(import.meta.dirname, "..", "..", "shared", "RULES.md");
const DOCS = path.join(import.meta.dirname, "..", "docs", "rules");

/** IDs in the first column of the catalogue's markdown tables. */
function catalogueIds(text: string): string[] {
  return [...text.matchAll(/^\|\s*(DJANGO-[A-Z0-9]+-\d{3})\s*\|/gm)].map((m) => m[1]!);
}

describe("rule registry", () => {
  it("registers every ID in RULES.md's two tables, and nothing else", (t) => {
    let text: string;
    try {
      text = readFileSync(CATALOGUE, "utf8");
    } catch {
      if (process.env.CI === "true") assert.fail(`${CATALOGUE} is missing (CI=true)`);
      t.skip(`${CATALOGUE} is not available`);
      return;
    }
    const ids = catalogueIds(text);
    assert.ok(ids.length >= 30, `found ${ids.length} IDs in the tables`);
    assert.equal(new Set(ids).size, ids.length, "no ID listed twice");
    assert.deepEqual([...ids].sort(), RULES.map((r) => r.id));
  });

  it("has complete metadata for every rule", () => {
    const text = (v: unknown) => typeof v === "string" && v.trim().length > 0;
    for (const r of RULES) {
      for (const k of ["id", "title", "cwe", "owasp", "description", "impact", "fix", "mitigation", "falsePositives"] as const) {
        assert.ok(text(r[k]), `${r.id}.${k} is empty`);
      }
      assert.ok(SEVERITIES.includes(r.severity), `${r.id}.severity`);
      assert.match(r.cwe, /^CWE-\d+$/, `${r.id}.cwe`);
      assert.match(r.owasp, /^A\d{2}:2021-\S/, `${r.id}.owasp`);
      assert.ok(Array.isArray(r.djangoCheckIds) && r.djangoCheckIds.every((c) => /^security\.[WE]\d{3}$/.test(c)), `${r.id}.djangoCheckIds`);
      assert.ok(r.example && text(r.example.bad) && text(r.example.good), `${r.id}.example`);
      assert.ok(r.references.length > 0 && r.references.every((u) => /^https:\/\//.test(u)), `${r.id}.references`);
      assert.ok(Array.isArray(r.checks), `${r.id}.checks`);
    }
  });
});

describe("docs/rules", () => {
  it("matches the metadata (run `npm run docs` after changing a rule)", async () => {
    const expected = expectedRuleDocs(RULES);
    const onDisk = (await fs.readdir(DOCS)).filter((f) => f.endsWith(".md")).sort();
    assert.deepEqual(onDisk, [...expected.keys()].sort(), "docs/rules has exactly one page per rule plus README.md");
    for (const [name, text] of expected) {
      assert.equal(await fs.readFile(path.join(DOCS, name), "utf8"), text, `docs/rules/${name} drifted from the metadata: run \`npm run docs\``);
    }
  });

  it("has every section on every page", () => {
    for (const r of RULES) {
      const page = expectedRuleDocs([r]).get(`${r.id}.md`)!;
      for (const h of ["What it does", "Why it is bad", "Example", "How to fix", "Mitigation", "False positives", "References", "Django check IDs", "CWE", "OWASP"]) {
        assert.match(page, new RegExp(`^## ${h}$`, "m"), `${r.id}: ${h}`);
      }
    }
  });
});
