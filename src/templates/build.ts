// One template lexed once: its variables placed in their HTML context, and the
// structure the view linker needs ({% extends %}, {% include %}, {% with %},
// {% for %}, {% autoescape %}, forms). A function of the file's text and dialect
// alone; the templates analysis (model.ts) builds the project's set from these.
import type { SourceFile } from "../project/project.js";
import { htmlModel, TEXT_CONTEXT, type FormElement, type HtmlContext, type ScriptElement } from "./html.js";
import { lex, LineIndex, type BlockToken, type Dialect, type ErrorToken, type VarToken } from "./lexer.js";
import { flat, intern } from "../project/compact.js";

export interface TemplateVar {
  token: VarToken;
  ctx: HtmlContext;
  /**
   * The expression with {% with %}/{% for %} aliases replaced by what they stand
   * for, e.g. `post.body` for `{{ p.body }}` inside `{% for p in posts %}` → `posts.body`
   * (iteration keeps the path: an element of `posts` has the origin of `posts`).
   */
  resolved: string;
  /** aliases crossed while resolving, for the trace (shared when empty: never changed) */
  via: readonly { line: number; note: string }[];
  /** line of the enclosing `{% autoescape off %}` (or Jinja2 `false`), when output is not escaped */
  autoescapeOffLine: number | null;
  /** the template sets autoescape itself around this variable (on or off): nothing is inherited */
  autoescapeSet: boolean;
  /** innermost {% block %} around the variable */
  block: string | null;
  /** every {% block %} around the variable, outermost first (shared while the nesting does not change) */
  blocks: readonly string[] | null;
}

export interface IncludeRef {
  token: BlockToken;
  /** constant template name, null when computed */
  name: string | null;
  /** `with a=b` bindings, already alias-resolved */
  bindings: Map<string, string>;
  only: boolean;
  /** line of an enclosing {% autoescape off %}: the included template renders unescaped too */
  autoescapeOffLine: number | null;
  /** inside an {% autoescape %} tag (on or off): the including template's own state does not pass through */
  autoescapeSet: boolean;
  /** the {% block %}s it sits in, innermost last (null: none): a child template replacing one never renders it */
  blocks: readonly string[] | null;
}

/** Django's and Jinja2's own tags (and the parts of block tags): none of them is a project's inclusion tag. */
const BUILTIN_TAGS = new Set([
  "else", "elif", "empty", "load", "url", "trans", "translate", "blocktrans", "blocktranslate", "plural", "static", "get_static_prefix", "get_media_prefix",
  "comment", "now", "cycle", "firstof", "widthratio", "templatetag", "verbatim", "spaceless", "lorem", "debug", "resetcycle", "querystring",
  "get_current_language", "get_available_languages", "get_language_info", "language", "localize", "localtime", "timezone", "get_current_timezone",
  "if", "for", "with", "block", "include", "extends", "autoescape", "filter", "ifchanged", "cache", "set", "macro", "call", "import", "from", "raw", "csrf_token", "regroup", "partialdef", "partial",
]);

export interface Template {
  file: SourceFile;
  dialect: Dialect;
  /** broken markup (the rest of the template is still analysed). The other tokens are not kept: what rules need of them is below. */
  errors: ErrorToken[];
  vars: TemplateVar[];
  /** `{% extends "x" %}` target when constant */
  extends: { name: string; token: BlockToken } | null;
  includes: IncludeRef[];
  forms: FormElement[];
  scripts: ScriptElement[];
  /** offsets of {% csrf_token %} / {{ csrf_input }} / csrfmiddlewaretoken fields */
  csrfOffsets: number[];
  /** offsets of tags that may render more markup we do not see here ({% block %}, {% include %} of a computed name, crispy) */
  openings: { offset: number; kind: "block" | "include" | "crispy" }[];
  /** tags that are neither Django's nor Jinja2's (`{% wiki_form form %}`): a project inclusion tag's template may hold the CSRF token */
  customTags: { offset: number; name: string }[];
  /** blocks this template defines without {{ block.super }}: a parent's content for them does not render under it */
  overrides: ReadonlySet<string>;
  /** blocks opened inside {% autoescape off %} (name → line): child templates' overrides render unescaped */
  blocksOff: Map<string, number>;
  /** the template holds HTML markup (a text-only template, such as an e-mail subject, does not) */
  isMarkup: boolean;
  lineIndex: LineIndex;
}

