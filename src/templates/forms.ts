// Forms in templates and the CSRF token: internal POST forms without
// {% csrf_token %} (or Jinja2's {{ csrf_input }}), and forms that post off-site
// while carrying the token (which hands it to the other site).
import type { TraceStep } from "../findings.js";
import type { Project } from "../project/project.js";
import { viewLinksAnalysis } from "./views.js";
import type { Span } from "../python/ast.js";
import type { FormElement } from "./html.js";
import type { Template } from "./build.js";
import { templateNamed, templatesAnalysis, type TemplateSet } from "./model.js";
import { inclusionTagsAnalysis } from "./tags.js";

export interface FormIssue {
  path: string;
  span: Span;
  /** the view that renders the template, when one does, then the form */
  trace: TraceStep[];
  kind: "missing-token" | "token-leak";
  message: string;
}

const HAS_TEMPLATE = /\{[{%]/;

/** Where a form posts: "internal" (this site), "external" (another origin), or "unknown" (computed). */
export function formTarget(action: string | null): { kind: "internal" | "external" | "unknown"; host?: string } {
  if (action === null) return { kind: "internal" };
  const a = action.trim();
  const abs = /^(?:https?:)?\/\/([^/?#{}\s]+)/i.exec(a);
  if (abs) return { kind: "external", host: abs[1]! };
  if (/^[a-z][a-z0-9+.-]*:/i.test(a)) return { kind: "unknown" };
  if (HAS_TEMPLATE.test(a)) {
    // {% url %} and relative prefixes stay on the site; a variable as the whole action could be anywhere.
    if (/^\{%\s*url\b/.test(a) || /^\//.test(a) && !/^\/\//.test(a) || /^\{\{\s*request\.(path|get_full_path)/.test(a)) return { kind: "internal" };
    return { kind: "unknown" };
  }
  return { kind: "internal" };
}

function hasToken(set: TemplateSet, inclusion: ReadonlyMap<string, string>, t: Template, f: FormElement, depth = 0): boolean | null {
  if (t.csrfOffsets.some((o) => o >= f.start && o < f.end)) return true;
  let unknown = false;
  for (const op of t.openings) if (op.offset >= f.start && op.offset < f.end) unknown = true;
  // `{% wiki_form form %}`: a project inclusion tag whose template renders the token (django-wiki)
  if (t.customTags.some((use) => use.offset >= f.start && use.offset < f.end && tagRendersToken(set, inclusion, t, use.name))) return true;
  for (const inc of t.includes) {
    const at = inc.token.from;
    if (at < f.start || at >= f.end || !inc.name) continue;
    const child = templateNamed(set, t, inc.name);
    if (!child) { unknown = true; continue; }
    if (child.csrfOffsets.length || child.customTags.some((use) => tagRendersToken(set, inclusion, child, use.name))) return true;
    if (child.openings.length && depth < 3) unknown = true;
  }
  return unknown ? null : false;
}

/** A project inclusion tag whose template holds the CSRF token. */
function tagRendersToken(set: TemplateSet, inclusion: ReadonlyMap<string, string>, t: Template, tag: string): boolean {
  const name = inclusion.get(tag);
  return name !== undefined && (templateNamed(set, t, name)?.csrfOffsets.length ?? 0) > 0;
}

function formSpan(t: Template, f: FormElement): Span {
  const text = t.file.text;
  const gt = text.indexOf(">", f.start);
  const nl = text.indexOf("\n", f.start);
  let end = gt === -1 ? Math.min(text.length, f.start + 5) : gt + 1;
  if (nl !== -1 && nl < end) end = nl;
  const s = t.lineIndex.pos(f.start);
  const e = t.lineIndex.pos(end);
  return { line: s.line, col: s.col, endLine: e.line, endCol: e.col };
}

export function templateFormIssues(project: Project): FormIssue[] {
  const set = project.use(templatesAnalysis);
  const links = project.use(viewLinksAnalysis);
  const inclusion = project.use(inclusionTagsAnalysis);
  const out: FormIssue[] = [];
  for (const t of set.templates) {
    const contexts = links.contexts.get(t.file.path) ?? [];
    const rendered = contexts[0];
    // Rendered only by csrf_exempt views: the missing token is deliberate (CSRF-001's view check judges the exemption).
    const exemptOnly = contexts.length > 0 && contexts.every((c) => c.site.exempt);
    for (const f of t.forms) {
      const at = t.lineIndex.pos(f.start);
      const trace: TraceStep[] = rendered ? [{ ...rendered.via[0]!, kind: "source" }, ...rendered.via.slice(1), { kind: "sink", path: t.file.path, line: at.line, column: at.col, note: "the form" }] : [];
      const method = (f.method ?? "get").trim().toLowerCase();
      if (HAS_TEMPLATE.test(method)) continue;
      const target = formTarget(f.action);
      const token = hasToken(set, inclusion, t, f);
      const tokenName = t.dialect === "jinja2" ? "{{ csrf_input }}" : "{% csrf_token %}";
      if (target.kind === "internal" && method === "post" && token === false && !exemptOnly) {
        out.push({
          path: t.file.path, span: formSpan(t, f), kind: "missing-token", trace,
          message: `POST form${f.action ? ` to ${f.action}` : ""} has no ${tokenName}. With CsrfViewMiddleware on, the submission is rejected (403) and the usual "fix" is csrf_exempt on the view, which makes it forgeable from any site; add ${tokenName} inside the form.`,
        });
      }
      if (target.kind === "external" && token === true) {
        out.push({
          path: t.file.path, span: formSpan(t, f), kind: "token-leak", trace,
          message: `form posts to another site (${target.host}) but includes ${tokenName}: the CSRF token is sent to that site, which can then forge requests to this one. Remove the token from off-site forms.`,
        });
      }
    }
  }
  return out;
}
