// Custom template tags and filters (`templatetags/` modules) that hand their
// input back unescaped: mark_safe of an argument, `is_safe=True` filters that
// wrap their input in HTML, `needs_autoescape=True` filters that never look at
// `autoescape`. Their input is whatever a template passes, so the origin is the
// template's; we report the tag itself.
import type { Confidence, Severity } from "../findings.js";
import type { Project, PythonFile } from "../project/project.js";
import { defineAnalysis } from "../project/project.js";
import type * as A from "../python/ast.js";
import { qualifiedName, resolveExpr } from "../python/scope.js";
import { constString, dottedName, leadingConst, localBindings, returnsOf, SITE_PATH, walkBody, walkExpr } from "../python/walk.js";
import { OriginEval } from "./origin.js";
import { classAttributeNamesAnalysis, methodsByNameAnalysis } from "../django/classes.js";
import { flowsFor } from "../dataflow/api.js";
import { cleanMethodCall, sanitizerMethod } from "../dataflow/catalog/sanitizers.js";
import { receiverBuiltBy } from "../dataflow/clients.js";

export interface TagIssue {
  path: string;
  span: A.Span;
  message: string;
  severity: Severity;
  confidence: Confidence;
}

// render_to_string: a template renders its context escaped (autoescape), so its output is markup made safe
const ESCAPERS = /^(django\.utils\.html\.(escape|conditional_escape|format_html|format_html_join|escapejs|json_script|urlize|strip_tags)|django\.template\.loader\.render_to_string|django\.template\.defaultfilters\.(escape|force_escape|escapejs|urlencode|linebreaks_filter|linebreaksbr|urlize)|django\.utils\.http\.urlencode|html\.escape|markupsafe\.escape|jinja2\.escape|bleach\.clean|nh3\.clean|urllib\.parse\.(quote|quote_plus)|int|float|len|bool)$/;
const MARKERS = /^(django\.utils\.safestring\.(mark_safe|SafeString|SafeText|SafeData)|markupsafe\.Markup|jinja2\.Markup|jinja2\.utils\.Markup)$/;

interface Registration {
  kind: "filter" | "simple_tag" | "inclusion_tag";
  /** an inclusion tag's template, when named by a constant */
  template?: string;
  /** the name templates use: the decorator's `name=` (or first argument), else the function's */
  name: string;
  isSafe: boolean;
  needsAutoescape: boolean;
}

function registration(project: Project, file: PythonFile, fn: A.FunctionDef): Registration | null {
  for (const d of fn.decorators) {
    const callee = d.kind === "Call" ? d.func : d;
    const name = dottedName(callee) ?? "";
    const m = /(?:^|\.)(filter|simple_tag|inclusion_tag)$/.exec(name);
    if (!m) continue;
    if (callee.kind !== "Attribute") {
      const q = qualifiedName(project, file, callee) ?? "";
      if (!q.startsWith("django.")) continue;
    }
    const kw = (k: string) => (d.kind === "Call" ? d.keywords.find((x) => x.arg === k)?.value : undefined);
    const isTrue = (e: A.Expr | undefined) => e?.kind === "Constant" && e.value === true;
    const kind = m[1] as Registration["kind"];
    if (kind === "inclusion_tag") {
      // inclusion_tag(filename, func=None, takes_context=None, name=None): the first argument is the template
      const template = d.kind === "Call" ? constString(d.args[0] ?? kw("filename")) : null;
      return { kind, name: constString(kw("name")) ?? fn.name, isSafe: false, needsAutoescape: false, ...(template ? { template } : {}) };
    }
    const named = constString(kw("name")) ?? (d.kind === "Call" ? constString(d.args[0]) : null);
    return { kind, name: named ?? fn.name, isSafe: isTrue(kw("is_safe")), needsAutoescape: isTrue(kw("needs_autoescape")) };
  }
  return null;
}

