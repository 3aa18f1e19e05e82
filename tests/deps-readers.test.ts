// PEP 508/440 helpers, Poetry constraint conversion and the end-of-support clock.
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { currentLts, djangoSeries, isPastSupport } from "../src/deps/django-releases.js";
import { dependenciesAnalysis } from "../src/deps/packages.js";
import { lowerBound, parseRequirement, pinnedVersion, poetryToPep440, pythonTwoOnly } from "../src/deps/pep508.js";
import { supplyFindings } from "../src/deps/supply.js";
import { loadProject } from "../src/discovery/load.js";
import { defaultOptions } from "../src/options.js";

describe("requirement strings", () => {
  it("parses names, extras, specifiers, markers and URLs", () => {
    assert.deepEqual(parseRequirement('Django_Rest.Framework[extra1, b] >= 3.14 , <4 ; python_version >= "3.8"'), { name: "django-rest-framework", extras: ["extra1", "b"], specifier: ">=3.14,<4", url: null, marker: 'python_version >= "3.8"' });
    assert.equal(parseRequirement("pkg @ https://x.example/pkg-1.0.tar.gz ; os_name == 'nt'")?.url, "https://x.example/pkg-1.0.tar.gz");
    assert.equal(parseRequirement("Django==not a version"), null);
    assert.equal(pinnedVersion("==3.2.0"), "3.2.0");
    assert.equal(pinnedVersion("==3.2.*"), null);
    assert.equal(pinnedVersion(">=3.2,<4"), null);
    assert.equal(lowerBound(">=4.2,<5"), "4.2");
  });
  it("converts Poetry constraints to PEP 440", () => {
    assert.equal(poetryToPep440("^4.2.1"), ">=4.2.1,<5");
    assert.equal(poetryToPep440("^0.3"), ">=0.3,<0.4");
    assert.equal(poetryToPep440("~4.2"), ">=4.2,<4.3");
    assert.equal(poetryToPep440("4.2.*"), "==4.2.*");
    assert.equal(poetryToPep440("*"), "");
    assert.equal(poetryToPep440("1.2 || 1.4"), null);
  });
});

describe("environment markers", () => {
  it("recognises Python-2-only requirements", () => {
    assert.equal(pythonTwoOnly('python_version < "3"'), true);
    assert.equal(pythonTwoOnly('python_version == "2.7"'), true);
    assert.equal(pythonTwoOnly('python_version >= "3.8"'), false);
    assert.equal(pythonTwoOnly('python_version < "3" or sys_platform == "win32"'), false);
    assert.equal(pythonTwoOnly('sys_platform == "linux"'), false);
    assert.equal(pythonTwoOnly(undefined), false);
  });
});

describe("Django support schedule with an injected clock", () => {
  it("knows when a series ends", () => {
    const s = djangoSeries("4.2")!;
    assert.equal(isPastSupport(s, new Date("2026-04-30T12:00:00Z")), false);
    assert.equal(isPastSupport(s, new Date("2026-05-01T00:00:00Z")), true);
    assert.equal(currentLts(new Date("2024-01-01T00:00:00Z"))?.series, "4.2");
    assert.equal(currentLts(new Date("2026-11-21T00:00:00Z"))?.series, "5.2");
  });
  it("reports a pinned series only once it is past support", async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), "dg-deps-"));
    try {
      await fs.writeFile(path.join(root, "requirements.txt"), "Django==4.2.8\n");
      const p = await loadProject(defaultOptions(root));
      assert.equal(p.use(dependenciesAnalysis).django?.version, "4.2.8");
      assert.deepEqual(supplyFindings(p, null, new Date("2025-06-01T00:00:00Z")).map((f) => f.kind), []);
      const later = supplyFindings(p, null, new Date("2026-06-01T00:00:00Z"));
      assert.deepEqual(later.map((f) => f.kind), ["end-of-support"]);
      assert.match(later[0]!.message, /4\.2 series \(LTS\).*2026-04/);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
