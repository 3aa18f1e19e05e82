// Template-side XSS: every variable judged by its filters, its HTML context and
// the origin of its value (through the views that render the template). The
// rule file (src/rules/xss-001.ts) reports what this returns.
import type { Confidence, Severity, TraceStep } from "../findings.js";
import type { Project } from "../project/project.js";
import type { Span } from "../python/ast.js";
import { urlRunsScript, type HtmlContext } from "./html.js";
import type { Filter } from "./lexer.js";
import type { Template, TemplateVar } from "./build.js";
import { templateNamed, templatesAnalysis, type TemplateSet } from "./model.js";
import type { ValueOrigin } from "./origin.js";
import { originForVar, viewLinksAnalysis, type TemplateContext } from "./views.js";
import { constantFiltersAnalysis, sanitizingFiltersAnalysis, urlFiltersAnalysis } from "./tags.js";
import { helpTextOrigin } from "./helptext.js";

export interface TemplateIssue {
  path: string;
  span: Span;
  message: string;
  severity: Severity;
  confidence: Confidence;
  trace: TraceStep[];
  key: string;
}

/** Filters whose output is a number, a date, a fixed word or otherwise not attacker text. */
const INERT_FILTERS = new Set([
  "length", "wordcount", "floatformat", "filesizeformat", "date", "time", "timesince", "timeuntil", "yesno", "pluralize",
  "divisibleby", "length_is", "intcomma", "intword", "naturaltime", "naturalday", "ordinal", "int", "float", "round", "count",
  "slugify", "json_script", "tojson", "escapejs", "urlencode", "add_class", "filesizeformat", "abs", "sum", "min", "max", "get_digit",
]);

interface Output {
  /** output bypasses HTML escaping (|safe, |safeseq, autoescape off) */
  raw: boolean;
  rawBy: string | null;
  /** escaped for a JavaScript string (escapejs, json_script, tojson) */
  jsSafe: boolean;
  /** URL-encoded or inert: cannot start a javascript: URL */
  urlSafe: boolean;
  /** not attacker text at all (numbers, dates...) */
  inert: boolean;
}

const NO_FILTERS: ReadonlySet<string> = new Set();

