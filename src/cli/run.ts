// Runs a commander program with djangoguard's exit-code contract: 0 clean,
// 1 findings at or above --fail-on (set by the command), 2 the tool could not do
// its job — a one-line message on stderr, never a stack trace (unless
// DJANGOGUARD_DEBUG is set).
import { CommanderError, type Command } from "commander";

export async function runProgram(program: Command, argv: string[]): Promise<void> {
  program.exitOverride();
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander already printed its message (or the help/version text)
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    const err = e as Error;
    const known = err?.name === "ConfigError" || err?.name === "BaselineError";
    const msg = (err?.message ?? String(e)).split("\n")[0];
    process.stderr.write(`djangoguard: ${known ? "" : "internal error: "}${msg}\n`);
    if (process.env.DJANGOGUARD_DEBUG && err?.stack) process.stderr.write(err.stack + "\n");
    process.exitCode = 2;
  }
}
