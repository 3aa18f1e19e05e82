// The hand-written parser (src/python/fast-parse.ts) must build exactly the AST
// of the tree-sitter path (parse.ts), key order included, or return null.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fastParse, lastBailReason } from "../src/python/fast-parse.js";
import { EMPTY, getParser, parsePythonWith } from "../src/python/parse.js";

const p = await getParser();

function same(src: string, mustAccept = true): void {
  const fast = fastParse(src);
  if (!fast) {
    if (mustAccept) assert.fail(`fastParse bailed (${lastBailReason()}) on ${JSON.stringify(src)}`);
    return;
  }
  const ts = parsePythonWith(p, src);
  assert.equal(ts.module.hasErrors, false, `tree-sitter reports errors for ${JSON.stringify(src)}`);
  assert.equal(JSON.stringify(fast.module), JSON.stringify(ts.module), `AST differs for ${JSON.stringify(src)}`);
  assert.equal(fast.tooDeep, false);
  assert.equal(fast.module.errorLines, EMPTY);
}

const SNIPPETS: string[] = [
  "", "\n", "# only a comment\n", "# c1\n\n   # c2\n", "x = 1", "x = 1\n", "x = 1\r\ny = 2\r\n", "\fx = 1\n",
  // raw strings made only of backslash pairs (tree-sitter keeps them in the end token)
  String.raw`s = r'\\' r'\'' r"\"" rb'\'' r'''\\'''` + "\n" + String.raw`p = path.replace(r'\\', '/')` + "\n" + String.raw`t = rf'{x}\\'` + "\n",
  // chains under the nesting limit are ours, and tree-sitter's shape
  "x = " + Array.from({ length: 60 }, (_, i) => `a${i}`).join(" + ") + "\ny = a" + ".b".repeat(60) + "\nz = " + Array.from({ length: 60 }, (_, i) => `c${i}`).join(" or ") + "\n",
  // match statements: each case's first pattern as tree-sitter's nodes (case_pattern, class_pattern, ...)
  'match x:\n    case Device():\n        pass\n    case [a, *rest] if a > 1:\n        pass\n    case {"k": v, **kw}:\n        pass\n    case Point(x=0, y=yy) | None:\n        pass\n    case 1 | 2:\n        pass\n    case str() as s:\n        pass\n    case _:\n        pass\n',
  'match x:\n    case -1:\n        pass\n    case 1+2j:\n        pass\n    case -1.5-2j:\n        pass\n    case "a" "b":\n        pass\n    case (1, 2):\n        pass\n    case ():\n        pass\n    case []:\n        pass\n    case (x):\n        pass\n',
  'match cmd.split():\n    case [action]:\n        pass\n    case Click(position=(x, y)):\n        pass\n    case {"x": 1, "y": [1, *_]}:\n        pass\n    case a.b.C(d.e, f=g.h):\n        pass\n    case *_:\n        pass\n',
  'def f(x):\n    match x:\n        case 1:\n            return 1\n        # trailing\n    return 2\n',
  'match x:\n    case True | False | None:\n        pass\n    case (1 | 2) as y:\n        pass\n    case [1, 2] as z if z:\n        pass\n    case {}:\n        pass\n    case {1: _, "k": Foo() as f}:\n        pass\n',
  'match x:\n    case A(\n        b=1,\n        c=2,\n    ):\n        pass\n    # comment at case level\n    case _: pass\n',
  // `match` as a name: an expression statement
  "match = 1\nmatch(x)\nmatch.group(1)\nmatch[0] = 2\nmatch (x)\nmatch -1\nmatch, b = 1, 2\n",
  // backslash continuations anywhere (tree-sitter's line_continuation is an extra, like a comment)
  ...((B) => [
    `x = a if b else ${B}\n    c\n`, `x = (1 +\n 2) ${B}\n + 3\n`, `foo(a, ${B}\n b)\n`, `with a as b, ${B}\n     c as d:\n    pass\n`,
    `def f():\n    return ${B}\n        x\n`, `try:\n    pass\nexcept ${B}\n        E:\n    pass\n`, `assert x, ${B}\n "m"\n`, `x = 1 ${B}\n\ny = 2\n`,
    `if a and ${B}\n   b:\n    pass\n`, `def f(a, ${B}\n b): pass\n`, `class A(B, ${B}\n C): pass\n`, `import a, ${B}\n b\n`,
    `f = lambda x: ${B}\n x\n`, `del a, ${B}\n b\n`, `a = b = ${B}\n c\n`, `@dec(${B}\n x)\ndef f(): pass\n`, `x[1: ${B}\n 2]\n`,
    `for a in ${B}\n    b:\n    pass\n`, `x = a ${B}\n    .b ${B}\n    .c()\n`, `x: ${B}\n int = 1\n`, `x += ${B}\n 1\n`, `a, ${B}\n b = 1, 2\n`,
    `x = [i for i in ${B}\n y if ${B}\n i]\n`, `x = a < ${B}\n b < c\n`, `x = f(*${B}\n a, **${B}\n b)\n`, `match x:\n    case ${B}\n      1:\n        pass\n`, `x = 1 ${B}\n# c\n`,
  ])("\\"),
  // Python 3.14 (PEP 758): several exceptions without parentheses are one tuple
  "try:\n    pass\nexcept A, B:\n    pass\nexcept Profile.DoesNotExist, AttributeError, KeyError:\n    pass\n",
  // f-strings nesting strings with their own quote (Python 3.12, PEP 701)
  `x = f"{a["k"]} and {b}"\ny = f'site__{self.fields['side_a_site'].to_field_name}'\nz = f"{f"{x}"}" f"{x!r:>{w["k"]}}"\n`,
  // review cases: parenthesized first exception, `**_`, a trailing ';' ends the block
  "try:\n    pass\nexcept (A), B:\n    pass\nexcept* (A.b), C:\n    pass\n",
  "match x:\n    case {**_}:\n        pass\n    case {**rest}:\n        pass\n",
  "if x: a;\nwhile y: pass;\ndef f():\n    b;\n",
  // parenthesized single with-items (Python 3.10): the Converter unwraps tree-sitter's parenthesized as_pattern
  "with (open(f) as x):\n    pass\nwith (\n    manager() as y\n):\n    pass\nwith (a() as b,):\n    pass\n",
  // starred arguments and elements tree-sitter reads plainly
  "print(*sys.version.split())\ng(f(a), *b.c(d))\nprint(f(), *b, *c[0])\nx = a[*b, c]\n",
  // numbers
  "a = 0x1F, 0o17, 0b101, 1_000, 1e-3, 1j, 1., .5, 3.14e+10J, 0XAB_CD, 1_0.2_5\n",
  "a = -1, -1.5, +2, ~3, - -1, -(1), -1j, 2 ** -1, -x ** 2\n",
  "a = ...\nb = None, True, False\n",
  // strings
  "s = 'a' \"b\" '''c\nd''' \"\"\"e\"f\"\"\"\n",
  "s = r'\\d\\n' R\"x\\\"y\" rb'\\x00' Rb'a' BR'b' br'c' u'u' U'v'\n",
  "s = b'\\x41\\u1234' + b'\\u1234'\n",
  "s = '\\n\\t\\\\\\'\\x41\\101\\u00e9\\U0001F600\\N{DASH}\\d\\8'\n",
  "s = 'line\\\ncontinued'\n",
  "s = '''a\\\nb'''\n",
  "s = f'a{b}c{d!r}e{f:>10}g{h!s:{w}.{p}f}'\n",
  "s = f'{x=}' f'{x = }' f'{{literal}}' f'}}{{'\n",
  "s = f\"{a['k']}\" F'{b}' fr'{c}\\d' rf'\\{d}' Rf'{e}' fR'{f}'\n",
  "s = f'{x:%Y-%m-%d}' f'{x!a}' f'{ x }' f'{x, y}' f'{(yield)}'\n",
  "s = f'''multi\n{line}\n'''\n",
  "s = f'{f\"{inner}\"}'\n",
  "s = 'a' f'{b}' 'c'\n",
  "s = f'' + f'plain' + f'\\n{x}'\n",
  "s = ('a'\n     'b'  # comment\n     'c')\n",
  "s = 'é' + 'ü' + '😀'\n",
  // operators
  "x = a + b - c * d / e // f % g @ h ** i\n", "x = a | b & c ^ d << e >> f\n", "x = a & b ^ c\n",
  "x = a and b or c and not d\n", "x = (a or b) or c\n", "x = a or (b or c)\n",
  "x = a < b <= c == d != e > f >= g\n", "x = a in b and c not in d and e is f and g is not h\n",
  "x = a if b else c if d else e\n", "x = lambda: 0\n", "x = lambda a, b=1, *c, d, e=2, **f: a\n",
  "x = lambda *, k: k\n", "x = lambda a, /, b: a\n",
  "if (n := len(a)) > 10: pass\n", "[y for x in z if (y := f(x))]\n",
  "x += 1\nx -= 1\nx *= 1\nx /= 1\nx //= 1\nx %= 1\nx **= 1\nx @= 1\nx &= 1\nx |= 1\nx ^= 1\nx <<= 1\nx >>= 1\n",
  "a = b = c = 1\n", "a, b = b, a\n", "a, = x\n", "a = 1,\n", "x,\n", "a, b\n", "(a, b) = c\n", "[a, b] = c\n",
  "(a) = 1\n", "for (a) in b: pass\n", "for (a, b), c in d: pass\n",
  "a, *b = c\n", "*a, b = c\n", "x = *a, b\n", "a.b = c[d] = e\n", "x: int\n", "x: int = 1\n", "self.x: str = 'a'\n",
  "x: list[int] = []\n", "x: dict[str, list[int]]\n", "x: Optional[int] | None\n", "x: int | None = None\n",
  "x: Callable[[int], str]\n", "x: Callable[..., int]\n", "x: a.b[int]\n", "x: List[int].x\n",
  "x: Literal['a', -1]\n", "x: Dict[str, 'A']\n", "x: Tuple[int, ...]\n", "x: A[B[int] | None]\n",
  // calls, subscripts, slices
  "f()\nf(a)\nf(a, b=1, *c, **d)\nf(*a, *b, k=v, **e, **g)\nf(a,)\n", "f(x for x in y)\nf((x for x in y), 1)\n",
  "a[1]\na[1:2]\na[::2]\na[:]\na[1:2, 3]\na[1,]\na[:, None]\na[...]\na[*b]\n", "a.b.c(d)[e].f\n",
  "print(x)\nprint(x, file=f)\nexec('x')\n",
  // collections and comprehensions
  "x = [], (), {}, [1], (1,), {1}, {1: 2}, {**a, 'b': 1}, [*a, *b], {*a, b}\n",
  "x = [i for i in r]\nx = {i for i in r}\nx = {k: v for k, v in d.items() if k if v}\nx = (i for i in r)\n",
  "x = [i async for i in r]\nx = [j for i in r for j in i]\n", "x = [*a]\nx = [*a, b]\nx = [a, *b]\n",
  // statements
  "if a:\n    pass\nelif b:\n    pass\nelif c:\n    x = 1\nelse:\n    y = 2\n",
  "if x: pass\n", "if x: a; b\n", "a; b; c\n", "a = 1;\n",
  "while a:\n    break\nelse:\n    continue\n",
  "for i in range(3):\n    pass\nelse:\n    pass\n", "for x in a, b: pass\n", "for i, (a, b) in c: pass\n",
  "try:\n    a\nexcept E:\n    b\nexcept (F, G) as e:\n    c\nexcept:\n    d\nelse:\n    e\nfinally:\n    f\n",
  "try:\n    a\nfinally:\n    b\n", "try:\n    a\nexcept* E as e:\n    b\n",
  "with a as b, c as (d, e), f:\n    pass\n", "with (a as b, c as d):\n    pass\n", "with (a, b):\n    pass\n",
  "with (a):\n    pass\n", "with (a).b() as c:\n    pass\n", "with (a, b) as c:\n    pass\n",
  "async def f():\n    async with a as b:\n        pass\n    async for x in y:\n        pass\n    await z\n    return [i async for i in g()]\n",
  "def f(a, b: int, c=1, d: str = 'x', *args, e, f=2, **kw) -> None:\n    return a, b\n",
  "def f(a, /, b, *, c):\n    pass\n", "def f(*, a): pass\n", "def f(\n    a,\n    b,\n):\n    pass\n",
  "def f():\n    yield\n    yield x\n    yield x, y\n    yield from g()\n    x = yield\n    x = yield y\n",
  "def f():\n    global a, b\n    nonlocal c\n", "global g\n",
  "class A:\n    pass\n", "class A(B, C, metaclass=M):\n    x = 1\n\n    class Inner:\n        def m(self):\n            def inner():\n                return 1\n            return inner\n",
  "class A(): pass\n", "@d\ndef f(): pass\n", "@a.b(c)\n@d\nclass C: pass\n", "@(lambda f: f)\ndef g(): pass\n", "@x[0].y\nasync def h(): pass\n",
  "import a\nimport a.b.c\nimport a as b, c.d as e\n", "from a import b\nfrom a.b import c as d, e\nfrom . import x\nfrom .. import y\nfrom ...a import z\nfrom .a.b import (c,\n  d,)\nfrom a import *\nfrom __future__ import annotations\n",
  "del a\ndel a, b\ndel (a, b)\ndel a[0], b.c\n", "assert a\nassert a, 'msg'\n", "raise\nraise E\nraise E('x') from e\nraise E from None\n",
  "return_ = 1\nprint_ = 2\nmatch = 3\ntype = 4\nmatch.x = 5\nprint\n",
  // comments and layout
  "def f():\n    x  # c\n    # d\n# e\n", "def f():\n    if a: b  # c\n", "class A:\n    def f():\n        x\n    # c\ny = 1\n",
  "def f():\n    x\n        # deeper\n    # same\n  # between\ny\n", "def f():\n\tif x:\n\t\treturn 1\n\treturn 2\n",
  "x = (1 +  # c\n     2)\n", "if a:\n    pass\n# trailing\n", "def f():\n    pass\n    # last\n",
  "x = 1 + \\\n    2\n", "if a and \\\n   b:\n    pass\n", "s = 'a' \\\n    'b'\n", "x = [1,\n     2,\n     3]\n",
  "def f(): return 1\n", "x = 1  # no newline at end", "def f():\n    pass", "déjà = 1\nπ = 3.14\n变量 = π\n",
  "x = 'a\\u00e9'  # ü\ny = x\n",
  // type parameters (dropped by the Converter) and type aliases (UnknownStmt)
  "def f[T](x: T) -> T:\n    return x\n", "class C[T: int, *Ts, **P](B): pass\n",
  "type X = int\n", "type Pair[T] = tuple[T, T]\n", "type = 1\ny = type(x)\n",
];

