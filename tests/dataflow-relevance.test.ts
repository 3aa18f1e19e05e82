// The data-flow engine analyses from the top level only the functions that can
// reach a sink (src/dataflow/relevance.ts) and the rest when template output asks.
// That must change nothing: on every fixture project and both examples, the flows,
// the functions marked as called, and the template-output verdict of every
// expression are those of an engine that analyses every function up front.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { DataflowEngine, type Flow } from "../src/dataflow/engine.js";
import { ownExprs } from "../src/dataflow/outputs.js";
import { relevantFunctions } from "../src/dataflow/relevance.js";
import { loadProject } from "../src/discovery/load.js";
import { defaultOptions } from "../src/options.js";
import { makeProject } from "./support/tree.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOTS = [
  ...fs.readdirSync(path.join(HERE, "fixtures")).map((d) => path.join(HERE, "fixtures", d)),
  ...fs.readdirSync(path.join(HERE, "..", "examples")).map((d) => path.join(HERE, "..", "examples", d)),
].filter((d) => fs.statSync(d).isDirectory());

const flowKey = (f: Flow) => JSON.stringify([f.rule, f.site.path, f.site.span, f.confidence, f.detail ?? "", f.taint.origin, f.taint.steps.map((s) => [s.path, s.line, s.column, s.note])]);

async function compare(root: string): Promise<{ functions: number; roots: number }> {
  const load = () => loadProject({ ...defaultOptions(root), cacheDir: null, workers: 0, includeTests: true });
  const full = new DataflowEngine(await load(), true);
  full.run();
  const project = await load();
  const pruned = new DataflowEngine(project);
  pruned.run();
  assert.deepEqual(pruned.flows.map(flowKey), full.flows.map(flowKey), `${root}: flows`);
  const fullFns = [...full.fns.values()];
  const prunedFns = [...pruned.fns.values()];
  assert.equal(prunedFns.length, fullFns.length);
  for (let i = 0; i < fullFns.length; i++) {
    const a = fullFns[i]!;
    const b = prunedFns[i]!;
    // only views' marks are read (api.ts isCalledHelper)
    if (b.isView || b.requestParam >= 0) assert.equal(pruned.called.has(b.node), full.called.has(a.node), `${root}: ${b.symbol} called`);
    pruned.ensureAnalysed(b.node);
    const verdicts = (eng: DataflowEngine, fn: typeof a.node) => {
      const out: string[] = [];
      ownExprs(fn, (e, j) => out.push(JSON.stringify(eng.outputs.get(fn, j, e) ?? null)));
      return out;
    };
    assert.deepEqual(verdicts(pruned, b.node), verdicts(full, a.node), `${root}: template verdicts in ${b.symbol}`);
  }
  assert.equal(pruned.flows.length, full.flows.length, `${root}: analysing a left-out function found a flow`);
  return { functions: prunedFns.length, roots: relevantFunctions(pruned).size };
}

describe("functions left out of the top-level analysis", () => {
  it("change nothing on any fixture project or example", async () => {
    let functions = 0;
    let roots = 0;
    for (const root of ROOTS) {
      const n = await compare(root);
      functions += n.functions;
      roots += n.roots;
    }
    // the pruning is not vacuous: some functions are left out
    assert.ok(roots < functions, `${roots} of ${functions} functions kept`);
  });

  it("keep callers of a sink through an alias, a method and a helper module, and leave request-only sinks to functions that may hold request data", async () => {
    const root = await makeProject({
      "app/__init__.py": "",
      "app/helpers.py": `import os\n\ndef run(cmd):\n    os.system(cmd)\n`,
      "app/views.py": [
        "from app.helpers import run as go",
        "import logging",
        "from django.shortcuts import redirect",
        "from django.views import View",
        "logger = logging.getLogger(__name__)",
        "",
        "def plain(request):",
        "    return request.GET.get('q')",
        "",
        "def aliased(request):",
        "    go(request.GET['c'])",
        "",
        "class V(View):",
        "    def get(self, request):",
        "        self.step(request.GET['c'])",
        "    def step(self, c):",
        "        go(c)",
        "",
        "def upload(request, doc):",
        "    doc.attachment = request.FILES['f']",
        "    doc.save()",
        "",
        "def redirect_by_hand(request, response):",
        "    response['Location'] = request.GET['next']",
        "    return response",
        "",
        "def goto(url):",
        "    # a sink that counts only request data, in a function no request reaches but through `url`",
        "    return redirect(url)",
        "",
        "def next_page(request):",
        "    return goto(request.GET['next'])",
        "",
        "def rotate(user):",
        "    # no request and no secret setting: what makes this log a credential is the name it logs",
        "    password = make_random_password()",
        "    logger.info('rotated for %s: %s', user, password)",
        "",
        "def audit(user):",
        "    # logs nothing a credential could be: analysed only if a caller needs it",
        "    logger.info('seen %s', user.username)",
        "",
      ].join("\n"),
    });
    const project = await loadProject({ ...defaultOptions(root), cacheDir: null, workers: 0 });
    const eng = new DataflowEngine(project);
    eng.run();
    const kept = [...relevantFunctions(eng)].map((f) => f.name).sort();
    // goto() is analysed when next_page() needs its summary, not up front
    assert.deepEqual(kept, ["aliased", "get", "next_page", "redirect_by_hand", "rotate", "run", "step", "upload"]);
    assert.deepEqual(eng.flows.filter((f) => f.rule === "DJANGO-CMD-001").map((f) => `${f.site.path}:${f.site.span.line} ${f.confidence}`).sort(), ["app/helpers.py:4 high", "app/helpers.py:4 high"]);
    assert.deepEqual(eng.flows.filter((f) => f.rule !== "DJANGO-CMD-001").map((f) => `${f.rule} ${f.site.path}:${f.site.span.line}`).sort(), ["DJANGO-LOG-001 app/views.py:37", "DJANGO-REDIRECT-001 app/views.py:24", "DJANGO-REDIRECT-001 app/views.py:29", "DJANGO-UPLOAD-001 app/views.py:20"]);
  });
});
