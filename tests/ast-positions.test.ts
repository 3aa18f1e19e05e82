// AST nodes keep `kind` on their class's prototype and their four position
// numbers packed into two fields (src/python/ast.ts). These tests hold the
// packed form to its promise: every position reads back exactly, long lines and
// huge line numbers included, writes work, and JSON has the plain shape.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as A from "../src/python/ast.js";
import { fastParse } from "../src/python/fast-parse.js";
import { parsePython } from "../src/python/parse.js";

describe("AST node positions", () => {
  it("keeps kind on the prototype and the position in two own fields", () => {
    const c = new A.Constant("v", "str", 3, 7, 3, 10);
    assert.equal(c.kind, "Constant");
    assert.deepEqual(Object.keys(c), ["s", "e", "value", "type"]);
    assert.deepEqual([c.line, c.col, c.endLine, c.endCol], [3, 7, 3, 10]);
    const comp = new A.ListComp("GeneratorExp", c, [], 1, 1, 1, 9);
    assert.equal(comp.kind, "GeneratorExp");
  });

  it("keeps only a name's start: it ends where its identifier does", () => {
    const n = new A.Name("xy", 3, 7, 3, 9);
    assert.equal(n.kind, "Name");
    assert.deepEqual(Object.keys(n), ["s", "id"]);
    assert.deepEqual([n.line, n.col, n.endLine, n.endCol], [3, 7, 3, 9]);
    // an end the identifier does not give (a made-up span, a name split over lines) is kept exactly
    const odd = new A.Name("xy", 3, 7, 4, 2);
    assert.deepEqual([odd.line, odd.col, odd.endLine, odd.endCol], [3, 7, 4, 2]);
    assert.deepEqual(JSON.parse(JSON.stringify(odd)), { kind: "Name", id: "xy", line: 3, col: 7, endLine: 4, endCol: 2 });
    odd.endLine = 3;
    odd.endCol = 9;
    assert.deepEqual([odd.line, odd.col, odd.endLine, odd.endCol], [3, 7, 3, 9]);
    assert.deepEqual(Object.keys(odd), ["s", "id"]);
  });

  it("reads back positions that do not fit the packed form exactly", () => {
    const wide = new A.Constant("v", "str", 2, 2047, 2, 5000);
    assert.deepEqual([wide.line, wide.col, wide.endLine, wide.endCol], [2, 2047, 2, 5000]);
    const deep = new A.Name("y", 2_000_000, 1, 2_000_001, 3);
    assert.deepEqual([deep.line, deep.col, deep.endLine, deep.endCol], [2_000_000, 1, 2_000_001, 3]);
    const synthetic = new A.Name("z", 0, 0, 0, 0);
    assert.deepEqual([synthetic.line, synthetic.col, synthetic.endLine, synthetic.endCol], [0, 0, 0, 0]);
  });

  it("takes writes to any position field, into and out of the unpacked form", () => {
    const n = new A.Name("x", 1, 1, 1, 2);
    n.line = 9;
    n.endCol = 4000;
    assert.deepEqual([n.line, n.col, n.endLine, n.endCol], [9, 1, 1, 4000]);
    n.endCol = 12;
    n.col = 10;
    assert.deepEqual([n.line, n.col, n.endLine, n.endCol], [9, 10, 1, 12]);
  });

  it("serialises to the plain shape: kind, own fields, position", () => {
    const call = new A.Call(new A.Name("f", 1, 1, 1, 2), [], [], 1, 1, 1, 4);
    assert.equal(
      JSON.stringify(call),
      '{"kind":"Call","func":{"kind":"Name","id":"f","line":1,"col":1,"endLine":1,"endCol":2},"args":[],"keywords":[],"line":1,"col":1,"endLine":1,"endCol":4}',
    );
    const kw = new A.Keyword("a", new A.Constant(1, "int", 1, 3, 1, 4), 1, 1, 1, 4);
    assert.equal(JSON.stringify(kw), '{"arg":"a","value":{"kind":"Constant","value":1,"type":"int","line":1,"col":3,"endLine":1,"endCol":4},"line":1,"col":1,"endLine":1,"endCol":4}');
  });

  it("gives both parsers' nodes exact columns past 2047 on a long line", async () => {
    const pad = "x".repeat(3000);
    const src = `v = ("${pad}", call(arg))\n`;
    for (const module of [fastParse(src)!.module, (await parsePython(src)).module]) {
      const tuple = (module.body[0] as A.Assign).value as A.TupleExpr;
      const call = tuple.elts[1] as A.Call;
      assert.equal(call.col, 3010);
      assert.equal(call.endCol, 3019);
      assert.equal(call.args[0]!.col, 3015);
    }
  });
});
