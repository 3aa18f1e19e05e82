// AUTHZ-001 and friends where project settings change the verdict
// (LoginRequiredMiddleware, DRF defaults, django-axes, CsrfViewMiddleware), and the
// bundled examples: insecure-shop's access-control findings explain route, object
// and missing check; hardened-shop has none.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { loadProject } from "../src/discovery/load.js";
import { defaultOptions } from "../src/options.js";
import { routeInventoryAnalysis } from "../src/django/routes.js";
import { scan } from "../src/scan.js";
import { makeProject } from "./support/tree.js";

const MINE = ["DJANGO-AUTHZ-001", "DJANGO-CSRF-001", "DJANGO-RATE-001", "DJANGO-ADMIN-001", "DJANGO-UPLOAD-001"];
const project = makeProject;

async function findings(dir: string, rules = MINE): Promise<string[]> {
  const r = await scan(dir, { failOn: "none", rules });
  return r.findings.map((f) => `${f.ruleId} ${f.location.path}:${f.location.startLine}`);
}

const settings = (extra: string) => `ROOT_URLCONF = "proj.urls"
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions", "rest_framework", "app"]
${extra}
`;
const MIDDLEWARE = (...extra: string[]) => `MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
${extra.map((m) => `    "${m}",`).join("\n")}
]`;

const APP = {
  "proj/__init__.py": "",
  "app/__init__.py": "",
  "proj/urls.py": `from django.urls import path
from app import views
urlpatterns = [
    path("items/<int:pk>/delete/", views.delete_item),
    path("items/<int:pk>/public-delete/", views.public_delete_item),
]
`,
  "app/models.py": `from django.db import models
class Item(models.Model):
    name = models.CharField(max_length=20)
`,
  "app/views.py": `from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from .models import Item

@require_POST
def delete_item(request, pk):
    get_object_or_404(Item, pk=pk).delete()
    return redirect("/")

@login_not_required
@require_POST
def public_delete_item(request, pk):
    get_object_or_404(Item, pk=pk).delete()
    return redirect("/")
`,
};

