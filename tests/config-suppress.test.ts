// Inline suppressions in Python, templates, YAML, Dockerfiles and requirements:
// on the finding's line or alone on the line above, several IDs comma-separated;
// without a rule ID or a reason they suppress nothing and are reported.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Note } from "../src/findings.js";
import { parseSuppressions } from "../src/suppress.js";
import { scanWith } from "../src/scan.js";
import { FLAG_RULE } from "./support/flag-rule.js";
import { makeProject } from "./support/tree.js";

const ID = "DJANGO-TESTFLAG-001";

describe("parseSuppressions", () => {
  const known = (id: string) => id === ID || id === "DJANGO-SQL-001";
  const parse = (text: string, path = "app.py") => {
    const notes: Note[] = [];
    return { list: parseSuppressions(path, text, known, notes), notes };
  };

  it("reads IDs and reasons in every comment style", () => {
    const cases: [string, string][] = [
      [`x = 1  # djangoguard: ignore[${ID}] value is a constant`, "value is a constant"],
      [`{# djangoguard: ignore[${ID}] escaped upstream #}`, "escaped upstream"],
      [`<!-- djangoguard: ignore[${ID}] static page -->`, "static page"],
      [`fetch(url) // djangoguard: ignore[${ID}] same-origin only`, "same-origin only"],
      [`CMD ["x"]  # djangoguard:ignore[${ID.toLowerCase()}] — dev image`, "dev image"],
    ];
    for (const [line, reason] of cases) {
      const { list, notes } = parse(line);
      assert.deepEqual(notes, [], line);
      assert.equal(list.length, 1, line);
      assert.deepEqual(list[0]!.ruleIds, [ID]);
      assert.equal(list[0]!.reason, reason);
    }
    const multi = parse(`# djangoguard: ignore[DJANGO-SQL-001, ${ID}] both reviewed`).list[0]!;
    assert.deepEqual(multi.ruleIds, ["DJANGO-SQL-001", ID]);
    assert.equal(multi.ownLine, true);
    assert.equal(parse(`x()  # djangoguard: ignore[${ID}] why`).list[0]!.ownLine, false);
  });

  it("reports malformed suppressions as notes and does not return them", () => {
    const cases: [string, RegExp][] = [
      ["x = 1  # djangoguard: ignore", /names no rule ID/],
      ["x = 1  # djangoguard: ignore because I said so", /names no rule ID/],
      ["x = 1  # djangoguard: ignore[] nothing", /names no rule ID/],
      [`x = 1  # djangoguard: ignore[${ID}]`, /gives no reason/],
      [`{# djangoguard: ignore[${ID}] #}`, /gives no reason/],
      [`x = 1  # djangoguard: ignore[${ID} unclosed`, /not closed/],
      ["x = 1  # djangoguard: ignore[sql injection] fine", /is not a rule ID/],
      ["x = 1  # djangoguard: skip[DJANGO-SQL-001] fine", /unknown directive "skip"/],
    ];
    for (const [line, re] of cases) {
      const { list, notes } = parse(`a = 0\n${line}\n`);
      assert.equal(list.length, 0, line);
      assert.equal(notes.length, 1, line);
      assert.equal(notes[0]!.kind, "suppression");
      assert.equal(notes[0]!.line, 2);
      assert.match(notes[0]!.message, re, line);
    }
  });

  it("notes an unknown rule ID but keeps a well-formed suppression", () => {
    const { list, notes } = parse("x = 1  # djangoguard: ignore[DJANGO-NOPE-001] typo\n");
    assert.equal(list.length, 1);
    assert.match(notes[0]!.message, /unknown rule DJANGO-NOPE-001/);
  });

  it("ignores the marker outside comments", () => {
    assert.deepEqual(parse('doc = "djangoguard: ignore[X-1] y"\n'), { list: [], notes: [] });
  });
});

