// The bundled examples double as end-to-end tests: every problem annotated in
// examples/insecure-shop is found (a careless project may have more findings than
// the annotated ones, so this direction is recall only), data-flow findings carry
// traces, and examples/hardened-shop — the same shop done right — scans clean.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { scan } from "../src/scan.js";
import { listFiles, readExpectations } from "./harness.js";

const EXAMPLES = path.join(import.meta.dirname, "..", "examples");

describe("examples", () => {
  it("insecure-shop: every annotated problem is reported on its line", async () => {
    const root = path.join(EXAMPLES, "insecure-shop");
    const expectations = (await readExpectations(root, await listFiles(root))).filter((e) => e.kind === "expect");
    const result = await scan(root, { failOn: "none" });
    const remaining = [...result.findings];
    const missing: string[] = [];
    for (const e of expectations) {
      const i = remaining.findIndex((f) => f.ruleId === e.ruleId && f.location.path === e.path && f.location.startLine === e.line);
      if (i === -1) missing.push(`${e.ruleId} at ${e.path}:${e.line}`);
      else remaining.splice(i, 1);
    }
    assert.deepEqual(missing, [], `not reported:\n${missing.join("\n")}`);
    assert.equal(result.settings.module, "shop.settings.production");
  });

  it("hardened-shop scans clean", async () => {
    const result = await scan(path.join(EXAMPLES, "hardened-shop"), { failOn: "none" });
    const shown = result.findings.map((f) => `${f.ruleId} ${f.severity} at ${f.location.path}:${f.location.startLine} — ${f.message}`);
    assert.deepEqual(shown, []);
    assert.equal(result.settings.module, "shop.settings.production");
  });
});
