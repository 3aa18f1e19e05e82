// HTML context of template variables (parse5's tokenizer over the masked
// template), forms, and templates that are not valid HTML.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { maskTemplate } from "../src/templates/html.js";
import { lex } from "../src/templates/lexer.js";
import { buildTemplate } from "../src/templates/build.js";
import { formTarget } from "../src/templates/forms.js";
import { outputOf } from "../src/templates/xss.js";
import type { SourceFile } from "../src/project/project.js";

const file = (text: string): SourceFile => ({ path: "t/templates/t.html", absPath: "/t.html", kind: "django-template", text, size: text.length });
const contexts = (text: string) => buildTemplate(file(text), "django").vars.map((v) => ({ expr: v.token.expr, ...v.ctx }));

describe("HTML context of variables", () => {
  it("masks template tokens with same-length placeholders", () => {
    const src = "<a href='{% url \"x\" %}'>{{ name }}</a>{# c #}\r\n";
    const masked = maskTemplate(src, lex(src));
    assert.equal(masked.length, src.length);
    assert.ok(!masked.includes("{{") && !masked.includes("{%") && !masked.includes("\r"));
  });

  it("classifies text, attributes, URLs, event handlers, style, script, JSON, style blocks and comments", () => {
    const src = [
      "<p>{{ a }}</p>",
      '<div title="{{ b }}" class={{ c }}></div>',
      '<a href="{{ d }}">x</a><a href="/u/{{ e }}">y</a><img srcset={{ f }}>',
      '<button onclick="go(\'{{ g }}\')">z</button>',
      '<span style="color: {{ h }}"></span>',
      "<script>var x = {{ i }};</script>",
      '<script type="application/json">{"k": "{{ j }}"}</script>',
      '<script type="text/template"><b>{{ k }}</b></script>',
      "<style>.x { color: {{ l }} }</style>",
      "<!-- {{ m }} -->",
      "<textarea>{{ n }}</textarea>",
      "<input {{ o }}>",
      "<li{{ p|selected }}>x</li>",
    ].join("\n");
    const got = Object.fromEntries(contexts(src).map((c) => [c.expr, c]));
    assert.equal(got.a!.kind, "text");
    assert.deepEqual([got.b!.kind, got.b!.attr, got.b!.quoted], ["attr", "title", true]);
    assert.deepEqual([got.c!.kind, got.c!.quoted], ["attr", false]);
    assert.deepEqual([got.d!.kind, got.d!.atValueStart, got.d!.quoted], ["attr-url", true, true]);
    assert.deepEqual([got.e!.kind, got.e!.atValueStart], ["attr-url", false]);
    assert.deepEqual([got.f!.kind, got.f!.attr, got.f!.quoted], ["attr-url", "srcset", false]);
    assert.deepEqual([got.g!.kind, got.g!.attr], ["attr-event", "onclick"]);
    assert.equal(got.h!.kind, "attr-style");
    assert.equal(got.i!.kind, "script");
    assert.equal(got.j!.kind, "script-json");
    assert.equal(got.k!.kind, "script-data");
    assert.equal(got.l!.kind, "style");
    assert.equal(got.m!.kind, "comment");
    assert.equal(got.n!.kind, "rcdata");
    assert.equal(got.o!.kind, "tag");
    // a token glued to the tag name is still inside <li>, named as written
    assert.deepEqual([got.p!.kind, got.p!.tag], ["tag", "li"]);
  });

  it("reads `</script>` inside a script string the way browsers do", () => {
    const got = contexts(`<script>var s = "</script>"; {{ a }}</script>{{ b }}`);
    assert.deepEqual(got.map((c) => c.kind), ["text", "text"]);
  });

  it("still analyses a template that is not valid HTML or has unbalanced tags", () => {
    const got = contexts(`<div><span>{{ a }}</div></p></table><a href={{ b }}>x</b></i><p class="{{ c }}">\n<script>{{ d }}`);
    assert.equal(got.length, 4);
    assert.equal(got[0]!.kind, "text");
    assert.deepEqual([got[1]!.kind, got[1]!.quoted], ["attr-url", false]);
    assert.equal(got[2]!.kind, "attr");
    // an unclosed <script> runs to the end of the template
    assert.equal(got[3]!.kind, "script");
    // an unclosed quote swallows the rest, as in a browser: the unfinished tag at the end is dropped
    assert.deepEqual(contexts(`<p class="{{ a }}>{{ b }}`).map((c) => c.kind), ["text", "text"]);
  });

  it("finds forms with their method, action and extent, closed or not", () => {
    const t = buildTemplate(file(`<form method="POST" action="{% url 'x' %}">{% csrf_token %}</form>\n<form method=post action="https://pay.example.com/">`), "django");
    assert.equal(t.forms.length, 2);
    assert.deepEqual([t.forms[0]!.method, t.forms[0]!.action, t.forms[0]!.closed], ["POST", "{% url 'x' %}", true]);
    assert.deepEqual([t.forms[1]!.method, t.forms[1]!.closed], ["post", false]);
    assert.equal(formTarget(t.forms[1]!.action).kind, "external");
    assert.equal(formTarget(t.forms[0]!.action).kind, "internal");
    assert.equal(formTarget("{{ next }}").kind, "unknown");
    assert.equal(formTarget(null).kind, "internal");
  });
});

describe("filter chains", () => {
  const f = (...names: string[]) => names.map((n) => ({ name: n, arg: null, offset: 0 }));
  it("follows Django's order: escape after safe does nothing, force_escape does", () => {
    assert.equal(outputOf(f("safe"), false).raw, true);
    assert.equal(outputOf(f("safe", "escape"), false).raw, true);
    assert.equal(outputOf(f("escape", "safe"), false).raw, false);
    assert.equal(outputOf(f("safe", "force_escape"), false).raw, false);
    assert.equal(outputOf(f("upper"), true).raw, true);
    assert.equal(outputOf(f("length"), true).raw, false);
  });
  it("knows which filters make a value safe for JavaScript and URLs", () => {
    assert.equal(outputOf(f("escapejs"), false).jsSafe, true);
    assert.equal(outputOf(f("upper"), false).jsSafe, false);
    assert.equal(outputOf(f("urlencode"), false).urlSafe, true);
  });
});
