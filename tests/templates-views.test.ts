// Views linked to templates: render sites, context keys, extends/include flow,
// severity by origin, traces from the view to the template line; and the two
// example projects (insecure-shop has template findings whose traces start in a
// view, hardened-shop has none).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { scan } from "../src/scan.js";
import type { Finding } from "../src/findings.js";
import { loadProject } from "../src/discovery/load.js";
import { defaultOptions } from "../src/options.js";
import { helpTextFromDataAnalysis } from "../src/templates/helptext.js";
import { makeProject } from "./support/tree.js";

const ROOT = path.join(import.meta.dirname, "..");
const FIXTURE = path.join(ROOT, "tests/fixtures/tpl-views");
const TEMPLATE = /\.(html?|jinja2?|j2|txt)$/;

const templateFindings = (fs: Finding[]) => fs.filter((f) => ["DJANGO-XSS-001", "DJANGO-CSRF-001"].includes(f.ruleId) && TEMPLATE.test(f.location.path));

describe("views linked to templates", async () => {
  const result = await scan(FIXTURE, { failOn: "none", rules: ["DJANGO-XSS-001"] });
  const at = (p: string, line: number) => result.findings.find((f) => f.location.path === p && f.location.startLine === line);

  it("grades {{ x|safe }} by origin: request high, user-editable field medium (stored), staff-only field none", () => {
    const req = at("blog/templates/blog/search.html", 6);
    assert.ok(req, "request value marked safe");
    assert.deepEqual([req.severity, req.confidence], ["high", "high"]);
    const stored = at("blog/templates/blog/comment.html", 1);
    assert.ok(stored, "Comment.body marked safe");
    assert.deepEqual([stored.severity, stored.confidence], ["medium", "medium"]);
    assert.match(stored.message, /stored XSS/);
    // the view's data-flow steps carry their code too (the engine leaves it to whoever reports the trace)
    assert.deepEqual(req.trace![0]!, { kind: "source", path: "blog/views.py", line: 24, column: 9, note: 'query string (request.GET); key "q" read; assigned to `q`', snippet: 'q = request.GET.get("q", "")' });
    assert.equal(at("blog/templates/blog/post_detail.html", 5), undefined, "Post.body is written only by staff");
  });

  it("traces a finding from the view's source to the template line", () => {
    const f = at("blog/templates/blog/post_detail.html", 7)!;
    const trace = f.trace!;
    assert.equal(trace[0]!.kind, "source");
    assert.equal(trace[0]!.path, "blog/views.py");
    assert.equal(trace[trace.length - 1]!.kind, "sink");
    assert.deepEqual([trace[trace.length - 1]!.path, trace[trace.length - 1]!.line], ["blog/templates/blog/post_detail.html", 7]);
    assert.ok(trace.some((s) => /renders 'blog\/post_detail\.html'/.test(s.note)));
  });

  it("follows context keys through {% extends %} and {% include ... with %} across apps", () => {
    const base = at("templates/base.html", 11)!;
    assert.equal(base.trace![0]!.path, "shop/views.py");
    assert.ok(base.trace!.some((s) => /\{% extends 'base\.html' %\}/.test(s.note)));
    const share = at("blog/templates/blog/snippets/share.html", 1)!;
    assert.equal(share.trace![0]!.path, "shop/views.py");
    assert.ok(share.trace!.some((s) => /\{% include 'blog\/snippets\/share\.html' %\}/.test(s.note)));
  });

  it("reports values every template sees (request, context processors) without pinning them on a view", () => {
    const req = at("templates/base.html", 6)!;
    assert.deepEqual(req.trace!.map((s) => s.kind), ["source", "sink"]);
    const promo = at("templates/base.html", 9)!;
    assert.equal(promo.trace![0]!.path, "config/context_processors.py");
    assert.match(promo.message, /context processor/);
  });

  it("traces a generic include's help_text|safe to where the project makes help text from data", () => {
    const f = at("blog/templates/blog/snippets/field_help.html", 2)!;
    assert.ok(f, "help text built from a reader's comment");
    assert.match(f.message, /parent\.author_name, which blog\/forms\.py:21 makes a form field's help text/);
    assert.deepEqual(f.trace![0]!, { kind: "source", path: "blog/forms.py", line: 21, column: 45, note: "help_text set from parent.author_name", snippet: 'self.fields["body"].help_text = f"Replying to {parent.author_name}"' });
  });

  it("writes the stored-XSS trace from where users write the field", () => {
    const f = at("blog/templates/blog/post_detail.html", 10)!;
    assert.match(f.trace![0]!.note, /CommentForm lets users set Comment fields/);
  });
});

// Written to a temp dir: the analyses skip work they judge needless (a function's
// evaluator built only on a write, a call without keywords not resolved, an include
// without bindings sharing its includer's context); none of that may lose a finding.
describe("fields users write, through a plain include", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "dg-tpl-writes-"));
  const files: Record<string, string> = {
    "app/__init__.py": "",
    "app/models.py": "from django.db import models\n\n\nclass Note(models.Model):\n    body = models.TextField()\n    title = models.TextField()\n    tag = models.TextField()\n",
    "app/views.py": [
      "from django.shortcuts import render",
      "from .models import Note",
      "def add(request):",
      "    Note.objects.create(body=request.POST['body'])",
      "def edit(request, pk):",
      "    note = Note.objects.get(pk=pk)",
      "    note.title = request.POST['title']",
      "    note.save()",
      "def show(request):",
      "    return render(request, 'app/show.html', {'notes': Note.objects.all(), 'q': request.GET.get('q')})",
    ].join("\n") + "\n",
    "app/templates/app/show.html": "<main>{% include 'app/part.html' %}</main>\n",
    "app/templates/app/part.html": "<p>{{ q|safe }}</p>\n{% for n in notes %}\n<p>{{ n.body|safe }}</p>\n<p>{{ n.title|safe }}</p>\n<p>{{ n.tag|safe }}</p>\n{% endfor %}\n",
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  after(() => rmSync(dir, { recursive: true, force: true }));
  const result = await scan(dir, { failOn: "none", rules: ["DJANGO-XSS-001"], cacheDir: null });
  const part = (line: number) => result.findings.find((f) => f.location.path === "app/templates/app/part.html" && f.location.startLine === line);

  it("a view's context reaches a template included without bindings", () => {
    const f = part(1)!;
    assert.deepEqual([f.severity, f.confidence], ["high", "high"]);
    assert.ok(f.trace!.some((s) => /\{% include 'app\/part\.html' %\}/.test(s.note)));
  });

  it("a field written by create(field=request data) or obj.field = request data is stored XSS; one nobody writes is not", () => {
    assert.match(part(3)!.trace![0]!.note, /Note\.body written from request data/);
    assert.match(part(4)!.trace![0]!.note, /Note\.title written from request data/);
    assert.equal(part(5), undefined);
  });
});

