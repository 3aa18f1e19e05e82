// `npm run bench [-- --lines N] [--corpus DIR ...] [--workers N|auto] [--include-tests] [--no-bandit] [--warm] [--json]`
//
// Generates a large synthetic Django tree under .bench/ (deterministic: same
// --lines, same files), builds dist/, scans the tree and every --corpus directory
// in a fresh child process each (scripts/bench-child.mjs: timed from its process
// start, peak RSS its own), and prints lines/s and peak
// memory. When Bandit is installed (Debian's `bandit`), it runs
// `bandit -r -q -f json DIR` on the same tree in the same run and prints the
// time ratio.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "..");
const GENERATOR_VERSION = 3;

interface ChildResult {
  root: string;
  files: number;
  lines: number;
  pythonFiles: number;
  pythonLines: number;
  findings: number;
  notes: number;
  workers: number;
  loadMs: number;
  totalMs: number;
  /** CPU time until the rules started (walk, read, parse) */
  loadCpuMs: number;
  cpuMs: number;
  maxRssMB: number;
}

interface Row extends ChildResult {
  label: string;
  linesPerSec: number;
  cpuLinesPerSec: number;
  bandit?: BanditRun | { skipped: string };
  /** --warm: the same scan again with every file's parse tape already cached */
  warm?: { totalMs: number; cpuMs: number; maxRssMB: number };
}

interface BanditRun {
  ms: number;
  /** user+system CPU of bandit and its children, when /usr/bin/time is there */
  cpuMs: number | null;
  maxRssMB: number | null;
  ok: boolean;
  issues: number | null;
  /** bandit wall time / djangoguard wall time */
  ratio: number;
  /** the same on CPU time (fairer on a busy machine) */
  cpuRatio: number | null;
}