/** Walk a filter chain as Django applies it, left to right (`constantFilters`: project filters that output only constants). */
export function outputOf(filters: readonly Filter[], autoescapeOff: boolean, constantFilters: ReadonlySet<string> = NO_FILTERS, sanitizingFilters: ReadonlySet<string> = NO_FILTERS, urlFilters: ReadonlySet<string> = NO_FILTERS): Output {
  // `marked`: the value is SafeData; autoescape off outputs everything raw that was not escaped.
  let marked = false;
  let rawBy: string | null = autoescapeOff ? "autoescape off" : null;
  let escaped = false;
  let jsSafe = false;
  let urlSafe = false;
  let inert = false;
  for (const f of filters) {
    const n = f.name;
    if (n === "safe" || n === "safeseq") { marked = true; if (!escaped) rawBy = `|${n}`; continue; }
    if (n === "force_escape" || n === "forceescape") { escaped = true; marked = true; continue; }
    if (n === "escape" || n === "e") {
      // Django's and Jinja2's escape leave a value already marked safe untouched.
      if (!marked) { escaped = true; marked = true; }
      continue;
    }
    if (n === "escapejs" || n === "json_script" || n === "tojson") { jsSafe = true; escaped = true; marked = true; urlSafe = n !== "escapejs"; continue; }
    if (n === "urlencode") { urlSafe = true; escaped = true; marked = true; continue; }
    if (n === "stringformat") {
      if (f.arg && /["'][-+ #0]*\d*(\.\d+)?[dife]["']/.test(f.arg)) { inert = true; escaped = true; }
      continue;
    }
    if (INERT_FILTERS.has(n)) { inert = true; escaped = true; urlSafe = true; jsSafe = jsSafe || n !== "date"; continue; }
    // a project filter that returns only constants: what comes out is its text, not the input
    if (constantFilters.has(n)) { inert = true; escaped = true; urlSafe = true; jsSafe = true; continue; }
    // a project filter returning sanitised markup (bleach.clean): |safe after it outputs what the sanitiser kept
    if (sanitizingFilters.has(n)) { escaped = true; marked = true; continue; }
    // a project filter that makes a link of this site or an http(s) one: no javascript: URL comes out
    if (urlFilters.has(n)) { urlSafe = true; continue; }
  }
  const raw = !escaped && (marked || autoescapeOff);
  return { raw, rawBy: raw ? rawBy : null, jsSafe, urlSafe: urlSafe || inert, inert };
}

const RANKED = (o: ValueOrigin) => o.kind === "request" || o.kind === "stored" || o.kind === "object";

function describeOrigin(o: ValueOrigin, tc: TemplateContext | null): string {
  const where = tc ? `, passed by ${tc.site.view} (${tc.site.file.path}:${tc.site.at.line})` : "";
  switch (o.kind) {
    case "request": return `comes from the request (${o.label})${tc ? where : o.trace.length ? ", added to every template by a context processor" : ", read in the template itself"}`;
    case "stored": return `comes from ${o.label}, data users can edit (stored XSS)${where}`;
    case "object": return `is a database row (${o.label}) whose text users can edit (stored XSS)${where}`;
    default: return tc ? `has no origin we could follow (not in the context ${tc.site.view} passes; a context processor or a view we could not read may set it)` : "has no origin we could follow (no view we can read renders this template)";
  }
}

function grade(o: ValueOrigin): { severity: Severity; confidence: Confidence } {
  switch (o.kind) {
    case "request": return { severity: "high", confidence: "high" };
    case "stored": return { severity: "medium", confidence: "medium" };
    case "object": return { severity: "medium", confidence: "low" };
    default: return { severity: "medium", confidence: "low" };
  }
}

function contextWords(ctx: HtmlContext): string {
  switch (ctx.kind) {
    case "script": return "inside a <script> block";
    case "script-json": return "inside a JSON <script> block";
    case "attr-event": return `in the ${ctx.attr} event-handler attribute`;
    case "attr-url": return `in the ${ctx.attr} URL attribute`;
    case "attr-style": return "in a style attribute";
    case "attr": return `in the ${ctx.attr} attribute`;
    case "style": return "inside a <style> block";
    case "comment": return "inside an HTML comment";
    case "tag": return `inside the <${ctx.tag}> tag`;
    default: return "in the page text";
  }
}

function buildTrace(project: Project, t: Template, v: TemplateVar, origin: ValueOrigin, tc: TemplateContext | null, note: string): TraceStep[] {
  const trace: TraceStep[] = [...origin.trace];
  if (tc && origin.trace.length) trace.push(...tc.via);
  for (const a of v.via) trace.push({ kind: "step", path: t.file.path, line: a.line, column: 1, note: a.note });
  const sink: TraceStep = { kind: "sink", path: t.file.path, line: v.token.start.line, column: v.token.start.col, note, snippet: v.token.raw };
  if (!trace.length) return [{ ...sink, kind: "source", note: `${v.token.expr} read in the template` }, sink];
  trace.push(sink);
  // One step per line: a read and its assignment on the same line read as one step.
  const merged: TraceStep[] = [];
  for (const s of trace) {
    const prev = merged[merged.length - 1];
    if (prev && prev.path === s.path && prev.line === s.line && s.kind !== "sink") {
      if (!prev.note.includes(s.note)) prev.note = `${prev.note}; ${s.note}`;
    } else merged.push({ ...s });
  }
  return merged;
}

function span(v: TemplateVar): Span {
  return { line: v.token.start.line, col: v.token.start.col, endLine: v.token.end.line, endCol: v.token.end.col };
}

/** Where autoescaping is off for a variable: its own template, a parent's block, or an including template. */
type OffAt = { path: string; line: number; how: string } | null;

function autoescapeOffAt(set: TemplateSet, t: Template, v: TemplateVar, includedOff: Map<Template, OffAt>): OffAt {
  const tag = t.dialect === "jinja2" ? "{% autoescape false %}" : "{% autoescape off %}";
  if (v.autoescapeOffLine !== null) return { path: t.file.path, line: v.autoescapeOffLine, how: `the ${tag} block at line ${v.autoescapeOffLine}` };
  if (v.autoescapeSet) return null;
  // A block override renders where the parent (or a grandparent) places the block.
  let cur: Template | undefined = t;
  for (let depth = 0; v.block && cur?.extends && depth < 10; depth++) {
    const parent: Template | undefined = templateNamed(set, cur, cur.extends.name);
    if (!parent || parent === cur) break;
    const line = parent.blocksOff.get(v.block);
    if (line !== undefined) return { path: parent.file.path, line, how: `the ${tag} block at ${parent.file.path}:${line}, around {% block ${v.block} %}` };
    cur = parent;
  }
  return includedOff.get(t) ?? null;
}

/** An e-mail template by its place or name: `templates/emails/…`, `account/email/…`, `password_reset_email.html`
 *  (not `includes/email_subscribe.html`, a page's sign-up box). */
const EMAIL_TEMPLATE = /(^|\/)(e-?mails?|mail)\/|_e-?mail\.[a-z0-9]+$/i;

/** Judge one variable; null when it is fine. */
function judge(project: Project, t: Template, v: TemplateVar, origin: ValueOrigin, tc: TemplateContext | null, off: OffAt): TemplateIssue | null {
  const out = outputOf(v.token.filters, off !== null, project.use(constantFiltersAnalysis), project.use(sanitizingFiltersAnalysis), project.use(urlFiltersAnalysis));
  const ctx = v.ctx;
  const expr = v.token.raw;
  const constant = origin.kind === "constant" || origin.kind === "escaped";
  if (constant) return null;
  // A text-only template (an e-mail subject or plain-text body) uses |safe to avoid HTML entities,
  // and an e-mail template turns escaping off for the same reason (no script runs in a mail client):
  // without a known untrusted origin there is nothing to say.
  if ((!t.isMarkup || EMAIL_TEMPLATE.test(t.file.path)) && origin.kind === "unknown") return null;
  // ...nor when the view reads the rendered text back as data (a QR code's payload, a file's content) instead of sending it
  if (!t.isMarkup && tc?.site.asData) return null;
  const whence = describeOrigin(origin, tc);
  const g = grade(origin);
  const mk = (kind: string, message: string, note: string, severity = g.severity, confidence = g.confidence): TemplateIssue => ({
    path: t.file.path, span: span(v), message, severity, confidence, trace: buildTrace(project, t, v, origin, tc, note), key: kind,
  });

  if (out.raw && ctx.kind !== "comment") {
    const by = out.rawBy === "autoescape off" ? off!.how : out.rawBy;
    return mk("raw", `${expr} is output without HTML escaping (${by}) ${contextWords(ctx)}; the value ${whence}. Script in it runs in every viewer's browser.`, `output unescaped by ${by}`);
  }
  if (out.inert) return null;
  if ((ctx.kind === "script" || ctx.kind === "attr-event") && !out.jsSafe && RANKED(origin)) {
    const fix = ctx.kind === "script" ? "use {{ value|json_script:\"id\" }} and read it with JSON.parse, or |escapejs inside a quoted string" : "use |escapejs, or move the handler to a script that reads a data- attribute";
    return mk("js", `${expr} is placed ${contextWords(ctx)} without |escapejs or json_script; HTML escaping does not protect JavaScript code (${fix}). The value ${whence}.`, `inserted into JavaScript ${contextWords(ctx)}`);
  }
  if (ctx.kind === "attr-url" && ctx.atValueStart && urlRunsScript(ctx.tag, ctx.attr) && !out.urlSafe && !origin.urlField && RANKED(origin)) {
    return mk("url", `${expr} starts the ${ctx.attr} URL of <${ctx.tag}>: a javascript: URL there runs script, and autoescaping does not stop it. The value ${whence}. Allow only http(s) URLs (validate the scheme, or store it in a URLField) before rendering it.`, `used as the whole ${ctx.attr} URL`);
  }
  if (ctx.kind === "tag" && ctx.tag && RANKED(origin)) {
    return mk("tag", `${expr} is written inside the <${ctx.tag}> tag itself, where it becomes attributes: autoescaping does not escape spaces or "=", so a value like "onmouseover=alert(1)" adds an event handler. The value ${whence}. Put it in a quoted attribute value instead.`, `inserted among the attributes of <${ctx.tag}>`);
  }
  if (ctx.kind.startsWith("attr") && ctx.quoted === false && (RANKED(origin) || origin.kind === "unknown")) {
    const conf: Confidence = origin.kind === "unknown" ? "low" : g.confidence;
    return mk("unquoted", `${expr} fills the unquoted ${ctx.attr} attribute of <${ctx.tag}>: autoescaping does not escape spaces, so a value like "x onmouseover=alert(1)" adds an attribute. The value ${whence}. Quote the attribute.`, `inserted into an unquoted attribute`, g.severity, conf);
  }
  return null;
}

/**
 * Templates rendered with autoescaping off because an {% autoescape off %} block
 * includes them — or includes a template that includes them, at any depth: the
 * include renders with the same context, autoescape state included, unless the
 * including template sets autoescape itself around the include. (A template's own
 * {% autoescape %} tags still win for the variables inside them.)
 */
function includedUnescaped(set: TemplateSet): Map<Template, OffAt> {
  const off = new Map<Template, OffAt>();
  const queue: Template[] = [];
  const mark = (t: Template, name: string | null, at: () => OffAt) => {
    const child = name ? templateNamed(set, t, name) : null;
    if (!child || off.has(child)) return;
    off.set(child, at());
    queue.push(child);
  };
  // included inside an {% autoescape off %} block...
  for (const t of set.templates) {
    for (const inc of t.includes) {
      const line = inc.autoescapeOffLine;
      if (line !== null) mark(t, inc.name, () => ({ path: t.file.path, line, how: `the {% autoescape off %} block at ${t.file.path}:${line} that includes it` }));
    }
  }
  // ...and what those include in turn, unless they set autoescape around the include
  for (let i = 0; i < queue.length; i++) {
    const t = queue[i]!;
    const at = off.get(t)!;
    for (const inc of t.includes) {
      if (!inc.autoescapeSet) mark(t, inc.name, () => ({ ...at, how: `${at.how.replace(/ that includes it$/, "")}, through ${t.file.path} which includes it` }));
    }
  }
  return off;
}

export function templateXssIssues(project: Project): TemplateIssue[] {
  const set = project.use(templatesAnalysis);
  const links = project.use(viewLinksAnalysis);
  const out: TemplateIssue[] = [];
  const includedOff = includedUnescaped(set);
  for (const t of set.templates) {
    for (const v of t.vars) {
      const found = originForVar(project, links, t, v.resolved, v.blocks);
      let origin: ValueOrigin | null = found.origin;
      // a form field's help text we could not follow: the developer's text unless the project builds it from data
      if (origin.kind === "unknown" && /(^|\.)help_text$/.test(v.resolved)) origin = helpTextOrigin(project);
      if (!origin) continue;
      const tc = found.tc;
      const issue = judge(project, t, v, origin, tc, autoescapeOffAt(set, t, v, includedOff));
      if (issue) out.push(issue);
    }
  }
  return out;
}
