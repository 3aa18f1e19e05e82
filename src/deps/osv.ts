// Getting OSV records: the PyPI export (a zip of JSON records) over HTTP, a
// directory of OSV files (JSON or the PyPA advisory database's YAML), and the OSV
// API (POST /v1/querybatch, then GET /v1/vulns/{id}) with batching, a cache and
// timeouts.
import { promises as fs } from "node:fs";
import path from "node:path";
import { unzipSync } from "fflate";
import { parse as parseYaml } from "yaml";
import { AdvisoryIndex } from "./advisories.js";

export const OSV_PYPI_EXPORT = "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip";
const OSV_API = "https://api.osv.dev";

export type Progress = (message: string) => void;

type OsvRecord = Record<string, unknown>;
type BatchResult = { vulns?: { id: string }[]; next_page_token?: string };

/** Download a URL into memory with byte progress and an overall timeout. */
export async function download(url: string, opts: { timeoutMs?: number; onProgress?: Progress } = {}): Promise<Uint8Array> {
  const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 300_000) });
  if (!res.ok || !res.body) throw new Error(`GET ${url} answered ${res.status} ${res.statusText}`);
  const total = Number(res.headers.get("content-length") ?? 0);
  const chunks: Uint8Array[] = [];
  let got = 0;
  let lastReport = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    got += chunk.length;
    if (opts.onProgress && (got - lastReport > 4 * 1024 * 1024 || got === total)) {
      lastReport = got;
      opts.onProgress(total ? `downloaded ${mb(got)} of ${mb(total)}` : `downloaded ${mb(got)}`);
    }
  }
  const buf = new Uint8Array(got);
  let off = 0;
  for (const c of chunks) {
    buf.set(c, off);
    off += c.length;
  }
  opts.onProgress?.(`downloaded ${mb(got)}`);
  return buf;
}

function mb(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** OSV records from a zip of `.json` (the OSV export) or `.yaml` files (the PyPA database layout). */
export function recordsFromZip(zip: Uint8Array, onProgress?: Progress): OsvRecord[] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, { filter: (f) => /\.(json|ya?ml)$/i.test(f.name) });
  } catch (e) {
    throw new Error(`the download is not a readable zip archive: ${(e as Error).message}`);
  }
  const out: OsvRecord[] = [];
  const names = Object.keys(files);
  const dec = new TextDecoder();
  names.forEach((name, i) => {
    const rec = parseRecord(name, dec.decode(files[name]!));
    if (rec) out.push(rec);
    if (onProgress && (i + 1) % 5000 === 0) onProgress(`read ${i + 1} of ${names.length} records`);
  });
  onProgress?.(`read ${out.length} records`);
  return out;
}

function parseRecord(name: string, text: string): OsvRecord | null {
  try {
    const v = /\.json$/i.test(name) ? JSON.parse(text) : parseYaml(text);
    return v && typeof v === "object" && typeof (v as OsvRecord).id === "string" ? (v as OsvRecord) : null;
  } catch {
    return null;
  }
}

/** OSV records from a directory tree (e.g. a checkout of the PyPA advisory database). */
export async function recordsFromDirectory(dir: string, onProgress?: Progress): Promise<OsvRecord[]> {
  const out: OsvRecord[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && /\.(json|ya?ml)$/i.test(e.name)) {
        const rec = parseRecord(e.name, await fs.readFile(p, "utf8"));
        if (rec) out.push(rec);
      }
    }
  };
  await walk(dir);
  onProgress?.(`read ${out.length} records from ${dir}`);
  return out;
}

export interface OsvClientOptions {
  /** API base URL, default https://api.osv.dev */
  baseUrl?: string;
  timeoutMs?: number;
  /** queries per querybatch request */
  batchSize?: number;
  /** directory for cached vulnerability records (by id) */
  cacheDir?: string;
  /** cached records older than this are fetched again (default one day) */
  cacheMaxAgeMs?: number;
}

/** A small OSV API client: querybatch for ids, then each record by id (cached). */
export class OsvClient {
  private readonly base: string;
  private readonly memo = new Map<string, OsvRecord>();
  requests = 0;

  constructor(private readonly opts: OsvClientOptions = {}) {
    this.base = (opts.baseUrl ?? OSV_API).replace(/\/+$/, "");
  }

  private async request(url: string, init?: RequestInit): Promise<unknown> {
    this.requests++;
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000) });
    if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${url} answered ${res.status}`);
    return res.json();
  }

  /** Advisory ids for each (name, version), in the order asked. */
  async queryBatch(pkgs: { name: string; version: string }[]): Promise<string[][]> {
    const size = this.opts.batchSize ?? 500;
    const out: string[][] = [];
    for (let i = 0; i < pkgs.length; i += size) {
      const batch = pkgs.slice(i, i + size);
      const body = { queries: batch.map((p) => ({ package: { name: p.name, ecosystem: "PyPI" }, version: p.version })) };
      const r = (await this.post(body)) as { results?: BatchResult[] };
      const results = r.results ?? [];
      for (let k = 0; k < batch.length; k++) {
        const ids = (results[k]?.vulns ?? []).map((v) => v.id);
        // a package with very many advisories is paged: ask for the rest of that one query
        let token = results[k]?.next_page_token;
        for (let page = 0; token && page < 20; page++) {
          const more = (await this.post({ queries: [{ ...body.queries[k]!, page_token: token }] })) as { results?: BatchResult[] };
          ids.push(...(more.results?.[0]?.vulns ?? []).map((v) => v.id));
          token = more.results?.[0]?.next_page_token;
        }
        out.push(ids);
      }
    }
    return out;
  }

  private post(body: unknown): Promise<unknown> {
    return this.request(`${this.base}/v1/querybatch`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  }

  async vuln(id: string): Promise<OsvRecord> {
    const hit = this.memo.get(id);
    if (hit) return hit;
    const file = this.opts.cacheDir ? path.join(this.opts.cacheDir, `${id.replace(/[^\w.-]/g, "_")}.json`) : null;
    const fresh = file ? await fs.stat(file).then((st) => Date.now() - st.mtimeMs < (this.opts.cacheMaxAgeMs ?? 86_400_000)).catch(() => false) : false;
    if (file && fresh) {
      const cached = await fs.readFile(file, "utf8").then((t) => JSON.parse(t) as OsvRecord).catch(() => null);
      if (cached) {
        this.memo.set(id, cached);
        return cached;
      }
    }
    const rec = (await this.request(`${this.base}/v1/vulns/${encodeURIComponent(id)}`)) as OsvRecord;
    this.memo.set(id, rec);
    if (file) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(`${file}.tmp`, JSON.stringify(rec));
      await fs.rename(`${file}.tmp`, file);
    }
    return rec;
  }

  /** An index holding every advisory the API reports for these versions. */
  async index(pkgs: { name: string; version: string }[]): Promise<AdvisoryIndex> {
    const ids = [...new Set((await this.queryBatch(pkgs)).flat())];
    const records: OsvRecord[] = [];
    // a few at a time: polite to the API, bounded by the timeout per request
    for (let i = 0; i < ids.length; i += 8) records.push(...(await Promise.all(ids.slice(i, i + 8).map((id) => this.vuln(id)))));
    return AdvisoryIndex.fromRecords(records);
  }
}