class TagFlow {
  private ev: OriginEval;
  private params: Set<string>;
  constructor(private project: Project, private file: PythonFile, private fn: A.FunctionDef) {
    this.ev = new OriginEval(project, file, fn, false);
    // `context` (takes_context=True) is template data too.
    this.params = new Set(fn.params.map((p) => p.name).filter((n) => n !== "autoescape" && n !== "self"));
  }

  private isEscaper(func: A.Expr, seen: Set<string>): boolean {
    const q = qualifiedName(this.project, this.file, func);
    if (q && ESCAPERS.test(q)) return true;
    // a project function returning only sanitised markup (nautobot's clean_html → nh3.clean)
    const d = func.kind === "Name" || func.kind === "Attribute" ? resolveExpr(this.project, this.file, func) : null;
    if (d?.node.kind === "FunctionDef" && returnsSanitized(this.project, d.file, d.node, 1)) return true;
    // a local alias: esc = conditional_escape if autoescape else (lambda x: x)
    if (func.kind === "Name" && !seen.has(func.id)) {
      seen.add(func.id);
      return this.ev.assignmentsOf(func.id).some((a) => {
        let found = false;
        walkExpr(a.value, (x) => {
          if ((x.kind === "Name" || x.kind === "Attribute") && ESCAPERS.test(qualifiedName(this.project, this.file, x) ?? "")) found = true;
        });
        return found;
      });
    }
    return false;
  }

  /**
   * The value a name has at `line`, when a statement of the function's own body (not a
   * nested block) assigns it last before that line: that assignment runs and replaces the
   * earlier ones (`html = markdown(value)` then `html = clean_html(html)`: the cleaned text).
   */
  private lastAssignment(name: string, line: number): A.Expr | null {
    const before = this.ev.assignmentsOf(name).filter((a) => a.at.line < line);
    if (!before.length) return null;
    const last = before.reduce((a, b) => (b.at.line > a.at.line ? b : a));
    const top = this.fn.body.some((st) => st.kind === "Assign" && st.line === last.at.line && st.value === last.value);
    return top ? last.value : null;
  }

  /** The expression carries a parameter's text without escaping (`line`: where it is used, for names assigned on the way). */
  tainted(e: A.Expr, seen = new Set<string>(), line?: number): boolean {
    switch (e.kind) {
      case "Constant": return false;
      case "Name": {
        if (seen.has(e.id)) return false;
        const last = line !== undefined ? this.lastAssignment(e.id, line) : null;
        if (last) return this.tainted(last, new Set([...seen, e.id]));
        if (this.params.has(e.id)) return true;
        seen.add(e.id);
        return this.ev.assignmentsOf(e.id).some((a) => this.tainted(a.value, seen));
      }
      case "Call": {
        if (this.isEscaper(e.func, new Set())) return false;
        // QueryDict.urlencode() (percent-encoded: no markup characters survive), dates, digests, a model's own URL
        if (e.func.kind === "Attribute" && (e.func.attr === "urlencode" || cleanMethodCall(e.func.attr, e.args))) return false;
        const q = qualifiedName(this.project, this.file, e.func) ?? "";
        if (MARKERS.test(q)) return e.args.some((a) => this.tainted(a, seen, line));
        if (e.func.kind === "Attribute" && e.func.attr === "format" && e.func.value.kind === "Call" && MARKERS.test(qualifiedName(this.project, this.file, e.func.value.func) ?? "")) return false;
        const recv = e.func.kind === "Attribute" ? [e.func.value] : [];
        return [...recv, ...e.args, ...e.keywords.map((k) => k.value)].some((a) => this.tainted(a, seen));
      }
      case "Compare": return false;
      // `"Yes" if flag else "No"`: the test only chooses which constant comes out
      case "IfExp": return this.tainted(e.body, seen) || this.tainted(e.orelse, seen);
      default: {
        let t = false;
        walkExpr(e, (x) => {
          if (t) return false;
          if (x === e) return;
          if (this.tainted(x, seen)) t = true;
          return false;
        });
        return t;
      }
    }
  }

