// Worker-thread entry of the parse pool (workers.ts): receives Python source,
// parses it with web-tree-sitter, converts it to our AST and posts the AST back
// (structured clone). The tree-sitter tree never leaves the worker.
import { parentPort } from "node:worker_threads";
import { getParser, isWasmTrap, parsePythonWith } from "./parse.js";
import type { ParseRequest, ParseResponse } from "./workers.js";

const port = parentPort;
if (!port) throw new Error("parse-worker.ts must run in a worker thread");

const parser = await getParser();

port.on("message", (req: ParseRequest) => {
  let res: ParseResponse;
  try {
    if (req.crashForTest) process.exit(70);
    if (req.trapForTest) throw new (class RuntimeError extends Error {})("unreachable (simulated wasm trap)");
    res = { id: req.id, ok: true, result: parsePythonWith(parser, req.source) };
  } catch (e) {
    // A wasm trap can leave the parser's memory in any state: do not reuse it.
    const fatal = isWasmTrap(e);
    res = { id: req.id, ok: false, error: (e as Error)?.message ?? String(e), ...(fatal ? { fatal: true } : {}) };
    port.postMessage(res);
    if (fatal) process.exit(71);
    return;
  }
  port.postMessage(res);
});
port.postMessage({ ready: true });