describe("suppressions in a scan", () => {
  it("suppress findings on the same line or the comment line above, in every file kind", async () => {
    const root = await makeProject({
      "shop/views.py": [
        `a = 1  # dg-flag:high  # djangoguard: ignore[${ID}] reviewed: constant`, // 1 suppressed
        `# djangoguard: ignore[DJANGO-SQL-001, ${ID}] reviewed: allowlisted`, // 2
        "b = 2  # dg-flag:high", // 3 suppressed by line 2
        "c = 3  # dg-flag:high", // 4 kept: line 2 is not directly above
        `d = 4  # djangoguard: ignore[${ID}] trailing comments cover their own line only`, // 5
        "e = 5  # dg-flag:high", // 6 kept
        `f = 6  # dg-flag:high  # djangoguard: ignore[DJANGO-SQL-001] other rule`, // 7 kept
        `g = 7  # dg-flag:high  # djangoguard: ignore[${ID}]`, // 8 kept + note
      ].join("\n"),
      "templates/page.html": `{# djangoguard: ignore[${ID}] trusted admin HTML #}\n<p>{{ x }}</p> {# dg-flag:high #}\n<p>{{ y }}</p> {# dg-flag:high #}\n`,
      "docker-compose.yml": `services:\n  web:\n    # djangoguard: ignore[${ID}] local only\n    command: run  # dg-flag:high\n`,
      "Dockerfile": `FROM python:3.12\nCMD ["x"]  # dg-flag:high  # djangoguard: ignore[${ID}] dev image\n`,
      "requirements.txt": `django==4.2  # dg-flag:high  # djangoguard: ignore[${ID}] pinned on purpose\n`,
      // a reason that quotes a credential: shown in every format, so redacted like evidence
      "deploy/hooks.py": `URL = "x"  # dg-flag:high  # djangoguard: ignore[${ID}] called as https://hooks.example/?token=s3cr3tHookToken only\n`,
    });
    const r = await scanWith(root, { failOn: "none" }, [FLAG_RULE]);
    const kept = r.findings.map((f) => `${f.location.path}:${f.location.startLine}`).sort();
    const gone = r.suppressed.map((f) => `${f.location.path}:${f.location.startLine}`).sort();
    assert.deepEqual(kept, ["shop/views.py:4", "shop/views.py:6", "shop/views.py:7", "shop/views.py:8", "templates/page.html:3"]);
    assert.deepEqual(gone, ["Dockerfile:2", "deploy/hooks.py:1", "docker-compose.yml:4", "requirements.txt:1", "shop/views.py:1", "shop/views.py:3", "templates/page.html:2"]);
    assert.equal(r.summary.suppressed, 7);
    const hook = r.suppressed.find((f) => f.location.path === "deploy/hooks.py")!;
    assert.equal(hook.suppression.reason, "called as https://hooks.example/?token=«redacted» only");
    assert.equal(r.summary.findings, 5);
    const s = r.suppressed.find((f) => f.location.path === "shop/views.py" && f.location.startLine === 3)!;
    assert.deepEqual(s.suppression, { kind: "inline", path: "shop/views.py", line: 2, reason: "reviewed: allowlisted" });
    const notes = r.notes.filter((n) => n.kind === "suppression").sort((a, b) => a.line! - b.line!);
    assert.deepEqual(notes.map((n) => `${n.path}:${n.line}`), ["shop/views.py:5", "shop/views.py:8"]);
    assert.match(notes[0]!.message, /suppression of DJANGO-TESTFLAG-001 matches no finding on this line/);
    assert.match(notes[1]!.message, /gives no reason/);
  });

  it("reports a stale suppression only when every rule it names ran unfiltered", async () => {
    const root = await makeProject({
      "app.py": [
        `# djangoguard: ignore[${ID}] the code below was fixed long ago`,
        "x = 1",
        `# djangoguard: ignore[${ID}, DJANGO-SQL-001] DJANGO-SQL-001 did not run`,
        "y = 2",
      ].join("\n"),
    });
    const stale = (partial: Parameters<typeof scanWith>[1]) => scanWith(root, partial, [FLAG_RULE]).then((r) => r.notes.filter((n) => n.kind === "suppression").map((n) => n.line));
    assert.deepEqual(await stale({}), [1]);
    assert.deepEqual(await stale({ minSeverity: "high" }), [], "a threshold may have hidden the finding");
    assert.deepEqual(await stale({ excludeRules: [ID] }), [], "the rule did not run");
  });
});
