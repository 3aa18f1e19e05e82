// The memo helpers every analysis uses: one computation per key, `undefined`
// answers memoised too, and a node's answer kept apart per project.
import assert from "node:assert/strict";
import { test } from "node:test";
import { nodeMemo, weakMemo } from "../src/project/memo.js";
import type { Project } from "../src/project/project.js";

test("weakMemo computes once per key, undefined and null included", () => {
  const memo = weakMemo<object, string | undefined | null>();
  const a = {}, b = {}, c = {};
  let calls = 0;
  const v = (k: object, r: string | undefined | null) => memo(k, () => { calls++; return r; });
  assert.equal(v(a, "x"), "x");
  assert.equal(v(a, "other"), "x");
  assert.equal(v(b, undefined), undefined);
  assert.equal(v(b, "late"), undefined);
  assert.equal(v(c, null), null);
  assert.equal(v(c, "late"), null);
  assert.equal(calls, 3);
});

test("nodeMemo keeps one node's answers apart per project", () => {
  const memo = nodeMemo<object, number>();
  const p1 = {} as Project, p2 = {} as Project, node = {};
  assert.equal(memo(p1, node, () => 1), 1);
  assert.equal(memo(p2, node, () => 2), 2);
  assert.equal(memo(p1, node, () => 3), 1);
});
