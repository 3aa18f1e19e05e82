// `djangoguard routes examples/insecure-shop` against the reviewed snapshot in
// tests/snapshots/insecure-shop-routes.txt, plus the JSON/markdown formats and
// the CLI wiring. Regenerate the snapshot with UPDATE_SNAPSHOTS=1 and review it by hand.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { routesOutput } from "../src/cli/routes.js";

const ROOT = path.join(import.meta.dirname, "..");
const SHOP = path.join(ROOT, "examples", "insecure-shop");
const SNAPSHOT = path.join(import.meta.dirname, "snapshots", "insecure-shop-routes.txt");

describe("routes command", () => {
  it("prints the insecure-shop route table exactly as reviewed", async () => {
    const actual = await routesOutput(SHOP, "table");
    if (process.env.UPDATE_SNAPSHOTS === "1") await fs.writeFile(SNAPSHOT, actual);
    assert.equal(actual, await fs.readFile(SNAPSHOT, "utf8"));
  });

  it("gives the same rows as JSON, with locations and state changes", async () => {
    const inv = JSON.parse(await routesOutput(SHOP, "json")) as { rows: { pattern: string; methods: string[] | null; auth: string; csrf: string; writes: string[]; location: string; defined: string | null }[] };
    const cancel = inv.rows.find((r) => r.pattern === "/orders/<int:pk>/cancel/")!;
    assert.equal(cancel.methods, null, "no method restriction");
    assert.equal(cancel.auth, "login_required");
    assert.deepEqual(cancel.writes, ["order.save()"]);
    assert.equal(cancel.location, "orders/urls.py:10");
    assert.equal(cancel.defined, "orders/views.py:32");
    const hook = inv.rows.find((r) => r.pattern === "/orders/webhooks/payment/")!;
    assert.match(hook.csrf, /^exempt/);
    const detail = inv.rows.find((r) => r.pattern === "/api/orders/<pk>/")!;
    assert.deepEqual(detail.methods, ["GET", "PUT", "PATCH", "DELETE"]);
    assert.equal(detail.auth, "DRF AllowAny");
  });

  it("renders markdown with one table row per route", async () => {
    const md = await routesOutput(SHOP, "markdown");
    const lines = md.trim().split("\n");
    assert.match(lines[0]!, /^\| METHODS \| PATTERN \| VIEW \|/);
    assert.equal(lines.length, 2 + 23);
    assert.ok(lines.some((l) => l.includes("`/orders/<int:pk>/cancel/`")));
  });

  it("is wired into the CLI", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "src", "cli", "main.ts"), "routes", SHOP, "--format", "json"], { encoding: "utf8", cwd: ROOT });
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { rows: unknown[] }).rows.length, 23);
    const bad = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "src", "cli", "main.ts"), "routes", SHOP, "--format", "xml"], { encoding: "utf8", cwd: ROOT });
    assert.equal(bad.status, 2);
  });
});