  /** The expression (or what it is built from) contains markup. */
  buildsHtml(e: A.Expr, seen = new Set<string>()): boolean {
    let html = false;
    walkExpr(e, (x) => {
      if (html) return false;
      const s = constString(x);
      if (s !== null && /<\/?[a-z]/i.test(s)) html = true;
      if (x.kind === "Name" && !seen.has(x.id)) {
        seen.add(x.id);
        if (this.ev.assignmentsOf(x.id).some((a) => this.buildsHtml(a.value, seen))) html = true;
      }
      return undefined;
    });
    return html;
  }

  usesName(name: string): boolean {
    let used = false;
    walkBody(this.fn.body, { expr: (x) => { if (x.kind === "Name" && x.id === name) used = true; } });
    return used;
  }

  isMarked(e: A.Expr): boolean {
    return e.kind === "Call" && MARKERS.test(qualifiedName(this.project, this.file, e.func) ?? "");
  }
}

/**
 * Names of the project's template filters whose every return is a constant (a
 * literal, or mark_safe()/Markup() of one): `{{ filter|class_selected(f) }}` outputs
 * `class="selected"` or nothing, never its input. Built once per scan.
 */
export const constantFiltersAnalysis = defineAnalysis<ReadonlySet<string>>("template-constant-filters", (project) =>
  filtersWhere(project, (file, fn) => {
    const returns = returnsOf(fn);
    const constant = (e: A.Expr): boolean =>
      e.kind === "Constant" || (e.kind === "Call" && MARKERS.test(qualifiedName(project, file, e.func) ?? "") && e.args.length === 1 && constString(e.args[0]) !== null);
    return returns.length > 0 && returns.every((r) => constant(r.value!));
  }));

/** The names templates use for the project's filters whose function passes `test`. */
function filtersWhere(project: Project, test: (file: PythonFile, fn: A.FunctionDef) => boolean): Set<string> {
  const out = new Set<string>();
  for (const { file, fn, reg } of project.use(registeredTagsAnalysis)) if (reg.kind === "filter" && test(file, fn)) out.add(reg.name);
  return out;
}

/** The project's inclusion tags by the name templates use, with the template each renders. */
export const inclusionTagsAnalysis = defineAnalysis<ReadonlyMap<string, string>>("template-inclusion-tags", (project) => {
  const out = new Map<string, string>();
  for (const { reg } of project.use(registeredTagsAnalysis)) if (reg.kind === "inclusion_tag" && reg.template) out.set(reg.name, reg.template);
  return out;
});

/**
 * Names of the project's filters whose every return is sanitised markup: bleach's or
 * nh3's clean, Django's escapers, or a project function that returns only such
 * (BookWyrm's `to_markdown` filter → views.to_markdown → sanitizer.clean → bleach.clean),
 * two calls deep. `{{ text|to_markdown|safe }}` outputs what the sanitiser let through.
 */
export const sanitizingFiltersAnalysis = defineAnalysis<ReadonlySet<string>>("template-sanitizing-filters", (project) =>
  filtersWhere(project, (file, fn) => returnsSanitized(project, file, fn, 0)));

const escapedMethodAnswers = defineAnalysis("escaped-html-method-answers", (): Map<string, boolean> => new Map());

/**
 * `{{ meta.as_html|safe }}` on an object or row whose class the template lost: every project
 * method or property of that name returns only sanitised markup (escape()/format_html()
 * output, or markup the code writes around it: Misago's MetaTag.as_html), and no class holds
 * a field or constant of that name. Read by name.
 */
export function escapedHtmlMethodAnywhere(project: Project, name: string): boolean {
  const memo = project.use(escapedMethodAnswers);
  let hit = memo.get(name);
  if (hit === undefined) {
    // a name some class also holds as a field or constant may be that value instead
    const defs = project.use(classAttributeNamesAnalysis).has(name) ? undefined : project.use(methodsByNameAnalysis).get(name);
    hit = defs !== undefined && defs.every((d) => returnsSanitized(project, d.file, d.fn, 0));
    memo.set(name, hit);
  }
  return hit;
}

function returnsSanitized(project: Project, file: PythonFile, fn: A.FunctionDef, depth: number): boolean {
  const returns = returnsOf(fn);
  return returns.length > 0 && returns.every((r) => sanitized(project, file, fn, r.value!, depth, new Set()));
}

