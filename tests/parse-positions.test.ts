// Positions and texts that the cursor walk derives rather than asks for: inner
// nodes take their span from their children, except nodes with text of their own
// around their children (string content around escapes, f-string format specs).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type * as A from "../src/python/ast.js";
import { parsePython } from "../src/python/parse.js";

async function firstValue(src: string): Promise<A.Expr> {
  const { module } = await parsePython(src);
  return (module.body[0] as A.Assign).value;
}

describe("parser positions", () => {
  it("keeps string text around escape sequences", async () => {
    const v = (await firstValue('x = "head\\n*.txt\\nsub/*"\n')) as A.Constant;
    assert.equal(v.value, "head\n*.txt\nsub/*");
    assert.deepEqual([v.line, v.col, v.endLine, v.endCol], [1, 5, 1, 25]);
  });

  it("keeps f-string format specs with nested fields", async () => {
    const v = (await firstValue('x = f"{when:%Y-%m-%d %H:%M} {n:>{width}.0f} done"\n')) as A.JoinedStr;
    const holes = v.values.filter((p): p is A.FormattedValue => p.kind === "FormattedValue");
    assert.deepEqual(holes.map((h) => h.formatSpec), ["%Y-%m-%d %H:%M", ">{width}.0f"]);
    assert.equal((v.values.at(-1) as A.Constant).value, " done");
  });

  it("spans of inner nodes match their source text, across lines and CRLF", async () => {
    const src = "result = call(\r\n    a.b,\r\n    key=[1, 2],\r\n)  # tail\r\nz = 1\r\n";
    const { module } = await parsePython(src);
    const call = (module.body[0] as A.Assign).value as A.Call;
    assert.deepEqual([call.line, call.col, call.endLine, call.endCol], [1, 10, 4, 2]);
    const kw = call.keywords[0]!;
    assert.deepEqual([kw.line, kw.col, kw.endLine, kw.endCol], [3, 5, 3, 15]);
    const z = module.body[1] as A.Assign;
    assert.deepEqual([z.line, z.col], [5, 1]);
  });

  it("columns count UTF-16 units after non-ASCII text", async () => {
    const { module } = await parsePython("s = 'é😀'; t = name\n");
    const t = module.body[1] as A.Assign;
    assert.deepEqual([t.line, t.col], [1, 12]);
    assert.equal(((t.value as A.Name).col), 16);
  });
});
