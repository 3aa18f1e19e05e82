// The advisory pipeline against the real PyPA advisory database (../shared/data):
// the downloader fetches a zip of it from a loopback server, the offline builder
// reads the directory, a fake OSV API answers querybatch from it; Django 3.2.0's
// answer is compared with an independent reference evaluation of the data.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { compare } from "@renovatebot/pep440";
import { strToU8, zipSync } from "fflate";
import { parse as parseYaml } from "yaml";
import { AdvisoryIndex, loadDatabaseSync, writeDatabase } from "../src/deps/advisories.js";
import { download, OsvClient, recordsFromDirectory, recordsFromZip } from "../src/deps/osv.js";
import { auditDependencies } from "../src/deps/run.js";

const DATA = path.resolve(import.meta.dirname, "../../shared/data/pypa-advisory-database");
const haveData = existsSync(path.join(DATA, "vulns"));

type Rec = { id: string; affected?: { package: { name: string; ecosystem: string }; ranges?: { type: string; events: Record<string, string>[] }[]; versions?: string[] }[] };

/** Reference evaluation, written independently of src/: consecutive introduced/fixed pairs, plus the explicit list. */
function referenceAffects(rec: Rec, pkg: string, version: string): boolean {
  for (const a of rec.affected ?? []) {
    if (a.package.ecosystem !== "PyPI" || a.package.name.toLowerCase() !== pkg) continue;
    if ((a.versions ?? []).some((v) => compare(v, version) === 0)) return true;
    for (const r of a.ranges ?? []) {
      if (r.type !== "ECOSYSTEM") continue;
      let lo: string | null = null;
      for (const e of r.events) {
        if (e.introduced !== undefined) lo = e.introduced;
        else if (e.fixed !== undefined && lo !== null) {
          if ((lo === "0" || compare(lo, version) <= 0) && compare(version, e.fixed) < 0) return true;
          lo = null;
        } else if (e.last_affected !== undefined && lo !== null) {
          if ((lo === "0" || compare(lo, version) <= 0) && compare(version, e.last_affected) <= 0) return true;
          lo = null;
        }
      }
      if (lo !== null && (lo === "0" || compare(lo, version) <= 0)) return true;
    }
  }
  return false;
}

let records: Rec[] = [];
let server: http.Server;
let base = "";
let zip: Uint8Array;
const tmp = path.join(os.tmpdir(), `dg-adv-${process.pid}`);
let apiCalls: { url: string; body: string }[] = [];

// The shared data ships with the project: missing under CI is a broken checkout, not a skip.
if (!haveData && process.env.CI === "true") throw new Error(`PyPA data missing at ${DATA} (CI=true)`);

