// Worker-thread entry of the parse pool (workers.ts): receives Python source,
// parses it with web-tree-sitter and posts back the tape (parse.ts), transferring
// its buffer. The tree-sitter tree never leaves the worker.
import { parentPort } from "node:worker_threads";
import { getParser, isWasmTrap, parseToTape } from "./parse.js";
import type { ParseRequest, ParseResponse, ReadyMessage } from "./workers.js";

const port = parentPort;
if (!port) throw new Error("parse-worker.ts must run in a worker thread");

const parser = await getParser();

port.on("message", (req: ParseRequest) => {
  try {
    if (req.crashForTest) process.exit(70);
    if (req.trapForTest) throw new (class RuntimeError extends Error {})("unreachable (simulated wasm trap)");
    const tape = parseToTape(parser, req.source);
    const res: ParseResponse = { id: req.id, ok: true, tape };
    port.postMessage(res, [tape.data.buffer as ArrayBuffer]);
  } catch (e) {
    // A wasm trap can leave the parser's memory in any state: do not reuse it.
    const fatal = isWasmTrap(e);
    const res: ParseResponse = { id: req.id, ok: false, error: (e as Error)?.message ?? String(e), ...(fatal ? { fatal: true } : {}) };
    port.postMessage(res);
    if (fatal) process.exit(71);
  }
});
const ready: ReadyMessage = { ready: true, grammar: parser.grammar };
port.postMessage(ready);