describe("example projects", () => {
  const insecure = path.join(ROOT, "examples/insecure-shop");
  const hardened = path.join(ROOT, "examples/hardened-shop");

  it("insecure-shop has template findings whose traces start in a view", { skip: !existsSync(insecure) && "examples/insecure-shop is not there" }, async () => {
    const r = await scan(insecure, { failOn: "none" });
    const tf = templateFindings(r.findings);
    assert.ok(tf.some((f) => f.ruleId === "DJANGO-XSS-001"), "a template XSS finding");
    assert.ok(tf.some((f) => f.ruleId === "DJANGO-CSRF-001"), "a template CSRF finding");
    for (const f of tf.filter((x) => x.ruleId === "DJANGO-XSS-001")) {
      assert.ok(f.trace && /views\.py$/.test(f.trace[0]!.path), `${f.location.path}:${f.location.startLine} trace starts in a view`);
    }
  });

  it("hardened-shop has no template findings", { skip: !existsSync(hardened) && "examples/hardened-shop is not there" }, async () => {
    const r = await scan(hardened, { failOn: "none" });
    assert.deepEqual(templateFindings(r.findings).map((f) => `${f.ruleId} ${f.location.path}:${f.location.startLine}`), []);
    assert.deepEqual(r.findings.filter((f) => f.ruleId === "DJANGO-SESS-002" && /\.js$|\.html$/.test(f.location.path)).map((f) => f.location.path), []);
  });
});

