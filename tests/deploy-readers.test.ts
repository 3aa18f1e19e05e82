// Deployment readers and the edge facts other rules consume; broken files become notes.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { findRunserver, interpolateDefaults, isDevPath, shellWords } from "../src/deploy/common.js";
import { edgeAnalysis, edgeRateLimit } from "../src/deploy/edge.js";
import { deploymentAnalysis } from "../src/deploy/model.js";
import { parseNginx } from "../src/deploy/nginx.js";
import { yamlDocumentsAnalysis } from "../src/deploy/yamlfiles.js";
import { loadProject } from "../src/discovery/load.js";
import { defaultOptions } from "../src/options.js";
import { makeProject } from "./support/tree.js";

async function project(files: Record<string, string>) {
  return loadProject(defaultOptions(await makeProject(files)));
}

describe("deployment helpers", () => {
  it("splits shell words and finds runserver inside sh -c chains", () => {
    assert.deepEqual(shellWords(`sh -c "python manage.py migrate && python manage.py runserver 0.0.0.0:8000"`), ["sh", "-c", "python manage.py migrate && python manage.py runserver 0.0.0.0:8000"]);
    const r = findRunserver(["sh", "-c", "python manage.py migrate && exec python manage.py runserver 0.0.0.0:8000 --insecure"]);
    assert.equal(r?.address, "0.0.0.0:8000");
    assert.equal(r?.insecure, true);
    assert.equal(findRunserver(["python", "-m", "django", "runserver"])?.plus, false);
    assert.equal(findRunserver(["echo", "runserver"]), null, "runserver as a word of another command is not Django's");
  });
  it("applies compose defaults and refuses unresolved variables", () => {
    assert.equal(interpolateDefaults("${DEBUG:-True}"), "True");
    assert.equal(interpolateDefaults("${DEBUG-0}"), "0");
    assert.equal(interpolateDefaults("${DEBUG}"), null);
    assert.equal(interpolateDefaults("a$$b"), "a$b");
  });
  it("recognises dev-only files", () => {
    for (const p of ["docker-compose.override.yml", "compose.dev.yml", "docker-compose.dev.yml", "Dockerfile.dev", "Procfile.dev", "docs/Dockerfile", ".env.example", "k8s/overlays/dev/app.yaml"]) assert.ok(isDevPath(p), p);
    for (const p of ["docker-compose.yml", "Dockerfile", "Procfile", "k8s/app.yaml", ".env", "deploy/nginx.conf"]) assert.ok(!isDevPath(p), p);
  });
  it("parses nginx blocks with line numbers and rejects broken ones", () => {
    const ds = parseNginx(`http {\n  server {\n    listen 443 ssl; # tls\n    add_header X "a;b";\n  }\n}\n`);
    const server = ds[0]!.block![0]!;
    assert.equal(server.name, "server");
    assert.deepEqual(server.block!.map((d) => [d.name, d.args, d.line]), [["listen", ["443", "ssl"], 3], ["add_header", ["X", "a;b"], 4]]);
    assert.throws(() => parseNginx("server {\n listen 80;\n"), /missing \}/);
  });
});

