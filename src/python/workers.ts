// A pool of worker threads that parse Python into our AST. Each worker owns its
// own web-tree-sitter instance; source goes in, the parse comes back as a flat tape
// (parse.ts) whose buffer is transferred, not copied, and the main thread turns it
// into our AST (plain JS, no wasm). A worker that dies (wasm trap, crash) is replaced and the
// file it was parsing fails with an error the caller turns into a "parse-failed"
// note. The worker entry sits next to this module: parse-worker.js in dist/,
// parse-worker.ts under tsx.
import { existsSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { tapeToAst, type Grammar, type ParseResult, type Tape } from "./parse.js";

export interface ParseRequest {
  id: number;
  source: string;
  /** tests only: make the worker die while holding this job */
  crashForTest?: boolean;
  /** tests only: make the parse throw as a wasm trap does */
  trapForTest?: boolean;
}

export type ParseResponse =
  | { id: number; ok: true; tape: Tape }
  | { id: number; ok: false; error: string; /** the worker is exiting (wasm trap): replace it */ fatal?: boolean };

/** No worker could be started at all; the caller should parse on the main thread. */
export class PoolUnavailableError extends Error {}

interface Job {
  id: number;
  source: string;
  crash: boolean;
  trap: boolean;
  resolve: (t: Tape) => void;
  reject: (e: Error) => void;
}

/** A worker's first message: it is ready, and this is its grammar (type and field names by id). */
export interface ReadyMessage { ready: true; grammar: Grammar }

interface Slot {
  worker: Worker;
  ready: boolean;
  /** posted jobs, oldest first; the worker answers in order */
  busy: Job[];
}

/** Parse-worker count chosen from measurements (README "Speed"). Workers send back
 *  a tape whose buffer is transferred, and the main thread builds the AST from it:
 *  on NetBox that is ~40% of the loading CPU on the main thread and ~60% in the
 *  workers, so even 2 cores load large trees about twice as fast with 2 workers
 *  (the main thread mostly waits). Starting a worker costs ~80 ms of CPU, which
 *  ~1.5 MB of Python repays. With 4+ cores: one worker per core but the main
 *  thread's, at most 8. */
export const AUTO_WORKER_MIN_BYTES = 1_500_000;
export const AUTO_WORKER_MIN_CORES = 2;

/** Workers to use: `requested` > 0 is taken as given (capped at 64), 0 means the
 *  main thread, a negative value means "auto" (by the bytes of Python the walk
 *  found; decided before reading, so parsing can start with the first file). */
export function autoWorkers(pythonBytes: number, requested: number): number {
  if (requested > 0) return Math.min(Math.floor(requested), 64);
  if (requested === 0) return 0;
  const cores = os.availableParallelism();
  if (pythonBytes < AUTO_WORKER_MIN_BYTES || cores < AUTO_WORKER_MIN_CORES) return 0;
  return Math.min(Math.max(cores - 1, 2), 8);
}

/** Jobs posted to one worker ahead of its answer, so it never waits for the main thread. */
const IN_FLIGHT = 2;

export function workerEntry(): URL {
  const here = import.meta.url;
  const ext = here.endsWith(".ts") ? ".ts" : ".js";
  const url = new URL(`./parse-worker${ext}`, here);
  if (!existsSync(fileURLToPath(url))) throw new Error(`parse worker not found at ${fileURLToPath(url)}`);
  return url;
}

/** Start a worker on `entry`. Under tsx (a .ts entry) the worker thread does not
 *  inherit tsx's module hooks, so a tiny ESM bootstrap registers them first. */
function newWorker(entry: URL): Worker {
  // The parent's node flags (e.g. --input-type, --test) may not apply to a worker; it needs none.
  if (!entry.pathname.endsWith(".ts")) return new Worker(entry, { execArgv: [] });
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const boot = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}

export class ParsePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private grammar: Grammar | undefined;
  /** how many workers had to be replaced */
  replaced = 0;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /** Parse in a worker and build the AST here. */
  async parse(source: string, opts: { crashForTest?: boolean; trapForTest?: boolean } = {}): Promise<ParseResult> {
    const tape = await this.parseTape(source, opts);
    return tapeToAst(tape, this.grammar!, source);
  }

  /** Parse in a worker; the tape comes back (its buffer transferred), for the caller to build the AST from. */
  parseTape(source: string, opts: { crashForTest?: boolean; trapForTest?: boolean } = {}): Promise<Tape> {
    if (this.closed) return Promise.reject(new Error("parse pool is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, source, crash: !!opts.crashForTest, trap: !!opts.trapForTest, resolve, reject });
      this.pump();
    });
  }

  /** The grammar the workers parse with, once one is ready (always before its first tape comes back). */
  get readyGrammar(): Grammar | undefined {
    return this.grammar;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new Error("parse pool closed"));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = newWorker(workerEntry());
    const slot: Slot = { worker, ready: false, busy: [] };
    worker.on("message", (msg: ParseResponse | ReadyMessage) => {
      if ("ready" in msg) {
        this.grammar ??= msg.grammar;
        slot.ready = true;
        this.pump();
        return;
      }
      const job = slot.busy.shift();
      if (job && job.id === msg.id) {
        if (msg.ok) job.resolve(msg.tape);
        else job.reject(new Error(msg.error));
      }
      // A trapped worker exits next: its other posted jobs go back to the queue now.
      if (!msg.ok && msg.fatal) die("wasm trap", false);
      this.pump();
    });
    /** `headFailed`: the oldest posted job was being parsed when the worker went
     *  (it fails); otherwise every posted job is requeued. */
    const die = (why: string, headFailed = true) => {
      const i = this.slots.indexOf(slot);
      if (i === -1) return; // already replaced
      const job = headFailed ? slot.busy[0] : undefined;
      const rest = headFailed ? slot.busy.slice(1) : slot.busy;
      slot.busy = [];
      if (this.closed) return;
      this.slots.splice(i, 1);
      void worker.terminate();
      if (!slot.ready) {
        // It died before it could parse anything: the entry itself is broken.
        // Replacing it would loop; give up on workers once none is left.
        this.queue.unshift(...(job ? [job] : []), ...rest);
        if (!this.slots.length) {
          for (const j of this.queue.splice(0)) j.reject(new PoolUnavailableError(`parse workers could not start (${why})`));
        }
        return;
      }
      // Only the oldest job was being parsed; the others go back to the queue.
      this.queue.unshift(...rest);
      job?.reject(new Error(`parse worker died (${why})`));
      this.replaced++;
      this.slots.push(this.spawn());
      this.pump();
    };
    worker.on("error", (e) => die(e?.message ?? String(e)));
    worker.on("exit", (code) => die(`exit code ${code}`));
    return slot;
  }

  private pump(): void {
    for (let round = 0; round < IN_FLIGHT; round++) {
      for (const slot of this.slots) {
        if (!this.queue.length) return;
        if (!slot.ready || slot.busy.length > round) continue;
        const job = this.queue.shift()!;
        slot.busy.push(job);
        const req: ParseRequest = {
          id: job.id, source: job.source, ...(job.crash ? { crashForTest: true } : {}), ...(job.trap ? { trapForTest: true } : {}),
        };
        slot.worker.postMessage(req);
      }
    }
  }
}