function sanitized(project: Project, file: PythonFile, fn: A.FunctionDef, e: A.Expr, depth: number, seen: Set<string>): boolean {
  if (e.kind === "Constant") return true;
  // markup the code writes around sanitised parts: f'<a title="{escape(t)}">', "<b>%s</b>" % escape(t), s.replace("x", escape(t))
  if (e.kind === "JoinedStr") return e.values.every((v) => sanitized(project, file, fn, v.kind === "FormattedValue" ? v.value : v, depth, seen));
  if (e.kind === "BinOp" && (e.op === "+" || e.op === "%")) {
    const right = e.op === "%" && (e.right.kind === "Tuple" || e.right.kind === "List") ? e.right.elts : [e.right];
    return sanitized(project, file, fn, e.left, depth, seen) && right.every((r) => sanitized(project, file, fn, r, depth, seen));
  }
  if (e.kind === "Call" && e.func.kind === "Attribute" && (e.func.attr === "replace" || e.func.attr === "format") && e.keywords.every((k) => k.arg !== null)) {
    return [e.func.value, ...e.args, ...e.keywords.map((k) => k.value)].every((a) => sanitized(project, file, fn, a, depth, seen));
  }
  if (e.kind === "Call") {
    const q = qualifiedName(project, file, e.func) ?? "";
    if (ESCAPERS.test(q)) return true;
    // `cleaner.clean(html)` on a bleach/nh3 Cleaner the function or module made
    if (e.func.kind === "Attribute" && sanitizerMethod(receiverBuiltBy(project, file, fn, e), e.func.attr)) return true;
    // mark_safe(bleach.clean(x)): marks what the sanitiser returned
    if (MARKERS.test(q)) return e.args.length === 1 && sanitized(project, file, fn, e.args[0]!, depth, seen);
    if (depth >= 3) return false;
    const d = resolveExpr(project, file, e.func);
    return d?.node.kind === "FunctionDef" && returnsSanitized(project, d.file, d.node, depth + 1);
  }
  if (e.kind === "IfExp") return sanitized(project, file, fn, e.body, depth, seen) && sanitized(project, file, fn, e.orelse, depth, seen);
  // a local: every value the function assigns to it, and what it appends (`out += "<li>" + escape(x)`)
  if (e.kind === "Name" && !seen.has(e.id)) {
    seen.add(e.id);
    const v = localBindings(fn, e.id);
    const values = [...v.assigned, ...v.appended];
    return !v.other && values.length > 0 && values.every((x) => sanitized(project, file, fn, x, depth, seen));
  }
  return false;
}

/**
 * Names of the project's filters whose every return is a link that cannot be a
 * javascript: URL: a literal (or nothing), a value that starts with an http(s)
 * URL, a site path or a query (`"https://cwe.mitre.org/data/definitions/" + str(cwe)`,
 * reverse(...)), or a project function returning only such, two calls deep
 * (DefectDojo's cwe_url). `<a href="{{ f.cwe|cwe_url }}">` then judges nothing of f.
 */
export const urlFiltersAnalysis = defineAnalysis<ReadonlySet<string>>("template-url-filters", (project) =>
  filtersWhere(project, (file, fn) => returnsLinks(project, file, fn, 0)));

