// The hand-written Django/Jinja2 template lexer: tokens, filter chains, tag
// arguments, comments, verbatim, positions, and broken markup.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lex, parseFilterChain, smartSplit, type BlockToken, type Token, type VarToken } from "../src/templates/lexer.js";
import { buildTemplate } from "../src/templates/build.js";
import type { SourceFile } from "../src/project/project.js";

const vars = (ts: Token[]) => ts.filter((t): t is VarToken => t.type === "var");
const blocks = (ts: Token[]) => ts.filter((t): t is BlockToken => t.type === "block");
const file = (text: string, path = "app/templates/app/x.html"): SourceFile => ({ path, absPath: "/" + path, kind: "django-template", text, size: text.length });

describe("template lexer", () => {
  it("splits a variable into expression and filter chain, with arguments", () => {
    const [v] = vars(lex(`<p>{{ user.profile.bio|default:"a|b"|truncatewords:30|safe }}</p>`));
    assert.ok(v);
    assert.equal(v.expr, "user.profile.bio");
    assert.deepEqual(v.filters.map((f) => [f.name, f.arg]), [["default", '"a|b"'], ["truncatewords", "30"], ["safe", null]]);
    // the filter offset points at its name in the source
    assert.equal(`<p>{{ user.profile.bio|default:"a|b"|truncatewords:30|safe }}</p>`.slice(v.filters[2]!.offset, v.filters[2]!.offset + 4), "safe");
  });

  it("keeps `}}` and `%}` inside quoted arguments in one token", () => {
    const ts = lex(`{{ x|default:"}}" }} tail {% firstof a "%}" %}`);
    const [v] = vars(ts);
    assert.equal(v!.raw, `{{ x|default:"}}" }}`);
    assert.deepEqual(v!.filters.map((f) => f.arg), ['"}}"']);
    const [b] = blocks(ts);
    assert.equal(b!.name, "firstof");
    assert.deepEqual(b!.args, ["a", '"%}"']);
  });

  it("splits tag arguments on whitespace outside quotes", () => {
    const [b] = blocks(lex(`{% include "partials/a b.html" with title=page.title only %}`));
    assert.equal(b!.name, "include");
    assert.deepEqual(b!.args, ['"partials/a b.html"', "with", "title=page.title", "only"]);
    assert.deepEqual(smartSplit(`trans "Hello world" as greeting`), ["trans", '"Hello world"', "as", "greeting"]);
  });

  it("treats {# #} and {% comment %} blocks as comments, with nothing lexed inside", () => {
    const ts = lex(`a {# {{ hidden }} #} b {% comment "why" %}{{ also_hidden }} {% if x %}{% endcomment %} {{ shown }}`);
    assert.deepEqual(vars(ts).map((v) => v.expr), ["shown"]);
    assert.equal(ts.filter((t) => t.type === "comment").length, 2);
    assert.deepEqual(blocks(ts).map((b) => b.name), ["comment", "endcomment"]);
  });

  it("leaves {% verbatim %} content as text, including named verbatim blocks", () => {
    const ts = lex(`{% verbatim %}{{ raw }}{% endverbatim %}{% verbatim js %}{% endverbatim %}{{ x }}{% endverbatim js %}{{ after }}`);
    assert.deepEqual(vars(ts).map((v) => v.expr), ["after"]);
    const text = ts.filter((t) => t.type === "text").map((t) => t.raw).join("");
    assert.ok(text.includes("{{ raw }}") && text.includes("{{ x }}"));
  });

  it("gives every token an exact 1-based line and column", () => {
    const src = "line one\n  {% if a %}\n    <b>{{ a.b }}</b>\n{% endif %}";
    const ts = lex(src);
    const [v] = vars(ts);
    assert.deepEqual([v!.start.line, v!.start.col, v!.end.line, v!.end.col], [3, 8, 3, 17]);
    const [ifTag, endif] = blocks(ts);
    assert.deepEqual([ifTag!.start.line, ifTag!.start.col], [2, 3]);
    assert.deepEqual([endif!.start.line, endif!.start.col], [4, 1]);
    assert.equal(src.slice(v!.start.offset, v!.end.offset), "{{ a.b }}");
  });

  it("survives broken markup: an unterminated tag is an error token and lexing goes on", () => {
    const ts = lex("<p>{{ broken\n{{ fine|safe }}\n{% if x\n{% endif %}");
    const errs = ts.filter((t) => t.type === "error");
    assert.equal(errs.length, 2);
    assert.equal(errs[0]!.start.line, 1);
    assert.deepEqual(vars(ts).map((v) => [v.expr, v.start.line]), [["fine", 2]]);
    assert.deepEqual(blocks(ts).map((b) => b.name), ["endif"]);
  });

  it("does not let a Django tag span lines (Django's own lexer does not) but Jinja2 tags may", () => {
    assert.equal(vars(lex("{{ a\n}}")).length, 0);
    const [v] = vars(lex("{{- a\n  |e -}}", "jinja2"));
    assert.equal(v!.expr, "a");
    assert.deepEqual(v!.filters.map((f) => f.name), ["e"]);
  });

  it("lexes Jinja2 raw blocks and call-style filters", () => {
    const ts = lex(`{% raw %}{{ not_a_var }}{% endraw %}{{ items|join(", ")|safe }}`, "jinja2");
    const [v] = vars(ts);
    assert.equal(v!.expr, "items");
    assert.deepEqual(v!.filters.map((f) => [f.name, f.arg]), [["join", '(", ")'], ["safe", null]]);
  });

  it("parses filter chains on their own, with Jinja2 `||`-free expressions", () => {
    const { expr, filters } = parseFilterChain(`_("Hi")|add:name`, 0);
    assert.equal(expr, `_("Hi")`);
    assert.deepEqual(filters.map((f) => [f.name, f.arg]), [["add", "name"]]);
  });
});

