import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePython, wasmMemoryBytes } from "../src/python/parse.js";
import { dottedName } from "../src/python/walk.js";
import type * as A from "../src/python/ast.js";

describe("python parser", () => {
  it("builds our AST with 1-based positions", async () => {
    const { module } = await parsePython("import os\nSECRET_KEY = os.environ.get('K', 'x')\n");
    assert.equal(module.hasErrors, false);
    const assign = module.body[1] as A.Assign;
    assert.equal(assign.kind, "Assign");
    assert.equal(assign.line, 2);
    assert.equal(assign.col, 1);
    const call = assign.value as A.Call;
    assert.equal(dottedName(call.func), "os.environ.get");
    assert.deepEqual(call.args.map((a) => (a as A.Constant).value), ["K", "x"]);
  });

  it("keeps f-string holes and decodes escapes", async () => {
    const { module } = await parsePython('q = f"a\\n{b!r:>3}c"\nr = r"\\d"\n');
    const js = (module.body[0] as A.Assign).value as A.JoinedStr;
    assert.equal(js.kind, "JoinedStr");
    assert.equal((js.values[0] as A.Constant).value, "a\n");
    const hole = js.values[1] as A.FormattedValue;
    assert.equal(hole.conversion, "r");
    assert.equal(hole.formatSpec, ">3");
    assert.equal(((module.body[1] as A.Assign).value as A.Constant).value, "\\d");
  });

  it("turns elif chains into nested If and decorated defs into FunctionDef", async () => {
    const { module } = await parsePython("@a.b(1)\ndef f(request, pk: int = 1, *args, k=None, **kw):\n    if x: pass\n    elif y: pass\n    else: pass\n");
    const f = module.body[0] as A.FunctionDef;
    assert.equal(f.kind, "FunctionDef");
    assert.equal(f.line, 1);
    assert.deepEqual(f.params.map((p) => p.star + p.name), ["request", "pk", "*args", "k", "**kw"]);
    assert.equal(f.params[3]!.keywordOnly, true);
    const iff = f.body[0] as A.If;
    assert.equal((iff.orelse[0] as A.If).kind, "If");
  });

  it("survives syntax errors and analyses the rest", async () => {
    const { module } = await parsePython("def broken(:\n    pass\nDEBUG = True\n");
    assert.equal(module.hasErrors, true);
    assert.ok(JSON.stringify(module).includes("DEBUG"));
  });

  it("cuts pathological nesting without overflowing the stack", async () => {
    const src = "x = " + "(".repeat(3000) + "1" + ")".repeat(3000) + "\ny = 2\n";
    const r = await parsePython(src);
    assert.ok(r.module.body.length >= 1);
  });

  // The walk drives web-tree-sitter's cursor through its raw wasm exports, and
  // every tree lives in wasm memory until it is deleted: parsing the same deep file
  // again and again must give the same tree and must not grow wasm memory (a tree
  // not deleted fails this; see walkTape for why the cursor is handed back).
  it("walks deep trees repeatedly with the same result (cursor stack regrowth)", async () => {
    const deep = "def f():\n    return " + "[".repeat(350) + "a" + "]".repeat(350) + "\n";
    const flat = "import os\nX = os.environ['X']\n";
    const first = JSON.stringify(await parsePython(deep));
    const firstFlat = JSON.stringify(await parsePython(flat));
    assert.ok(first.includes('"id":"a"'), "the innermost name is in the AST");
    for (let i = 0; i < 40; i++) {
      assert.equal(JSON.stringify(await parsePython(deep)), first);
      assert.equal(JSON.stringify(await parsePython(flat)), firstFlat);
    }
    const before = wasmMemoryBytes();
    for (let i = 0; i < 400; i++) await parsePython(deep);
    assert.ok(before > 0);
    assert.equal(wasmMemoryBytes(), before, "wasm memory grew while parsing the same file again and again");
  });

  it("marks error nodes and keeps what parses around them", async () => {
    const { module } = await parsePython("x = 1\ny = (\nz = 3\n");
    assert.equal(module.hasErrors, true);
    assert.ok(module.errorLines.length > 0);
    assert.ok(module.body.some((s) => s.kind === "Assign" && (s.targets[0] as A.Name).id === "x"));
  });
});
