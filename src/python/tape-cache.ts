// A persistent cache of parse tapes (parse.ts), keyed by the hash of the source
// and the parser's versions: a file that has not changed since the last scan is
// not parsed again, only rebuilt from its tape (web-tree-sitter's parse and walk
// are most of loading). Entries are plain files written atomically (temp file +
// rename), checked on read (a bad or short entry is a miss), and pruned when not
// written for 30 days. Nothing here is ever required: any I/O error is a miss.
import { createHash } from "node:crypto";
import { promises as fs, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { cacheRoot } from "../cache-dir.js";
import type { Tape } from "./parse.js";

const require = createRequire(import.meta.url);
const MAGIC = 0x44475431; // "DGT1"
/** Bump when the tape layout or what the walk records changes. */
const TAPE_FORMAT = 1;
const HEADER_INTS = 3;
const PRUNE_AFTER_MS = 30 * 86_400_000;
const PRUNE_EVERY_MS = 86_400_000;

/** Where tapes go unless --cache-dir says otherwise (under it, in tapes/). */
export function defaultCacheDir(): string {
  return cacheRoot();
}

/** The parser's identity: tape format and the two packages' versions (read next to the files we load;
 *  web-tree-sitter does not export its package.json). */
function parserVersions(): string {
  const v = (file: string) => (JSON.parse(readFileSync(path.join(path.dirname(require.resolve(file)), "package.json"), "utf8")) as { version: string }).version;
  return `tape${TAPE_FORMAT}|web-tree-sitter@${v("web-tree-sitter")}|tree-sitter-python@${v("tree-sitter-python/tree-sitter-python.wasm")}`;
}

export class TapeCache {
  readonly dir: string;
  private readonly salt = parserVersions();
  private readonly writes: Promise<void>[] = [];
  private readonly dirs = new Map<string, Promise<unknown>>();
  hits = 0;
  misses = 0;

  constructor(root: string) {
    this.dir = path.join(root, "tapes");
  }

  key(source: string): string {
    return createHash("sha1").update(this.salt).update("\0").update(source).digest("hex");
  }

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key.slice(2)}.tape`);
  }

  async get(key: string): Promise<Tape | null> {
    let buf: Buffer;
    try {
      buf = await fs.readFile(this.file(key));
    } catch {
      this.misses++;
      return null;
    }
    const header = HEADER_INTS * 4;
    if (buf.length < header || buf.readInt32LE(0) !== MAGIC || buf.readInt32LE(4) !== TAPE_FORMAT) { this.misses++; return null; }
    const count = buf.readInt32LE(8);
    if (count < 1 || buf.length !== header + count * 16) { this.misses++; return null; }
    // a copy: readFile's buffer may not start on a 4-byte boundary
    const data = new Int32Array(buf.buffer.slice(buf.byteOffset + header, buf.byteOffset + buf.length));
    this.hits++;
    return { data, count };
  }

  /** Write in the background; flush() waits for every write. */
  put(key: string, tape: Tape): void {
    const file = this.file(key);
    const sub = path.dirname(file);
    let mk = this.dirs.get(sub);
    if (!mk) this.dirs.set(sub, (mk = fs.mkdir(sub, { recursive: true })));
    const header = Buffer.alloc(HEADER_INTS * 4);
    header.writeInt32LE(MAGIC, 0);
    header.writeInt32LE(TAPE_FORMAT, 4);
    header.writeInt32LE(tape.count, 8);
    const body = Buffer.from(tape.data.buffer, tape.data.byteOffset, tape.count * 16);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    this.writes.push(
      mk.then(() => fs.writeFile(tmp, Buffer.concat([header, body]))).then(() => fs.rename(tmp, file)).catch(() => fs.rm(tmp, { force: true }).catch(() => undefined)),
    );
  }

  async flush(): Promise<void> {
    await Promise.all(this.writes.splice(0));
    await this.pruneIfDue().catch(() => undefined);
  }

  /** At most once a day: remove entries not written for 30 days. */
  private async pruneIfDue(): Promise<void> {
    const marker = path.join(this.dir, ".pruned");
    const last = await fs.stat(marker).then((s) => s.mtimeMs, () => 0);
    if (Date.now() - last < PRUNE_EVERY_MS) return;
    await fs.mkdir(this.dir, { recursive: true });
    await fs.writeFile(marker, "");
    const cutoff = Date.now() - PRUNE_AFTER_MS;
    for (const sub of await fs.readdir(this.dir).catch(() => [] as string[])) {
      if (sub.length !== 2) continue;
      const d = path.join(this.dir, sub);
      for (const name of await fs.readdir(d).catch(() => [] as string[])) {
        const f = path.join(d, name);
        const st = await fs.stat(f).catch(() => null);
        if (st && st.mtimeMs < cutoff) await fs.rm(f, { force: true }).catch(() => undefined);
      }
    }
  }
}
