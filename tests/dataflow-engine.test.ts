// The data-flow engine on small projects written to a temporary directory:
// propagation forms, confidence by origin, traces across modules, the
// originOf/contextOrigins API the templates analysis uses, and linear time.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { flowsFor, templateOriginsIn } from "../src/dataflow/api.js";
import { loadProject } from "../src/discovery/load.js";
import { defaultOptions } from "../src/options.js";
import type { PythonFile } from "../src/project/project.js";
import type * as A from "../src/python/ast.js";
import { walkBody } from "../src/python/walk.js";
import { scan } from "../src/scan.js";
import { makeProject } from "./support/tree.js";

const project = makeProject;

async function findings(files: Record<string, string>, rule: string) {
  const root = await project(files);
  const r = await scan(root, { failOn: "none", rules: [rule] });
  return r.findings;
}

describe("propagation", () => {
  // each form moves request data into `x`, then into a SQL string
  const forms: Record<string, string> = {
    "assignment": `x = q`,
    "augmented assignment": `x = "a"\n    x += q`,
    "f-string": `x = f"{q}"`,
    "percent": `x = "%s" % q`,
    "format": `x = "{}".format(q)`,
    "plus": `x = "a" + q`,
    "join": `x = ",".join([q])`,
    "slicing": `x = q[1:5]`,
    "list literal and read": `l = [q, "b"]\n    x = l[0]`,
    "dict literal and get": `d = {"k": q}\n    x = d.get("k")`,
    "string methods": `x = q.strip().lower().replace("a", "b")`,
    "tuple unpacking": `x, y = q, "c"`,
    "comprehension": `x = "".join([c for c in q])`,
    "for target": `x = ""\n    for part in q.split(","):\n        x = part`,
    "with target": `with wrap(q) as x:\n        pass`,
    "return from local helper": `x = helper(q)`,
    "attribute read": `o = Holder()\n    o.v = q\n    x = o.v`,
  };
  for (const [name, body] of Object.entries(forms)) {
    it(`follows ${name}`, async () => {
      const src = `from django.db import connection\n\n\ndef helper(v):\n    return v\n\n\nclass Holder:\n    pass\n\n\ndef view(request):\n    q = request.GET["q"]\n    ${body}\n    connection.cursor().execute("SELECT " + x)\n`;
      const fs_ = await findings({ "app/__init__.py": "", "app/views.py": src }, "DJANGO-SQL-001");
      assert.equal(fs_.length, 1, `${name}: ${JSON.stringify(fs_.map((f) => f.message))}`);
      assert.equal(fs_[0]!.confidence, "high");
    });
  }

  const stops: Record<string, string> = {
    "int cast": `x = str(int(q))`,
    "allowlist": `x = q if q in ("a", "b") else "a"`,
    "length": `x = str(len(q))`,
    "comparison": `x = str(q == "a")`,
    "constant overwrite": `x = q\n    x = "fixed"`,
  };
  for (const [name, body] of Object.entries(stops)) {
    it(`stops at ${name}`, async () => {
      const src = `from django.db import connection\n\n\ndef view(request):\n    q = request.GET["q"]\n    ${body}\n    connection.cursor().execute("SELECT " + x)\n`;
      const fs_ = await findings({ "app/__init__.py": "", "app/views.py": src }, "DJANGO-SQL-001");
      assert.deepEqual(fs_.map((f) => f.message), []);
    });
  }
});

