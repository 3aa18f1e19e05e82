// Jinja2 on the Python side: autoescape turned off for the Django Jinja2
// backend (OPTIONS["autoescape"] = False, or an environment factory that builds
// Environment(autoescape=False) or drops Django's autoescape option), and
// Markup(...) of non-constant text.
import type { Confidence, Severity, TraceStep } from "../findings.js";
import type { Project, PythonFile } from "../project/project.js";
import type * as A from "../python/ast.js";
import { qualifiedName, resolveDefinition } from "../python/scope.js";
import { walkBody, walkExpr } from "../python/walk.js";
import { templateConfig } from "./config.js";
import { OriginEval } from "./origin.js";
import { step } from "../dataflow/taint.js";

export interface JinjaIssue {
  path: string;
  span: A.Span;
  message: string;
  severity: Severity;
  confidence: Confidence;
  trace?: TraceStep[];
}

const ENVIRONMENT = /^jinja2(\.environment)?\.Environment$/;
const MARKUP = /^(markupsafe\.Markup|jinja2\.Markup|jinja2\.utils\.Markup)$/;

export function jinjaEnvironmentIssues(project: Project): JinjaIssue[] {
  const out: JinjaIssue[] = [];
  const count = project.ofKind("jinja2-template").length;
  const templates = count ? ` (${count} Jinja2 template${count === 1 ? "" : "s"} in the project)` : "";
  for (const b of templateConfig(project).backends) {
    if (!b.jinja2) continue;
    if (b.autoescape && !b.autoescape.value && b.autoescape.site) {
      const s = b.autoescape.site;
      out.push({ path: s.path, span: s, severity: "high", confidence: "high", message: `The Jinja2 backend sets OPTIONS["autoescape"] = False: every {{ variable }} in its templates is output as raw HTML${templates}. Keep autoescape on and mark trusted markup with Markup() one value at a time.` });
    }
    if (!b.environment) continue;
    const def = resolveDefinition(project, b.environment.dotted);
    if (!def || def.node.kind !== "FunctionDef") continue;
    const fn = def.node;
    walkBody(fn.body, {
      stmt: (st) => {
        // env.autoescape = False after building the environment
        if (st.kind !== "Assign" || st.value.kind !== "Constant" || st.value.value !== false) return undefined;
        if (st.targets.some((t) => t.kind === "Attribute" && t.attr === "autoescape")) {
          out.push({ path: def.file.path, span: st, severity: "high", confidence: "high", message: `The Jinja2 environment factory ${b.environment!.dotted} sets autoescape = False on the environment: every {{ variable }} in Jinja2 templates is output as raw HTML${templates}.` });
        }
        return undefined;
      },
      expr: (e) => {
        if (e.kind !== "Call" || !ENVIRONMENT.test(qualifiedName(project, def.file, e.func) ?? "")) return;
        const ae = e.keywords.find((k) => k.arg === "autoescape")?.value;
        const passesOptions = e.keywords.some((k) => k.arg === null);
        if (ae && ae.kind === "Constant" && ae.value === false) {
          out.push({ path: def.file.path, span: ae, severity: "high", confidence: "high", message: `The Jinja2 environment factory ${b.environment!.dotted} (TEMPLATES OPTIONS["environment"]) builds Environment(autoescape=False): every {{ variable }} in Jinja2 templates is output as raw HTML${templates}.` });
        } else if (!ae && !passesOptions) {
          out.push({ path: def.file.path, span: e, severity: "high", confidence: "medium", message: `The Jinja2 environment factory ${b.environment!.dotted} builds Environment(...) without passing on Django's options, so Django's autoescape=True is dropped and Jinja2's own default (autoescape off) applies${templates}. Accept **options and pass them to Environment.` });
        }
      },
    });
  }
  return out;
}

function enclosingFunctions(file: PythonFile, visit: (e: A.Call, fn: A.FunctionDef | null) => void): void {
  walkBody(file.ast.body, {
    expr: (e, _owner, ancestors) => {
      if (e.kind !== "Call") return;
      let fn: A.FunctionDef | null = null;
      for (let i = ancestors.length - 1; i >= 0; i--) {
        const a = ancestors[i]!;
        if (a.kind === "FunctionDef") { fn = a; break; }
      }
      visit(e, fn);
    },
  });
}

export function markupIssues(project: Project): JinjaIssue[] {
  const out: JinjaIssue[] = [];
  for (const f of project.python) {
    if (!/Markup/.test(f.text)) continue;
    const evals = new Map<A.FunctionDef | null, OriginEval>();
    enclosingFunctions(f, (call, fn) => {
      if (!MARKUP.test(qualifiedName(project, f, call.func) ?? "")) return;
      const arg = call.args[0];
      if (!arg) return;
      let ev = evals.get(fn);
      if (!ev) {
        const isView = !!fn && /^(request|req)$/.test(fn.params[0]?.name ?? "");
        ev = new OriginEval(project, f, fn, isView);
        evals.set(fn, ev);
      }
      let constantOnly = true;
      walkExpr(arg, (x) => { if (x.kind !== "Constant" && x.kind !== "JoinedStr" && x.kind !== "BinOp") constantOnly = false; });
      if (constantOnly) return;
      const o = ev.of(arg);
      if (o.kind === "constant" || o.kind === "escaped") return;
      const sev: Severity = o.kind === "request" ? "high" : "medium";
      const conf: Confidence = o.kind === "request" ? "high" : o.kind === "stored" || o.kind === "object" ? "medium" : "low";
      const whence = o.kind === "request" ? `request data (${o.label})` : o.kind === "stored" || o.kind === "object" ? `${o.label}, data users can edit (stored XSS)` : "text we cannot show is constant";
      out.push({
        path: f.path, span: call, severity: sev, confidence: conf,
        message: `Markup(...) marks ${whence} as safe HTML, so Jinja2 outputs it unescaped. Use Markup("<b>{}</b>").format(value) or markupsafe.escape(value).`,
        trace: [...o.trace, step(f, call, "sink", "marked safe with Markup()")],
      });
    });
  }
  return out;
}