function unquote(s: string): string | null {
  const m = /^(["'])([\s\S]*)\1$/.exec(s.trim());
  return m ? m[2]! : null;
}

/** A name bound by {% with %}/{% for %}/{% set %}/`as`: what it stands for, and where. */
interface Alias {
  expr: string;
  line: number;
  note: string;
  /** [this], made once and shared by every variable resolved through it */
  via?: readonly Alias[];
}

const NO_ALIASES: readonly Alias[] = Object.freeze([]);

/**
 * Replace the first segment of an expression through the alias stack. Bound
 * expressions are resolved when bound, so one substitution is enough.
 */
function resolveAlias(expr: string, scopes: Map<string, Alias>[]): { resolved: string; via: readonly Alias[] } {
  const root = /^[A-Za-z_]\w*/.exec(expr)?.[0];
  if (!root) return { resolved: expr, via: NO_ALIASES };
  for (let i = scopes.length - 1; i >= 0; i--) {
    const hit = scopes[i]!.get(root);
    if (hit) return { resolved: intern(hit.expr + expr.slice(root.length)), via: (hit.via ??= [hit]) };
  }
  return { resolved: expr, via: NO_ALIASES };
}

/** Django `with` bindings: `a=b c=d` or the legacy `b as a`. */
function withBindings(args: string[]): [string, string][] {
  if (args.length === 3 && args[1] === "as") return [[args[2]!, args[0]!]];
  const out: [string, string][] = [];
  for (const a of args) {
    const m = /^([A-Za-z_]\w*)=([\s\S]+)$/.exec(a);
    if (m) out.push([m[1]!, m[2]!]);
  }
  return out;
}

function expressionOf(s: string): string {
  // strip filters from a bound expression: `x|default:""` → `x`
  return s.split("|")[0]!.trim();
}

/** The hidden field a hand-written CSRF form input carries. */
const CSRF_FIELD = "csrfmiddlewaretoken";

export function buildTemplate(file: SourceFile, dialect: Dialect): Template {
  const lineIndex = new LineIndex(file.text);
  const tokens = lex(file.text, dialect, lineIndex);
  const html = htmlModel(file.text, tokens);
  const vars: TemplateVar[] = [];
  const includes: IncludeRef[] = [];
  const csrfOffsets: number[] = [];
  const openings: Template["openings"] = [];
  const customTags: Template["customTags"] = [];
  let ext: Template["extends"] = null;
  const scopes: Map<string, Alias>[] = [];
  // stack of open block-ish tags so `end*` pops the right scope
  // (kept linear: `open` counts tags per name so an unmatched end tag costs nothing, and the
  // autoescape state is its own small stack)
  const stack: { name: string; scoped: boolean; autoescape?: boolean; block?: boolean }[] = [];
  const blocks: string[] = [];
  let blockChain: readonly string[] | null = null;
  const blocksOff = new Map<string, number>();
  // block name → whether its content renders the parent's ({{ block.super }})
  const defined = new Map<string, boolean>();
  const open = new Map<string, number>();
  const autoescapes: (number | null)[] = [];
  const push = (e: { name: string; scoped: boolean; autoescape?: boolean; block?: boolean }) => {
    stack.push(e);
    open.set(e.name, (open.get(e.name) ?? 0) + 1);
  };
  const autoescapeOff = () => (autoescapes.length ? autoescapes[autoescapes.length - 1]! : null);

  for (const t of tokens) {
    if (t.type === "var") {
      const root = /^[A-Za-z_]\w*/.exec(t.expr)?.[0];
      if (root === "csrf_input" || root === "csrf_token") csrfOffsets.push(t.from);
      const { resolved, via } = resolveAlias(t.expr, scopes);
      if (blocks.length && /^block\.super\b/.test(t.expr)) defined.set(blocks[blocks.length - 1]!, true);
      vars.push({ token: t, ctx: html.contexts.get(t.from) ?? TEXT_CONTEXT, resolved, via, autoescapeOffLine: autoescapeOff(), autoescapeSet: autoescapes.length > 0, block: blocks[blocks.length - 1] ?? null, blocks: blockChain });
      continue;
    }
    if (t.type === "text") {
      // indexOf, not matchAll: a regex iterator per text token cost more than the search.
      const raw = t.raw;
      for (let i = raw.indexOf(CSRF_FIELD); i !== -1; i = raw.indexOf(CSRF_FIELD, i + CSRF_FIELD.length)) csrfOffsets.push(t.from + i);
      continue;
    }
    if (t.type !== "block") continue;
    const name = t.name;
    const args = t.args;
    if (name === "csrf_token") { csrfOffsets.push(t.from); continue; }
    if (name === "extends" && args[0]) {
      const n = unquote(args[0]);
      if (n !== null) ext = { name: n, token: t };
      continue;
    }
    if (name === "include" && args[0]) {
      const n = unquote(args[0]);
      const bindings = new Map<string, string>();
      const wi = args.indexOf("with");
      if (wi !== -1) for (const [k, v] of withBindings(args.slice(wi + 1).filter((a) => a !== "only"))) bindings.set(k, resolveAlias(expressionOf(v), scopes).resolved);
      includes.push({ token: t, name: n, bindings, only: args.includes("only") || (dialect === "jinja2" && args.includes("without")), autoescapeOffLine: autoescapeOff(), autoescapeSet: autoescapes.length > 0, blocks: blockChain });
      if (n === null) openings.push({ offset: t.from, kind: "include" });
      continue;
    }
    if (name === "crispy" || (name === "include" && args[0]?.includes("csrf"))) { openings.push({ offset: t.from, kind: "crispy" }); continue; }
    if (name === "block") {
      openings.push({ offset: t.from, kind: "block" });
      const blockName = args[0] ?? "";
      if (autoescapeOff() !== null) blocksOff.set(blockName, autoescapeOff()!);
      blocks.push(blockName);
      blockChain = blocks.slice();
      if (!defined.has(blockName)) defined.set(blockName, false);
      push({ name, scoped: false, block: true });
      continue;
    }
    if (name === "autoescape") {
      const off = (args[0] ?? "").toLowerCase();
      autoescapes.push(off === "off" || off === "false" ? t.start.line : null);
      push({ name, scoped: false, autoescape: true });
      continue;
    }
    if (name === "with") {
      const scope = new Map<string, Alias>();
      const binds = dialect === "jinja2" ? args.join(" ").split(/,\s*/).map((b) => b.split("=").map((x) => x.trim()) as [string, string]).filter((b) => b.length === 2) : withBindings(args);
      for (const [k, v] of binds) scope.set(k, { expr: resolveAlias(expressionOf(v), scopes).resolved, line: t.start.line, note: flat(`{% with %} binds ${k} = ${v}`) });
      scopes.push(scope);
      push({ name, scoped: true });
      continue;
    }
    if (name === "for") {
      const inIdx = args.indexOf("in");
      if (inIdx > 0) {
        const seq = expressionOf(args.slice(inIdx + 1).filter((a) => a !== "reversed" && a !== "recursive").join(" "));
        const scope = new Map<string, Alias>();
        const resolvedSeq = resolveAlias(seq.replace(/\.(items|values)(\(\))?$/, ""), scopes).resolved;
        for (const v of args.slice(0, inIdx).join(" ").split(",").map((x) => x.trim()).filter(Boolean)) {
          scope.set(v, { expr: resolvedSeq, line: t.start.line, note: flat(`{% for %} takes ${v} from ${seq}`) });
        }
        scopes.push(scope);
        push({ name, scoped: true });
      } else push({ name, scoped: false });
      continue;
    }
    // `{% cycle 'a' 'b' as row %}`, `{% url ... as link %}`, `{% trans "x" as t %}`, `{% now "Y" as year %}`:
    // template-made values; `{% regroup items by k as groups %}` keeps the origin of items. `{% capture as x %}...{% endcapture %}`
    // (django-capture-tag, Misago's own) keeps the block's output, which autoescaping made: its variables are judged where they stand.
    const asIdx = args.lastIndexOf("as");
    const made = ["cycle", "url", "trans", "translate", "now", "regroup", "get_current_language", "get_available_languages", "static"].includes(name) || (name === "capture" && autoescapeOff() === null);
    if (asIdx >= 0 && args[asIdx + 1] && (asIdx > 0 || name === "capture") && made) {
      const target = args[asIdx + 1]!;
      const scope = scopes[0] ?? new Map();
      if (!scopes.length) scopes.push(scope);
      const bound = name === "regroup" ? resolveAlias(expressionOf(args[0] ?? ""), scopes).resolved : '""';
      scope.set(target, { expr: bound, line: t.start.line, note: flat(`{% ${name} ... as ${target} %}`) });
      if (name !== "regroup") continue;
    }
    if (name === "set" && dialect === "jinja2") {
      const m = /^([A-Za-z_]\w*)\s*=\s*([\s\S]+)$/.exec(t.argText);
      if (m) {
        if (!scopes.length) scopes.push(new Map());
        scopes[scopes.length - 1]!.set(m[1]!, { expr: resolveAlias(expressionOf(m[2]!), scopes).resolved, line: t.start.line, note: flat(`{% set %} binds ${m[1]} = ${m[2]}`) });
      }
      continue;
    }
    if (["if", "ifchanged", "filter", "spaceless", "macro", "call", "ifequal", "ifnotequal", "blocktrans", "blocktranslate", "localize", "localtime", "timezone", "cache"].includes(name)) {
      push({ name, scoped: false });
      continue;
    }
    if (!name.startsWith("end") && !BUILTIN_TAGS.has(name)) customTags.push({ offset: t.from, name });
    if (name.startsWith("end")) {
      const opener = name.slice(3);
      // Pop to the matching opener; an unbalanced end tag is ignored.
      if (!open.get(opener)) continue;
      for (;;) {
        const s = stack.pop()!;
        open.set(s.name, open.get(s.name)! - 1);
        if (s.autoescape) autoescapes.pop();
        if (s.block) { blocks.pop(); blockChain = blocks.length ? blocks.slice() : null; }
        if (s.scoped) scopes.pop();
        if (s.name === opener) break;
      }
    }
  }
  const isMarkup = html.tags > 0 && !/\.txt$/i.test(file.path);
  const errors = tokens.filter((t): t is ErrorToken => t.type === "error");
  return { file, dialect, errors, vars, extends: ext, includes, forms: html.forms, scripts: html.scripts, csrfOffsets, openings, customTags, overrides: new Set([...defined].filter(([, sup]) => !sup).map(([n]) => n)), blocksOff, isMarkup, lineIndex };
}