describe("confidence by origin", () => {
  const cases: [string, string, string | null][] = [
    ["request data", `v = request.GET["q"]`, "high"],
    ["a stored field", `v = Book.objects.get(pk=1).title`, "medium"],
    ["an unresolved call", `v = some_library.fetch()`, "medium"],
    ["a constant", `v = "books"`, null],
    // rows fetched with a request value as a *parameter* come from the database, not the request
    ["rows of a parameterised query", `v = connection.cursor().execute("SELECT name FROM t WHERE id = %s", [request.GET["id"]]).fetchone()[0]`, "medium"],
  ];
  for (const [name, line, want] of cases) {
    it(`${name} → ${want ?? "no finding"}`, async () => {
      const src = `import some_library\nfrom django.db import connection\nfrom .models import Book\n\n\ndef view(request):\n    ${line}\n    connection.cursor().execute(f"SELECT * FROM {v}")\n`;
      const models = `from django.db import models\n\n\nclass Book(models.Model):\n    title = models.CharField(max_length=10)\n`;
      const fs_ = await findings({ "app/__init__.py": "", "app/views.py": src, "app/models.py": models }, "DJANGO-SQL-001");
      assert.deepEqual(fs_.map((f) => f.confidence), want ? [want] : []);
    });
  }

  it("an unknown parameter of a function nobody calls → low", async () => {
    const src = `from django.db import connection\n\n\ndef run(table):\n    connection.cursor().execute("DELETE FROM " + table)\n`;
    const fs_ = await findings({ "app/__init__.py": "", "app/jobs.py": src }, "DJANGO-SQL-001");
    assert.deepEqual(fs_.map((f) => f.confidence), ["low"]);
  });
});

describe("closures", () => {
  // a function defined inside the view reads the view's variables
  const view = (setup: string, call: string) =>
    `from django.db import connection\n\n\ndef view(request):\n    ${setup}\n\n    def run():\n        connection.cursor().execute("SELECT * FROM t WHERE x = '%s'" % q)\n\n    ${call}\n`;
  const sql = async (src: string) => findings({ "app/__init__.py": "", "app/views.py": src }, "DJANGO-SQL-001");

  it("a nested function called in the view reads its request data (high, traced through the call)", async () => {
    const fs_ = await sql(view(`q = request.GET["q"]`, "run()"));
    assert.deepEqual(fs_.map((f) => [f.location.startLine, f.confidence]), [[8, "high"]]);
    const notes = fs_[0]!.trace!.map((t) => `${t.kind} ${t.line} ${t.note}`);
    assert.deepEqual(notes, ["source 5 query string (request.GET)", "step 5 key \"q\" read", "step 5 assigned to `q`", "step 10 `q` read by view.run()", "step 8 formatted with %", "sink 8 reaches cursor.execute()"]);
  });

  it("takes the variable's value at the call, not its last one", async () => {
    assert.deepEqual((await sql(view(`q = "fixed"`, "run()"))).map((f) => f.confidence), []);
    assert.deepEqual((await sql(view(`q = "fixed"`, `run()\n    q = request.GET["q"]`))).map((f) => f.confidence), []);
    assert.deepEqual((await sql(view(`q = int(request.GET["q"])`, "run()"))).map((f) => f.confidence), []);
  });

  it("reads the request of the view around it", async () => {
    const src = `from django.db import connection\n\n\ndef view(request):\n    def run():\n        connection.cursor().execute("SELECT * FROM t WHERE x = '%s'" % request.GET["q"])\n\n    run()\n`;
    assert.deepEqual((await sql(src)).map((f) => f.confidence), ["high"]);
  });

  it("follows closures nested two deep, and calls between siblings", async () => {
    const deep = `from django.db import connection\n\n\ndef view(request):\n    q = request.GET["q"]\n\n    def outer():\n        def run():\n            connection.cursor().execute("SELECT " + q)\n\n        run()\n\n    outer()\n`;
    assert.deepEqual((await sql(deep)).map((f) => f.confidence), ["high"]);
    const siblings = `from django.db import connection\n\n\ndef view(request):\n    q = request.GET["q"]\n\n    def run():\n        connection.cursor().execute("SELECT " + q)\n\n    def go():\n        run()\n\n    go()\n`;
    assert.deepEqual((await sql(siblings)).map((f) => f.confidence), ["high"]);
  });

  it("a nested function's own variable of the same name is its own", async () => {
    const src = `from django.db import connection\n\n\ndef view(request):\n    q = request.GET["q"]\n\n    def run():\n        q = "fixed"\n        connection.cursor().execute("SELECT " + q)\n\n    run()\n`;
    assert.deepEqual((await sql(src)).map((f) => f.confidence), []);
  });

  it("a nested function handed over as a callback runs with the view's variables", async () => {
    const cb = (setup: string) => `from django.db import connection, transaction\n\n\ndef view(request):\n    ${setup}\n\n    def run():\n        connection.cursor().execute("SELECT " + q)\n\n    transaction.on_commit(run)\n`;
    const fs_ = await sql(cb(`q = request.GET["q"]`));
    assert.deepEqual(fs_.map((f) => f.confidence), ["high"]);
    assert.ok(fs_[0]!.trace!.some((t) => t.line === 10 && t.note === "`q` read by view.run()"), JSON.stringify(fs_[0]!.trace));
    assert.deepEqual((await sql(cb(`q = "fixed"`))).map((f) => f.confidence), []);
  });

  it("a function calling itself is not called by anyone for that: its unknown parameters still count (low)", async () => {
    const src = `from django.db import connection\n\n\ndef make(table):\n    def run(n=0):\n        connection.cursor().execute("DELETE FROM " + table)\n        if n < 3:\n            run(n + 1)\n\n    return run\n`;
    assert.deepEqual((await sql(src)).map((f) => f.confidence), ["low"]);
  });

  it("a lambda's body is checked with the values in sight where it is written", async () => {
    const lam = (line: string) => `from django.db import connection, transaction\n\n\ndef view(request):\n    q = request.GET["q"]\n    ${line}\n`;
    assert.deepEqual((await sql(lam(`transaction.on_commit(lambda: connection.cursor().execute("SELECT " + q))`))).map((f) => [f.location.startLine, f.confidence]), [[6, "high"]]);
    assert.deepEqual((await sql(lam(`run = lambda: connection.cursor().execute("SELECT %s", [q])`))).map((f) => f.confidence), []);
  });

  it("a wrapper returned from where it was defined reads values nobody can see here (low)", async () => {
    const src = `from django.db import connection\n\n\ndef make(table):\n    def run():\n        connection.cursor().execute("DELETE FROM " + table)\n\n    return run\n`;
    assert.deepEqual((await sql(src)).map((f) => f.confidence), ["low"]);
  });
});

