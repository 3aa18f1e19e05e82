// Secrets never leave: a project with a hard-coded SECRET_KEY, database password,
// .env credentials and a token in a URL is scanned with a rule that reports on
// exactly those lines (with a trace through them); no report format, no note
// and no baseline file may contain any of the secret values.
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { makeBaseline } from "../src/baseline.js";
import { render, FORMATS } from "../src/report/index.js";
import { scanWith } from "../src/scan.js";
import { FLAG_RULE } from "./support/flag-rule.js";
import { makeProject } from "./support/tree.js";
import { spawnSync } from "node:child_process";

const SECRETS = [
  "k3y-9f8e7d6c5b4a39281706f5e4d3c2b1a0-zyxwvutsrqponm",
  "Tr0ub4dor&3-horse-staple",
  "envPa55w0rd-QQ",
  "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
  "urlpassw0rd",
  "django-insecure-abc123def456",
  "Sw0rdf1sh-l0ng-s3cret-v4lue",
];

const FILES: Record<string, string> = {
  "config/settings.py": [
    "import os",
    `SECRET_KEY = "${SECRETS[0]}"  # dg-flag:high dg-trace`,
    "DATABASES = {",
    `    "default": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": '${SECRETS[1]}'},  # dg-flag:critical`,
    "}",
    `STRIPE_KEY = "${SECRETS[3]}"  # dg-flag:high`,
    `CACHE_URL = "redis://cache:${SECRETS[4]}@redis:6379/0"  # dg-flag:medium`,
    `OLD_KEY = "${SECRETS[5]}"  # dg-flag:low`,
    // a trace step's line is cut to 200 characters: the cut falls inside this password
    `LEGACY = {"NOTE": "${"x".repeat(160)}", "PASSWORD": "${SECRETS[6]}"}  # dg-flag:medium dg-trace-bare`,
  ].join("\n"),
  ".env": `DB_PASSWORD=${SECRETS[2]} # dg-flag:high\n`,
};

describe("secrets never reach any output", () => {
  it("redacts evidence, traces and messages in every format", async () => {
    const root = await makeProject(FILES);
    const result = await scanWith(root, { failOn: "none" }, [FLAG_RULE]);
    assert.equal(result.findings.length, 7, `the test rule fires on every secret line: ${result.findings.map((f) => `${f.location.path}:${f.location.startLine}`).join(", ")}`);
    assert.ok(result.findings.some((f) => f.trace?.length), "a trace is included");
    const outputs: Record<string, string> = {};
    for (const format of FORMATS) outputs[format] = render(result, format, { color: false });
    outputs.baseline = JSON.stringify(makeBaseline(result.findings));
    for (const [name, text] of Object.entries(outputs)) {
      for (const secret of SECRETS) assert.ok(!text.includes(secret), `${name} output leaks ${secret.slice(0, 4)}…`);
      // not even the start of the password the 200-character cut falls inside (redacted before the cut)
      assert.ok(!text.includes(SECRETS[6]!.slice(0, 5)), `${name} output leaks the start of a cut-off secret`);
      assert.match(text, name === "baseline" ? /fingerprint/ : /SECRET_KEY|settings\.py/, `${name} output is not empty`);
    }
    assert.match(outputs.text!, /SECRET_KEY = "«redacted»"/, "the evidence still shows the setting name");
  });

  it("redacts notes that quote file text, whoever wrote them", async () => {
    const token = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB";
    const root = await makeProject({ "requirements.txt": "Django==5.2.8\n" });
    // A check that notes a line it could not read, quoting it as a careless reader would.
    const noting = { ...FLAG_RULE, checks: [(ctx: Parameters<(typeof FLAG_RULE.checks)[number]>[0]) => ctx.project.note({ path: "requirements.txt", kind: "parse-failed" as const, message: `cannot read: -e git+https://deploy:${token}@git.example.com/x.git and PASSWORD="${SECRETS[1]}"` })] };
    const result = await scanWith(root, { failOn: "none" }, [noting]);
    assert.ok(result.notes.some((n) => n.message.startsWith("cannot read")), "the note is there");
    for (const format of FORMATS) {
      const out = render(result, format, { color: false });
      assert.ok(!out.includes(token) && !out.includes(SECRETS[1]!), `${format} output leaks a secret from a note`);
    }
  });

  it("keeps secrets out of the CLI's stdout, stderr and --output file", async () => {
    const root = await makeProject(FILES);
    const cli = path.join(import.meta.dirname, "support", "cli-with-flag-rule.ts");
    for (const format of FORMATS) {
      const out = path.join(root, `report.${format}`);
      const r = spawnSync(process.execPath, ["--import", "tsx", cli, "scan", root, "--format", format, "--output", out], { encoding: "utf8" });
      assert.equal(r.status, 1, r.stderr);
      const written = await fs.readFile(out, "utf8");
      assert.ok(written.length > 100);
      for (const secret of SECRETS) assert.ok(!(written + r.stdout + r.stderr).includes(secret), `${format} leaks ${secret.slice(0, 4)}…`);
    }
  });
});
