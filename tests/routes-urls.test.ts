// URLconf resolution (src/django/urls.ts) on tests/fixtures/routes-inventory and
// small in-memory projects: include() forms, namespaces, i18n_patterns, DRF
// routers and @action, admin, static(), path converters and regex groups.
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { loadProject } from "../src/discovery/load.js";
import { defaultOptions } from "../src/options.js";
import { paramsFor, regexParams, regexValueType, urlsAnalysis, type Route } from "../src/django/urls.js";
import type * as A from "../src/python/ast.js";

const FIXTURE = path.join(import.meta.dirname, "fixtures", "routes-inventory");

async function routesOf(root: string): Promise<{ routes: Route[]; roots: { module: string; reason: string }[]; project: Awaited<ReturnType<typeof loadProject>> }> {
  const project = await loadProject(defaultOptions(root));
  const conf = project.use(urlsAnalysis);
  return { routes: conf.routes, roots: conf.roots, project };
}

async function tempProject(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "dg-routes-"));
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), text);
  }
  return dir;
}

describe("URLconf resolution", () => {
  it("walks include()s, namespaces, i18n_patterns, routers, admin and static()", async () => {
    const { routes, roots } = await routesOf(FIXTURE);
    assert.deepEqual(roots.map((r) => r.module), ["mysite.urls"]);
    const by = (p: string) => routes.filter((r) => r.pattern === p);
    assert.deepEqual(routes.map((r) => r.pattern), [
      "staff-area/", "api/v1/", "api/v1/orders/", "api/v1/orders/<pk>/", "api/v1/orders/<pk>/mark-paid/",
      "api/v1/products/", "api/v1/products/<slug>/", "hooks/stripe/", "legacy/<year>/<slug>/",
      "shop/", "shop/orders/", "shop/orders/<uuid:ref>/edit/", "shop/files/<path:name>", "<MEDIA_URL>",
    ]);
    assert.equal(by("staff-area/")[0]!.view.kind, "admin");
    const detail = by("api/v1/orders/<pk>/")[0]!;
    assert.equal(detail.name, "order-detail");
    assert.deepEqual(detail.view.actions, { get: "retrieve", put: "update", patch: "partial_update", delete: "destroy" });
    assert.equal(detail.view.def?.node.name, "OrderViewSet");
    assert.deepEqual(by("api/v1/orders/<pk>/mark-paid/")[0]!.view.actions, { post: "mark_paid" });
    assert.deepEqual(by("api/v1/products/")[0]!.view.actions, { get: "list" }, "read-only viewset has no create route");
    assert.equal(by("api/v1/products/<slug>/")[0]!.params[0]!.name, "slug", "lookup_field names the parameter");
    const hook = by("hooks/stripe/")[0]!;
    assert.deepEqual(hook.view.wrappers.map((w) => w.name), ["django.views.decorators.csrf.csrf_exempt"]);
    assert.equal(hook.view.qualname, "shop.views.stripe_webhook");
    const legacy = by("legacy/<year>/<slug>/")[0]!;
    assert.deepEqual(legacy.params.map((p) => [p.name, p.valueType]), [["year", "int"], ["slug", "slug"]]);
    const edit = by("shop/orders/<uuid:ref>/edit/")[0]!;
    assert.equal(edit.name, "shop:order-edit", "instance namespace wins over app_name");
    assert.equal(edit.i18n, true);
    assert.equal(edit.view.kind, "class");
    assert.equal(edit.view.def?.node.name, "OrderEdit");
    assert.equal(edit.path, "shop/urls.py");
    assert.equal(edit.line, 9);
    const media = by("<MEDIA_URL>")[0]!;
    assert.equal(media.via, "static");
    assert.equal(media.debugOnly, true);
  });

  it("types view parameters from converters", async () => {
    const { project, routes } = await routesOf(FIXTURE);
    const download = routes.find((r) => r.name === "shop:download")!.view.def!.node as A.FunctionDef;
    assert.deepEqual(paramsFor(project, download).get("name")!.map((p) => p.valueType), ["path"]);
    assert.equal(regexValueType("\\d+"), "int");
    assert.equal(regexValueType("[0-9a-f-]+"), "uuid");
    assert.equal(regexValueType("[^/]+"), "str");
    assert.equal(regexValueType(".+"), "path");
    assert.equal(regexValueType("tarball|wheel|checksum"), "slug");
    assert.equal(regexValueType("a.b|c"), "unknown");
    // a class of only letters, digits, `_` and `-` cannot hold a slash, a dot or a quote
    for (const slug of ["[a-z-]+", "[-\\w]+", "[A-Za-z0-9_-]+", "[a-z0-9-]{3,}", "[\\w\\-]+", "[a-z]+", "\\w+"]) assert.equal(regexValueType(slug), "slug", slug);
    for (const open of ["[\\w.-]+", "[a-z./]+", "[\\w ]+"]) assert.equal(regexValueType(open), "unknown", open);
  });

  it("reads a regex's capturing groups in order, named and unnamed, past escapes and classes", () => {
    const groups = regexParams("^(\\d+)/(?:x|y)/[()]+/\\(/(?P<kind>(pdf|csv))/(?=z)([^/)]+)$");
    assert.deepEqual(groups.map((g) => [g.name, g.regex, g.valueType]), [
      ["", "\\d+", "int"],
      ["kind", "(pdf|csv)", "unknown"],
      ["", "pdf|csv", "slug"],
      ["", "[^/)]+", "unknown"],
    ]);
  });

  it("names unnamed groups after the view function's parameters they fill, and drops them next to named ones", async () => {
    const dir = await tempProject({
      "proj/__init__.py": "",
      "proj/settings.py": 'ROOT_URLCONF = "proj.urls"\n',
      "proj/urls.py": [
        "from django.urls import re_path",
        "from proj import views",
        "urlpatterns = [",
        '    re_path(r"^o/(\\d+)/(pdf|csv)/$", views.doc),',
        '    re_path(r"^t/([^/]+)/([^/]+)/$", views.tags),',
        '    re_path(r"^m/(?P<pk>\\d+)/(\\w+)/$", views.doc),',
        '    re_path(r"^c/(\\d+)/$", views.Page.as_view()),',
        "]",
        "",
      ].join("\n"),
      "proj/views.py": "from django.views import View\n\n\ndef doc(request, order_id, kind=None, pk=None):\n    pass\n\n\ndef tags(request, first, *rest):\n    pass\n\n\nclass Page(View):\n    pass\n",
    });
    const { routes } = await routesOf(dir);
    assert.deepEqual(routes.map((r) => r.params.map((p) => `${p.name}:${p.valueType}`)), [
      ["order_id:int", "kind:slug"],
      ["first:str", "rest:str"],
      ["pk:int"],
      ["#0:int"],
    ]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("serves every django-hosts host's URLconf (ROOT_HOSTCONF), with the ROOT_URLCONF one first", async () => {
    const dir = await tempProject({
      "proj/__init__.py": "",
      "proj/settings.py": 'ROOT_URLCONF = "proj.urls"\nROOT_HOSTCONF = "proj.hosts"\nDEFAULT_HOST = "www"\n',
      "proj/hosts.py": 'from django.conf import settings\nfrom django_hosts import host, patterns\nhost_patterns = patterns("", host(r"www", settings.ROOT_URLCONF, name="www"), host(r"docs", "docs.urls", name="docs"), host(r"api", urlconf="api.urls", name="api"))\n',
      "proj/urls.py": 'from django.urls import path\nfrom docs import views\nurlpatterns = [path("", views.home)]\n',
      "docs/__init__.py": "",
      "docs/urls.py": 'from django.urls import re_path\nfrom . import views\nurlpatterns = [re_path(r"^(?P<lang>[a-z-]+)/(?P<version>stable)/(?P<url>.*)$", views.stable)]\n',
      "docs/views.py": "def home(request):\n    pass\n\n\ndef stable(request, lang, version, url):\n    pass\n",
      "api/__init__.py": "",
      "api/urls.py": 'from django.urls import path\nfrom docs import views\nurlpatterns = [path("v1/", views.home)]\n',
    });
    const { project, routes, roots } = await routesOf(dir);
    assert.deepEqual(roots.map((r) => [r.module, r.reason]), [
      ["proj.urls", "ROOT_URLCONF in proj/settings.py"],
      ["docs.urls", 'django-hosts host "docs" in proj/hosts.py (ROOT_HOSTCONF)'],
      ["api.urls", 'django-hosts host "api" in proj/hosts.py (ROOT_HOSTCONF)'],
    ]);
    assert.deepEqual(routes.map((r) => r.pattern), ["", "<lang>/<version>/<url>", "v1/"]);
    const stable = routes[1]!.view.def!.node as A.FunctionDef;
    assert.deepEqual(paramsFor(project, stable).get("version")!.map((p) => p.valueType), ["slug"]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("follows ROOT_URLCONF and include() of a (module, app_name) tuple", async () => {
    const dir = await tempProject({
      "proj/__init__.py": "",
      "proj/settings.py": 'ROOT_URLCONF = "proj.routes"\n',
      "proj/routes.py": 'from django.urls import include, path\nurlpatterns = [path("a/", include(("app.urls", "app"))), path("b/", include("app.urls", namespace="b"))]\n',
      "proj/urls.py": 'from django.urls import path\nfrom app import views\nurlpatterns = [path("never/", views.index)]\n',
      "app/__init__.py": "",
      "app/urls.py": 'from django.urls import path\nfrom . import views\nurlpatterns = [path("x/<int:pk>/", views.index, name="idx")]\nurlpatterns.append(path("y/", views.index))\n',
      "app/views.py": "def index(request, pk=None):\n    pass\n",
    });
    const { routes, roots } = await routesOf(dir);
    assert.deepEqual(roots.map((r) => r.module), ["proj.routes"]);
    assert.deepEqual(routes.map((r) => `${r.pattern} ${r.name}`), ["a/x/<int:pk>/ app:idx", "a/y/ null", "b/x/<int:pk>/ b:idx", "b/y/ null"]);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
