// Form help text set from object data. A template's `{{ field.help_text|safe }}`
// with no view we can read behind it is usually a generic form-rendering include:
// help text is the developer's own text (model and form field definitions), and
// Django itself outputs it unescaped in the forms it renders. It carries
// attacker text only when the project sets it from data: `field.help_text =
// self.description` in a model method, `help_text=f"... {bay.family.name}"` in a
// form's __init__ (Nautobot's relationship fields). This finds those places, so
// the template rule reports such an include with the assignment as its origin and
// leaves the rest alone.
import { defineAnalysis, type Project, type PythonFile } from "../project/project.js";
import type * as A from "../python/ast.js";
import { functionLocals } from "../python/scope.js";
import { keywordArg, walkBody, walkExpr } from "../python/walk.js";
import type { ValueOrigin } from "./origin.js";

export interface HelpTextFromData {
  file: PythonFile;
  at: A.Expr;
  /** the object attribute read, e.g. `self.description` */
  read: string;
}

/** Field attributes that hold the developer's own text. */
const COPIED_TEXT = new Set(["help_text", "verbose_name", "verbose_name_plural", "label"]);

export const helpTextFromDataAnalysis = defineAnalysis("help-text-from-data", (project): HelpTextFromData[] => {
  const out: HelpTextFromData[] = [];
  for (const file of project.python) {
    if (!file.text.includes("help_text")) continue;
    // help text set from an object only means something inside a function: a local or `self` holds the object
    const fnOf = (ancestors: readonly A.Stmt[]) => ancestors.findLast((a): a is A.FunctionDef => a.kind === "FunctionDef");
    walkBody(file.ast.body, {
      stmt: (s, ancestors) => {
        const fn = fnOf(ancestors);
        if (fn && s.kind === "Assign") {
          for (const t of s.targets) if (t.kind === "Attribute" && t.attr === "help_text") note(file, fn, s.value, out);
        }
        return undefined;
      },
      expr: (e, _owner, ancestors) => {
        if (e.kind !== "Call") return;
        const fn = fnOf(ancestors);
        const text = fn && keywordArg(e, "help_text");
        if (fn && text) note(file, fn, text, out);
      },
    });
  }
  return out;
});

function note(file: PythonFile, fn: A.FunctionDef, value: A.Expr, out: HelpTextFromData[]): void {
  const read = objectRead(fn, value, 0);
  if (read) out.push({ file, at: value, read });
}

/**
 * An attribute of an object the function holds (a parameter, `self`, a local)
 * that the help text is built from, directly or through a local it assigned
 * (`name = self.product.name`). Not a module's, a class's or a module-level
 * object's (DefectDojo's `labels.ENDPOINT_HELP`, a translated text), nor a
 * constant's (an upper-case name).
 */
function objectRead(fn: A.FunctionDef, value: A.Expr, depth: number): string | null {
  const locals = functionLocals(fn);
  let found: string | null = null;
  walkExpr(value, (x) => {
    if (found) return false;
    if (x.kind === "Name" && depth < 2 && locals.has(x.id) && !fn.params.some((p) => p.name === x.id)) {
      for (const a of assignmentsTo(fn, x.id)) if ((found = objectRead(fn, a, depth + 1))) break;
      return false;
    }
    if (x.kind !== "Attribute") return undefined;
    let root: A.Expr = x;
    const parts: string[] = [];
    while (root.kind === "Attribute") { parts.unshift(root.attr); root = root.value; }
    if (root.kind !== "Name" || /^[A-Z]/.test(root.id) || !locals.has(root.id)) return false;
    const last = parts[parts.length - 1]!;
    // another field's help text or name, copied (`model._meta.get_field("x").help_text`, `field.verbose_name`): still the developer's text
    if (parts.includes("_meta") || COPIED_TEXT.has(last) || /^[A-Z][A-Z0-9_]*$/.test(last)) return false;
    found = `${root.id}.${parts.join(".")}`;
    return false;
  });
  return found;
}

/** The values a function's own statements assign to a local name (`x = ...`). */
function assignmentsTo(fn: A.FunctionDef, name: string): A.Expr[] {
  const out: A.Expr[] = [];
  walkBody(fn.body, {
    stmt: (s) => {
      if (s.kind === "FunctionDef" || s.kind === "ClassDef") return false;
      if (s.kind === "Assign" && s.targets.some((t) => t.kind === "Name" && t.id === name)) out.push(s.value);
      return undefined;
    },
  });
  return out;
}

/**
 * The origin of a template's `help_text` we could not follow to a view: null when
 * the project never sets help text from data (it is the developer's text), else
 * the first place that does.
 */
export function helpTextOrigin(project: Project): ValueOrigin | null {
  const h = project.use(helpTextFromDataAnalysis)[0];
  if (!h) return null;
  return {
    kind: "object",
    label: `${h.read}, which ${h.file.path}:${h.at.line} makes a form field's help text`,
    trace: [{ kind: "source", path: h.file.path, line: h.at.line, column: h.at.col, note: `help_text set from ${h.read}` }],
  };
}
