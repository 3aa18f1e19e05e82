// docs/json-format.md documents every field the JSON output (= the library API
// result) actually has: a field added to ScanResult without documentation fails here.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { makeBaseline } from "../src/baseline.js";
import { scanWith } from "../src/scan.js";
import { FLAG_RULE } from "./support/flag-rule.js";
import { makeProject } from "./support/tree.js";

const DOC = readFileSync(path.join(import.meta.dirname, "..", "docs", "json-format.md"), "utf8");

function keys(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keys(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      // bySeverity's keys are severities, documented as a set
      if (k !== "bySeverity") keys(v, out);
    }
  }
  return out;
}

describe("docs/json-format.md", () => {
  it("documents every field of a scan result, its findings, notes and the baseline file", async () => {
    const root = await makeProject({
      "app.py": "def f():\n    # djangoguard: ignore[DJANGO-TESTFLAG-001] reviewed\n    a = 1  # dg-flag:high\n    b = 2  # dg-flag:low dg-trace\n    c = 3  # djangoguard: ignore\n",
    });
    const result = await scanWith(root, { failOn: "none" }, [FLAG_RULE]);
    assert.ok(result.findings.length && result.suppressed.length && result.notes.length, "the sample exercises findings, suppressions and notes");
    const all = keys(JSON.parse(JSON.stringify(result)));
    keys(makeBaseline(result.findings), all);
    const undocumented = [...all].filter((k) => !DOC.includes(`\`${k}\``));
    assert.deepEqual(undocumented, [], `fields missing from docs/json-format.md: ${undocumented.join(", ")}`);
  });
});
