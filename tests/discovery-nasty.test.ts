// The nasty-input tree: every kind of bad input discovery must survive, built in a
// temp dir (git cannot hold loops, FIFOs or unreadable files), scanned with the
// real scan(). Each oddity must be exactly one note, and the good files next to
// them must still be analysed.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { loadProject } from "../src/discovery/load.js";
import { runRules } from "../src/engine.js";
import { defaultOptions } from "../src/options.js";
import type { PythonFile } from "../src/project/project.js";
import type * as A from "../src/python/ast.js";
import { walkBody } from "../src/python/walk.js";
import { defineRule, type Rule } from "../src/rules/types.js";
import { scan } from "../src/scan.js";

const isRoot = process.getuid?.() === 0;
let root: string;
let outside: string;

function write(rel: string, data: string | Uint8Array): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, data);
}

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "dg-nasty-"));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), "dg-outside-"));
  fs.writeFileSync(path.join(outside, "secret.py"), "PASSWORD = 'outside'\n");

  write("shop/__init__.py", "");
  write("shop/good.py", "import os\n\nDEBUG = False\nALLOWED_HOSTS = ['shop.example']\n");
  write("shop/syntax.py", "def broken(:\n    pass\n\nafter_error = os.system(cmd)\n");
  write("shop/py2.py", "import os\nprint 'hello'\ntry:\n    pass\nexcept ValueError, e:\n    pass\nafter_py2 = 1\n");
  // Python 2 that parses without an error as Python 3 (a raise with a message)
  write("shop/py2raise.py", "import os\n\ndef f(x):\n    raise ValueError, 'bad'\n");
  // Python 3.14 (PEP 758), not Python 2: no note
  write("shop/py314.py", "def f(x):\n    try:\n        return int(x)\n    except ValueError, TypeError:\n        return None\n");
  write("shop/binary.py", Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x00, 0x01, 0x02, 0xff, 0x0a]));
  write("shop/badutf8.py", Buffer.concat([Buffer.from("name = '"), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from("'\nafter_bad = 2\n")]));
  write("shop/latin1.py", Buffer.concat([Buffer.from("# -*- coding: latin-1 -*-\nname = '"), Buffer.from([0xe9, 0x74, 0xe9, 0x80]), Buffer.from("'\n")]));
  write("shop/bom.py", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("bom_value = 1\n")]));
  write("shop/crlf.py", "import os\r\n\r\ndef run(cmd):\r\n    return eval(cmd)\r\n");
  write("shop/deep.py", `deep = ${"[".repeat(10_000)}${"]".repeat(10_000)}\nafter_deep = 3\n`);
  write("shop/pep696.py", "def f[T = int]() -> T: ...\n\nafter_pep696 = eval(x)\n");
  // 10 MB of valid Python: over the default 2 MB limit.
  write("shop/huge.py", "x = 123\n".repeat((10 * 1024 * 1024) / 8));
  // Default excludes: a virtualenv under an odd name (found by its pyvenv.cfg), node_modules, __pycache__.
  write("tools-env/pyvenv.cfg", "home = /usr/bin\n");
  write("tools-env/lib/python3.12/site-packages/evil.py", "eval(x)\n");
  write("node_modules/pkg/index.js", "eval(x)\n");
  write("shop/__pycache__/good.cpython-312.pyc", Buffer.from([0, 1, 2]));
  // Symlinks: leaving the root, a directory loop, a self loop, a dangling link.
  fs.symlinkSync(outside, path.join(root, "shop/outside-link"));
  fs.symlinkSync("..", path.join(root, "shop/loop"));
  fs.symlinkSync("self-loop", path.join(root, "shop/self-loop"));
  fs.symlinkSync("does-not-exist.py", path.join(root, "shop/dangling.py"));
  // A FIFO must not hang the scan.
  execFileSync("mkfifo", [path.join(root, "shop/pipe.py")]);
  // Unreadable file and directory.
  write("shop/locked.py", "LOCKED = 1\n");
  fs.chmodSync(path.join(root, "shop/locked.py"), 0o000);
  write("shop/lockeddir/inner.py", "INNER = 1\n");
  fs.chmodSync(path.join(root, "shop/lockeddir"), 0o000);
});

