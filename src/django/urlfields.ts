// Model fields whose value is an http(s) URL, so it cannot start a javascript:
// URL in an href: a URLField (its URLValidator allows http, https, ftp and ftps),
// a project field class built on one, or any field validated by a URL check,
// given at the field (`CharField(validators=[URLValidator()])`) or by the field
// class itself (BookWyrm's `RemoteIdField`, whose __init__ defaults its validators
// to `[validate_remote_id]`, a `re.match(r"^http.?://...")` check). Like a
// URLField's, these checks run when a form or full_clean() validates the row.
import { defineAnalysis, type Project, type PythonFile } from "../project/project.js";
import type * as A from "../python/ast.js";
import { qualifiedName, tryResolveExpr } from "../python/scope.js";
import { baseClass, keywordArg, walkBody } from "../python/walk.js";
import { weakMemo } from "../project/memo.js";

/** A pattern or prefix that admits only http(s) URLs: `^https?://`, `^http.?://`, `^(http|https)://`. */
const HTTP_ONLY = /^\^\(?https?\??(\|https?)?\)?(\.\?|s\?)?:/;

/** Whether the field made by `call` (in `file`) holds only http(s) URLs. */
export function urlOnlyField(project: Project, file: PythonFile, call: A.Call): boolean {
  const validators = keywordArg(call, "validators");
  if (validators && listChecksUrl(project, file, validators)) return true;
  const cls = tryResolveExpr(project, file, call.func);
  return cls?.node.kind === "ClassDef" ? classChecksUrl(project, cls.file, cls.node) : false;
}

function listChecksUrl(project: Project, file: PythonFile, e: A.Expr): boolean {
  return (e.kind === "List" || e.kind === "Tuple") && e.elts.some((v) => checksUrl(project, file, v));
}

/** A validator that admits only URLs: Django's URLValidator, or a project function matching `^https?://`. */
function checksUrl(project: Project, file: PythonFile, v: A.Expr): boolean {
  const target = v.kind === "Call" ? v.func : v;
  if (/(^|\.)URLValidator$/.test(qualifiedName(project, file, target) ?? "")) return true;
  const def = tryResolveExpr(project, file, target);
  return def?.node.kind === "FunctionDef" ? functionChecksHttp(def.node) : false;
}

const httpChecks = weakMemo<A.FunctionDef, boolean>();

/** The function matches its input against an http(s)-only pattern. */
function functionChecksHttp(fn: A.FunctionDef): boolean {
  return httpChecks(fn, () => {
    let found = false;
    walkBody(fn.body, {
      expr: (e) => {
        if (!found && e.kind === "Constant" && typeof e.value === "string" && HTTP_ONLY.test(e.value)) found = true;
      },
    });
    return found;
  });
}

/** A project field class built on URLField, or whose __init__ defaults its validators to a URL check. */
function classChecksUrl(project: Project, file: PythonFile, cls: A.ClassDef, depth = 0): boolean {
  if (depth > 4) return false;
  for (const b of cls.bases) {
    const q = qualifiedName(project, file, baseClass(b)) ?? "";
    if (/(^|\.)URLField$/.test(q) && q.startsWith("django.")) return true;
  }
  const init = cls.body.find((s): s is A.FunctionDef => s.kind === "FunctionDef" && s.name === "__init__");
  if (init) {
    let found = false;
    // `validators = validators or [validate_remote_id]`, `kwargs.setdefault("validators", [...])`
    walkBody(init.body, {
      expr: (e) => {
        if (!found && (e.kind === "List" || e.kind === "Tuple") && listChecksUrl(project, file, e)) found = true;
      },
    });
    if (found) return true;
  }
  for (const b of cls.bases) {
    const d = tryResolveExpr(project, file, baseClass(b));
    if (d?.node.kind === "ClassDef" && classChecksUrl(project, d.file, d.node, depth + 1)) return true;
  }
  return false;
}

/** Field definitions by name, in every project class body (`remote_id = RemoteIdField(...)`). */
const fieldsByName = defineAnalysis("url-fields-by-name", (project: Project): Map<string, { file: PythonFile; call: A.Call }[]> => {
  const out = new Map<string, { file: PythonFile; call: A.Call }[]>();
  for (const f of project.python) {
    for (const c of f.ast.body) {
      if (c.kind !== "ClassDef") continue;
      for (const s of c.body) {
        if (s.kind !== "Assign" || s.value.kind !== "Call") continue;
        for (const t of s.targets) {
          if (t.kind !== "Name") continue;
          const l = out.get(t.id);
          if (l) l.push({ file: f, call: s.value });
          else out.set(t.id, [{ file: f, call: s.value }]);
        }
      }
    }
  }
  return out;
});

/** A field of a row whose model we lost: URL-only when every project class that declares a field of that name declares a URL-only one. */
export function urlFieldAnywhere(project: Project, name: string): boolean {
  const defs = project.use(fieldsByName).get(name);
  return defs !== undefined && defs.every((d) => /(^|\.)URLField$/.test(qualifiedName(project, d.file, d.call.func) ?? "") || urlOnlyField(project, d.file, d.call));
}
