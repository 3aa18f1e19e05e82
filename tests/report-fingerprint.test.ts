// Fingerprints (for baselines): stable when unrelated lines are inserted above a
// finding, different when the flagged code itself changes.
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { scanWith } from "../src/scan.js";
import { FLAG_RULE } from "./support/flag-rule.js";
import { makeProject } from "./support/tree.js";

const VIEW = [
  "from django.db import connection",
  "",
  "def search(request):",
  "    q = request.GET['q']",
  "    return connection.cursor().execute('SELECT ' + q)  # dg-flag:high",
  "",
].join("\n");

async function fingerprints(root: string) {
  const r = await scanWith(root, { failOn: "none" }, [FLAG_RULE]);
  return r.findings.map((f) => ({ fp: f.fingerprint, line: f.location.startLine }));
}

describe("fingerprint", () => {
  it("survives unrelated lines inserted above the finding", async () => {
    const root = await makeProject({ "shop/views.py": VIEW });
    const before = await fingerprints(root);
    assert.equal(before.length, 1);
    await fs.writeFile(path.join(root, "shop/views.py"), ["import os", "import sys", "", "def helper():", "    return os.getcwd()", "", ""].join("\n") + VIEW.replace("    q = request", "    # a comment\n    q = request"));
    const after = await fingerprints(root);
    assert.equal(after.length, 1);
    assert.notEqual(after[0]!.line, before[0]!.line, "the finding moved");
    assert.equal(after[0]!.fp, before[0]!.fp);
  });

  it("changes when the flagged code changes", async () => {
    const root = await makeProject({ "shop/views.py": VIEW });
    const before = await fingerprints(root);
    await fs.writeFile(path.join(root, "shop/views.py"), VIEW.replace("'SELECT ' + q", "'DELETE ' + q"));
    const after = await fingerprints(root);
    assert.equal(after.length, 1);
    assert.notEqual(after[0]!.fp, before[0]!.fp);
  });

  it("differs for the same line in another file and for repeated identical lines", async () => {
    const root = await makeProject({ "a/views.py": VIEW, "b/views.py": VIEW, "c/views.py": VIEW + VIEW.split("\n")[4] + "\n" });
    const r = await scanWith(root, { failOn: "none" }, [FLAG_RULE]);
    const fps = r.findings.map((f) => f.fingerprint);
    assert.equal(fps.length, 4);
    assert.equal(new Set(fps).size, 4);
  });
});
