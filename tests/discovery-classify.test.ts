// Table-driven: which file kind discovery gives a path (and, where the name is
// ambiguous, a peek at its content).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classify, isTestCode } from "../src/discovery/classify.js";
import type { FileKind } from "../src/project/project.js";

const K8S = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n";
const NGINX = "upstream app { server web:8000; }\nserver {\n  listen 80;\n  location / { proxy_pass http://app; }\n}\n";

const TABLE: [path: string, head: string, kind: FileKind][] = [
  // Python
  ["manage.py", "", "python"],
  ["shop/settings/production.py", "", "python"],
  ["scripts/win_tool.pyw", "", "python"],
  ["shop/templates/base.py-tpl", "", "other"],
  // Django and Jinja2 templates
  ["shop/templates/shop/product.html", "", "django-template"],
  ["templates/registration/password_reset_email.txt", "", "django-template"],
  ["shop/templates/emails/welcome.email", "", "django-template"],
  ["shop/jinja2/shop/cart.html", "", "jinja2-template"],
  ["shop/views/cart.jinja", "", "jinja2-template"],
  ["mail/receipt.html.j2", "", "jinja2-template"],
  ["docs/page.html", "<p>{{ user.name }}</p>", "django-template"],
  ["docs/plain.html", "<p>static</p>", "other"],
  // Containers and process managers
  ["Dockerfile", "", "dockerfile"],
  ["docker/Dockerfile.prod", "", "dockerfile"],
  ["deploy/web.dockerfile", "", "dockerfile"],
  ["Containerfile", "", "dockerfile"],
  ["docker-compose.yml", "", "compose"],
  ["compose.yaml", "", "compose"],
  ["docker-compose.prod.yaml", "", "compose"],
  ["k8s/deployment.yaml", K8S, "kubernetes"],
  ["k8s/values.yaml", "replicas: 2\nimage: shop\n", "yaml"],
  [".github/workflows/ci.yml", "on: push\njobs: {}\n", "yaml"],
  ["Procfile", "", "procfile"],
  ["docker/entrypoint.sh", "", "shell"],
  ["docker-entrypoint", "", "shell"],
  ["bin/boot.bash", "", "shell"],
  ["bin/start", "", "other"],
  ["Makefile", "", "makefile"],
  ["deploy/release.mk", "", "makefile"],
  ["Procfile.dev", "", "procfile"],
  ["deploy/gunicorn.service", "", "systemd"],
  ["deploy/gunicorn.socket", "", "systemd"],
  ["uwsgi.ini", "[uwsgi]\nmodule = shop.wsgi\n", "uwsgi"],
  ["tox.ini", "[tox]\nenvlist = py312\n", "other"],
  // nginx
  ["nginx.conf", "", "nginx"],
  ["deploy/nginx/site.conf", "", "nginx"],
  ["conf/shop.conf", NGINX, "nginx"],
  ["conf/supervisord.conf", "[program:web]\ncommand=gunicorn\n", "other"],
  // an include file without an extension in an nginx directory (BookWyrm's nginx/locations); not any file there
  ["nginx/locations", "location ~ ^/login { limit_req zone=login burst=1; proxy_pass http://web; }\n", "nginx"],
  ["deploy/nginx/snippets/proxy", "proxy_set_header X-Forwarded-Proto https;\n", "nginx"],
  ["nginx/README", "How to configure the proxy.\n", "other"],
  ["conf/locations", "location / { proxy_pass http://web; }\n", "other"],
  // Requirements and locks
  ["requirements.txt", "", "requirements"],
  ["requirements-dev.txt", "", "requirements"],
  ["requirements/production.txt", "", "requirements"],
  ["requirements/base.in", "", "requirements"],
  ["constraints.txt", "", "requirements"],
  ["requirements.lock", "", "requirements"],
  ["poetry.lock", "", "lockfile"],
  ["uv.lock", "", "lockfile"],
  ["Pipfile.lock", "", "lockfile"],
  ["pdm.lock", "", "lockfile"],
  ["Pipfile", "", "pipfile"],
  ["pyproject.toml", "", "pyproject"],
  ["setup.cfg", "", "setup-cfg"],
  // .env files
  [".env", "", "env"],
  [".env.production", "", "env"],
  ["deploy/prod.env", "", "env"],
  [".envrc", "", "other"],
  // Static JS
  ["shop/static/shop/cart.js", "", "static-js"],
  ["shop/static/shop/app.mjs", "", "static-js"],
  ["shop/static/vendor/jquery.js", "", "other"],
  ["shop/static/shop/app.min.js", "", "other"],
  // Everything else
  ["README.md", "", "other"],
  ["shop/static/logo.png", "", "other"],
];

describe("file classification", () => {
  for (const [p, head, kind] of TABLE) {
    it(`${p} → ${kind}`, () => {
      assert.equal(classify(p, head), kind);
    });
  }
});

describe("test code and migrations", () => {
  const TEST_CODE = [
    "shop/tests.py", "shop/test.py", "conftest.py", "shop/conftest.py", "shop/tests/test_views.py", "shop/tests/factories.py",
    "tests/__init__.py", "test/helpers.py", "utilities/testing/api.py", "shop/migrations/0001_initial.py",
    "shop/test_forms.py", "shop/tests_api.py", "shop/views_test.py", "shop/views_tests.py",
  ];
  const PRODUCTION = [
    "shop/views.py", "testimonials/views.py", "attestation/models.py", "shop/contest.py", "shop/latest.py",
    "shop/protests.py", "shop/testament/views.py", "shop/migration_helpers.py", "shop/settings/testing_flags.py",
  ];
  for (const p of TEST_CODE) it(`${p} is test code`, () => assert.equal(isTestCode(p), true));
  for (const p of PRODUCTION) it(`${p} is not`, () => assert.equal(isTestCode(p), false));
});