describe("traces", () => {
  it("lead from the source through each module to the sink", async () => {
    const fs_ = await findings({
      "app/__init__.py": "",
      "app/views.py": `from .queries import find\n\n\ndef search(request):\n    term = request.GET.get("q", "")\n    return find(term)\n`,
      "app/queries.py": `from django.db import connection\n\n\ndef find(term):\n    sql = "SELECT * FROM t WHERE name = '%s'" % term\n    return connection.cursor().execute(sql)\n`,
    }, "DJANGO-SQL-001");
    assert.equal(fs_.length, 1);
    const f = fs_[0]!;
    assert.equal(f.location.path, "app/queries.py");
    assert.equal(f.location.startLine, 6);
    const trace = f.trace!;
    assert.equal(trace[0]!.kind, "source");
    assert.equal(trace[0]!.path, "app/views.py");
    assert.equal(trace[0]!.line, 5);
    assert.equal(trace[trace.length - 1]!.kind, "sink");
    assert.equal(trace[trace.length - 1]!.path, "app/queries.py");
    assert.ok(trace.some((s) => s.path === "app/views.py" && s.line === 6 && /passed to find\(\)/.test(s.note)), JSON.stringify(trace));
    assert.ok(trace.some((s) => s.path === "app/queries.py" && s.line === 5 && /%/.test(s.note)), JSON.stringify(trace));
    assert.match(f.message, /app\/views\.py:5/);
    // every step shows the code at its line (added when the trace is reported, not while the engine runs)
    assert.equal(trace[0]!.snippet, `term = request.GET.get("q", "")`);
    assert.ok(trace.some((s) => s.path === "app/views.py" && s.line === 6 && s.snippet === "return find(term)"), JSON.stringify(trace));
    assert.equal(trace[trace.length - 1]!.snippet, "return connection.cursor().execute(sql)");
    assert.ok(trace.every((s) => typeof s.snippet === "string" && s.snippet.length > 0), JSON.stringify(trace));
  });

  it("say what the sink needs: a URL in format_html() needs its scheme checked, not escaping", async () => {
    const fs_ = await findings({
      "app/__init__.py": "",
      "app/views.py": `from django.http import HttpResponse\nfrom django.utils.html import format_html\n\n\ndef back(request):\n    return HttpResponse(format_html('<a href="{}">Back</a>', request.GET["back"]), content_type="text/plain")\n`,
    }, "DJANGO-XSS-001");
    assert.equal(fs_.length, 1);
    assert.match(fs_[0]!.message, /javascript: URL/);
    assert.match(fs_[0]!.message, /allow only http\(s\) URLs/);
    assert.doesNotMatch(fs_[0]!.message, /use format_html\(\)/);
  });
});

