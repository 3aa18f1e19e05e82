// Reporters: SARIF validates against the 2.1.0 schema and carries what GitHub
// code scanning reads; markdown follows the spec's §2.3 finding format; text is
// grouped by file with code frames and coloured only when asked.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import Ajv04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { formatMarkdown } from "../src/report/markdown.js";
import { formatSarif, toSarif } from "../src/report/sarif.js";
import { formatText } from "../src/report/text.js";
import { formatJson } from "../src/report/json.js";
import { RULES } from "../src/rules/index.js";
import { scanWith, type ScanResult } from "../src/scan.js";
import { FLAG_RULE } from "./support/flag-rule.js";
import { makeProject } from "./support/tree.js";

// the schema the issue names, beside the repository: ../shared/data/sarif/
const SCHEMA_PATH = path.join(import.meta.dirname, "..", "..", "shared", "data", "sarif", "sarif-schema-2.1.0.json");

async function sampleResult(): Promise<ScanResult> {
  const root = await makeProject({
    "shop/views.py": [
      "from django.db import connection",
      "",
      "def search(request):",
      "    q = request.GET['q']",
      "    connection.cursor().execute('SELECT ' + q)  # dg-flag:critical dg-trace",
      "",
      "class Orders:",
      "    def get(self):",
      "        return 1  # dg-flag:medium:low",
      "",
      "def ok():",
      "    # djangoguard: ignore[DJANGO-TESTFLAG-001] reviewed: constant input",
      "    return 2  # dg-flag:high",
      "",
      "def sloppy():",
      "    return 3  # dg-flag:low  # djangoguard: ignore[DJANGO-TESTFLAG-001]",
    ].join("\n"),
    "templates/shop/list.html": "<p>{{ x }}</p> {# dg-flag:high #}\n",
    "dir with space/ünïcode.py": "x = 1  # dg-flag:low\n",
  });
  return scanWith(root, { failOn: "none" }, [FLAG_RULE]);
}

