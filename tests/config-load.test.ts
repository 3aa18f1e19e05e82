// Configuration: .djangoguard.toml or [tool.djangoguard] in pyproject.toml,
// loaded inside scan() (so the library API and the fixture harness honour it);
// explicit options win over config; malformed config is a ConfigError naming
// the file and the TOML error.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadConfig } from "../src/config/load.js";
import { scanWith } from "../src/scan.js";
import { FLAG_RULE } from "./support/flag-rule.js";
import { makeProject } from "./support/tree.js";

const VIEWS = "a = 1  # dg-flag:high\nb = 2  # dg-flag:low:low\nc = 3  # dg-flag:medium\n";

describe("config loading", () => {
  it("reads every documented key from .djangoguard.toml", async () => {
    const root = await makeProject({
      ".djangoguard.toml": [
        'exclude = ["legacy/**"]',
        'include = "vendor/keep/**"',
        'disable = ["django-cors-001"]',
        'settings = "shop.settings.production"',
        'tls = true',
        'django-version = "4.2"',
        'fail-on = "medium"',
        'min-severity = "low"',
        'min-confidence = "medium"',
        "max-file-size = 100000",
        "include-tests = true",
        "[severity]",
        'DJANGO-SQL-001 = "critical"',
        "[env]",
        'DJANGO_DEBUG = "false"',
        "WORKERS = 4",
      ].join("\n"),
    });
    const c = await loadConfig(root);
    assert.equal(c.file, ".djangoguard.toml");
    assert.deepEqual(c.options, {
      exclude: ["legacy/**"],
      include: ["vendor/keep/**"],
      excludeRules: ["DJANGO-CORS-001"],
      settingsModule: "shop.settings.production",
      tls: "yes",
      djangoVersion: "4.2",
      failOn: "medium",
      minSeverity: "low",
      minConfidence: "medium",
      maxFileSize: 100000,
      includeTests: true,
      severityOverrides: { "DJANGO-SQL-001": "critical" },
      env: { DJANGO_DEBUG: "false", WORKERS: "4" },
    });
    assert.deepEqual(c.notes, []);
  });

  it("reads [tool.djangoguard] from pyproject.toml and notes unknown keys", async () => {
    const root = await makeProject({
      "pyproject.toml": '[project]\nname = "shop"\n\n[tool.djangoguard]\nfail-on = "low"\ncolour = "always"\n',
    });
    const c = await loadConfig(root);
    assert.equal(c.file, "pyproject.toml");
    assert.equal(c.options.failOn, "low");
    assert.equal(c.notes.length, 1);
    assert.match(c.notes[0]!.message, /unknown key \[tool\.djangoguard\]\.colour/);
  });

  it("prefers .djangoguard.toml over pyproject.toml, and is empty without either", async () => {
    const both = await makeProject({ ".djangoguard.toml": 'fail-on = "none"\n', "pyproject.toml": '[tool.djangoguard]\nfail-on = "low"\n' });
    assert.equal((await loadConfig(both)).options.failOn, "none");
    const none = await makeProject({ "pyproject.toml": '[project]\nname = "x"\n' });
    assert.deepEqual(await loadConfig(none), { file: null, options: {}, notes: [] });
  });

  it("rejects malformed TOML and bad values with the file and the reason", async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ ".djangoguard.toml": 'fail-on = "high\n' }, /^\.djangoguard\.toml: invalid TOML: .*line 1/i],
      [{ "pyproject.toml": "[tool.djangoguard]\nfail-on = = 1\n" }, /^pyproject\.toml: invalid TOML/],
      [{ ".djangoguard.toml": 'fail-on = "severe"\n' }, /\.djangoguard\.toml: fail-on must be one of critical, high, medium, low \(got "severe"\)/],
      [{ ".djangoguard.toml": "exclude = 3\n" }, /exclude must be a string or a list of strings/],
      [{ ".djangoguard.toml": '[severity]\nDJANGO-SQL-001 = "urgent"\n' }, /severity\.DJANGO-SQL-001 must be one of/],
      [{ ".djangoguard.toml": 'tls = "maybe"\n' }, /tls must be "yes", "no" or "auto"/],
    ];
    for (const [files, re] of cases) {
      const root = await makeProject(files);
      await assert.rejects(loadConfig(root), (e: Error) => e instanceof ConfigError && re.test(e.message), `expected ${re}`);
    }
  });

  it("reads env-file (the env table wins) and advisory-db relative to the root", async () => {
    const root = await makeProject({
      ".djangoguard.toml": 'env-file = "deploy/prod.env"\nadvisory-db = "data/osv.json"\n[env]\nDJANGO_DEBUG = "false"\n',
      "deploy/prod.env": "# production\nDJANGO_DEBUG=true\nexport ALLOWED_HOSTS=shop.example.com\n",
    });
    const c = await loadConfig(root);
    assert.deepEqual(c.options.env, { DJANGO_DEBUG: "false", ALLOWED_HOSTS: "shop.example.com" });
    assert.equal(c.options.advisoryDb, `${root}/data/osv.json`);
    const missing = await makeProject({ "pyproject.toml": '[tool.djangoguard]\nenv-file = "nope.env"\n' });
    await assert.rejects(loadConfig(missing), /^ConfigError: pyproject\.toml: \[tool\.djangoguard\]\.env-file nope\.env cannot be read \(ENOENT\)$/);
  });

  it("uses an explicit config file instead of the root's, with paths relative to it", async () => {
    const root = await makeProject({
      ".djangoguard.toml": 'fail-on = "low"\n',
      "ci/strict.toml": 'fail-on = "medium"\nbaseline = "base.json"\n',
      "ci/pyproject.toml": '[tool.djangoguard]\nfail-on = "critical"\n',
      "ci/other.toml": "[tool.poetry]\n",
    });
    const c = await loadConfig(root, `${root}/ci/strict.toml`);
    assert.equal(c.file, `${root}/ci/strict.toml`);
    assert.deepEqual(c.options, { failOn: "medium", baseline: `${root}/ci/base.json` });
    assert.equal((await loadConfig(root, `${root}/ci/pyproject.toml`)).options.failOn, "critical");
    await assert.rejects(loadConfig(root, `${root}/ci/nope.toml`), /nope\.toml: config file not found/);
    const other = await loadConfig(root, `${root}/ci/other.toml`);
    assert.match(other.notes[0]?.message ?? "", /unknown key tool ignored/, "a stray table in a .djangoguard.toml-style file is a note");
    const viaScan = await scanWith(root, { configFile: `${root}/ci/pyproject.toml` }, [FLAG_RULE]);
    assert.equal(viaScan.config.failOn, "critical");
  });

  it("a broken pyproject.toml without our table is only a note", async () => {
    const root = await makeProject({ "pyproject.toml": "[project\nname = 1\n" });
    const c = await loadConfig(root);
    assert.equal(c.file, null);
    assert.equal(c.notes[0]?.kind, "config");
  });
});

