// The one walk: nested .gitignore files, default excludes (incl. virtualenvs under
// any name), --exclude / --include globs.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Note } from "../src/findings.js";
import { walk } from "../src/discovery/walk.js";

let root: string;

function write(rel: string, data = "x = 1\n"): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, data);
}

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "dg-walk-"));
  write(".gitignore", "*.log\n/build/\nlocal_settings.py\n");
  write("manage.py");
  write("debug.log");
  write("build/out.py");
  write("shop/build/keep.py"); // "/build/" is anchored to the root
  write("shop/local_settings.py");
  write("shop/.gitignore", "generated/\n!important.log\n");
  write("shop/generated/models.py");
  write("shop/important.log");
  write("shop/views.py");
  write("shop/deep/.gitignore", "*.py\n!keep_me.py\n");
  write("shop/deep/drop.py");
  write("shop/deep/keep_me.py");
  // default excludes
  write(".git/config", "[core]\n");
  write("node_modules/x/index.js");
  write("shop/__pycache__/views.cpython-312.pyc");
  write(".venv/lib/python3.12/site-packages/django/__init__.py");
  write("envs/py312/pyvenv.cfg", "home = /usr/bin\n");
  write("envs/py312/lib/python3.12/site-packages/requests/api.py");
  write("miniconda/conda-meta/history", "");
  write("miniconda/lib/python3.12/os.py");
  write("staticfiles/admin/js/core.js");
  write("shop/static/shop/cart.js");
  write("vendor/lib/site-packages/six.py");
  write("tests/test_views.py");
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

async function files(opts: { exclude?: string[]; include?: string[] } = {}): Promise<string[]> {
  const notes: Note[] = [];
  const out = await walk(root, { exclude: opts.exclude ?? [], include: opts.include ?? [] }, notes);
  assert.deepEqual(notes, []);
  return out.map((f) => f.rel);
}

describe("discovery walk", () => {
  it("honours nested .gitignore files and the default excludes", async () => {
    assert.deepEqual(await files(), [
      ".gitignore",
      "manage.py",
      "shop/.gitignore",
      "shop/build/keep.py",
      "shop/deep/.gitignore",
      "shop/deep/keep_me.py",
      "shop/important.log",
      "shop/static/shop/cart.js",
      "shop/views.py",
      "tests/test_views.py",
    ]);
  });

  it("--exclude leaves out more (gitignore syntax)", async () => {
    const got = await files({ exclude: ["tests/", "*.js"] });
    assert.ok(!got.includes("tests/test_views.py"));
    assert.ok(!got.includes("shop/static/shop/cart.js"));
    assert.ok(got.includes("shop/views.py"));
  });

  it("--include brings back what the defaults and .gitignore leave out", async () => {
    const got = await files({ include: ["envs/py312/lib/python3.12/site-packages/requests/api.py", "build/out.py", "*.log"] });
    assert.ok(got.includes("envs/py312/lib/python3.12/site-packages/requests/api.py"), "virtualenv file included on request");
    assert.ok(got.includes("build/out.py"));
    assert.ok(got.includes("debug.log"));
    assert.ok(!got.includes(".venv/lib/python3.12/site-packages/django/__init__.py"));
  });

  it("stats only files that may be read: a .gitignore or a log is listed without a size", async () => {
    const out = await walk(root, { exclude: [], include: [] }, []);
    const size = (rel: string) => out.find((f) => f.rel === rel)!.size;
    assert.equal(size("manage.py"), "x = 1\n".length);
    assert.equal(size("shop/.gitignore"), null);
    assert.equal(size("shop/important.log"), null);
  });

  it("walking is deterministic (sorted POSIX paths)", async () => {
    const a = await files();
    assert.deepEqual(a, [...a].sort());
  });
});
