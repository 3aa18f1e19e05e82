// The deployment checks' confidence and wording depend on evidence beyond the deployment file.
import assert from "node:assert/strict";
import os from "node:os";
import { describe, it } from "node:test";
import { debugInDeployment, exposedDataStores, runserverEntrypoints } from "../src/deploy/audit.js";
import { edgeAnalysis } from "../src/deploy/edge.js";
import { loadProject } from "../src/discovery/load.js";
import { defaultOptions } from "../src/options.js";
import { makeProject } from "./support/tree.js";

async function project(files: Record<string, string>) {
  return loadProject(defaultOptions(await makeProject(files)));
}

describe("deployment checks", () => {
  const compose = "services:\n  web:\n    image: shop\n    environment:\n      DEBUG: '1'\n";
  it("DEBUG from deployment env is high confidence when the settings read that variable", async () => {
    const p = await project({ "docker-compose.yml": compose, "shop/settings.py": 'import os\nDEBUG = os.environ.get("DEBUG") == "1"\n' });
    const [f] = debugInDeployment(p);
    assert.equal(f?.confidence, "high");
    assert.match(f!.message, /shop\/settings\.py reads DEBUG/);
  });
  it("and low when no Python file names it", async () => {
    const p = await project({ "docker-compose.yml": compose, "shop/settings.py": "DEBUG = False\n" });
    assert.equal(debugInDeployment(p)[0]?.confidence, "low");
  });
  it("a committed .env that the settings load at run time is production environment", async () => {
    const p = await project({
      ".env": "DEBUG=True\nDATABASE_URL=postgres://shop@db/shop\n",
      "shop/settings.py": 'import environ\nenv = environ.Env()\nenviron.Env.read_env()\nDEBUG = env.bool("DEBUG", default=False)\n',
    });
    const e = p.use(edgeAnalysis);
    assert.equal(e.env.get("DEBUG")?.value, "True");
    assert.equal(e.env.get("DEBUG")?.path, ".env");
    const [f] = debugInDeployment(p);
    assert.deepEqual([f?.path, f?.confidence], [".env", "high"]);
    assert.match(f!.message, /loaded at run time by shop\/settings\.py/);
    // without a loader, the same file is only a committed file, not the environment
    const q = await project({ ".env": "DEBUG=True\n", "shop/settings.py": "DEBUG = False\n" });
    assert.equal(q.use(edgeAnalysis).env.get("DEBUG"), undefined);
  });

  it("a plain docker-compose.yml runserver is medium confidence; one named for production is high", async () => {
    const cmd = "services:\n  web:\n    image: shop\n    command: python manage.py runserver 0.0.0.0:8000\n";
    const p = await project({ "docker-compose.yml": cmd, "deploy/docker-compose.production.yml": cmd });
    // with a production compose file present, the plain one is the dev stack
    assert.deepEqual(runserverEntrypoints(p).map((f) => [f.path, f.confidence]), [["deploy/docker-compose.production.yml", "high"]]);
    const q = await project({ "docker-compose.yml": cmd });
    assert.deepEqual(runserverEntrypoints(q).map((f) => f.confidence), ["medium"]);
  });
  it("data-store ports: all interfaces, long syntax and IPv6 are reported; loopback and expose are not", async () => {
    const p = await project({
      "docker-compose.yml": [
        "services:",
        "  a:",
        "    image: postgres",
        "    ports: [\"0.0.0.0:5432:5432\"]",
        "  b:",
        "    image: mysql",
        "    ports:",
        "      - target: 3306",
        "        published: 3306",
        "  c:",
        "    image: redis",
        "    ports: [\"[::]:6379:6379\"]",
        "  d:",
        "    image: rabbitmq",
        "    ports: [\"127.0.0.1:5672:5672\"]",
        "    expose: [\"15672\"]",
        "  e:",
        "    image: memcached",
        "    ports: [\"${MC_PORT:-11211}:11211\"]",
        "",
      ].join("\n"),
    });
    assert.deepEqual(exposedDataStores(p).map((f) => f.span.line), [4, 8, 12, 19]);
  });
});
