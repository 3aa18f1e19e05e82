// The view model behind the route table: accepted methods, authentication,
// CSRF status and state changes for the common shapes of Django and DRF views.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadProject } from "../src/discovery/load.js";
import { defaultOptions } from "../src/options.js";
import { routeInventoryAnalysis, type RouteRow } from "../src/django/routes.js";
import { viewsAnalysis, type ViewModel } from "../src/django/views.js";
import { makeProject } from "./support/tree.js";

const writeProject = makeProject;

async function rows(): Promise<Map<string, RouteRow>> {
  const files: Record<string, string> = {
    "site/__init__.py": "",
    "site/urls.py": `from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import TemplateView
from rest_framework.routers import SimpleRouter
from app import views

router = SimpleRouter(trailing_slash=False)
router.register("widgets", views.WidgetViewSet, basename="widget")

urlpatterns = [
    path("about/", TemplateView.as_view(template_name="about.html")),
    path("create/", views.WidgetCreate.as_view()),
    path("delete/<int:pk>/", views.WidgetDelete.as_view()),
    path("readonly/", views.ReadOnlyForm.as_view()),
    path("guarded/", views.guarded),
    path("api-fn/", views.api_fn),
    path("wrapped/", login_required(views.plain)),
    path("helper/", views.calls_helper),
] + router.urls
`,
    "app/__init__.py": "",
    "app/models.py": `from django.db import models
class Widget(models.Model):
    name = models.CharField(max_length=20)
    tags = models.ManyToManyField("Tag")
class Tag(models.Model):
    name = models.CharField(max_length=20)
`,
    "app/services.py": `from django.core.mail import send_mail
def notify(widget):
    send_mail("changed", widget.name, "a@example.com", ["b@example.com"])
`,
    "app/views.py": `from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpResponse, HttpResponseNotAllowed
from django.views.generic import CreateView, DeleteView, FormView
from rest_framework import viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.permissions import IsAdminUser
from .models import Widget
from .services import notify

class WidgetCreate(LoginRequiredMixin, CreateView):
    model = Widget
    fields = ["name"]

class WidgetDelete(PermissionRequiredMixin, DeleteView):
    permission_required = "app.delete_widget"
    model = Widget

class ReadOnlyForm(FormView):
    http_method_names = ["get"]

def guarded(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    Widget.objects.filter(name="x").delete()
    return HttpResponse()

@api_view(["GET", "POST"])
@permission_classes([IsAdminUser])
def api_fn(request):
    return HttpResponse()

def plain(request):
    return HttpResponse()

def calls_helper(request):
    w = Widget.objects.first()
    w.tags.clear()
    notify(w)
    return HttpResponse()

class WidgetViewSet(viewsets.ModelViewSet):
    queryset = Widget.objects.all()

    @action(detail=False, methods=["post", "delete"], url_path="purge-all")
    def purge(self, request):
        Widget.objects.all().delete()
        return HttpResponse()
`,
  };
  const project = await loadProject(defaultOptions(await writeProject(files)));
  return new Map(project.use(routeInventoryAnalysis).rows.map((r) => [r.pattern, r]));
}

/**
 * Views built on one base class share its handler: the per-function memos behind
 * the view model must still resolve self.method() through each view's own MRO and
 * keep the gate a shared helper is entered under (GET handler vs POST handler).
 */