describe("templateOriginsIn", () => {
  it("classify the values passed to a template", async () => {
    const root = await project({
      "app/__init__.py": "",
      "app/models.py": `from django.db import models\n\n\nclass Post(models.Model):\n    body = models.TextField()\n    likes = models.IntegerField()\n`,
      "app/views.py": [
        "from django.shortcuts import get_object_or_404, render",
        "from django.utils.html import format_html",
        "from django.utils.safestring import mark_safe",
        "from .models import Post",
        "",
        "",
        "def show(request, pk):",
        "    post = get_object_or_404(Post, pk=pk)",
        "    ctx = {\"q\": request.GET.get(\"q\"), \"body\": post.body, \"likes\": post.likes, \"title\": \"Blog\", \"link\": format_html(\"<a>{}</a>\", request.GET.get(\"q\")), \"banner\": mark_safe(\"<hr>\")}",
        "    return render(request, \"show.html\", ctx)",
        "",
      ].join("\n"),
    });
    const p = await loadProject({ ...defaultOptions(root), root });
    const file = p.byPath.get("app/views.py") as PythonFile;
    let dict: A.Dict | null = null;
    walkBody(file.ast.body, { expr: (e) => { if (e.kind === "Dict") dict = e; } });
    assert.ok(dict);
    const d = dict as unknown as A.Dict;
    const show = file.ast.body.find((s): s is A.FunctionDef => s.kind === "FunctionDef" && s.name === "show")!;
    const templateOrigin = templateOriginsIn(p, show);
    const got = Object.fromEntries(d.keys.map((k, i) => [(k as A.Constant).value as string, templateOrigin(d.values[i]!)?.origin ?? null]));
    // a stored field is "other" (no request data, not constant: the templates analysis judges the field);
    // a literal is left to it (null), like expressions the engine never saw
    assert.deepEqual(got, { q: "request", body: "other", likes: "none", title: null, link: "none", banner: "none" });
    const q = templateOrigin(d.values[0]!)!;
    assert.equal(q.confidence, "high");
    assert.equal(q.trace[0]!.line, 9);
    assert.equal(templateOrigin(d)!.origin, "request");
    // module-level code is not analysed
    assert.equal(templateOriginsIn(p, null)(d), null);
    assert.ok(flowsFor(p, "DJANGO-SQL-001").length === 0);
  });
});

