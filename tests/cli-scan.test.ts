// The scan command as CI sees it: exit 0 clean, 1 findings at or above
// --fail-on (default high), 2 the tool could not do its job (one line, no stack
// trace); thresholds, rule selection, config precedence, --output, colour and
// baselines. Findings come from the framework test rule (tests/support/), wired
// into the real command; errors that need no findings run the real CLI.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { makeProject } from "./support/tree.js";

const REPO = path.join(import.meta.dirname, "..");
const FLAG_CLI = path.join(import.meta.dirname, "support", "cli-with-flag-rule.ts");
// the built CLI (npm test builds first); spawning compiled code keeps these tests quick
const MAIN = path.join(REPO, "bin", "djangoguard.js");

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const loader = script.endsWith(".ts") ? ["--import", "tsx"] : [];
  const r = spawnSync(process.execPath, [...loader, script, ...args], { encoding: "utf8", cwd: REPO, env: { ...process.env, NO_COLOR: "", ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const flag = (args: string[], env?: Record<string, string>) => run(FLAG_CLI, args, env);
const real = (args: string[], env?: Record<string, string>) => run(MAIN, args, env);

function assertToolError(r: { code: number | null; stderr: string }, re: RegExp) {
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, re);
  assert.equal(r.stderr.trim().split("\n").length, 1, `one line: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
}

const MIXED = "a = 1  # dg-flag:high\nb = 2  # dg-flag:medium:low\nc = 3  # dg-flag:low\n";

describe("scan exit codes", () => {
  it("0 when clean, 1 at or above --fail-on (default high), never with none", async () => {
    const clean = await makeProject({ "app.py": "x = 1\n" });
    const mixed = await makeProject({ "app.py": MIXED });
    const crit = await makeProject({ "app.py": "a = 1  # dg-flag:critical\n" });
    const exits = (args: string[], code: number, why = "") => {
      const r = flag(args);
      assert.equal(r.code, code, `${args.slice(2).join(" ") || "(defaults)"} ${why}\nstdout: ${r.stdout.slice(-800)}\nstderr: ${r.stderr}`);
    };
    exits(["scan", clean], 0);
    exits(["scan", mixed], 1, "a high finding fails by default");
    exits(["scan", mixed, "--fail-on", "critical"], 0);
    exits(["scan", mixed, "--fail-on", "low"], 1);
    exits(["scan", crit, "--fail-on", "none"], 0);
    exits(["scan", mixed, "--fail-on", "HIGH"], 1, "values are case-insensitive");
  });

  it("--min-severity, --min-confidence, --rules and --exclude-rules select what is reported", async () => {
    const root = await makeProject({ "app.py": MIXED });
    const count = (args: string[]) => {
      const r = flag(["scan", root, "--format", "json", "--fail-on", "none", ...args]);
      assert.equal(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout) as { findings: unknown[] }).findings.length;
    };
    assert.equal(count([]), 3);
    assert.equal(count(["--min-severity", "medium"]), 2);
    assert.equal(count(["--min-confidence", "medium"]), 2);
    assert.equal(count(["--rules", "django-testflag-001"]), 3);
    assert.equal(count(["--exclude-rules", "DJANGO-TESTFLAG-001"]), 0);
    assert.equal(flag(["scan", root, "--min-severity", "critical"]).code, 0, "hidden findings do not fail the build");
  });

  it("CLI flags win over the config file", async () => {
    const root = await makeProject({ ".djangoguard.toml": 'fail-on = "none"\nmin-severity = "high"\n', "app.py": MIXED.replace("high", "medium") });
    assert.equal(flag(["scan", root]).code, 0, "config: fail-on none");
    const r = flag(["scan", root, "--fail-on", "medium", "--min-severity", "low", "--format", "json"]);
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.stdout).findings.length, 3);
  });

  it("--config names a config file elsewhere", async () => {
    const root = await makeProject({ "app.py": MIXED, "ci/lenient.toml": 'fail-on = "none"\n' });
    assert.equal(flag(["scan", root]).code, 1);
    assert.equal(flag(["scan", root, "--config", path.join(root, "ci", "lenient.toml")]).code, 0);
    assertToolError(flag(["scan", root, "-c", path.join(root, "ci", "missing.toml")]), /missing\.toml: config file not found/);
  });

  it("2 with a one-line message when the tool cannot do its job", async () => {
    const root = await makeProject({ "app.py": "x = 1\n" });
    assertToolError(real(["scan", path.join(root, "missing")]), /missing is not a directory/);
    assertToolError(real(["scan", root, "--fail-on", "severe"]), /--fail-on takes critical\|high\|medium\|low\|none, got "severe"/);
    assertToolError(real(["scan", root, "--min-confidence", "sure"]), /--min-confidence takes high\|medium\|low/);
    assertToolError(real(["scan", root, "--format", "xml"]), /--format takes text\|json\|sarif\|markdown/);
    assertToolError(real(["scan", root, "--parser", "lark"]), /--parser takes auto\|tree-sitter, got "lark"/);
    assertToolError(real(["scan", root, "--rules", "DJANGO-SQL-01"]), /unknown rule ID DJANGO-SQL-01 in --rules.*did you mean DJANGO-SQL-001\?/);
    assertToolError(real(["scan", root, "--exclude-rules", "DJANGO-NOPE-001"]), /unknown rule ID DJANGO-NOPE-001 in --exclude-rules/);
    assertToolError(real(["scan", root, "--env", "NOVALUE"]), /--env takes KEY=VALUE/);
    assertToolError(real(["scan", root, "--bogus"]), /unknown option '--bogus'/);
    assertToolError(real(["scan", root, "--baseline", path.join(root, "none.json")]), /baseline .*none\.json cannot be read \(ENOENT\)/);
    assertToolError(real(["scan", root, "--output", path.join(root, "no", "such", "dir.txt")]), /cannot write .*dir\.txt \(ENOENT\)/);
    const bad = await makeProject({ ".djangoguard.toml": "fail-on = [\n", "app.py": "x = 1\n" });
    assertToolError(real(["scan", bad]), /\.djangoguard\.toml: invalid TOML: .*\(line \d+, column \d+\)/);
    const badPy = await makeProject({ "pyproject.toml": '[tool.djangoguard]\nmin-severity = "urgent"\n' });
    assertToolError(real(["scan", badPy]), /pyproject\.toml: \[tool\.djangoguard\]\.min-severity must be one of/);
  });
});

describe("scan output", () => {
  it("--output writes the report to a file (uncoloured) and nothing to stdout", async () => {
    const root = await makeProject({ "app.py": MIXED });
    for (const format of ["text", "json", "sarif", "markdown"]) {
      const out = path.join(root, `report.${format}`);
      const r = flag(["scan", root, "--format", format, "--output", out], { FORCE_COLOR: "1" });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, "");
      const text = await fs.readFile(out, "utf8");
      assert.doesNotMatch(text, /\x1b\[/);
      if (format !== "text" && format !== "markdown") assert.doesNotThrow(() => JSON.parse(text));
      else assert.match(text, /DJANGO-TESTFLAG-001/);
    }
  });

  it("colours text only on a TTY, and never with NO_COLOR or --no-color", async (t) => {
    const root = await makeProject({ "app.py": MIXED });
    const piped = flag(["scan", root]);
    assert.doesNotMatch(piped.stdout, /\x1b\[/, "piped output is plain");
    const tty = (extraEnv: string, extraArgs = "") => {
      const cmd = `${extraEnv} ${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(FLAG_CLI)} scan ${JSON.stringify(root)} ${extraArgs}`;
      const r = spawnSync("script", ["-qec", cmd, "/dev/null"], { encoding: "utf8", cwd: REPO, env: { ...process.env, NO_COLOR: "" } });
      return r;
    };
    const probe = tty("");
    if (probe.error) {
      if (process.env.CI === "true") assert.fail("util-linux `script` is missing (CI=true): it gives the CLI a terminal");
      t.skip("util-linux `script` is not available to give the CLI a terminal");
      return;
    }
    assert.match(probe.stdout, /\x1b\[/, "a terminal gets colour");
    assert.doesNotMatch(tty("NO_COLOR=1").stdout, /\x1b\[/, "NO_COLOR is respected");
    assert.doesNotMatch(tty("", "--no-color").stdout, /\x1b\[/, "--no-color is respected");
  });

  it("--write-baseline then --baseline reports only new findings", async () => {
    const root = await makeProject({ "app.py": MIXED });
    const file = path.join(root, ".djangoguard-baseline.json");
    const w = flag(["scan", root, "--write-baseline", file]);
    assert.equal(w.code, 0, "writing a baseline accepts the current findings");
    assert.match(w.stderr, /wrote 3 fingerprints/);
    assert.equal(JSON.parse(await fs.readFile(file, "utf8")).entries.length, 3);
    assert.equal(flag(["scan", root, "--baseline", file]).code, 0);
    await fs.writeFile(path.join(root, "app.py"), "import os\n" + MIXED + "d = 4  # dg-flag:high\n");
    const r = flag(["scan", root, "--baseline", file, "--format", "json"]);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(json.findings.map((f: { location: { startLine: number } }) => f.location.startLine), [5]);
    assert.equal(json.summary.baselined, 3);
    // refreshing the baseline records every current finding, even with a baseline in force
    await fs.writeFile(path.join(root, ".djangoguard.toml"), `baseline = ${JSON.stringify(path.basename(file))}\n`);
    assert.equal(flag(["scan", root]).code, 1, "the config's baseline applies");
    assert.equal(flag(["scan", root, "--write-baseline", file]).code, 0);
    assert.equal(JSON.parse(await fs.readFile(file, "utf8")).entries.length, 4);
    assert.equal(flag(["scan", root]).code, 0);
  });
});

describe("library API", () => {
  it("`import { scan } from \"djangoguard\"` returns what `scan --format json` prints", async (t) => {
    try {
      await fs.access(path.join(REPO, "dist", "index.js"));
    } catch {
      assert.fail("dist/ is missing: run `npm run build` (npm test does)");
    }
    const target = path.join(REPO, "examples", "insecure-shop");
    const { scan } = (await import("djangoguard")) as typeof import("../src/index.js");
    const api = JSON.parse(JSON.stringify(await scan(target)));
    const r = spawnSync(process.execPath, [path.join(REPO, "bin", "djangoguard.js"), "scan", target, "--format", "json"], { encoding: "utf8", cwd: REPO });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    const cli = JSON.parse(r.stdout);
    api.summary.durationMs = cli.summary.durationMs = 0;
    assert.deepEqual(cli, api);
    assert.equal(r.status, api.findings.some((f: { severity: string }) => f.severity === "critical" || f.severity === "high") ? 1 : 0);
  });
});
