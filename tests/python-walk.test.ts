// walkBody visits statements and expressions in the order stmtExprs and
// stmtBodies define (it pushes them itself, without building those lists).
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type * as A from "../src/python/ast.js";
import { parsePython } from "../src/python/parse.js";
import { stmtBodies, stmtExprs, walkBody, walkExpr } from "../src/python/walk.js";

/** The order by the lists: each statement, then its expressions pre-order, then its bodies. */
function byLists(body: readonly A.Stmt[], out: unknown[]): void {
  for (const s of body) {
    out.push(s);
    for (const e of stmtExprs(s)) walkExpr(e, (x) => { out.push(x); });
    for (const b of stmtBodies(s)) byLists(b, out);
  }
}

function pyFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) pyFiles(p, out);
    else if (name.endsWith(".py")) out.push(p);
  }
  return out;
}

test("walkBody visits what stmtExprs/stmtBodies list, in their order, on every fixture and example", async () => {
  const files = [...pyFiles(join(import.meta.dirname, "fixtures")), ...pyFiles(join(import.meta.dirname, "..", "examples"))];
  assert.ok(files.length > 100);
  let nodes = 0;
  for (const f of files) {
    const { module } = await parsePython(readFileSync(f, "utf8"));
    const expected: unknown[] = [];
    byLists(module.body, expected);
    const seen: unknown[] = [];
    walkBody(module.body, { stmt: (s) => { seen.push(s); }, expr: (e) => { seen.push(e); } });
    assert.equal(seen.length, expected.length, f);
    for (let i = 0; i < seen.length; i++) assert.equal(seen[i], expected[i], `${f}: node ${i}`);
    nodes += seen.length;
  }
  assert.ok(nodes > 10_000);
});

test("walkBody: every statement kind's expressions and bodies", async () => {
  const src = [
    "@dec(a)\ndef f(x=1, *, y=2): return x",
    "@d\nclass C(B, metaclass=M):\n    z: int = 3\n    w += 1",
    "with a as b, c:\n    pass",
    "try:\n    pass\nexcept E as e:\n    pass\nexcept:\n    pass\nelse:\n    pass\nfinally:\n    pass",
    "raise X from Y", "del a, b", "assert t, m", "for i in it:\n    pass\nelse:\n    pass", "while w:\n    break",
    "match s:\n    case 1 if g:\n        pass\n    case _:\n        pass",
    "if t:\n    pass\nelif u:\n    pass\nelse:\n    pass",
    "type X = int",
  ].join("\n") + "\n";
  const { module } = await parsePython(src);
  const expected: unknown[] = [];
  byLists(module.body, expected);
  const seen: unknown[] = [];
  walkBody(module.body, { stmt: (s) => { seen.push(s); }, expr: (e) => { seen.push(e); } });
  assert.deepEqual(seen, expected);
});
