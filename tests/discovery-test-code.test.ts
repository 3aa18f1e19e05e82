// Test code and migrations are left out of the analysis by default (one note says
// how many), and --include-tests / includeTests brings them back.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { isTestCode } from "../src/discovery/classify.js";
import { loadProject } from "../src/discovery/load.js";
import { defaultOptions } from "../src/options.js";
import { scan } from "../src/scan.js";

const FILES: Record<string, string> = {
  "shop/__init__.py": "",
  "shop/views.py": "from django.http import HttpResponse\n\ndef index(request):\n    return HttpResponse('ok')\n",
  // Django's startapp test module, with what would be a finding in production code
  "shop/tests.py":
    "from django.http import HttpResponse\nfrom django.utils.safestring import mark_safe\n\n" +
    "def fake_view(request):\n    return HttpResponse(mark_safe(request.GET['x']))\n",
  "shop/tests/__init__.py": "",
  "shop/tests/test_api.py": "def test_ok(client):\n    assert client.get('/').status_code == 200\n",
  "shop/tests/test_views.py":
    "from django.http import HttpResponse\nfrom django.utils.safestring import mark_safe\n\n" +
    "def echo(request):\n    return HttpResponse(mark_safe(request.GET['q']))\n",
  "shop/migrations/__init__.py": "",
  "shop/migrations/0001_initial.py": "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = []\n",
  "conftest.py": "import pytest\n",
  "shop/templates/shop/index.html": "<p>{{ title }}</p>\n",
};

let root = "";
before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "dg-testcode-"));
  for (const [rel, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe("test code and migrations", () => {
  it("are known by their paths, test helper packages and pytest plugins included", () => {
    for (const p of ["shop/tests.py", "shop/tests/test_api.py", "shop/test_views.py", "shop/views_test.py", "conftest.py", "shop/migrations/0001_initial.py",
      "src/baserow/test_utils/fixtures/user.py", "src/baserow/test_utils/pytest_conftest.py", "app/integration_tests/api.py", "app/testing/factories.py",
      "nautobot/extras/test_jobs/pass.py", "playwright_tests/pages/home.py"]) {
      assert.ok(isTestCode(p), p);
    }
    for (const p of ["shop/views.py", "shop/testimonials/views.py", "shop/latest/views.py", "shop/contest.py", "attestation/models.py", "shop/pytestish.py",
      "dojo/test_type/views.py", "qa/test_run/models.py", "shop/ab_test/views.py"]) {
      assert.ok(!isTestCode(p), p);
    }
  });

  it("are not parsed by default, with one note naming how many and the flag", async () => {
    const project = await loadProject({ ...defaultOptions(root), workers: 0 });
    assert.deepEqual(project.python.map((f) => f.path).sort(), ["shop/__init__.py", "shop/views.py"]);
    assert.ok(project.byPath.has("shop/templates/shop/index.html"), "non-Python files in the app stay");
    const skipped = project.notes.filter((n) => n.kind === "skipped");
    assert.equal(skipped.length, 1);
    assert.match(skipped[0]!.message, /^7 test and migration Python files were not analysed .*--include-tests/);
  });

  it("are parsed and analysed with includeTests", async () => {
    const project = await loadProject({ ...defaultOptions(root), workers: 0, includeTests: true });
    assert.equal(project.python.length, 9);
    assert.equal(project.notes.filter((n) => n.kind === "skipped").length, 0);
    const withTests = await scan(root, { includeTests: true });
    // analysed like the rest of the code: its sinks are reported
    assert.ok(withTests.findings.some((f) => f.location.path === "shop/tests.py" && f.ruleId === "DJANGO-XSS-001"), "the mark_safe in tests.py is analysed");
    assert.ok(withTests.findings.some((f) => f.location.path === "shop/tests/test_views.py" && f.ruleId === "DJANGO-XSS-001"), "and the one in tests/");
    const byDefault = await scan(root, {});
    assert.equal(byDefault.findings.length, 0);
  });

  it("the CLI flag turns it on", () => {
    const bin = fileURLToPath(new URL("../bin/djangoguard.js", import.meta.url));
    const run = (...extra: string[]) =>
      spawnSync(process.execPath, [bin, "scan", root, "--format", "json", "--no-progress", "--fail-on", "none", ...extra], { encoding: "utf8" });
    const plain = JSON.parse(run().stdout) as { notes: { kind: string }[]; findings: unknown[] };
    const all = JSON.parse(run("--include-tests").stdout) as { notes: { kind: string }[]; findings: { location: { path: string } }[] };
    assert.equal(plain.notes.filter((n) => n.kind === "skipped").length, 1);
    assert.equal(all.notes.filter((n) => n.kind === "skipped").length, 0);
    assert.ok(all.findings.some((f) => f.location.path === "shop/tests.py"));
  });
});