describe("settings that change access-control verdicts", () => {
  it("LoginRequiredMiddleware on Django 5.1+ protects views unless they opt out", async () => {
    const dir = await project({ ...APP, "requirements.txt": "Django==5.1.4\n", "proj/settings.py": settings(MIDDLEWARE("django.contrib.auth.middleware.LoginRequiredMiddleware")) });
    assert.deepEqual(await findings(dir, ["DJANGO-AUTHZ-001"]), ["DJANGO-AUTHZ-001 app/views.py:13"]);
    const project_ = await loadProject(defaultOptions(dir));
    const rows = project_.use(routeInventoryAnalysis).rows;
    assert.equal(rows.find((r) => r.pattern === "/items/<int:pk>/delete/")!.auth, "LoginRequiredMiddleware");
  });

  it("the same middleware name on Django 4.2 protects nothing", async () => {
    const dir = await project({ ...APP, "requirements.txt": "Django==4.2.16\n", "proj/settings.py": settings(MIDDLEWARE("django.contrib.auth.middleware.LoginRequiredMiddleware")) });
    assert.deepEqual(await findings(dir, ["DJANGO-AUTHZ-001"]), ["DJANGO-AUTHZ-001 app/views.py:7", "DJANGO-AUTHZ-001 app/views.py:13"]);
  });

  it("without the middleware every open state change is reported", async () => {
    const dir = await project({ ...APP, "requirements.txt": "Django==5.1.4\n", "proj/settings.py": settings(MIDDLEWARE()) });
    assert.deepEqual(await findings(dir, ["DJANGO-AUTHZ-001"]), ["DJANGO-AUTHZ-001 app/views.py:7", "DJANGO-AUTHZ-001 app/views.py:13"]);
  });

  const DRF = {
    "proj/__init__.py": "",
    "app/__init__.py": "",
    "proj/urls.py": `from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import SimpleRouter
from app.views import ThingViewSet
router = SimpleRouter()
router.register("things", ThingViewSet, basename="thing")
urlpatterns = [path("api/", include(router.urls)), path("api/auth/token/", obtain_auth_token)]
`,
    "app/models.py": `from django.db import models
class Thing(models.Model):
    name = models.CharField(max_length=20)
`,
    "app/views.py": `from rest_framework import viewsets
from .models import Thing
class ThingViewSet(viewsets.ModelViewSet):
    queryset = Thing.objects.all()
`,
  };

  it("DRF without DEFAULT_PERMISSION_CLASSES falls back to AllowAny; with IsAuthenticated it does not", async () => {
    const open = await project({ ...DRF, "proj/settings.py": settings(MIDDLEWARE()) });
    assert.deepEqual(await findings(open, ["DJANGO-AUTHZ-001", "DJANGO-RATE-001"]), ["DJANGO-AUTHZ-001 app/views.py:3", "DJANGO-RATE-001 proj/urls.py:7"]);
    const closed = await project({
      ...DRF,
      "proj/settings.py": settings(`${MIDDLEWARE()}
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
}`),
    });
    assert.deepEqual(await findings(closed, ["DJANGO-AUTHZ-001", "DJANGO-RATE-001"]), []);
    const rows = (await loadProject(defaultOptions(closed))).use(routeInventoryAnalysis).rows;
    const list = rows.find((r) => r.pattern === "/api/things/")!;
    assert.equal(list.auth, "DRF IsAuthenticated (default)");
    assert.equal(list.throttle, "DRF AnonRateThrottle (default)");
  });

  it("a REST_FRAMEWORK default it cannot read is not taken for AllowAny", async () => {
    const dir = await project({
      ...DRF,
      "proj/settings.py": settings(`${MIDDLEWARE()}
from proj.policy import permission_defaults
REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": permission_defaults()}`),
      "proj/policy.py": "def permission_defaults():\n    return load_from_somewhere()\n",
    });
    assert.deepEqual(await findings(dir, ["DJANGO-AUTHZ-001"]), []);
    const rows = (await loadProject(defaultOptions(dir))).use(routeInventoryAnalysis).rows;
    assert.equal(rows.find((r) => r.pattern === "/api/things/")!.auth, "DRF project default (not readable statically)");
  });

  const LOGIN = {
    "proj/__init__.py": "",
    "app/__init__.py": "",
    "proj/urls.py": `from django.urls import path
from app import views
urlpatterns = [path("login/", views.login_view), path("join/", views.signup)]
`,
    "app/views.py": `from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

@sensitive_post_parameters()
def login_view(request):
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return redirect("/")
    return render(request, "login.html", {"form": form})

@sensitive_post_parameters()
def signup(request):
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("/")
    return render(request, "signup.html", {"form": form})
`,
  };

  it("django-axes covers logins but not sign-ups", async () => {
    const without = await project({ ...LOGIN, "proj/settings.py": settings(MIDDLEWARE()) });
    assert.deepEqual(await findings(without, ["DJANGO-RATE-001"]), ["DJANGO-RATE-001 app/views.py:7", "DJANGO-RATE-001 app/views.py:15"]);
    const withAxes = await project({
      ...LOGIN,
      "proj/settings.py": settings(`${MIDDLEWARE("axes.middleware.AxesMiddleware")}
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]`),
    });
    assert.deepEqual(await findings(withAxes, ["DJANGO-RATE-001"]), ["DJANGO-RATE-001 app/views.py:15"]);
  });

  it("shows CSRF as off when CsrfViewMiddleware is missing", async () => {
    const dir = await project({ ...LOGIN, "proj/settings.py": settings(`MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]`) });
    const rows = (await loadProject(defaultOptions(dir))).use(routeInventoryAnalysis).rows;
    assert.equal(rows[0]!.csrf, "off (no CsrfViewMiddleware)");
  });
});

describe("the bundled examples", () => {
  const EXAMPLES = path.join(import.meta.dirname, "..", "examples");

  it("insecure-shop: access-control findings name the route, the object and the missing check", async () => {
    const r = await scan(path.join(EXAMPLES, "insecure-shop"), { failOn: "none", rules: MINE });
    const at = (p: string, line: number, rule = "DJANGO-AUTHZ-001") => r.findings.find((f) => f.ruleId === rule && f.location.path === p && f.location.startLine === line);
    const idor = at("orders/views.py", 33)!;
    assert.match(idor.message, /\/orders\/<int:pk>\/cancel\//);
    assert.match(idor.message, /fetches Order by URL parameter pk/);
    assert.match(idor.message, /without limiting the lookup to the requesting user/);
    assert.match(at("orders/views.py", 26)!.message, /LoginRequiredMixin after its view base class/);
    assert.match(at("api/views.py", 15)!.message, /AllowAny .*POST\/PUT\/PATCH\/DELETE/);
    assert.match(at("orders/views.py", 35, "DJANGO-CSRF-001")!.message, /accepts any method/);
    assert.match(at("orders/views.py", 56, "DJANGO-CSRF-001")!.message, /no webhook signature check/);
    assert.match(at("shop/urls.py", 9, "DJANGO-ADMIN-001")!.message, /verify at the edge/);
    assert.match(at("accounts/views.py", 13, "DJANGO-RATE-001")!.message, /verify at the edge/);
  });

  it("hardened-shop: no access-control, CSRF, rate, admin or upload-serving findings", async () => {
    assert.deepEqual(await findings(path.join(EXAMPLES, "hardened-shop")), []);
  });
});