describe("robustness", () => {
  it("a 150-deep call chain is followed; a 1,000-deep one neither overflows nor leaves notes", async () => {
    const chain = (n: number) => {
      const out = ["from django.db import connection", ""];
      for (let i = 0; i < n; i++) out.push(`def f${i}(x):`, i < n - 1 ? `    return f${i + 1}(x)` : `    connection.cursor().execute("SELECT " + x)`, "");
      out.push("def view(request):", `    f0(request.GET["q"])`);
      return out.join("\n");
    };
    const shallow = await scan(await project({ "app/__init__.py": "", "app/views.py": chain(150) }), { failOn: "none", rules: ["DJANGO-SQL-001"] });
    assert.deepEqual(shallow.findings.map((f) => f.confidence), ["high"]);
    const deep = await scan(await project({ "app/__init__.py": "", "app/views.py": chain(1000) }), { failOn: "none", rules: ["DJANGO-SQL-001"] });
    assert.deepEqual(deep.notes.filter((n) => n.kind === "analysis-error").map((n) => n.message), []);
  });

  it("syntax errors, recursion and odd shapes are analysed without notes", async () => {
    const src = [
      "from django.db import connection",
      "def a(x):",
      "    return b(x)",
      "def b(x):",
      "    return a(x) if x else x",
      "def view(request):",
      "    q = request.GET['q']",
      "    match q:",
      "        case 'x': y = q",
      "        case _: y = 'z'",
      "    f = lambda v: v",
      "    while q:",
      "        q = q[1:]",
      "    try:",
      "        z = [w for w in a(q) if w]",
      "    except Exception as e:",
      "        z = str(e)",
      "    connection.cursor().execute('SELECT ' + y + ''.join(z))",
      "def broken(:",
    ].join("\n");
    const r = await scan(await project({ "app/__init__.py": "", "app/views.py": src }), { failOn: "none", rules: ["DJANGO-SQL-001"] });
    assert.deepEqual(r.notes.filter((n) => n.kind === "analysis-error").map((n) => n.message), []);
    assert.equal(r.findings.length, 1);
  });
});

describe("speed", () => {
  const viewModule = (n: number) => {
    const out = ["from django.db import connection", "from django.http import HttpResponse", ""];
    for (let i = 0; i < n; i++) {
      out.push(
        `def view_${i}(request, slug):`,
        `    q = request.GET.get("q", "")`,
        `    parts = [q, slug, "x"]`,
        `    if q in ("a", "b"):`,
        `        q = q.upper()`,
        `    for p in parts:`,
        `        q += p`,
        `    sql = f"SELECT * FROM t_${i} WHERE a = %s"`,
        `    connection.cursor().execute(sql, [q])`,
        `    return HttpResponse("ok", content_type="text/plain")`,
        "",
      );
    }
    return out.join("\n");
  };
  const bigFunction = (n: number) => {
    const out = ["from django.db import connection", "", "def huge(request):", "    acc = ''"];
    for (let i = 0; i < n; i++) out.push(`    v${i} = request.GET.get("k${i}", "")`, `    if v${i}:`, `        acc += v${i}`, `    else:`, `        acc = acc + "${i}"`);
    out.push("    connection.cursor().execute('SELECT ' + acc)");
    return out.join("\n");
  };
  const timeScan = async (files: Record<string, string>) => {
    const root = await project(files);
    // CPU time of this process, not wall time: other test files run beside this one,
    // and a ratio of wall times would measure their load, not our scaling.
    const c0 = process.cpuUsage();
    const r = await scan(root, { failOn: "none", rules: ["DJANGO-SQL-001"], cacheDir: null });
    const c = process.cpuUsage(c0);
    return { ms: (c.user + c.system) / 1000, n: r.findings.length };
  };

  it("a 20,000-line view module scans in about the time its size predicts", async () => {
    await timeScan({ "app/__init__.py": "", "app/views.py": viewModule(50) }); // warm-up (parser, JIT)
    const small = await timeScan({ "app/__init__.py": "", "app/views.py": viewModule(200) });
    const large = await timeScan({ "app/__init__.py": "", "app/views.py": viewModule(1820) });
    assert.equal(small.n, 0);
    assert.equal(large.n, 0);
    // 9.1x the lines; allow generous noise but nothing quadratic (that would be ~80x)
    process.stdout.write(`# 200 views ${small.ms.toFixed(0)} ms, 1820 views ${large.ms.toFixed(0)} ms\n`);
    assert.ok(large.ms < small.ms * 25 + 500, `200 views: ${small.ms.toFixed(0)} ms, 1820 views (20k lines): ${large.ms.toFixed(0)} ms`);
  });

  it("one 20,000-line function does not blow up either", async () => {
    await timeScan({ "app/__init__.py": "", "app/big.py": bigFunction(100) });
    const small = await timeScan({ "app/__init__.py": "", "app/big.py": bigFunction(400) });
    const large = await timeScan({ "app/__init__.py": "", "app/big.py": bigFunction(4000) });
    assert.equal(large.n, 1);
    process.stdout.write(`# 2k-line function ${small.ms.toFixed(0)} ms, 20k-line function ${large.ms.toFixed(0)} ms\n`);
    assert.ok(large.ms < small.ms * 25 + 500, `2k lines: ${small.ms.toFixed(0)} ms, 20k lines: ${large.ms.toFixed(0)} ms`);
  });
});