function countLines(text: string): number {
  if (!text) return 0;
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

// ---------------------------------------------------------------- generator
/** Deterministic synthetic Django project of at least `target` lines. */
export function generate(dir: string, target: number): { files: number; lines: number } {
  const stamp = path.join(dir, ".bench-stamp.json");
  const want = { version: GENERATOR_VERSION, target };
  try {
    const have = JSON.parse(fs.readFileSync(stamp, "utf8")) as typeof want & { files: number; lines: number };
    if (have.version === want.version && have.target === want.target) return { files: have.files, lines: have.lines };
  } catch {
    /* generate */
  }
  fs.rmSync(dir, { recursive: true, force: true });
  let files = 0;
  let lines = 0;
  const put = (rel: string, text: string) => {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    files++;
    lines += countLines(text);
  };
  put("manage.py", MANAGE);
  put("config/__init__.py", "");
  put("config/wsgi.py", 'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")\napplication = get_wsgi_application()\n');
  put("config/settings/__init__.py", "");
  put("requirements.txt", "Django==4.2.11\ndjangorestframework==3.15.1\npsycopg[binary]==3.1.18\n");
  put("Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"gunicorn\", \"config.wsgi\"]\n");
  const apps: string[] = [];
  for (let i = 0; lines < target; i++) {
    const app = `app${String(i).padStart(4, "0")}`;
    apps.push(app);
    put(`${app}/__init__.py`, "");
    put(`${app}/apps.py`, `from django.apps import AppConfig\n\n\nclass App${i}Config(AppConfig):\n    name = "${app}"\n`);
    put(`${app}/models.py`, models(app, i));
    put(`${app}/forms.py`, forms(app, i));
    put(`${app}/views.py`, views(app, i));
    put(`${app}/urls.py`, urls(app, i));
    put(`${app}/admin.py`, admin(app, i));
    put(`${app}/services.py`, services(app, i));
    put(`${app}/tests.py`, tests(app, i));
    for (let t = 0; t < 3; t++) put(`${app}/templates/${app}/page${t}.html`, template(app, i, t));
  }
  put("config/settings/base.py", settingsBase(apps));
  put("config/settings/production.py", 'from .base import *  # noqa\n\nDEBUG = False\nSECURE_SSL_REDIRECT = True\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n');
  put("config/urls.py", `from django.urls import include, path\n\nurlpatterns = [\n${apps.map((a) => `    path("${a}/", include("${a}.urls")),`).join("\n")}\n]\n`);
  fs.writeFileSync(stamp, JSON.stringify({ ...want, files, lines }));
  return { files, lines };
}

const MANAGE = `#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
`;

function settingsBase(apps: string[]): string {
  return `import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
${apps.map((a) => `    "${a}",`).join("\n")}
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "config.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": os.environ.get("DB_NAME", "shop")}}
STATIC_URL = "/static/"
`;
}

function models(app: string, i: number): string {
  let s = "from django.conf import settings\nfrom django.db import models\n\n\n";
  for (let m = 0; m < 8; m++) {
    s += `class Item${i}x${m}(models.Model):
    """A stored thing of kind ${m} in ${app}."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="${app}_items${m}")
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    body = models.TextField(blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    is_public = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["slug"]), models.Index(fields=["owner", "created"])]

    def __str__(self):
        return f"{self.title} ({self.pk})"

    def get_absolute_url(self):
        from django.urls import reverse
        return reverse("${app}:detail${m}", kwargs={"slug": self.slug})

    @property
    def summary(self):
        words = self.body.split()
        return " ".join(words[:30]) + ("..." if len(words) > 30 else "")


`;
  }
  return s;
}

function forms(app: string, i: number): string {
  let s = `from django import forms\n\nfrom .models import ${Array.from({ length: 8 }, (_, m) => `Item${i}x${m}`).join(", ")}\n\n\n`;
  for (let m = 0; m < 8; m++) {
    s += `class Item${i}x${m}Form(forms.ModelForm):
    class Meta:
        model = Item${i}x${m}
        fields = ["title", "slug", "body", "price", "is_public"]

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if len(title) < 3:
            raise forms.ValidationError("Too short")
        return title


`;
  }
  return s;
}

function views(app: string, i: number): string {
  let s = `from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, ListView

from .forms import ${Array.from({ length: 8 }, (_, m) => `Item${i}x${m}Form`).join(", ")}
from .models import ${Array.from({ length: 8 }, (_, m) => `Item${i}x${m}`).join(", ")}


`;
  for (let m = 0; m < 8; m++) {
    const M = `Item${i}x${m}`;
    s += `class ${M}List(ListView):
    model = ${M}
    paginate_by = 25
    template_name = "${app}/page0.html"

    def get_queryset(self):
        qs = super().get_queryset().filter(is_public=True)
        q = self.request.GET.get("q")
        if q:
            qs = qs.filter(title__icontains=q)
        return qs


class ${M}Detail(DetailView):
    model = ${M}
    template_name = "${app}/page1.html"


@login_required
def edit_${m}(request, slug):
    obj = get_object_or_404(${M}, slug=slug, owner=request.user)
    form = ${M}Form(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect(obj.get_absolute_url())
    return render(request, "${app}/page2.html", {"form": form, "object": obj})


def badge_${m}(request, slug):
    obj = get_object_or_404(${M}, slug=slug)
    return HttpResponse(format_html("<span class='badge'>{}</span>", obj.title))


`;
    // A sprinkling of real problems, so the detectors have work to do.
    if (m === 0 && i % 5 === 0) {
      s += `def search_${m}(request):
    term = request.GET.get("term", "")
    with connection.cursor() as cur:
        cur.execute("SELECT id, title FROM ${app}_item WHERE title LIKE '%%%s%%'" % term)
        rows = cur.fetchall()
    return JsonResponse({"rows": rows})


`;
    }
    if (m === 1 && i % 7 === 0) {
      s += `@csrf_exempt
def hook_${m}(request):
    note = request.POST.get("note", "")
    return HttpResponse(mark_safe("<p>" + note + "</p>"))


`;
    }
  }
  return s;
}

function urls(app: string, i: number): string {
  let s = `from django.urls import path\n\nfrom . import views\n\napp_name = "${app}"\nurlpatterns = [\n`;
  for (let m = 0; m < 8; m++) {
    s += `    path("k${m}/", views.Item${i}x${m}List.as_view(), name="list${m}"),\n`;
    s += `    path("k${m}/<slug:slug>/", views.Item${i}x${m}Detail.as_view(), name="detail${m}"),\n`;
    s += `    path("k${m}/<slug:slug>/edit/", views.edit_${m}, name="edit${m}"),\n`;
    s += `    path("k${m}/<slug:slug>/badge/", views.badge_${m}, name="badge${m}"),\n`;
  }
  if (i % 5 === 0) s += `    path("search/", views.search_0, name="search"),\n`;
  if (i % 7 === 0) s += `    path("hook/", views.hook_1, name="hook"),\n`;
  return `${s}]\n`;
}

function admin(app: string, i: number): string {
  let s = `from django.contrib import admin\n\nfrom . import models\n\n\n`;
  for (let m = 0; m < 8; m++) {
    s += `@admin.register(models.Item${i}x${m})\nclass Item${i}x${m}Admin(admin.ModelAdmin):\n    list_display = ("title", "owner", "created", "is_public")\n    search_fields = ("title", "slug")\n    list_filter = ("is_public",)\n\n\n`;
  }
  return s;
}

function services(app: string, i: number): string {
  let s = `import json\nimport logging\nfrom decimal import Decimal\n\nlogger = logging.getLogger(__name__)\n\n\n`;
  for (let m = 0; m < 10; m++) {
    s += `def total_${m}(items, discount=Decimal("0")):
    """Sum of prices of ${app} items, minus a discount."""
    total = Decimal("0")
    for item in items:
        if item.is_public:
            total += item.price
        else:
            logger.debug("skipping private item %s", item.pk)
    result = max(total - discount, Decimal("0"))
    return result


def export_${m}(items):
    rows = [{"title": it.title, "price": str(it.price)} for it in items if it.is_public]
    return json.dumps({"app": "${app}", "n": ${m}, "rows": rows}, indent=2)


`;
  }
  return s;
}

function tests(app: string, i: number): string {
  let s = `from django.test import TestCase\n\n\n`;
  for (let m = 0; m < 8; m++) {
    s += `class Item${i}x${m}Tests(TestCase):
    def test_list(self):
        response = self.client.get("/${app}/k${m}/")
        self.assertEqual(response.status_code, 200)

    def test_missing(self):
        response = self.client.get("/${app}/k${m}/nope/")
        self.assertEqual(response.status_code, 404)


`;
  }
  return s;
}

function template(app: string, i: number, t: number): string {
  let s = `{% extends "base.html" %}\n{% load static %}\n{% block title %}${app} page ${t}{% endblock %}\n{% block content %}\n`;
  for (let k = 0; k < 6; k++) {
    s += `<section class="block-${k}">
  <h2>{{ object.title }}</h2>
  {% for item in object_list %}
    <article>
      <a href="{{ item.get_absolute_url }}">{{ item.title }}</a>
      <p>{{ item.summary }}</p>
      <span>{{ item.price|floatformat:2 }}</span>
    </article>
  {% empty %}
    <p>Nothing here yet.</p>
  {% endfor %}
  <form method="post">{% csrf_token %}{{ form.as_p }}<button>Save</button></form>
</section>
`;
  }
  if (t === 1 && i % 6 === 0) s += `<div>{{ object.body|safe }}</div>\n`;
  return `${s}{% endblock %}\n`;
}

// ---------------------------------------------------------------- parent mode
/** The scan runs on the compiled, bundled code (as the installed CLI does): build it
 *  first, with scan() bundled for the child (scripts/bundle.mjs --bench). */
function build(): void {
  const tsc = path.join(REPO, "node_modules", "typescript", "bin", "tsc");
  for (const args of [[tsc, "-p", "tsconfig.json"], [path.join(HERE, "bundle.mjs"), "--bench"]]) {
    const res = spawnSync(process.execPath, args, { cwd: REPO, encoding: "utf8" });
    if (res.status !== 0) throw new Error(`build failed:\n${res.stdout}${res.stderr}`);
  }
  // One small scan leaves the code cache a first run writes (src/cli/code-cache.ts), so every
  // measured scan runs as the CLI does from its second run on.
  runChild(path.join(REPO, "examples", "hardened-shop"), 0);
}

/** --include-tests: scan test code and migrations too (exactly the files Bandit reads) */
let includeTests = false;

function runChild(root: string, workers: number, cacheDir?: string): ChildResult {
  const extra = [...(cacheDir ? [cacheDir] : []), ...(includeTests ? ["--include-tests"] : [])];
  const res = spawnSync(process.execPath, [path.join(HERE, "bench-child.mjs"), root, String(workers), ...extra], {
    cwd: REPO,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0) throw new Error(`scan of ${root} failed (exit ${res.status}):\n${res.stderr}`);
  const last = res.stdout.trim().split("\n").pop()!;
  return JSON.parse(last) as ChildResult;
}

function runBandit(root: string): Row["bandit"] {
  const probe = spawnSync("bandit", ["--version"], { encoding: "utf8" });
  if (probe.error) return { skipped: "bandit is not installed" };
  const haveTime = fs.existsSync("/usr/bin/time");
  const timeFile = path.join(os.tmpdir(), `dg-bench-time-${process.pid}.txt`);
  const cmd = haveTime ? "/usr/bin/time" : "bandit";
  const args = haveTime
    ? ["-o", timeFile, "-f", "%U %S %M", "bandit", "-r", "-q", "-f", "json", root]
    : ["-r", "-q", "-f", "json", root];
  const t0 = performance.now();
  const res = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  const ms = performance.now() - t0;
  let issues: number | null = null;
  try {
    issues = (JSON.parse(res.stdout) as { results: unknown[] }).results.length;
  } catch {
    /* bandit printed no JSON */
  }
  let cpuMs: number | null = null;
  let maxRssMB: number | null = null;
  if (haveTime) {
    const m = /([\d.]+) ([\d.]+) (\d+)\s*$/.exec(fs.readFileSync(timeFile, "utf8").trim());
    if (m) {
      cpuMs = Math.round((Number(m[1]) + Number(m[2])) * 1000);
      maxRssMB = Math.round(Number(m[3]) / 1024);
    }
    fs.rmSync(timeFile, { force: true });
  }
  // bandit exits 1 when it found issues, 0 when clean; anything else is a failure.
  return { ms: Math.round(ms), cpuMs, maxRssMB, ok: res.status === 0 || res.status === 1, issues, ratio: 0, cpuRatio: null };
}

function machine(): string {
  const cpus = os.cpus();
  const mem = Math.round(os.totalmem() / 1024 ** 3);
  return `${os.availableParallelism()} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${mem} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join("/")}`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const get = (flag: string): string[] => argv.flatMap((a, i) => (a === flag && argv[i + 1] ? [argv[i + 1]!] : []));
  const workersArg = get("--workers")[0] ?? "auto";
  const workers = workersArg === "auto" ? -1 : Number(workersArg);

  const target = Number(get("--lines")[0] ?? 320_000);
  const bandit = !argv.includes("--no-bandit");
  const warm = argv.includes("--warm");
  const json = argv.includes("--json");
  includeTests = argv.includes("--include-tests");
  const log = (s: string) => { if (!json) process.stdout.write(`${s}\n`); };

  const targets: { label: string; root: string }[] = [];
  if (!argv.includes("--no-synthetic")) {
    const dir = path.join(REPO, ".bench", `synthetic-${target}`);
    log(`generating synthetic Django tree (>= ${target.toLocaleString("en-US")} lines) in ${path.relative(REPO, dir)} ...`);
    const g = generate(dir, target);
    log(`  ${g.files.toLocaleString("en-US")} files, ${g.lines.toLocaleString("en-US")} lines`);
    targets.push({ label: `synthetic ${Math.round(g.lines / 1000)}k`, root: dir });
  }
  for (const c of get("--corpus")) targets.push({ label: path.basename(path.resolve(c)), root: path.resolve(c) });

  log("building dist/ ...");
  build();
  log(`machine: ${machine()}`);
  const rows: Row[] = [];
  for (const t of targets) {
    log(`scanning ${t.label} ...`);
    const r = runChild(t.root, workers);
    const row: Row = {
      ...r,
      label: t.label,
      linesPerSec: Math.round(r.lines / (r.totalMs / 1000)),
      cpuLinesPerSec: Math.round(r.lines / (r.cpuMs / 1000)),
    };
    if (warm) {
      // a fresh cache: one scan fills it, the measured one reads it
      const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-bench-cache-"));
      try {
        runChild(t.root, workers, cacheDir);
        const w = runChild(t.root, workers, cacheDir);
        row.warm = { totalMs: w.totalMs, cpuMs: w.cpuMs, maxRssMB: w.maxRssMB };
      } finally {
        fs.rmSync(cacheDir, { recursive: true, force: true });
      }
    }
    if (bandit) {
      log(`  bandit on ${t.label} ...`);
      const b = runBandit(t.root)!;
      if ("ms" in b) {
        b.ratio = Math.round((b.ms / r.totalMs) * 100) / 100;
        b.cpuRatio = b.cpuMs === null ? null : Math.round((b.cpuMs / r.cpuMs) * 100) / 100;
      }
      row.bandit = b;
    }
    rows.push(row);
    log(formatRow(row));
  }
  if (json) process.stdout.write(`${JSON.stringify({ machine: machine(), date: new Date().toISOString(), rows }, null, 2)}\n`);
}

function formatRow(r: Row): string {
  const k = (n: number) => n.toLocaleString("en-US");
  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  let s = `  ${r.label}: ${k(r.files)} files, ${k(r.lines)} lines (${k(r.pythonLines)} Python)\n`;
  s += `    wall ${sec(r.totalMs)} = ${k(r.linesPerSec)} lines/s (load+parse ${sec(r.loadMs)}, rules ${sec(r.totalMs - r.loadMs)})\n`;
  s += `    CPU ${sec(r.cpuMs)} = ${k(r.cpuLinesPerSec)} lines/CPU-s (load+parse ${sec(r.loadCpuMs)}, rules ${sec(r.cpuMs - r.loadCpuMs)}); peak RSS ${k(r.maxRssMB)} MiB; ${k(r.findings)} findings, ${k(r.notes)} notes`;
  if (r.warm) s += `\n    warm (parse tapes cached): wall ${sec(r.warm.totalMs)}, CPU ${sec(r.warm.cpuMs)}, peak RSS ${k(r.warm.maxRssMB)} MiB`;
  if (r.bandit) {
    if ("ms" in r.bandit) {
      const b = r.bandit;
      s += `\n    bandit: wall ${sec(b.ms)}${b.cpuMs !== null ? `, CPU ${sec(b.cpuMs)}` : ""}${b.maxRssMB !== null ? `, peak RSS ${k(b.maxRssMB)} MiB` : ""}${b.ok ? "" : " (FAILED)"}, ${b.issues ?? "?"} issues`;
      s += `\n    ratio bandit/djangoguard: wall ${b.ratio}x${b.cpuRatio !== null ? `, CPU ${b.cpuRatio}x` : ""} (target: >= 15x)`;
      if (r.warm) s += `; warm ${Math.round((b.ms / r.warm.totalMs) * 100) / 100}x`;
    } else s += `\n    bandit: skipped (${r.bandit.skipped})`;
  }
  return s;
}

await main();
