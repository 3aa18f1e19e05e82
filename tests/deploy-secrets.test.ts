// Secrets found in deployment files never appear in any report format: not in
// messages, not in evidence (whatever the file's syntax), not in notes.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { FORMATS, render } from "../src/report/index.js";
import { scan } from "../src/scan.js";

const FIXTURES = path.join(import.meta.dirname, "fixtures");
// the literal secrets written into the deployment fixtures
const SECRETS = [
  "Zq8x1vB7nM4kLp0wR5tY2uI9oE3aS6dF8gH1jK4lZ7xC0vB3nM",
  "9f$w!t2l@k3#q^z8v(m)p1x0&c7r6b5n4",
  "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
  "s3nd-grid-Pa55",
  "key-3ax6xnjp29jd6fds4gc373sgvjxteol0",
  "Vx9!aQ2#mB7$kL4%pW8^rT1&yU6*oI3(eD5)sF0_gH2+jK9=zX",
];

describe("deployment secrets are redacted everywhere", () => {
  for (const fixture of ["deploy-containers", "deploy-k8s-nginx"]) {
    it(fixture, async () => {
      const result = await scan(path.join(FIXTURES, fixture), { failOn: "none" });
      const secretFindings = result.findings.filter((f) => f.ruleId === "DJANGO-SECRET-002" || f.ruleId === "DJANGO-CONFIG-001");
      assert.ok(secretFindings.length >= 2, "the fixture's secrets are found");
      assert.ok(secretFindings.every((f) => f.evidence.includes("«redacted»")), "evidence shows where, with the value replaced");
      for (const format of FORMATS) {
        const out = render(result, format, { color: false });
        for (const s of SECRETS) assert.ok(!out.includes(s), `${format} output of ${fixture} leaks ${s.slice(0, 4)}…`);
      }
    });
  }
});
