// Which settings module is judged as production (django/production.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadProject } from "../src/discovery/load.js";
import { defaultOptions } from "../src/options.js";
import { productionAnalysis } from "../src/django/production.js";
import { makeProject } from "./support/tree.js";

const SETTINGS = `INSTALLED_APPS = ["django.contrib.auth"]\nMIDDLEWARE = []\nROOT_URLCONF = "proj.urls"\n`;

async function chosen(wsgiDefault: string, modules: string[]): Promise<string | null> {
  const files: Record<string, string> = {
    "proj/__init__.py": "",
    "proj/settings/__init__.py": "",
    "proj/wsgi.py": `import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${wsgiDefault}")\napplication = get_wsgi_application()\n`,
  };
  for (const m of modules) files[`proj/settings/${m}.py`] = SETTINGS;
  const project = await loadProject({ ...defaultOptions(await makeProject(files)), workers: 0 });
  return project.use(productionAnalysis).module;
}

describe("the production settings module", () => {
  it("is a production module beside a wsgi.py whose default names development settings", async () => {
    assert.equal(await chosen("proj.settings.dev", ["dev", "prod"]), "proj.settings.prod");
  });

  it("is the wsgi.py default where no production module exists, or where the default is not named for development", async () => {
    assert.equal(await chosen("proj.settings.dev", ["dev", "common"]), "proj.settings.dev");
    assert.equal(await chosen("proj.settings.staging", ["staging", "prod"]), "proj.settings.staging");
  });
});