describe("Jinja2 Markup()", () => {
  it("traces request data into Markup(f\"...\") with the code of every step", async () => {
    const r = await scan(path.join(ROOT, "tests/fixtures/tpl-jinja"), { failOn: "none", rules: ["DJANGO-XSS-001"] });
    const f = r.findings.find((x) => x.location.path === "store/views.py" && x.location.startLine === 10)!;
    assert.ok(f, "Markup(f\"<b>{q}</b>\") reported");
    const trace = f.trace!;
    assert.deepEqual([trace[0]!.kind, trace[0]!.line, trace[0]!.snippet], ["source", 9, 'q = request.GET.get("q", "")']);
    assert.deepEqual([trace[trace.length - 1]!.kind, trace[trace.length - 1]!.note], ["sink", "marked safe with Markup()"]);
    assert.ok(trace.every((s) => s.snippet && s.snippet.length > 0), JSON.stringify(trace));
  });
});

describe("template directories named only by loaders", async () => {
  const result = await scan(path.join(ROOT, "tests/fixtures/tpl-loaders"), { failOn: "none", rules: ["DJANGO-XSS-001"] });
  const at = (p: string, line: number) => result.findings.find((f) => f.location.path === p && f.location.startLine === line);

  it("links both trees a project loader chooses between, each include within its own tree", () => {
    for (const [tree, line] of [["templates_new", 2], ["templates_classic", 2]] as const) {
      const page = at(`ui/${tree}/ui/search.html`, line);
      assert.equal(page?.confidence, "high", `${tree}/ui/search.html is rendered by the view`);
      assert.ok(page!.trace!.some((s) => /renders 'ui\/search\.html'/.test(s.note)));
      const row = at(`ui/${tree}/ui/row.html`, 1);
      assert.equal(row?.confidence, "high", `${tree}/ui/row.html is included with the view's context`);
      assert.ok(row!.trace!.some((s) => s.path === `ui/${tree}/ui/search.html` && /\{% include 'ui\/row\.html'/.test(s.note)), "included from the same tree");
    }
  });

  it("links a filesystem loader's own directories (inside the cached loader), read through django-environ's Path", () => {
    assert.equal(at("shared/notices/notice.html", 2)?.confidence, "high");
    assert.equal(at("shared/notices/notice.html", 1), undefined, "strftime with a constant format");
  });
});

describe("help text made from data (templates/helptext.ts)", () => {
  const reads = async (init: string) => {
    const root = await makeProject({
      "app/__init__.py": "",
      "app/forms.py": `from django import forms\n\nfrom .labels import labels\n\n\nclass NoteForm(forms.Form):\n    body = forms.CharField()\n\n    def __init__(self, *args, product=None, **kwargs):\n        super().__init__(*args, **kwargs)\n${init}\n`,
      "app/labels.py": "class Labels:\n    BODY_HELP = 'Plain text.'\n\n\nlabels = Labels()\n",
    });
    const project = await loadProject({ ...defaultOptions(root), workers: 0 });
    return project.use(helpTextFromDataAnalysis).map((h) => h.read);
  };

  it("follows a local the function assigned from an object", async () => {
    assert.deepEqual(await reads(`        name = product.name\n        self.fields["body"].help_text = f"Notes on {name}"`), ["product.name"]);
  });

  it("leaves module-level objects and constant names alone", async () => {
    assert.deepEqual(await reads(`        self.fields["body"].help_text = labels.BODY_HELP\n        text = labels.BODY_HELP\n        self.fields["body"].help_text = text`), []);
  });
});
