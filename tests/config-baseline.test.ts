// Baselines: --write-baseline records fingerprints; --baseline hides exactly
// those findings (even after edits above them) and counts them.
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { BASELINE_FORMAT, BaselineError, readBaseline, writeBaseline } from "../src/baseline.js";
import { scanWith } from "../src/scan.js";
import { FLAG_RULE } from "./support/flag-rule.js";
import { makeProject } from "./support/tree.js";

describe("baseline", () => {
  it("reports only findings that are not in the baseline", async () => {
    const root = await makeProject({ "app.py": "def f():\n    a = 1  # dg-flag:high\n    b = 2  # dg-flag:medium\n" });
    const first = await scanWith(root, { failOn: "none" }, [FLAG_RULE]);
    assert.equal(first.findings.length, 2);
    const file = path.join(root, ".djangoguard-baseline.json");
    await writeBaseline(file, first.findings);
    const doc = JSON.parse(await fs.readFile(file, "utf8"));
    assert.equal(doc.format, BASELINE_FORMAT);
    assert.deepEqual(doc.entries.map((e: { ruleId: string; path: string; line: number; symbol: string }) => [e.ruleId, e.path, e.line, e.symbol]), [
      ["DJANGO-TESTFLAG-001", "app.py", 2, "f"],
      ["DJANGO-TESTFLAG-001", "app.py", 3, "f"],
    ]);

    // edits above the old findings and one new finding
    await fs.writeFile(path.join(root, "app.py"), "import os\n\n\ndef f():\n    a = 1  # dg-flag:high\n    b = 2  # dg-flag:medium\n    c = 3  # dg-flag:high\n");
    const second = await scanWith(root, { failOn: "none", baseline: file }, [FLAG_RULE]);
    assert.deepEqual(second.findings.map((f) => f.location.startLine), [7]);
    assert.equal(second.summary.baselined, 2);
    assert.equal(second.config.baseline, file);
  });

  it("refuses unreadable or foreign baseline files", async () => {
    const root = await makeProject({ "bad.json": "{nope", "other.json": '{"findings": []}', "entry.json": `{"format":"${BASELINE_FORMAT}","entries":[{}]}` });
    await assert.rejects(readBaseline(path.join(root, "missing.json")), (e: Error) => e instanceof BaselineError && /cannot be read \(ENOENT\)/.test(e.message));
    await assert.rejects(readBaseline(path.join(root, "bad.json")), /not valid JSON/);
    await assert.rejects(readBaseline(path.join(root, "other.json")), /not a djangoguard baseline/);
    await assert.rejects(readBaseline(path.join(root, "entry.json")), /needs a "fingerprint"/);
  });
});
