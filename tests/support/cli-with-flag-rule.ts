// The real `scan` command and exit-code handling, wired to the framework test
// rule only, so CLI tests can spawn a process that has findings of known
// severities (the product's own detectors are tested by their owners).
import { Command } from "commander";
import { registerScan } from "../../src/cli/scan.js";
import { runProgram } from "../../src/cli/run.js";
import { FLAG_RULE } from "./flag-rule.js";

const program = new Command().name("djangoguard");
registerScan(program, [FLAG_RULE]);
await runProgram(program, process.argv);
