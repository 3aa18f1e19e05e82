// The real `scan` command and exit-code handling, wired to the framework test
// rule only, so CLI tests can spawn a process that has findings of known
// severities (the product's own detectors are tested by their owners).
// It runs the built CLI (dist/, which `npm test` builds first): starting from
// the compiled code keeps the many spawned processes quick.
import { Command } from "commander";
import { registerScan } from "../../dist/cli/scan.js";
import { runProgram } from "../../dist/cli/run.js";
import { FLAG_RULE } from "./flag-rule.js";

const program = new Command().name("djangoguard");
registerScan(program, [FLAG_RULE]);
await runProgram(program, process.argv);