describe("advisory data (PyPA advisory database served from loopback)", { skip: haveData ? false : `PyPA data missing at ${DATA}` }, () => {
  before(async () => {
    const files: Record<string, Uint8Array> = {};
    for (const d of await fs.readdir(path.join(DATA, "vulns"), { withFileTypes: true })) {
      if (!d.isDirectory()) continue;
      const pkg = d.name;
      for (const f of await fs.readdir(path.join(DATA, "vulns", pkg))) {
        if (!f.endsWith(".yaml")) continue;
        const rec = parseYaml(await fs.readFile(path.join(DATA, "vulns", pkg, f), "utf8")) as Rec;
        records.push(rec);
        // the real export holds one JSON file per record
        files[`${rec.id}.json`] = strToU8(JSON.stringify(rec));
      }
    }
    zip = zipSync(files, { level: 1 });
    const byId = new Map(records.map((r) => [r.id, r]));
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        apiCalls.push({ url: req.url ?? "", body });
        if (req.url === "/PyPI/all.zip") {
          res.writeHead(200, { "content-type": "application/zip", "content-length": String(zip.length) });
          res.end(Buffer.from(zip));
        } else if (req.url === "/slow/v1/querybatch") {
          setTimeout(() => res.end("{}"), 3000).unref();
        } else if (req.url === "/v1/querybatch" && req.method === "POST") {
          const q = JSON.parse(body) as { queries: { package: { name: string }; version: string; page_token?: string }[] };
          // like the real API, long result lists come in pages (here: 10 per page)
          const results = q.queries.map((x) => {
            const all = records.filter((r) => referenceAffects(r, x.package.name.toLowerCase(), x.version)).map((r) => ({ id: r.id, modified: "2024-01-01T00:00:00Z" }));
            const start = Number(x.page_token ?? 0);
            const next = start + 10 < all.length ? String(start + 10) : undefined;
            return { vulns: all.slice(start, start + 10), ...(next ? { next_page_token: next } : {}) };
          });
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ results }));
        } else if (req.url?.startsWith("/v1/vulns/")) {
          const rec = byId.get(decodeURIComponent(req.url.slice("/v1/vulns/".length)));
          res.writeHead(rec ? 200 : 404, { "content-type": "application/json" });
          res.end(JSON.stringify(rec ?? { code: 5, message: "Bug not found." }));
        } else {
          res.writeHead(404);
          res.end();
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await fs.mkdir(tmp, { recursive: true });
  });
  after(async () => {
    server?.close();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  const expectedFor = (pkg: string, version: string) => records.filter((r) => referenceAffects(r, pkg, version)).map((r) => r.id).sort();

  it("the downloader builds a database from the zip export whose answer for Django 3.2.0 matches the data", async () => {
    const progress: string[] = [];
    const bytes = await download(`${base}/PyPI/all.zip`, { onProgress: (m) => progress.push(m) });
    const recs = recordsFromZip(bytes, (m) => progress.push(m));
    assert.equal(recs.length, records.length);
    assert.ok(progress.some((m) => /downloaded/.test(m)), "progress is reported");
    const file = path.join(tmp, "db.json");
    await fs.writeFile(file, "old contents");
    await writeDatabase(file, recs, `${base}/PyPI/all.zip`);
    assert.deepEqual((await fs.readdir(tmp)).filter((f) => f.endsWith(".tmp")), [], "no temp file left behind");
    const { db } = loadDatabaseSync(file);
    assert.ok(db, "the swapped-in database loads");
    const got = AdvisoryIndex.fromDatabase(db!).affecting("Django", "3.2.0").map((a) => a.id).sort();
    const want = expectedFor("django", "3.2.0");
    assert.ok(want.length > 10, `the data lists advisories for 3.2.0 (${want.length})`);
    assert.deepEqual(got, want);
  });

  it("the offline builder reads the advisory directory and agrees on other versions too", async () => {
    const recs = await recordsFromDirectory(DATA);
    const index = AdvisoryIndex.fromRecords(recs);
    for (const v of ["1.11.29", "2.2.28", "3.2.25", "4.2.1", "5.0.1"]) assert.deepEqual(index.affecting("django", v).map((a) => a.id).sort(), expectedFor("django", v), `django ${v}`);
    // the smallest upgrade that fixes all is itself unaffected and above the version
    const up = index.smallestSafeUpgrade("django", "3.2.0");
    assert.ok(up && compare(up, "3.2.0") > 0);
    assert.deepEqual(index.affecting("django", up!), []);
  });

  it("the OSV API client batches, fetches each record once (cached) and matches the data", async () => {
    apiCalls = [];
    const cacheDir = path.join(tmp, "cache");
    const client = new OsvClient({ baseUrl: base, batchSize: 1, cacheDir });
    const index = await client.index([{ name: "django", version: "3.2.0" }, { name: "urllib3", version: "1.26.0" }]);
    const expectedPages = (n: number) => Math.max(1, Math.ceil(n / 10));
    assert.equal(
      apiCalls.filter((c) => c.url === "/v1/querybatch").length,
      expectedPages(expectedFor("django", "3.2.0").length) + expectedPages(expectedFor("urllib3", "1.26.0").length),
      "one querybatch request per batch of 1, plus one per further page",
    );
    assert.deepEqual(index.affecting("django", "3.2.0").map((a) => a.id).sort(), expectedFor("django", "3.2.0"));
    assert.deepEqual(index.affecting("urllib3", "1.26.0").map((a) => a.id).sort(), expectedFor("urllib3", "1.26.0"));
    // a second client with the same cache directory fetches no records again
    apiCalls = [];
    await new OsvClient({ baseUrl: base, cacheDir }).index([{ name: "django", version: "3.2.0" }]);
    assert.equal(apiCalls.filter((c) => c.url.startsWith("/v1/vulns/")).length, 0);
  });

  it("the API client gives up after its timeout", async () => {
    const started = Date.now();
    await assert.rejects(new OsvClient({ baseUrl: `${base}/slow`, timeoutMs: 300 }).queryBatch([{ name: "django", version: "3.2.0" }]));
    assert.ok(Date.now() - started < 2500);
  });

  it("`db update` downloads with progress and swaps the database atomically; `deps --db` reads it", async () => {
    const cli = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const p = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "../src/cli/main.ts"), ...args], { env: { ...process.env, NO_COLOR: "1" } });
        let stdout = "";
        let stderr = "";
        p.stdout.on("data", (c) => (stdout += c));
        p.stderr.on("data", (c) => (stderr += c));
        p.on("close", (code) => resolve({ code, stdout, stderr }));
      });
    const dbFile = path.join(tmp, "cli-db.json");
    const up = await cli(["db", "update", "--source", `${base}/PyPI/all.zip`, "--db", dbFile]);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stderr, /downloaded .* MB/);
    assert.match(up.stderr, /wrote .*cli-db\.json/);
    const before = await fs.readFile(dbFile, "utf8");
    // a failed download leaves the existing database untouched
    const bad = await cli(["db", "update", "--source", `${base}/missing.zip`, "--db", dbFile]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /404/);
    assert.equal(await fs.readFile(dbFile, "utf8"), before);

    const proj = path.join(tmp, "cli-proj");
    await fs.mkdir(proj, { recursive: true });
    await fs.writeFile(path.join(proj, "requirements.txt"), "Django==3.2.0\n");
    const deps = await cli(["deps", proj, "--db", dbFile, "--format", "json"]);
    assert.equal(deps.code, 1, "high findings exit 1");
    const out = JSON.parse(deps.stdout) as { findings: { kind: string; advisories?: { id: string }[] }[] };
    assert.deepEqual(out.findings.find((f) => f.kind === "advisory")?.advisories?.map((a) => a.id).sort(), expectedFor("django", "3.2.0"));
  });

  it("deps reports the advisories offline, online, and says so with neither", async () => {
    const proj = path.join(tmp, "proj");
    await fs.mkdir(proj, { recursive: true });
    await fs.writeFile(path.join(proj, "requirements.txt"), "Django==3.2.0\n");
    await fs.writeFile(path.join(proj, "manage.py"), "import sys\n");
    const dbFile = path.join(tmp, "dir-db.json");
    await writeDatabase(dbFile, await recordsFromDirectory(DATA), DATA);
    const today = new Date("2026-11-21T00:00:00Z");

    const offline = await auditDependencies(proj, { db: dbFile, today });
    const adv = offline.findings.find((f) => f.kind === "advisory");
    assert.deepEqual(adv?.advisories?.map((a) => a.id).sort(), expectedFor("django", "3.2.0"));
    assert.ok(offline.findings.some((f) => f.kind === "end-of-support"));

    const online = await auditDependencies(proj, { online: true, apiUrl: base, today });
    assert.equal(online.advisorySource.kind, "online");
    assert.deepEqual(online.findings.find((f) => f.kind === "advisory")?.advisories?.map((a) => a.id).sort(), expectedFor("django", "3.2.0"));

    const none = await auditDependencies(proj, { db: path.join(tmp, "missing.json"), today });
    assert.equal(none.advisorySource.kind, "none");
    assert.match(none.advisorySource.detail, /no advisory database.*db update/);
    assert.ok(none.findings.some((f) => f.kind === "end-of-support"), "end of support is still reported");
    assert.ok(!none.findings.some((f) => f.kind === "advisory"));

    const unreachable = await auditDependencies(proj, { online: true, apiUrl: "http://127.0.0.1:9", timeoutMs: 1000, today });
    assert.equal(unreachable.advisorySource.kind, "none");
    assert.match(unreachable.advisorySource.detail, /could not be reached/);
  });
});