describe("view parameters a decorator fills (dataflow/injected.ts)", () => {
  const decorators = `from functools import wraps


def with_next(func):
    notes = {}

    @wraps(func)
    def wrapper(request, *args, **kwargs):
        kwargs["target"] = request.GET.get("next", "/")
        notes["target"] = "/"  # bookkeeping in another dict: not what the view gets
        return func(request, *args, **kwargs)

    return wrapper


def remember(func):
    seen = {}

    @wraps(func)
    def wrapper(request, *args, **kwargs):
        seen["target"] = "/"  # stored, but never passed to the view
        return func(request, *args, **kwargs)

    return wrapper
`;
  const views = (decorator: string) => `from django.shortcuts import redirect

from .decorators import ${decorator}


@${decorator}
def jump(request, target="/home/"):
    return redirect(target)
`;

  it("reads what the wrapper puts in its own **kwargs, not another dict's entry of the same name", async () => {
    const fs = await findings({ "app/__init__.py": "", "app/decorators.py": decorators, "app/views.py": views("with_next") }, "DJANGO-REDIRECT-001");
    assert.equal(fs.length, 1);
    assert.match(fs[0]!.message, /request data, `target` passed in by jump\(\)'s decorator/);
  });

  it("leaves a parameter the decorator does not pass to what the view itself would get", async () => {
    const fs = await findings({ "app/__init__.py": "", "app/decorators.py": decorators, "app/views.py": views("remember") }, "DJANGO-REDIRECT-001");
    assert.ok(fs.every((f) => !/passed in by/.test(f.message)), fs.map((f) => f.message).join("\n"));
  });
});

describe("template tags taking the request", () => {
  const tags = (extra: string) => `from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def sort_link(request, field="title", direction=None):
    icon = "<i class='sort"
    if direction:
        icon += "-" + direction
    query = request.GET.copy()
    query["o"] = field${extra}
    return mark_safe(f'<a href="?{escape(query.urlencode())}">{icon}"></i></a>')
`;

  it("its other parameters are what templates pass, not URL parameters", async () => {
    const fs = await findings({ "app/__init__.py": "", "app/templatetags/__init__.py": "", "app/templatetags/sorting.py": tags("") }, "DJANGO-XSS-001");
    assert.ok(fs.every((f) => f.confidence !== "high" && !/URL parameter/.test(f.message)), fs.map((f) => f.message).join("\n"));
  });

  it("still reads the request it is given", async () => {
    const fs = await findings({ "app/__init__.py": "", "app/templatetags/__init__.py": "", "app/templatetags/sorting.py": tags(`\n    icon += request.GET.get("dir", "")`) }, "DJANGO-XSS-001");
    assert.ok(fs.some((f) => f.confidence === "high" && /query string/.test(f.message)), fs.map((f) => f.message).join("\n"));
  });
});

describe("log messages", () => {
  it("name a form's raw data as such, not as a credential", async () => {
    const src = `import logging\n\nfrom django import forms\n\nlogger = logging.getLogger(__name__)\n\n\nclass ProjectForm(forms.Form):\n    key = forms.CharField()\n\n    def __init__(self, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n        logger.debug("data: %s", self.data)\n`;
    const fs = await findings({ "app/__init__.py": "", "app/forms.py": src }, "DJANGO-LOG-001");
    assert.equal(fs.length, 1);
    assert.match(fs[0]!.message, /the logged value is raw form data \(self\.data\)/);
    assert.doesNotMatch(fs[0]!.message, /the credential `/);
  });
});