describe("edge facts and deployment model", () => {
  it("reads TLS, redirect, HSTS, proxy header, CSP, body limit, settings module and env from production files only", async () => {
    const p = await project({
      "deploy/nginx.conf": `server {\n  listen 80;\n  return 301 https://$host$request_uri;\n}\nserver {\n  listen 443 ssl;\n  add_header Strict-Transport-Security "max-age=31536000; includeSubDomains; preload";\n  add_header Content-Security-Policy "default-src 'self'";\n  client_max_body_size 20m;\n  location / { proxy_pass http://app; proxy_set_header X-Forwarded-Proto $scheme; }\n}\n`,
      "Dockerfile": "FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=shop.settings.production DEBUG=0\nCMD gunicorn shop.wsgi\n",
      "docker-compose.yml": "services:\n  web:\n    build: .\n    environment:\n      DEBUG: '${DEBUG:-1}'\n",
      "docker-compose.override.yml": "services:\n  web:\n    environment:\n      DJANGO_SETTINGS_MODULE: shop.settings.local\n",
      "gunicorn.conf.py": 'forwarded_allow_ips = "*"\n',
    });
    const e = p.use(edgeAnalysis);
    assert.deepEqual([e.tls?.path, e.tls?.line, e.tls?.by], ["deploy/nginx.conf", 6, "proxy"]);
    assert.equal(e.httpsRedirect?.line, 3);
    assert.deepEqual([e.hsts?.maxAge, e.hsts?.includeSubDomains, e.hsts?.preload], [31536000, true, true]);
    assert.equal(e.csp?.line, 8);
    assert.deepEqual([e.bodyLimit?.line, e.bodyLimit?.bytes], [9, 20 * 1024 * 1024]);
    assert.equal(e.forwardedProto?.line, 10);
    assert.deepEqual(e.settingsModules.map((s) => s.module), ["shop.settings.production"], "the override file is dev-only");
    assert.equal(e.env.get("DEBUG")?.value, "1", "compose env overrides the image ENV");
    assert.equal(e.env.get("DEBUG")?.path, "docker-compose.yml");
    assert.equal(e.forwardedAllowAll?.path, "gunicorn.conf.py");
  });

  it("counts only headers that reach the app's responses (nginx add_header inheritance)", async () => {
    const p = await project({
      "nginx.conf": `server {\n  listen 443 ssl;\n  add_header Strict-Transport-Security "max-age=600";\n  location /media/ { alias /m/; add_header Content-Security-Policy "sandbox"; }\n  location / { proxy_pass http://app; add_header X-Frame-Options DENY; }\n}\n`,
    });
    const e = p.use(edgeAnalysis);
    assert.equal(e.csp, null, "a CSP on /media/ only is not the app's CSP");
    assert.equal(e.hsts, null, "the proxying location's own add_header replaces the server-level HSTS");
  });

  it("reads Traefik labels and ingress-nginx defaults", async () => {
    const traefik = await project({
      "docker-compose.yml": [
        "services:",
        "  web:",
        "    image: shop",
        "    labels:",
        "      - traefik.enable=true",
        "      - traefik.http.routers.shop.rule=Host(`shop.example.com`)",
        "      - traefik.http.routers.shop.tls.certresolver=le",
        "      - traefik.http.middlewares.https.redirectscheme.scheme=https",
        "      - traefik.http.middlewares.sec.headers.stsSeconds=31536000",
        "      - traefik.http.middlewares.sec.headers.stsIncludeSubdomains=true",
        "",
      ].join("\n"),
    });
    const t = traefik.use(edgeAnalysis);
    assert.deepEqual([t.tls?.line, t.httpsRedirect?.line, t.forwardedProto?.line], [7, 8, 6]);
    assert.deepEqual([t.hsts?.line, t.hsts?.maxAge, t.hsts?.includeSubDomains, t.hsts?.preload], [9, 31536000, true, false]);

    const ingress = await project({
      "k8s/ingress.yaml": "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n  ingressClassName: nginx\n  tls:\n    - hosts: [shop.example.com]\n      secretName: shop-tls\n  rules: []\n",
    });
    const i = ingress.use(edgeAnalysis);
    assert.deepEqual([i.tls?.line, i.httpsRedirect?.line, i.forwardedProto?.line], [7, 7, 6]);
  });

  it("tells TLS at the app server (gunicorn --certfile) from TLS at a proxy", async () => {
    const p = await project({ "Procfile": "web: gunicorn shop.wsgi --certfile /etc/tls/cert.pem --keyfile /etc/tls/key.pem\n" });
    const e = p.use(edgeAnalysis);
    assert.deepEqual([e.tls?.path, e.tls?.by], ["Procfile", "app-server"]);
  });

  it("does not trust a proxy that passes the client's X-Forwarded-Proto on", async () => {
    const p = await project({ "nginx.conf": "server {\n  location / { proxy_pass http://app; proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto; }\n}\n" });
    const e = p.use(edgeAnalysis);
    assert.equal(e.forwardedProto, null);
    assert.equal(e.bodyLimit?.implicit, true, "nginx's 1 MB default applies when it proxies without the directive");
  });

  it("reads multi-stage Dockerfiles, exec vs shell form, list/map compose env, k8s multi-document YAML", async () => {
    const p = await project({
      "Dockerfile": "FROM python AS base\nENV A=1\nFROM base AS final\nENTRYPOINT [\"python\", \"manage.py\"]\nCMD [\"runserver\", \"0.0.0.0:8000\"]\n",
      "compose.yml": "services:\n  web:\n    image: shop\n    command: [\"gunicorn\", \"shop.wsgi\"]\n    environment:\n      - B=2\n    ports:\n      - \"127.0.0.1:8000:8000\"\n",
      "k8s.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n    - name: c\n      image: x\n      args: [\"python\", \"manage.py\", \"runserver\"]\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      containers:\n        - name: m\n          image: x\n          env:\n            - name: C\n              value: \"3\"\n",
    });
    const m = p.use(deploymentAnalysis);
    const docker = m.commands.find((c) => c.source === "dockerfile");
    assert.deepEqual(docker?.argv, ["python", "manage.py", "runserver", "0.0.0.0:8000"], "ENTRYPOINT exec form + CMD");
    assert.ok(m.env.some((v) => v.name === "A" && v.source === "dockerfile" && !v.buildArg), "ENV inherited by the final stage");
    assert.ok(m.env.some((v) => v.name === "B" && v.value === "2"));
    assert.ok(m.env.some((v) => v.name === "C" && v.value === "3" && v.where.startsWith("Job j")));
    assert.ok(m.commands.some((c) => c.source === "kubernetes" && c.argv.includes("runserver")));
    assert.deepEqual(m.ports.map((x) => [x.hostIp, x.containerPort]), [["127.0.0.1", 8000]]);
  });

  it("takes a final stage named like development for production when it names production settings", async () => {
    // Baserow: `FROM core AS local` is the image `docker build` makes, running gunicorn on settings.base
    const p = await project({
      "Dockerfile": "FROM python AS core\nENV A=1\nFROM core AS dev\nENV DJANGO_SETTINGS_MODULE=shop.settings.dev\nCMD [\"runserver\"]\nFROM core AS local\nENV DJANGO_SETTINGS_MODULE='shop.settings.base'\nCMD [\"gunicorn\"]\n",
      "other/Dockerfile": "FROM python AS local\nENV DJANGO_SETTINGS_MODULE=shop.settings.local\nCMD [\"gunicorn\"]\n",
      "third/Dockerfile": "FROM python AS dev\nENV B=2\nCMD [\"gunicorn\"]\n",
    });
    const m = p.use(deploymentAnalysis);
    const dsm = m.env.filter((v) => v.name === "DJANGO_SETTINGS_MODULE" && !v.dev && !v.buildArg).map((v) => `${v.path} ${v.value}`);
    assert.deepEqual(dsm, ["Dockerfile shop.settings.base"]);
    assert.ok(m.env.some((v) => v.path === "Dockerfile" && v.name === "A" && !v.dev && !v.buildArg), "ENV the final stage inherits is production's");
    assert.deepEqual(m.commands.filter((c) => !c.dev).map((c) => c.path), ["Dockerfile"], "a dev-named stage naming no settings, or dev settings, stays dev");
    assert.equal(p.use(edgeAnalysis).settingsModules[0]?.module, "shop.settings.base");
  });

  it("reads compose files and manifests under any .yaml name, skips other YAML unparsed", async () => {
    const p = await project({
      // a compose file not named as one, and a manifest whose keys come after 4 KB of comments
      "deploy/stack.yaml": "version: '3'\nservices:\n  web:\n    image: shop\n    command: python manage.py runserver 0.0.0.0:8000\n",
      "deploy/late.yaml": "#\n".repeat(3000) + "apiVersion: v1\nkind: Pod\nmetadata: {name: late}\nspec:\n  containers:\n    - name: c\n      image: x\n      args: [\"gunicorn\", \"late.wsgi\"]\n",
      // JSON is YAML: a manifest written as JSON in a .yaml file
      "deploy/json.yaml": "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"j\"},\n  \"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"x\", \"args\": [\"uwsgi\", \"--http\", \":8000\"]}]}\n}\n",
      // CI config, with a job's (nested) services: no deployment reader could use it, so it is not parsed
      ".github/workflows/ci.yml": "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: postgres\n",
    });
    const m = p.use(deploymentAnalysis);
    assert.ok(m.commands.some((c) => c.source === "compose" && c.argv.some((a) => a.includes("runserver"))), "compose file under another name");
    assert.ok(m.commands.some((c) => c.source === "kubernetes" && c.argv.includes("late.wsgi")), "manifest keys after the classifier's 4 KB");
    assert.ok(m.commands.some((c) => c.source === "kubernetes" && c.argv.includes("uwsgi")), "JSON-style manifest");
    assert.deepEqual(p.use(yamlDocumentsAnalysis).map((y) => y.path).sort(), ["deploy/json.yaml", "deploy/late.yaml", "deploy/stack.yaml"]);
  });

  it("knows which URLs the proxy rate-limits, by nginx's location matching", async () => {
    const p = await project({
      "deploy/nginx/site.conf": "server {\n  listen 443 ssl;\n  location ~ ^/(login[^-/]|password-reset) { limit_req zone=a; proxy_pass http://app; }\n  location = /token/ { limit_req zone=a; proxy_pass http://app; }\n  location ^~ /otp/ { limit_req zone=a; proxy_pass http://app; }\n  location ~* ^/SIGNUP { limit_req zone=a; proxy_pass http://app; }\n  location / { proxy_pass http://app; }\n}\n",
    });
    const e = p.use(edgeAnalysis);
    const limited = (u: string) => edgeRateLimit(e, u) !== null;
    assert.ok(limited("/password-reset/x1/") && limited("/token/") && limited("/otp/verify/") && limited("/signup/"));
    // BookWyrm's regex misses `/login/` itself; `=` is exact; other paths are not limited
    assert.ok(!limited("/login/") && !limited("/token/refresh/") && !limited("/search/"));
    const all = await project({ "nginx.conf": "server {\n  limit_req zone=a;\n  location / { proxy_pass http://app; }\n}\n" });
    assert.ok(edgeRateLimit(all.use(edgeAnalysis), "/anything/"), "a server-level limit_req covers every location");
  });

  it("takes a compose file for a development, test or example stack by its own comments", async () => {
    const p = await project({
      // Baserow's deploy/cloudron/docker-compose.yml
      "deploy/cloudron/docker-compose.yml": "services:\n  # A dev / testing /example compose file for testing cloudron image works without\n  # cloudron\n  app:\n    image: shop\n    command: [\"gunicorn\", \"shop.wsgi\"]\n    environment:\n      DB_PASSWORD: baserow\n",
      "ops/compose.yml": "# Example stack for trying the app on your machine\nservices:\n  app:\n    image: shop\n    command: [\"gunicorn\", \"shop.wsgi\"]\n",
      // a comment that mentions development is not one that describes the file, nor is a warning to customise it
      "deploy/prod/compose.yml": "# healthcheck copied from the development notes\n# not intended for production use without first customizing it\nservices:\n  app:\n    image: shop\n    command: [\"gunicorn\", \"shop.wsgi\"]\n",
    });
    const m = p.use(deploymentAnalysis);
    assert.deepEqual(m.commands.filter((c) => !c.dev).map((c) => c.path), ["deploy/prod/compose.yml"]);
  });

  it("recognises development stacks by their content, not only their names", async () => {
    const p = await project({
      "docker-compose.yml": "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n",
      "stack/compose.yml": "services:\n  web:\n    build: {context: .., dockerfile: .devcontainer/Dockerfile}\n    command: python manage.py runserver\n",
      "ops/compose.yml": "services:\n  web:\n    image: shop\n    command: python manage.py runserver\n    environment:\n      DJANGO_SETTINGS_MODULE: shop.settings.local\n",
      "prod/compose.yml": "services:\n  web:\n    image: shop\n    command: python manage.py runserver\n",
    });
    const m = p.use(deploymentAnalysis);
    assert.deepEqual(m.commands.filter((c) => !c.dev).map((c) => c.path), ["prod/compose.yml"]);
  });

  it("turns broken files into notes and keeps going", async () => {
    const p = await project({
      "docker-compose.yml": "services:\n  web: [unclosed\n",
      "nginx.conf": "server {\n  listen 80\n",
      "Procfile": "this is not a process line\nweb: gunicorn shop.wsgi\n",
      "Dockerfile": "",
    });
    const m = p.use(deploymentAnalysis);
    p.use(edgeAnalysis);
    const notes = p.notes.map((n) => `${n.path}:${n.kind}`);
    assert.ok(notes.includes("docker-compose.yml:parse-failed"), notes.join(", "));
    assert.ok(notes.includes("nginx.conf:parse-failed"), notes.join(", "));
    assert.ok(notes.includes("Procfile:parse-failed"), notes.join(", "));
    assert.ok(m.commands.some((c) => c.source === "procfile" && c.argv[0] === "gunicorn"));
  });
});