after(() => {
  for (const p of ["shop/locked.py", "shop/lockeddir"]) fs.chmodSync(path.join(root, p), 0o755);
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

function bodyNames(f: PythonFile | undefined): string[] {
  const out: string[] = [];
  walkBody(f?.ast.body ?? [], {
    stmt(s: A.Stmt) {
      if (s.kind === "Assign") for (const t of s.targets) if (t.kind === "Name") out.push(t.id);
    },
  });
  return out;
}

describe("nasty-input tree", () => {
  it("scans to completion with exactly one note per oddity", async () => {
    const result = await scan(root, { workers: 0 });
    // Exactly these discovery notes (analyses may add their own kinds, e.g. "info", about the project as a whole).
    const DISCOVERY = new Set(["syntax-error", "python2", "binary", "encoding", "too-large", "too-deep", "symlink", "unreadable", "parse-failed"]);
    const notes = result.notes.filter((n) => DISCOVERY.has(n.kind)).map((n) => `${n.path} ${n.kind}${n.line ? `:${n.line}` : ""}`).sort();
    const expected = [
      "shop/badutf8.py encoding",
      "shop/binary.py binary",
      "shop/dangling.py symlink",
      "shop/deep.py too-deep",
      "shop/huge.py too-large",
      "shop/loop symlink",
      "shop/outside-link symlink",
      "shop/pep696.py syntax-error:1",
      "shop/py2.py python2:2",
      "shop/py2raise.py python2:4",
      "shop/self-loop symlink",
      "shop/syntax.py syntax-error:1",
    ];
    if (isRoot) {
      t_rootNotice();
    } else {
      expected.push("shop/locked.py unreadable", "shop/lockeddir unreadable");
      expected.sort();
    }
    assert.deepEqual(notes, expected);

    const byPath = Object.fromEntries(result.notes.map((n) => [`${n.path} ${n.kind}`, n.message]));
    assert.match(byPath["shop/syntax.py syntax-error"]!, /syntax error at line 1; the rest of the file is still analysed/);
    assert.match(byPath["shop/huge.py too-large"]!, /10485760 bytes is over the 2097152-byte limit/);
    assert.match(byPath["shop/outside-link symlink"]!, /outside the scanned root/);
    assert.match(byPath["shop/loop symlink"]!, /loop/);
    assert.match(byPath["shop/badutf8.py encoding"]!, /invalid utf-8 bytes replaced/);
    // The good files are in the scan: good, syntax, py2, py2raise, py314, badutf8, latin1, bom, crlf, deep, pep696, __init__
    // (+ locked.py and lockeddir/inner.py when running as root, who can read mode-000 files).
    assert.equal(result.summary.files, isRoot ? 14 : 12);
  });

  it("still analyses what parses around errors, and decodes every encoding right", async () => {
    const project = await loadProject({ ...defaultOptions(root), workers: 0 });
    const py = (p: string) => project.byPath.get(p) as PythonFile | undefined;
    assert.deepEqual(bodyNames(py("shop/good.py")), ["DEBUG", "ALLOWED_HOSTS"]);
    assert.ok(bodyNames(py("shop/syntax.py")).includes("after_error"), "statement after a syntax error is analysed");
    assert.ok(bodyNames(py("shop/py2.py")).includes("after_py2"), "Python 3 statements in a Python 2 file are analysed");
    assert.ok(bodyNames(py("shop/badutf8.py")).includes("after_bad"));
    assert.ok(bodyNames(py("shop/deep.py")).includes("after_deep"), "a statement after 10,000 nested brackets is analysed");
    assert.ok(bodyNames(py("shop/pep696.py")).includes("after_pep696"), "rest of a file with a PEP 696 type-parameter default");
    const latin = (py("shop/latin1.py")!.ast.body[0] as A.Assign).value as A.Constant;
    assert.equal(latin.value, "été\u0080", "PEP 263 latin-1 cookie: ISO-8859-1, not windows-1252");
    const bom = py("shop/bom.py")!.ast.body[0] as A.Assign;
    assert.deepEqual([bom.line, bom.col], [1, 1], "BOM stripped; positions unchanged");
    assert.equal(py("shop/binary.py"), undefined);
    assert.equal(py("shop/huge.py"), undefined);
    assert.equal(project.files.some((f) => f.path.includes("tools-env") || f.path.includes("node_modules") || f.path.includes("outside")), false);
  });

  it("reports a finding on line N of a CRLF file on line N", async () => {
    const project = await loadProject({ ...defaultOptions(root), workers: 0 });
    const probe: Rule = defineRule({
      id: "TEST-EVAL", title: "test: every eval call", severity: "high", cwe: "CWE-95", owasp: "", djangoCheckIds: [],
      description: "", impact: "", fix: "", mitigation: "", falsePositives: "", references: [],
      checks: [
        (ctx) => {
          for (const f of ctx.project.python) {
            walkBody(f.ast.body, {
              expr(e: A.Expr) {
                if (e.kind === "Call" && e.func.kind === "Name" && e.func.id === "eval") {
                  ctx.report({ path: f.path, span: e, message: "eval", confidence: "high" });
                }
              },
            });
          }
        },
      ],
    });
    const findings = runRules(project, [probe]).filter((f) => f.location.path === "shop/crlf.py");
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.location.startLine, 4);
    assert.equal(findings[0]!.location.startColumn, 12);
    assert.equal(findings[0]!.evidence.trim(), "return eval(cmd)");
  });

  it("parses a 10 MB file when --max-file-size allows it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dg-big-"));
    try {
      const line = `s = "${"a".repeat(1000)}"\n`;
      const n = Math.ceil((10 * 1024 * 1024) / line.length);
      fs.writeFileSync(path.join(dir, "big.py"), line.repeat(n) + "last = eval(x)\n");
      const project = await loadProject({ ...defaultOptions(dir), maxFileSize: 16 * 1024 * 1024, workers: 0 });
      assert.deepEqual(project.notes, []);
      const f = project.byPath.get("big.py") as PythonFile;
      assert.equal(f.ast.body.length, n + 1);
      assert.equal(f.ast.body[n]!.line, n + 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("notes a file that cannot be read (simulated EACCES, so it also runs as root)", async () => {
    const target = path.join(root, "shop/good.py");
    const orig = fs.readFileSync;
    fs.readFileSync = ((p: fs.PathOrFileDescriptor, o?: unknown) => {
      if (String(p) === target) throw Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
      return (orig as (a: unknown, b: unknown) => unknown)(p, o);
    }) as typeof fs.readFileSync;
    try {
      const result = await scan(root, { workers: 0 });
      const n = result.notes.find((x) => x.path === "shop/good.py");
      assert.equal(n?.kind, "unreadable");
      assert.match(n!.message, /could not be read \(EACCES\)/);
      assert.ok(!result.notes.some((x) => x.kind === "parse-failed"));
    } finally {
      fs.readFileSync = orig;
    }
  });
});

function t_rootNotice(): void {
  // Loud, not silent: root reads mode-000 files, so the chmod part of this test
  // cannot fail here; the EACCES path is covered by the simulated test below.
  process.stderr.write(
    "\n*** discovery-nasty: running as root; mode-000 files are readable, so the chmod-000 assertions are SKIPPED (the EACCES path is tested by simulation) ***\n",
  );
}