describe("config inside scan()", () => {
  it("applies disable, severity, min-severity and fail-on; explicit options win", async () => {
    const root = await makeProject({
      ".djangoguard.toml": 'min-severity = "medium"\nfail-on = "critical"\n[severity]\nDJANGO-TESTFLAG-001 = "critical"\n',
      "app.py": VIEWS,
    });
    const r = await scanWith(root, {}, [FLAG_RULE]);
    assert.equal(r.config.file, ".djangoguard.toml");
    assert.equal(r.config.failOn, "critical");
    // the override makes every finding critical, so min-severity keeps all three
    assert.deepEqual(r.findings.map((f) => f.severity), ["critical", "critical", "critical"]);

    const explicit = await scanWith(root, { failOn: "none", minSeverity: "critical", severityOverrides: { "DJANGO-TESTFLAG-001": "low" } }, [FLAG_RULE]);
    assert.equal(explicit.config.failOn, "none");
    assert.equal(explicit.findings.length, 0, "the explicit override (low) beats config, and min-severity critical hides it");

    const disabled = await makeProject({ ".djangoguard.toml": 'disable = ["DJANGO-TESTFLAG-001"]\n', "app.py": VIEWS });
    const d = await scanWith(disabled, {}, [FLAG_RULE]);
    assert.equal(d.findings.length, 0);
    assert.equal(d.summary.rules, 0);
  });

  it("applies min-confidence and exclude from config", async () => {
    const root = await makeProject({
      ".djangoguard.toml": 'min-confidence = "medium"\nexclude = ["legacy/"]\n',
      "app.py": VIEWS,
      "legacy/old.py": VIEWS,
    });
    const r = await scanWith(root, {}, [FLAG_RULE]);
    assert.deepEqual(r.findings.map((f) => `${f.location.path}:${f.location.startLine}`).sort(), ["app.py:1", "app.py:3"]);
  });

  it("rejects unknown rule IDs in config and options with a suggestion", async () => {
    const root = await makeProject({ ".djangoguard.toml": 'disable = ["DJANGO-TESTFLAG-01"]\n', "app.py": VIEWS });
    await assert.rejects(scanWith(root, {}, [FLAG_RULE]), /unknown rule ID DJANGO-TESTFLAG-01 .*did you mean DJANGO-TESTFLAG-001\?/);
    const ok = await makeProject({ "app.py": VIEWS });
    await assert.rejects(scanWith(ok, { rules: ["NOPE-1"] }, [FLAG_RULE]), /unknown rule ID NOPE-1 in --rules/);
  });
});

describe("config in a fixture project (real rules)", () => {
  it("tests/fixtures/core-config: disable, exclude and severity apply through the library API", async () => {
    const { scan } = await import("../src/scan.js");
    const { cp, rm } = await import("node:fs/promises");
    const path = await import("node:path");
    const fixture = path.join(import.meta.dirname, "fixtures", "core-config");
    const withConfig = await scan(fixture, { failOn: "none" });
    assert.equal(withConfig.config.file, ".djangoguard.toml");
    assert.deepEqual(withConfig.findings.map((f) => [f.ruleId, f.severity, f.location.path]), [["DJANGO-CMD-001", "low", "app/reports.py"]]);
    // the same tree without its config reports what the config turned off
    const copy = await makeProject({});
    await cp(fixture, copy, { recursive: true });
    await rm(path.join(copy, ".djangoguard.toml"));
    const without = await scan(copy, { failOn: "none" });
    const ids = without.findings.map((f) => `${f.ruleId} ${f.location.path}`).sort();
    assert.ok(ids.includes("DJANGO-SQL-001 app/reports.py"), ids.join(", "));
    assert.ok(ids.includes("DJANGO-CMD-001 legacy/old_reports.py"), ids.join(", "));
    assert.notEqual(without.findings.find((f) => f.ruleId === "DJANGO-CMD-001")!.severity, "low");
  });
});