describe("sarif", () => {
  it("validates against the SARIF 2.1.0 schema (draft-04) and carries GitHub's fields", async () => {
    const result = await sampleResult();
    assert.ok(result.findings.length >= 4, "the sample has findings");
    assert.equal(result.suppressed.length, 1);
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as { $schema: string };
    assert.match(schema.$schema, /draft-04/, "the schema declares draft-04, so we validate with ajv-draft-04");
    const ajv = new Ajv04({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const log = JSON.parse(formatSarif(result, [...RULES, FLAG_RULE]));
    const valid = validate(log);
    assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 2));

    // a broken document must fail, so the validator is really checking
    const broken = structuredClone(log);
    broken.runs[0].results[0].level = "fatal";
    assert.equal(validate(broken), false);

    const run = log.runs[0];
    assert.equal(log.version, "2.1.0");
    assert.equal(run.tool.driver.name, "djangoguard");
    assert.equal(run.originalUriBaseIds["%SRCROOT%"].uri.endsWith("/"), true);
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === "DJANGO-SQL-001");
    assert.ok(rule, "every registered rule is described");
    assert.match(rule.properties["security-severity"], /^\d+\.\d$/);
    assert.equal(rule.properties["security-severity"], "8.0");
    assert.ok(rule.properties.tags.includes("security"));
    assert.ok(rule.properties.tags.includes("external/cwe/cwe-89"));
    assert.equal(typeof rule.properties.precision, "string");
    assert.match(rule.help.markdown, /## How to fix/);
    assert.match(rule.help.markdown, /```python/);

    const critical = run.results.find((r: { level: string; properties: { severity: string } }) => r.properties.severity === "critical");
    assert.equal(critical.level, "error");
    assert.equal(run.tool.driver.rules[critical.ruleIndex].id, critical.ruleId);
    const loc = critical.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uriBaseId, "%SRCROOT%");
    assert.equal(loc.artifactLocation.uri, "shop/views.py");
    assert.equal(loc.region.startLine, 5);
    assert.equal(loc.region.startColumn, 5);
    assert.match(critical.partialFingerprints["djangoguard/v1"], /^[0-9a-f]{32}$/);
    assert.equal(critical.codeFlows[0].threadFlows[0].locations.length, 2);
    assert.equal(critical.codeFlows[0].threadFlows[0].locations[1].location.physicalLocation.region.startLine, 5);

    const encoded = run.results.find((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
      r.locations[0]!.physicalLocation.artifactLocation.uri.startsWith("dir%20with%20space/"));
    assert.ok(encoded, "paths are URI-encoded relative references");

    const suppressed = run.results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
    assert.equal(suppressed.length, 1);
    assert.equal(suppressed[0].suppressions[0].kind, "inSource");
    assert.match(suppressed[0].suppressions[0].justification, /reviewed: constant input/);

    const notes = run.invocations[0].toolExecutionNotifications;
    const bad = notes.find((n: { descriptor: { id: string } }) => n.descriptor.id === "suppression");
    assert.ok(bad, "a suppression without a reason is visible in SARIF");
    assert.equal(bad.locations[0].physicalLocation.region.startLine, 16);
  });

  it("validates for the bundled example project's real findings", async (t) => {
    const target = path.join(import.meta.dirname, "..", "examples", "insecure-shop");
    const { scan } = await import("../src/scan.js");
    const result = await scan(target, { failOn: "none" });
    assert.ok(result.findings.length > 0);
    const ajv = new Ajv04({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, "utf8")));
    const log = JSON.parse(formatSarif(result));
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    assert.equal(log.runs[0].results.length, result.findings.length + result.suppressed.length);
  });

  it("maps severities onto GitHub's security-severity buckets", () => {
    const log = toSarif({ ...emptyResult(), findings: [] }, RULES);
    const sev = new Map(log.runs[0]!.tool.driver.rules!.map((r) => [r.id, Number(r.properties!["security-severity"])]));
    for (const r of RULES) {
      const n = sev.get(r.id)!;
      const bucket = n >= 9 ? "critical" : n >= 7 ? "high" : n >= 4 ? "medium" : "low";
      assert.equal(bucket, r.severity, r.id);
    }
  });
});

describe("markdown", () => {
  it("writes a §2.3 section per finding under a summary table", async () => {
    const result = await sampleResult();
    const md = formatMarkdown(result);
    assert.match(md, /^# djangoguard security audit/);
    assert.match(md, /\| Critical \| 1 \|/);
    const sections = md.split(/\n### \d+\. /).slice(1);
    assert.equal(sections.length, result.findings.length);
    for (const s of sections) {
      for (const field of ["Rule ID:", "Severity:", "Location:", "Evidence:", "Impact:", "Fix:", "Mitigation:", "False positive notes:"]) {
        assert.ok(s.includes(`**${field}**`), `section lacks ${field}:\n${s}`);
      }
    }
    assert.match(md, /`shop\/views\.py` in `search`, line 5/);
    assert.equal(md.match(/\*\*Impact:\*\* None; a test rule\./g)?.length, 1, "rule-level text is written once");
    assert.match(md, /\*\*Fix:\*\* as for \[finding 1\]\(#finding-1\) \(DJANGO-TESTFLAG-001\)\./);
    assert.match(md, /```python\n {4}connection\.cursor\(\)/);
    assert.match(md, /\*\*Data flow:\*\*\n\n1\. source: `shop\/views\.py:4`/);
    assert.match(md, /## Suppressed findings[\s\S]*reviewed: constant input/);
    assert.match(md, /## Scan notes[\s\S]*\| `shop\/views\.py:16` \| suppression \|/);
  });
});

describe("text", () => {
  it("groups by file, shows a code frame and the trace, and summarises", async () => {
    const result = await sampleResult();
    const text = formatText(result, { color: false });
    assert.doesNotMatch(text, /\x1b\[/, "no colour unless asked");
    const files = [...text.matchAll(/^(\S[^\n]*\.(?:py|html))$/gm)].map((m) => m[1]);
    assert.deepEqual(files, ["dir with space/ünïcode.py", "shop/views.py", "templates/shop/list.html"]);
    assert.match(text, /> 5 \| {5}connection\.cursor\(\)\.execute/);
    assert.match(text, /data flow:\n\s+source shop\/views\.py:4 {2}value read/);
    assert.match(text, /1 suppressed/);
    assert.match(text, /suppressed inline \(1\):\n  shop\/views\.py:13 DJANGO-TESTFLAG-001 — reviewed: constant input/);
    assert.equal(text.match(/fix: Remove the marker\./g)?.length, 1, "a rule's fix is printed once");
    assert.match(text, /fix: as for DJANGO-TESTFLAG-001 above/);
    assert.match(text, /\[suppression\] suppression ignored: it gives no reason/);
    assert.match(formatText(result, { color: true }), /\x1b\[/);
  });
});

describe("text notes", () => {
  it("caps file notes in a big tree but always shows suppression notes", async () => {
    const base = await sampleResult();
    const many = Array.from({ length: 100 }, (_, i) => ({ path: `legacy/m${i}.py`, kind: "python2" as const, message: "looks like Python 2", line: 1 }));
    const text = formatText({ ...base, notes: [...many, ...base.notes] }, { color: false });
    assert.match(text, /notes \(101\):/);
    assert.match(text, /\[suppression\] suppression ignored/);
    assert.equal(text.match(/\[python2\]/g)?.length, 39);
    assert.match(text, /… and 61 more \(61 python2\); --format json lists them all/);
    const md = formatMarkdown({ ...base, notes: [...many, ...base.notes] });
    assert.equal(md.match(/\| python2 \|/g)?.length, 39);
    assert.match(md, /\| suppression \|/);
    assert.match(md, /61 more notes are not shown/);
  });
});

describe("json", () => {
  it("is the ScanResult itself", async () => {
    const result = await sampleResult();
    assert.deepEqual(JSON.parse(formatJson(result)), JSON.parse(JSON.stringify(result)));
    const f = result.findings.find((x) => x.severity === "critical")!;
    assert.equal(f.location.path, "shop/views.py");
    assert.equal(f.location.symbol, "search");
    assert.equal(f.djangoCheckId, undefined);
    assert.equal(f.cwe, "CWE-89");
    assert.equal(path.isAbsolute(result.root), true);
  });
});

function emptyResult(): ScanResult {
  return {
    tool: { name: "djangoguard", version: "0" },
    root: "/tmp/x",
    settings: { module: null, reason: "none" },
    config: { file: null, failOn: "high", minSeverity: "low", minConfidence: "low", baseline: null },
    findings: [],
    suppressed: [],
    notes: [],
    summary: { files: 0, lines: 0, rules: 0, findings: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0 }, suppressed: 0, baselined: 0, durationMs: 0 },
  };
}
