// View parameters a decorator fills. A project decorator can hand the view more
// than the URL's arguments: Baserow's `@validate_body(Serializer)` validates the
// request body and calls the view with `data=` the validated result
// (`kwargs["data"] = validate_data(...)`), and a decorator may look up an object
// (`kwargs["workspace"] = Workspace.objects.get(...)`). Such a parameter is not a
// URL parameter: the engine reads it as what the decorator stores.
import type { Project, PythonFile } from "../project/project.js";
import type * as A from "../python/ast.js";
import { weakMemo } from "../project/memo.js";
import { tryResolveExpr } from "../python/scope.js";
import { dottedName, walkBody, walkExpr } from "../python/walk.js";

/** What a decorator stores for a parameter: request data it validated first, request data as it came, or something else (an object it looked up). */
export type Injected = "validated" | "request" | "other";

/** Request data by the attribute it is read through (`request.data`, `self.request.GET`); `request.user` is not. */
const REQUEST_DATA = /(^|\.)(request|req)\.(data|GET|POST|query_params|body|FILES|COOKIES|META|headers)(\.|$)/;

/** What one of `fn`'s decorators stores under the keyword `name` it calls `fn` with, or null when none does. */
export function injectedByDecorator(project: Project, file: PythonFile, fn: A.FunctionDef, name: string): Injected | null {
  for (const d of fn.decorators) {
    const target = d.kind === "Call" ? d.func : d;
    if (target.kind !== "Name" && target.kind !== "Attribute") continue;
    const def = tryResolveExpr(project, file, target);
    if (def?.node.kind !== "FunctionDef") continue;
    const found = storedKeywords(def.node).get(name);
    if (found) return found;
  }
  return null;
}

const keywordMemo = weakMemo<A.FunctionDef, Map<string, Injected>>();

/** `kwargs["data"] = ...` anywhere in a decorator (its wrapper is nested in it), by key. */
function storedKeywords(decorator: A.FunctionDef): Map<string, Injected> {
  return keywordMemo(decorator, () => keywordsOf(decorator));
}

function keywordsOf(decorator: A.FunctionDef): Map<string, Injected> {
  const out = new Map<string, Injected>();
  // a decorator that validates with a serializer or form validates what it stores;
  // what it stores is what its wrapper puts in its own `**kwargs`
  let validates = false;
  const kwargsNames = new Set<string>();
  walkBody(decorator.body, {
    stmt: (s) => {
      if (s.kind === "FunctionDef") for (const p of s.params) if (p.star === "**") kwargsNames.add(p.name);
      return undefined;
    },
    expr: (e) => {
      if (e.kind === "Attribute" && (e.attr === "is_valid" || e.attr === "validated_data" || e.attr === "cleaned_data")) validates = true;
    },
  });
  walkBody(decorator.body, {
    stmt: (s) => {
      if (s.kind !== "Assign") return undefined;
      for (const t of s.targets) {
        if (t.kind !== "Subscript" || t.value.kind !== "Name" || !kwargsNames.has(t.value.id) || t.slice.kind !== "Constant" || typeof t.slice.value !== "string") continue;
        out.set(t.slice.value, kindOf(s.value, validates));
      }
      return undefined;
    },
  });
  return out;
}

function kindOf(value: A.Expr, validates: boolean): Injected {
  let validated = validates;
  let request = false;
  walkExpr(value, (x) => {
    if (x.kind === "Call" && /valid/i.test(dottedName(x.func) ?? "")) validated = true;
    if (x.kind === "Attribute") {
      if (REQUEST_DATA.test(dottedName(x) ?? "")) request = true;
      return false; // `request.user`: an attribute of the request, not the request handed over
    }
    // the whole request handed to a call (`parse(request)`)
    if (x.kind === "Name" && (x.id === "request" || x.id === "req")) request = true;
    return undefined;
  });
  return validated ? "validated" : request ? "request" : "other";
}