async function sharedBaseViews(): Promise<Map<string, ViewModel>> {
  const dir = await writeProject({
    "site/__init__.py": "",
    "site/urls.py": `from django.urls import path
from app import views

urlpatterns = [
    path("base/", views.Base.as_view()),
    path("saves/", views.Saves.as_view()),
    path("mails/", views.Mails.as_view()),
    path("reader/", views.Reader.as_view()),
    path("writer/", views.Writer.as_view()),
    path("alias/", views.alias_mail),
]
`,
    "app/__init__.py": "",
    "app/models.py": `from django.db import models
class Widget(models.Model):
    name = models.CharField(max_length=20)
`,
    "app/views.py": `from django.core import mail
from django.core.mail import send_mail as tell_admins
from django.http import HttpResponse
from django.views import View
from .models import Widget

class Base(View):
    def post(self, request):
        self.apply(request)
        return HttpResponse()

    def apply(self, request):
        pass

class Saves(Base):
    def apply(self, request):
        widget = Widget.objects.first()
        widget.save()

class Mails(Base):
    def apply(self, request):
        mail.send_mail("s", "b", "a@example.com", ["b@example.com"])

def record(request):
    Widget.objects.create(name="seen")

class Reader(View):
    def get(self, request):
        record(request)
        return HttpResponse()

class Writer(View):
    def post(self, request):
        record(request)
        return HttpResponse()

def alias_mail(request):
    tell_admins("s", "b", "a@example.com", ["b@example.com"])
    return HttpResponse()
`,
  });
  const project = await loadProject(defaultOptions(dir));
  return new Map([...project.use(viewsAnalysis).values()].map((v) => [v.route.pattern, v]));
}

describe("view model", () => {
  it("reads methods, auth, CSRF and state changes per route", async () => {
    const r = await rows();
    const about = r.get("/about/")!;
    assert.deepEqual(about.methods, ["GET"]);
    assert.equal(about.view, "django.views.generic.TemplateView");
    assert.equal(about.csrf, "n/a (safe methods)");

    const create = r.get("/create/")!;
    assert.deepEqual(create.methods, ["GET", "POST", "PUT"]);
    assert.equal(create.auth, "LoginRequiredMixin");
    assert.deepEqual(create.writes, ["post/put (CreateView)"]);

    const del = r.get("/delete/<int:pk>/")!;
    assert.deepEqual(del.methods, ["GET", "POST", "DELETE"]);
    assert.equal(del.auth, "PermissionRequiredMixin");

    assert.deepEqual(r.get("/readonly/")!.methods, ["GET"], "http_method_names narrows the handlers");

    const guarded = r.get("/guarded/")!;
    assert.deepEqual(guarded.methods, ["POST"], "a leading method check restricts the view");
    assert.deepEqual(guarded.writes, ["Widget.objects.filter().delete()"]);

    const api = r.get("/api-fn/")!;
    assert.deepEqual(api.methods, ["GET", "POST"]);
    assert.equal(api.auth, "DRF IsAdminUser");
    assert.equal(api.csrf, "enforced (DRF session)");

    assert.equal(r.get("/wrapped/")!.auth, "login_required", "login_required applied in the URLconf counts");

    const helper = r.get("/helper/")!;
    assert.equal(helper.methods, null);
    assert.deepEqual(helper.writes, ["w.tags.clear()", "notify() → send_mail()"]);

    const purge = r.get("/widgets/purge-all")!;
    assert.deepEqual(purge.methods, ["POST", "DELETE"]);
    assert.equal(purge.view, "app.views.WidgetViewSet.purge");
    assert.deepEqual(purge.writes, ["Widget.objects.all().delete()"]);
    assert.deepEqual(r.get("/widgets/<pk>")!.methods, ["GET", "PUT", "PATCH", "DELETE"], "trailing_slash=False");
  });

  it("resolves a shared base handler's self calls per view and keeps each helper's gate", async () => {
    const v = await sharedBaseViews();
    const writes = (pattern: string) => v.get(pattern)!.writes.map((w) => `${w.gate} ${w.kind} ${w.what}`);
    assert.deepEqual(writes("base/"), [], "the base's own apply() changes nothing");
    assert.deepEqual(writes("saves/"), ["post save self.apply() → widget.save()"]);
    assert.deepEqual(writes("mails/"), ["post mail self.apply() → mail.send_mail()"], "a module attribute call keeps its name: django.core.mail.send_mail");
    assert.deepEqual(writes("reader/"), ["get create record() → Widget.objects.create()"]);
    assert.deepEqual(writes("writer/"), ["post create record() → Widget.objects.create()"]);
    assert.deepEqual(writes("alias/"), ["any mail tell_admins()"], "an imported alias of send_mail is still mail");
  });
});
