// Name resolution (python/scope.ts): what a name read in a module is bound to.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadProject } from "../src/discovery/load.js";
import { defaultOptions } from "../src/options.js";
import type * as A from "../src/python/ast.js";
import { qualifiedName } from "../src/python/scope.js";
import { walkBody } from "../src/python/walk.js";
import { makeProject } from "./support/tree.js";

/** The qualified name of each call's callee in `app/mod.py`, in source order. */
async function callees(src: string): Promise<(string | null)[]> {
  const root = await makeProject({ "app/__init__.py": "", "app/mod.py": src });
  const project = await loadProject({ ...defaultOptions(root), workers: 0 });
  const file = project.python.find((f) => f.path === "app/mod.py")!;
  const out: (string | null)[] = [];
  walkBody(file.ast.body, { expr: (e) => { if (e.kind === "Call") out.push(qualifiedName(project, file, (e as A.Call).func)); } });
  return out;
}

describe("names imported inside functions", () => {
  it("resolve where the module does not bind the name", async () => {
    const src = `def a(x):\n    from django.utils.html import escape\n    return escape(x)\n\n\nclass V:\n    def b(self, x):\n        import bleach as b\n        return b.clean(x)\n`;
    assert.deepEqual(await callees(src), ["django.utils.html.escape", "bleach.clean"]);
  });

  it("stay unresolved where two functions import the name from different places", async () => {
    const src = `def a(x):\n    from django.utils.html import escape\n    return escape(x)\n\n\ndef b(x):\n    from html import escape\n    return escape(x)\n`;
    assert.deepEqual(await callees(src), ["escape", "escape"]);
  });
});
