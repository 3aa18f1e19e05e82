// The exit-code contract of every command: a crash is exit 2 with one line on
// stderr and no stack trace (unless DJANGOGUARD_DEBUG is set); usage errors are 2;
// help and version are 0.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Command } from "commander";
import { runProgram } from "../src/cli/run.js";
import { ConfigError } from "../src/config/load.js";

async function runCapturing(action: () => void | Promise<void>, argv: string[], env: Record<string, string> = {}) {
  const program = new Command().name("djangoguard").version("9.9.9");
  program.command("boom").action(action);
  const saved = { write: process.stderr.write, out: process.stdout.write, exitCode: process.exitCode, env: { ...process.env } };
  let stderr = "";
  let stdout = "";
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  // the caller's shell must not decide the outcome (DJANGOGUARD_DEBUG prints stack traces)
  delete process.env.DJANGOGUARD_DEBUG;
  Object.assign(process.env, env);
  process.exitCode = undefined;
  try {
    await runProgram(program, ["node", "djangoguard", ...argv]);
    return { code: process.exitCode ?? 0, stderr, stdout };
  } finally {
    process.stderr.write = saved.write;
    process.stdout.write = saved.out;
    process.exitCode = saved.exitCode;
    for (const k of [...Object.keys(env), "DJANGOGUARD_DEBUG"]) {
      if (k in saved.env) process.env[k] = saved.env[k];
      else delete process.env[k];
    }
  }
}

describe("runProgram", () => {
  it("turns a crash into exit 2 and one line, without a stack trace", async () => {
    const r = await runCapturing(() => {
      throw new TypeError("cannot read properties of undefined (reading 'x')\n    at somewhere (file.ts:1:1)");
    }, ["boom"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "djangoguard: internal error: cannot read properties of undefined (reading 'x')\n");
  });

  it("prints the stack only with DJANGOGUARD_DEBUG", async () => {
    const r = await runCapturing(() => Promise.reject(new Error("kaputt")), ["boom"], { DJANGOGUARD_DEBUG: "1" });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^djangoguard: internal error: kaputt\nError: kaputt\n\s+at /);
  });

  it("reports known errors without the 'internal error' prefix", async () => {
    const r = await runCapturing(() => {
      throw new ConfigError(".djangoguard.toml: invalid TOML: unexpected end (line 3, column 1)");
    }, ["boom"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "djangoguard: .djangoguard.toml: invalid TOML: unexpected end (line 3, column 1)\n");
  });

  it("exits 2 on usage errors and 0 on help and version", async () => {
    assert.equal((await runCapturing(() => {}, ["nope"])).code, 2);
    assert.equal((await runCapturing(() => {}, ["boom", "--what"])).code, 2);
    const v = await runCapturing(() => {}, ["--version"]);
    assert.equal(v.code, 0);
    assert.equal(v.stdout, "9.9.9\n");
    assert.equal((await runCapturing(() => {}, ["--help"])).code, 0);
  });
});
