// Scripts and Makefile targets that deployment commands run: which commands they
// contribute, under which shell condition, and which are dev-only.
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { deploymentAnalysis, type DeployCommand } from "../src/deploy/model.js";
import { loadProject } from "../src/discovery/load.js";
import { defaultOptions } from "../src/options.js";

const roots: string[] = [];
async function commands(files: Record<string, string>): Promise<DeployCommand[]> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "dg-scripts-"));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), text);
  }
  const p = await loadProject({ ...defaultOptions(root), workers: 0 });
  return p.use(deploymentAnalysis).commands.filter((c) => c.source === "script");
}
after(async () => {
  for (const r of roots) await fs.rm(r, { recursive: true, force: true });
});

const line = (cs: DeployCommand[], first: string, file?: string) => cs.find((c) => c.argv.join(" ").startsWith(first) && (!file || c.path === file));

describe("entrypoint scripts", () => {
  it("follows a script run by a script, keeps if/elif/case conditions and drops development branches", async () => {
    const cs = await commands({
      Dockerfile: 'FROM python:3.12\nCOPY docker/ /docker/\nENTRYPOINT ["/docker/entrypoint.sh"]\nCMD ["web"]\n',
      "docker/entrypoint.sh": [
        "#!/bin/sh",
        "set -e",
        "wait_for_db() {",
        "  until pg_isready; do sleep 1; done",
        "}",
        'if [ "$1" = "web" ]; then',
        "  exec /docker/web.sh",
        'elif [ "$1" = "debug" ]; then',
        "  exec python manage.py runserver 0.0.0.0:8000",
        "fi",
        'exec "$@"',
      ].join("\n"),
      "docker/web.sh": [
        "#!/bin/bash",
        'case "$SERVER" in',
        "  dev|local) python manage.py runserver ;;",
        "  *)",
        "    exec gunicorn shop.wsgi:application \\",
        "      --bind 0.0.0.0:8000",
        "    ;;",
        "esac",
      ].join("\n"),
    });
    const web = line(cs, "/docker/web.sh")!;
    assert.equal(web.path, "docker/entrypoint.sh");
    assert.equal(web.span.line, 7);
    assert.equal(web.conditional, "[ $1 = web ]");
    assert.equal(web.dev, false);
    const debug = line(cs, "python manage.py runserver 0.0.0.0:8000")!;
    assert.equal(debug.dev, true, "the debug branch is development");
    const dev = line(cs, "python manage.py runserver", "docker/web.sh")!;
    assert.equal(dev.path, "docker/web.sh");
    assert.equal(dev.dev, true, "a dev|local case branch is development");
    const gunicorn = line(cs, "gunicorn")!;
    assert.deepEqual(gunicorn.argv, ["gunicorn", "shop.wsgi:application", "--bind", "0.0.0.0:8000"], "continuation lines joined, exec dropped");
    assert.equal(gunicorn.span.line, 5);
    assert.equal(gunicorn.conditional, "[ $1 = web ] and $SERVER is *", "the caller's condition carries into the script it runs");
    assert.equal(gunicorn.dev, false);
    assert.ok(!cs.some((c) => c.argv[0] === "wait_for_db()"), "a function definition line is not a command");
  });

  it("reads only scripts a deployment command names, by the longest matching path", async () => {
    const cs = await commands({
      Procfile: "web: bin/start.sh\n",
      "bin/start.sh": "exec gunicorn shop.wsgi\n",
      "docs/examples/bin/start.sh": "python manage.py runserver\n",
      "scripts/dev.sh": "python manage.py runserver\n",
    });
    assert.deepEqual(cs.map((c) => `${c.path} ${c.argv[0]}`), ["bin/start.sh gunicorn"]);
  });
});

describe("Makefile targets", () => {
  it("make -C dir target and a bare make (the first target) run their recipes; prerequisites are not followed", async () => {
    const cs = await commands({
      "docker-compose.yml": 'services:\n  web:\n    build: .\n    command: make -C deploy serve\n  worker:\n    build: .\n    command: ["make"]\n',
      "deploy/Makefile": ".PHONY: serve\nserve: migrate\n\t@echo starting\n\t-exec gunicorn shop.wsgi\nmigrate:\n\tpython manage.py migrate\n",
      Makefile: "# default target first\nall:\n\tcelery -A shop worker\ndev:\n\tpython manage.py runserver\n",
    });
    assert.deepEqual(cs.map((c) => `${c.path}:${c.span.line} ${c.argv.join(" ")}`).sort(), [
      "Makefile:3 celery -A shop worker",
      "deploy/Makefile:3 echo starting",
      "deploy/Makefile:4 gunicorn shop.wsgi",
    ]);
    assert.match(cs.find((c) => c.argv[0] === "gunicorn")!.where, /^deploy\/Makefile target serve \(run by /);
  });
});