describe("template structure", () => {
  it("tracks {% autoescape off %} blocks, nested and closed", () => {
    const t = buildTemplate(file("{{ a }}{% autoescape off %}{{ b }}{% autoescape on %}{{ c }}{% endautoescape %}{{ d }}{% endautoescape %}{{ e }}"), "django");
    assert.deepEqual(t.vars.map((v) => [v.token.expr, v.autoescapeOffLine !== null]), [["a", false], ["b", true], ["c", false], ["d", true], ["e", false]]);
  });

  it("resolves {% with %} and {% for %} aliases to context expressions", () => {
    const t = buildTemplate(file(`{% with bio=profile.bio %}{{ bio|safe }}{% endwith %}{% for c in post.comments.all %}{% with text=c.body %}{{ text }}{% endwith %}{% endfor %}{{ bio }}`), "django");
    assert.deepEqual(t.vars.map((v) => v.resolved), ["profile.bio", "post.comments.all.body", "bio"]);
    assert.equal(t.vars[1]!.via.length, 1);
  });

  it("records extends, includes with bindings, blocks and csrf tokens", () => {
    const t = buildTemplate(file(`{% extends "base.html" %}{% block body %}<form method="post">{% csrf_token %}{% include "f.html" with x=y.z only %}</form>{% endblock %}`), "django");
    assert.equal(t.extends?.name, "base.html");
    assert.equal(t.includes[0]!.name, "f.html");
    assert.equal(t.includes[0]!.only, true);
    assert.equal(t.includes[0]!.bindings.get("x"), "y.z");
    assert.equal(t.csrfOffsets.length, 1);
    assert.equal(t.forms.length, 1);
    assert.equal(t.forms[0]!.method, "post");
  });

  it("stays linear on deep nesting and on runs of unmatched end tags", { timeout: 30_000 }, () => {
    const n = 50_000;
    const deep = "{% autoescape off %}" + "{% if a %}".repeat(n) + "{{ x }}" + "{% endif %}".repeat(n) + "{% endautoescape %}" + "{% endfor %}".repeat(n) + "{{ y }}";
    const t = buildTemplate(file(deep), "django");
    assert.deepEqual(t.vars.map((v) => [v.token.expr, v.autoescapeOffLine !== null]), [["x", true], ["y", false]]);
  });

  it("ignores unbalanced end tags instead of failing", () => {
    const t = buildTemplate(file(`{% endwith %}{% endfor %}{% for x in xs %}{{ x }}{% endif %}{{ x }}{% endfor %}{{ x }}`), "django");
    assert.deepEqual(t.vars.map((v) => v.resolved), ["xs", "xs", "x"]);
  });
});