test("fastParse matches tree-sitter on a table of snippets", () => {
  for (const src of SNIPPETS) same(src);
});

function pyFiles(dir: string, out: string[]): void {
  for (const n of readdirSync(dir)) {
    const f = join(dir, n);
    const st = statSync(f);
    if (st.isDirectory()) pyFiles(f, out);
    else if (n.endsWith(".py")) out.push(f);
  }
}

test("fastParse matches tree-sitter on every .py under tests/fixtures and examples", () => {
  const files: string[] = [];
  pyFiles("tests/fixtures", files);
  pyFiles("examples", files);
  assert.ok(files.length > 50);
  let accepted = 0;
  for (const f of files) {
    const src = readFileSync(f, "utf8");
    const fast = fastParse(src);
    const ts = parsePythonWith(p, src);
    if (!fast) continue;
    accepted++;
    assert.equal(JSON.stringify(fast.module), JSON.stringify(ts.module), `AST differs for ${f}`);
  }
  // bails are allowed, but they are rare: most fixture files must go the fast way
  assert.ok(accepted >= files.length * 0.95, `only ${accepted} of ${files.length} accepted`);
});

test("fastParse bails (null, no throw) on what it must not model", () => {
  const mustBail: [string, string][] = [
    ["x = (1,\n", "unclosed bracket"],
    ["x = 'abc\n", "unclosed string"],
    ["x = '''abc\n", "unclosed triple string"],
    ["def f(:\n  pass\n", "syntax error"],
    ["x = = 1\n", "syntax error"],
    ["if x:\npass\n", "missing indent"],
    ["  x = 1\n", "unexpected indent"],
    ["if x:\n    a\n  b\n", "inconsistent dedent"],
    ["print 'hello'\n", "python 2 print"],
    ["print >>f, 'x'\n", "python 2 print chevron"],
    ["exec 'code'\n", "python 2 exec"],
    ["x = 1 <> 2\n", "<> operator"],
    ["x = `a`\n", "backquote"],
    ["x = 1\0\n", "NUL byte"],
    ["x = '\ud800'\n", "lone surrogate in string"],
    ["\ud800 = 1\n", "lone surrogate"],
    ["x = " + "(".repeat(5000) + "1" + ")".repeat(5000) + "\n", "5000-deep parentheses"],
    ["x = " + "[".repeat(150) + "]".repeat(150) + "\n", "150-deep brackets"],
    ["x = " + "-".repeat(5000) + "1\n", "5000 unary minus"],
    ["match x, y:\n    case 1:\n        pass\n", "match with several subjects (the Converter keeps the first)"],
    ["match x:\n    case 1, 2:\n        pass\n", "case with several patterns"],
    ["raise ValueError, 'bad'\n", "python 2 raise (tree-sitter's path notes it)"],
    ["x = f'{a\n}'\n", "newline in single-quoted f-string"],
    // long chains read in loops: tree-sitter nests each link deeper and cuts at its depth limit
    ["x = " + Array.from({ length: 1000 }, (_, i) => `a${i}`).join(" + ") + "\n", "1,000-term binary chain"],
    ["x = a" + ".b".repeat(1000) + "\n", "1,000-link attribute chain"],
    ["x = f" + "()".repeat(1000) + "\n", "1,000-link call chain"],
    ["x = a" + "[0]".repeat(1000) + "\n", "1,000-link subscript chain"],
    ["x = " + Array.from({ length: 1000 }, (_, i) => `a${i}`).join(" or ") + "\n", "1,000-term or chain"],
    ["def f(x: " + Array.from({ length: 1000 }, (_, i) => `A${i}[int]`).join(" | ") + "): pass\n", "1,000-member union type"],
    ["x = 'a\0b'\n", "NUL in a string"],
    ["x = 1  # a\0b\n", "NUL in a comment"],
    [String.raw`x = '\N{a'` + "\n" + "y = '}'\n", String.raw`\N{ not closed inside its string`],
    ["x = 1 \\", "backslash continuation at end of file"],
    ["match x:\n    case _.a:\n        pass\n", "wildcard then '.' (an error to tree-sitter)"],
    ["print(a, *b.c())\n", "starred zero-argument call after another argument (tree-sitter may read (*b.c)())"],
    ["return_value = a, *b[1:]\nx = t[*u[0]]\n", "starred subscript (tree-sitter may read (*b)[1:])"],
    ["x = " + Array.from({ length: 1000 }, (_, i) => `a${i}`).join(" = ") + " = 1\n", "1,000 chained assignment targets"],
    ["from __future__ import *\n", "from __future__ import * (a syntax error)"],
    ["def f():\n    y = (a or\nb)\n", "bracketed line left of its block after an operator (an error to tree-sitter)"],
  ];
  for (const [src, why] of mustBail) {
    let r;
    assert.doesNotThrow(() => { r = fastParse(src); }, why);
    assert.equal(r, null, `should bail: ${why}`);
    assert.notEqual(lastBailReason(), "", `a reason is recorded for: ${why}`);
  }
  // a 2 MB single line: either parsed exactly or refused, never a throw
  const big = "x = [" + "1, ".repeat(700_000) + "]\n";
  let r: ReturnType<typeof fastParse> = null;
  assert.doesNotThrow(() => { r = fastParse(big); });
  if (r) assert.equal((r as { module: { body: unknown[] } }).module.body.length, 1);
});

test("fastParse keeps the AST's memory conventions: shared EMPTY, dense arrays", () => {
  const src = "def f(a, *, b=1):\n    x = [i for i in a if i]\n    return {**b}, f(*a), []\nclass C: pass\n";
  const r = fastParse(src);
  assert.ok(r);
  let arrays = 0;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      arrays++;
      if (v.length === 0) assert.equal(v, EMPTY, "every empty array is the shared EMPTY");
      else {
        // (spare capacity is not observable from JS; what is: no holes, and not the shared EMPTY)
        assert.notEqual(v, EMPTY);
        assert.equal(v.length, Object.keys(v).length);
      }
      for (const x of v) visit(x);
      return;
    }
    if (v !== null && typeof v === "object") for (const k of Object.keys(v)) visit((v as Record<string, unknown>)[k]);
  };
  visit(r.module);
  assert.ok(arrays > 10);
  assert.equal(r.module.errorLines, EMPTY);
  assert.equal(r.module.hasErrors, false);
  assert.equal(r.tooDeep, false);
  assert.equal("python2Line" in r, false);
  // same identifiers share one string (interned like the Converter's names)
  same(src);
});
