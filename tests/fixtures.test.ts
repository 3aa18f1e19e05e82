// Runs every fixture project under tests/fixtures/ and compares the full set of
// findings with the inline expectations; prints per-rule recall and precision.
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { checkFixture, describeOutcome, scoreByRule, type FixtureOutcome } from "./harness.js";

const FIXTURES = path.join(import.meta.dirname, "fixtures");
const dirs = (await fs.readdir(FIXTURES, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const outcomes: FixtureOutcome[] = [];

describe("fixture projects", () => {
  for (const name of dirs) {
    it(name, async () => {
      const o = await checkFixture(path.join(FIXTURES, name), name);
      outcomes.push(o);
      const problems = describeOutcome(o);
      assert.equal(problems, "", `fixture ${name}:\n${problems}`);
    });
  }

  after(() => {
    const score = scoreByRule(outcomes);
    const rows = [...score.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    const lines = ["per-rule accuracy on fixtures (expected cases / safe look-alikes / recall / precision):"];
    for (const [id, s] of rows) {
      const recall = s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn);
      const precision = s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp);
      lines.push(`  ${id.padEnd(20)} ${String(s.tp + s.fn).padStart(4)} ${String(s.safe).padStart(4)}  ${(recall * 100).toFixed(0).padStart(3)}%  ${(precision * 100).toFixed(0).padStart(3)}%`);
    }
    process.stdout.write(lines.join("\n") + "\n");
  });
});
