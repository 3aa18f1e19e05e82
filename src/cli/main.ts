// The djangoguard command line. One file per command lives next to this one;
// this file only wires them together.
import { Command } from "commander";
import { VERSION } from "../version.js";
import { registerScan } from "./scan.js";
import { registerRules } from "./rules.js";
import { registerProbe } from "./probe.js";
import { registerRoutes } from "./routes.js";
import { runProgram } from "./run.js";
import { registerDeps } from "./deps.js";
import { registerDb } from "./db.js";

const program = new Command();
program.name("djangoguard").description("Audit Django projects for security problems without running them.").version(VERSION);
registerScan(program);
registerRules(program);
registerProbe(program);
registerRoutes(program);
registerDeps(program);
registerDb(program);

// No top-level await: the bundle is CommonJS (cli/code-cache.ts); runProgram reports its own errors.
void runProgram(program, process.argv);
