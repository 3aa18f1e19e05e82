// The pattern checks beside the engine (src/dataflow/patterns.ts): credentials in
// code never leave in any output field, and the ModelForm/serializer check names
// the privileged fields it found.
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { scan } from "../src/scan.js";

const FIX = path.join(import.meta.dirname, "fixtures");

describe("credentials in code (DJANGO-SECRET-002)", () => {
  it("never carries the literal in evidence, message or trace", async () => {
    const r = await scan(path.join(FIX, "flow-secret"), { failOn: "none", rules: ["DJANGO-SECRET-002"] });
    assert.ok(r.findings.length >= 7, `${r.findings.length} findings`);
    const out = JSON.stringify(r.findings);
    for (const literal of ["sk_live_4eC39HqLyjWDarjtT1zdp7dc", "q8Zt2LmN5vRw9XyB3cDf", "AKIAIOSFODNN7EXAMPL3", "Gw-2024-pr0d-p4ss", "M4il-s3rvice-pass", "live-9f8e7d6c5b4a3f2e"]) {
      assert.ok(!out.includes(literal), `leaked ${literal.slice(0, 4)}…`);
    }
    for (const f of r.findings) assert.match(f.evidence, /«redacted»/);
  });
  it("finds a literal known by its shape, and names like UPSTREAM_PWD, in files the word pre-check could skip", async () => {
    // No annotations here: an `# expect: DJANGO-SECRET-002` comment would itself contain a word the pre-check looks for.
    const root = await fs.mkdtemp(path.join(os.tmpdir(), "dg-cred-"));
    try {
      await fs.mkdir(path.join(root, "vendor"));
      await fs.writeFile(path.join(root, "vendor", "__init__.py"), "");
      await fs.writeFile(path.join(root, "vendor", "upstream.py"), 'UPSTREAM = "ghp_0123456789abcdefABCDEF0123456789abcd"\nPREFIX = "ghp_"\n');
      await fs.writeFile(path.join(root, "vendor", "mail.py"), 'UPSTREAM_PWD = "Zq8-upstream-2024"\nHOST = "smtp.example.com"\n');
      await fs.writeFile(path.join(root, "vendor", "plain.py"), 'HOST = "smtp.example.com"\nPORT = 587\n');
      // split over implicit concatenation: no whole shape in the text, only its start
      await fs.writeFile(path.join(root, "vendor", "split.py"), 'UPSTREAM = (\n    "ghp_0123456789abcdef"\n    "ABCDEF0123456789abcd"\n)\n');
      const r = await scan(root, { failOn: "none", rules: ["DJANGO-SECRET-002"], cacheDir: null });
      assert.deepEqual(r.findings.map((f) => `${f.location.path}:${f.location.startLine}`), ["vendor/mail.py:1", "vendor/split.py:1", "vendor/upstream.py:1"]);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});

describe("ModelForm / ModelSerializer field exposure (DJANGO-MASS-001)", () => {
  it("names the privileged fields a request could set", async () => {
    const r = await scan(path.join(FIX, "flow-mass"), { failOn: "none", rules: ["DJANGO-MASS-001"] });
    const meta = r.findings.filter((f) => /uses (fields = "__all__"|exclude)/.test(f.message));
    assert.equal(meta.length, 7);
    const member = meta.find((f) => f.message.startsWith("MemberForm"))!;
    assert.match(member.message, /`is_staff`/);
    assert.match(member.message, /`is_superuser`/);
    const invoice = meta.find((f) => f.message.startsWith("InvoiceForm"))!;
    assert.match(invoice.message, /`amount`/);
    assert.doesNotMatch(invoice.message, /`owner`/);
    // status and price are privileged on a member's own row, also with the owner inherited from a base
    assert.match(meta.find((f) => f.message.startsWith("SubscriptionSerializer"))!.message, /`status`, `price`/);
    assert.match(meta.find((f) => f.message.startsWith("TicketSerializer"))!.message, /`status`/);
    // ... and not on inventory nobody owns
    assert.equal(meta.find((f) => f.message.startsWith("CircuitSerializer")), undefined);
    // a form only the admin site uses is the admin's; one a view uses too is reported
    assert.equal(meta.find((f) => f.message.startsWith("InvoiceAdminForm")), undefined);
    assert.ok(meta.find((f) => f.message.startsWith("InvoiceSharedForm")));
    // a serializer is reported where request data may reach it: a writing viewset, data=, a nested writable field, a registry
    assert.deepEqual(meta.filter((f) => /Serializer \(/.test(f.message)).map((f) => f.message.split(" ")[0]).sort(), ["InvoiceNestedSerializer", "InvoiceSerializer", "SubscriptionSerializer", "TicketSerializer"]);
  });
});