/** Text a link starts with that fixes its scheme to http(s) or mailto, or makes it relative. */
const LINK_START = /^(https?:\/\/|mailto:|\/|\?|#)/i;

function returnsLinks(project: Project, file: PythonFile, fn: A.FunctionDef, depth: number): boolean {
  const returns = returnsOf(fn);
  return returns.length > 0 && returns.every((r) => r.value === null || link(project, file, fn, r.value, depth, new Set()));
}

function link(project: Project, file: PythonFile, fn: A.FunctionDef, e: A.Expr, depth: number, seen: Set<string>): boolean {
  if (e.kind === "Constant") return true;
  const lead = leadingConst(e);
  if (lead !== null && (lead === SITE_PATH || LINK_START.test(lead))) return true;
  if (e.kind === "IfExp") return link(project, file, fn, e.body, depth, seen) && link(project, file, fn, e.orelse, depth, seen);
  // a local: appending keeps the start its assignments gave it
  if (e.kind === "Name" && !seen.has(e.id)) {
    seen.add(e.id);
    const v = localBindings(fn, e.id);
    return !v.other && v.assigned.length > 0 && v.assigned.every((x) => link(project, file, fn, x, depth, seen));
  }
  if (e.kind === "Call" && depth < 2) {
    const d = resolveExpr(project, file, e.func);
    return d?.node.kind === "FunctionDef" && returnsLinks(project, d.file, d.node, depth + 1);
  }
  return false;
}

interface RegisteredTag {
  file: PythonFile;
  fn: A.FunctionDef;
  reg: Registration;
}

/** The project's custom template tags and filters (functions registered in `templatetags` modules), found once per scan. */
const registeredTagsAnalysis = defineAnalysis<readonly RegisteredTag[]>("template-registered-tags", (project) => {
  const out: RegisteredTag[] = [];
  for (const file of project.python) {
    if (!/(^|\.)templatetags\./.test(file.moduleName)) continue;
    walkBody(file.ast.body, {
      stmt: (s) => {
        if (s.kind === "ClassDef") return false;
        if (s.kind !== "FunctionDef") return undefined;
        const reg = registration(project, file, s);
        if (reg) out.push({ file, fn: s, reg });
        return false;
      },
    });
  }
  return out;
});

export function customTagIssues(project: Project): TagIssue[] {
  const out: TagIssue[] = [];
  const sinkLines = new Set(flowsFor(project, "DJANGO-XSS-001").map((fl) => `${fl.site.path}:${fl.site.span.line}`));
  for (const { file, fn, reg } of project.use(registeredTagsAnalysis)) {
    // an inclusion tag renders its template, whose output the template analyses judge
    if (reg.kind === "inclusion_tag") continue;
    const flow = new TagFlow(project, file, fn);
    const span: A.Span = { line: fn.nameLine, col: 1, endLine: fn.nameLine, endCol: (project.lines(file.path)[fn.nameLine - 1] ?? "").length + 1 };
    const what = reg.kind === "simple_tag" ? `simple_tag ${fn.name}()` : `filter ${fn.name}`;
    for (const r of returnsOf(fn)) {
      const v = r.value!;
      if (flow.isMarked(v) && flow.tainted(v, new Set(), r.line)) {
        let why: string;
        const ignoresAutoescape = reg.needsAutoescape && !flow.usesName("autoescape");
        // The data-flow engine already reports mark_safe() of a parameter at the call; say more only when it did not see it.
        if (!ignoresAutoescape && sinkLines.has(`${file.path}:${r.line}`)) break;
        if (ignoresAutoescape) why = `is registered with needs_autoescape=True but never looks at autoescape: it marks its input safe at line ${r.line} without escaping it`;
        else if (reg.kind === "simple_tag") why = `returns mark_safe() of its arguments at line ${r.line}; Django escapes a simple_tag's result only when it is not marked safe, so the arguments reach the page raw`;
        else why = `returns mark_safe() of its input at line ${r.line} without escaping it (use conditional_escape on the input, or format_html)`;
        out.push({ path: file.path, span, message: `Template ${what} ${why}. Whatever a template passes to it — often request or user data — is rendered as HTML.`, severity: "high", confidence: "medium" });
        break;
      }
      if (reg.kind === "filter" && reg.isSafe && !flow.isMarked(v) && flow.tainted(v) && flow.buildsHtml(v)) {
        out.push({ path: file.path, span, message: `Template ${what} is registered with is_safe=True but wraps its input in HTML at line ${r.line}: for input that is already safe Django keeps the result marked safe, so any unescaped argument or text the filter adds goes to the page raw. Register it without is_safe and escape with conditional_escape/format_html.`, severity: "medium", confidence: "medium" });
        break;
      }
    }
  }
  return out;
}
