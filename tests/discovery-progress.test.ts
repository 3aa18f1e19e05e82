// Progress bar (stderr, only for long scans, only on a TTY) and the one-line summary.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { loadProject, type LoadProgressEvent } from "../src/discovery/load.js";
import { defaultOptions } from "../src/options.js";
import { createProgressBar } from "../src/progress.js";
import { summaryLine, thousands } from "../src/report/summary.js";
import { makeProject } from "./support/tree.js";

const REPO = fileURLToPath(new URL("..", import.meta.url));

function fakeStream() {
  const writes: string[] = [];
  return { writes, stream: { isTTY: true, columns: 80, write: (s: string) => (writes.push(s), true) } };
}

describe("progress bar", () => {
  it("stays silent for short scans, then redraws one line at most every interval, and clears it", () => {
    let now = 0;
    const { writes, stream } = fakeStream();
    const bar = createProgressBar(stream, { delayMs: 400, intervalMs: 100, now: () => now });
    bar.update({ phase: "read", done: 1, total: 100 });
    now = 300;
    bar.update({ phase: "read", done: 50, total: 100 });
    assert.equal(writes.length, 0, "nothing before the delay");
    now = 500;
    bar.update({ phase: "parse", done: 10, total: 40 });
    now = 550;
    bar.update({ phase: "parse", done: 11, total: 40 });
    assert.equal(writes.length, 1, "throttled");
    assert.match(writes[0]!, /^\r\x1b\[2Kdjangoguard: parsing \[#+-+\]  25% 10\/40$/);
    now = 560;
    bar.update({ phase: "parse", done: 40, total: 40 });
    assert.equal(writes.length, 2, "the end of a phase is always drawn");
    assert.ok(writes.every((w) => !w.includes("\n")), "never a newline: one line, rewritten");
    assert.ok(writes.every((w) => w.replace(/^\r\x1b\[2K/, "").length <= 79), "fits the terminal");
    bar.finish();
    assert.equal(writes.at(-1), "\r\x1b[2K");
  });

  it("loading counts parsed files against all the Python files the walk found, with either parser", async () => {
    const files: Record<string, string> = { "broken.py": "def f(:\n" };
    for (let i = 0; i < 5; i++) files[`m${i}.py`] = `x = ${i}\n`;
    const root = await makeProject(files);
    for (const parser of ["auto", "tree-sitter"] as const) {
      const parse: LoadProgressEvent[] = [];
      await loadProject({ ...defaultOptions(root), parser, workers: 0, cacheDir: null }, (e) => { if (e.phase === "parse") parse.push(e); });
      assert.deepEqual(parse.map((e) => `${e.done}/${e.total}`), ["1/6", "2/6", "3/6", "4/6", "5/6", "6/6"], parser);
    }
  });

  it("finish() writes nothing when nothing was drawn", () => {
    const { writes, stream } = fakeStream();
    const bar = createProgressBar(stream, { now: () => 0 });
    bar.update({ phase: "walk", done: 0, total: 0 });
    bar.finish();
    assert.deepEqual(writes, []);
  });
});

describe("summary line", () => {
  it("says files, lines, findings by severity, notes and time", () => {
    const line = summaryLine({
      summary: { files: 1696, lines: 265586, findings: 3, bySeverity: { critical: 0, high: 1, medium: 2, low: 0 }, durationMs: 4870 },
      notes: [{ path: "a.py", kind: "syntax-error", message: "x" }],
    } as Parameters<typeof summaryLine>[0]);
    assert.equal(line, "djangoguard: 1,696 files, 265,586 lines, 3 findings (1 high, 2 medium), 1 note in 4.9 s\n");
  });

  it("groups thousands with commas, as en-US does", () => {
    for (const n of [0, 7, 999, 1000, 9999, 12345, 100000, 999999, 1000000, 1234567, 1864845, 12000000000]) {
      assert.equal(thousands(n), n.toLocaleString("en-US"), String(n));
    }
  });

  it("a terminal shows exactly one summary: the text report's last line, or stderr with --output", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-cli-progress-"));
    try {
      fs.writeFileSync(path.join(dir, "app.py"), "x = 1\n");
      const run = (...args: string[]) =>
        spawnSync(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/main.ts"), "scan", dir, "--no-progress", ...args], {
          cwd: REPO,
          encoding: "utf8",
          timeout: 120_000,
        });
      const text = run();
      assert.equal(text.status, 0, text.stderr);
      assert.match(text.stdout, /\ndjangoguard: 1 file, 2 lines, 0 findings in \d+\.\d s\n$/);
      assert.doesNotMatch(text.stderr, /djangoguard: \d+ file/, "no second summary on stderr");
      const out = path.join(dir, "report.txt");
      const toFile = run("--output", out);
      assert.equal(toFile.status, 0, toFile.stderr);
      assert.match(toFile.stderr, /^djangoguard: 1 file, 2 lines, 0 findings in \d+\.\d s\n$/m);
      assert.match(fs.readFileSync(out, "utf8"), /djangoguard: 1 file, 2 lines/);
      const json = run("--format", "json");
      assert.equal(json.status, 0, json.stderr);
      assert.doesNotMatch(json.stderr, /djangoguard: \d+ files/);
      JSON.parse(json.stdout);
      // Not a TTY here: no bar escape codes even without --no-progress.
      const plain = spawnSync(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/main.ts"), "scan", dir], { cwd: REPO, encoding: "utf8", timeout: 120_000 });
      assert.ok(!plain.stderr.includes("\x1b[2K"), "no bar when stderr is not a terminal");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--max-file-size is a size with units, and skips larger files with a note", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-cli-size-"));
    try {
      fs.writeFileSync(path.join(dir, "big.py"), "x = 1\n".repeat(400)); // 2,400 bytes
      fs.writeFileSync(path.join(dir, "small.py"), "y = 2\n");
      const res = spawnSync(
        process.execPath,
        ["--import", "tsx", path.join(REPO, "src/cli/main.ts"), "scan", dir, "--max-file-size", "2k", "--format", "json", "--no-progress"],
        { cwd: REPO, encoding: "utf8", timeout: 120_000 },
      );
      assert.equal(res.status, 0, res.stderr);
      const out = JSON.parse(res.stdout) as { notes: { path: string; kind: string; message: string }[]; summary: { files: number } };
      assert.deepEqual(out.notes.map((n) => [n.path, n.kind]), [["big.py", "too-large"]]);
      assert.match(out.notes[0]!.message, /2400 bytes is over the 2048-byte limit/);
      assert.equal(out.summary.files, 1);
      const bad = spawnSync(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/main.ts"), "scan", dir, "--max-file-size", "lots"], { cwd: REPO, encoding: "utf8", timeout: 120_000 });
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /--max-file-size takes a size/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
