// Django as referee: every project under tests/parity/ is checked by the real
// `check --deploy` of Debian's Django (/usr/bin/python3) under the production
// environment in its parity.json, and Django's security.* IDs must equal the
// djangoCheckIds djangoguard reports for it, project by project. Nothing is
// recorded: Django runs here, every time.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { scan } from "../src/scan.js";
import { DJANGO_PYTHON, requireExternal } from "./support/external.js";

const PARITY = path.join(import.meta.dirname, "parity");
const dirs = (await fs.readdir(PARITY, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();

interface ParitySpec {
  description: string;
  /** the settings module Django is given with --settings; null: manage.py decides, as in production */
  settings: string | null;
  env: Record<string, string>;
  run: "settings" | "manage.py";
  /** Django itself fails on these settings; we must report the problem instead */
  djangoCrashes?: boolean;
}

/**
 * Differences between Django 3.2 (the referee) and newer Django that our
 * version awareness cannot express, by project and check ID. Empty today:
 * newer-only checks (security.E024 for COOP from 4.0, security.W025 for
 * SECRET_KEY_FALLBACKS from 4.1) are simply not emitted when the project runs
 * Django 3.2, which the scan is told with djangoVersion. See README ("Django
 * parity").
 */
const STANDINS = path.join(import.meta.dirname, "support", "python-standins");

const KNOWN_DIFFERENCES: Record<string, { id: string; reason: string }[]> = {};

function runDjango(dir: string, spec: ParitySpec): { ids: Set<string>; crashed: boolean; output: string } {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    // The project first, then tiny stand-ins for django-environ, decouple and
    // environs (Debian has none of them); the scan itself never needs them.
    PYTHONPATH: `${dir}:${STANDINS}`,
    PYTHONDONTWRITEBYTECODE: "1",
    LANG: "C.UTF-8",
    ...spec.env,
  };
  const args = spec.run === "manage.py"
    ? ["manage.py", "check", "--deploy"]
    : ["-m", "django", "check", "--deploy", `--settings=${spec.settings}`];
  const r = spawnSync(DJANGO_PYTHON, args, { cwd: dir, env, encoding: "utf8", timeout: 60_000 });
  const output = `${r.stdout ?? ""}\n${r.stderr ?? ""}`;
  const ids = new Set([...output.matchAll(/\((security\.[WE]\d{3})\)/g)].map((m) => m[1]!));
  const crashed = r.status !== 0 && !/System check identified/.test(output);
  return { ids, crashed, output };
}

describe("Django check --deploy parity (Django 3.2 as referee)", () => {
  it("has at least 30 parity projects", () => {
    assert.ok(dirs.length >= 30, `only ${dirs.length} parity projects`);
  });

  for (const name of dirs) {
    it(name, async (t) => {
      if (!requireExternal(t, "django")) return;
      const dir = path.join(PARITY, name);
      const spec = JSON.parse(await fs.readFile(path.join(dir, "parity.json"), "utf8")) as ParitySpec;
      const django = runDjango(dir, spec);
      const env = { ...spec.env, ...(spec.settings ? { DJANGO_SETTINGS_MODULE: spec.settings } : {}) };
      const result = await scan(dir, { env, djangoVersion: "3.2", failOn: "none" });
      if (spec.djangoCrashes) {
        assert.ok(django.crashed, `${name}: Django was expected to fail on these settings but ran:\n${django.output}`);
        const reported = result.findings.find((f) => f.ruleId === "DJANGO-CONFIG-001" && /empty/i.test(f.message));
        assert.ok(reported, `${name}: Django fails here, so djangoguard must report the problem; got ${result.findings.map((f) => `${f.ruleId} ${f.message}`).join("\n")}`);
        return;
      }
      assert.ok(!django.crashed, `${name}: Django failed to run check --deploy:\n${django.output}`);
      const ours = new Set(result.findings.flatMap((f) => (f.djangoCheckId?.startsWith("security.") ? [f.djangoCheckId] : [])));
      for (const d of KNOWN_DIFFERENCES[name] ?? []) { django.ids.delete(d.id); ours.delete(d.id); }
      const sort = (s: Set<string>) => [...s].sort();
      assert.deepEqual(sort(ours), sort(django.ids), `${name} (${spec.description}); settings ${result.settings.module} (${result.settings.reason})\nDjango said:\n${django.output}`);
    });
  }
});
