// What a local variable was made from, for the objects whose methods matter:
// HTTP clients, signers, paginators, sandboxed template environments and HTML cleaners. `s.get(url)` is a request sent by a session when the
// function made `s` one (`s = requests.Session()`, `with httpx.Client() as s:`);
// the sink catalog knows sessions by their variable's name (`session.get`,
// `client.post`) or by the constructor written in the call, and a short local
// name says nothing. Likewise `signer.unsign(x)` after `signer = Signer(...)`.
// Read from the function's own code, without values, so the engine (checkSinks)
// and the relevance filter (sinkCall) see the same sinks.
import type { Project, PythonFile } from "../project/project.js";
import { weakMemo } from "../project/memo.js";
import type * as A from "../python/ast.js";
import { qualifiedName, scopeOf } from "../python/scope.js";
import { bindingTargets, walkBody } from "../python/walk.js";

/** A constructor a file must spell out for a local variable to be one of these objects (most files spell none). */
const CONSTRUCTOR_HINT = /\b(Session|Client|AsyncClient|ClientSession|PoolManager|Signer|TimestampSigner|Paginator|SandboxedEnvironment|Cleaner)\s*\(/;

const mayBuildClients = weakMemo<PythonFile, boolean>();
const callBound = weakMemo<A.FunctionDef, ReadonlyMap<string, A.Call | null>>();

/** Local names `fn` binds: to what a call returns when bound exactly once so (`x = f(...)`, `with f(...) as x`), else null. */
function callBoundNames(fn: A.FunctionDef): ReadonlyMap<string, A.Call | null> {
  return callBound(fn, () => {
    const seen = new Map<string, A.Call | null>();
    const bind = (name: string, value: A.Expr | null) => seen.set(name, seen.has(name) || value?.kind !== "Call" ? null : value);
    walkBody(fn.body, {
      stmt: (st) => {
        if (st.kind === "FunctionDef" || st.kind === "ClassDef") return false;
        if (st.kind === "With") {
          for (const it of st.items) if (it.target?.kind === "Name") bind(it.target.id, it.context);
          return undefined;
        }
        const value = st.kind === "Assign" && st.targets.length === 1 ? st.value : st.kind === "AnnAssign" ? st.value : null;
        for (const t of bindingTargets(st)) {
          if (t.kind === "Name") bind(t.id, value);
          // `s, x = f()`: rebound, to something else
          else if (t.kind === "Tuple" || t.kind === "List") for (const el of t.elts) if (el.kind === "Name") bind(el.id, null);
        }
        return undefined;
      },
    });
    return seen;
  });
}

/** For `name.method(...)` in `fn`: the call that made `name`, as the catalog writes receivers (`requests.Session()`), or null. */
export function receiverBuiltBy(project: Project, file: PythonFile, fn: A.FunctionDef, c: A.Call): string | null {
  if (c.func.kind !== "Attribute" || c.func.value.kind !== "Name") return null;
  if (!mayBuildClients(file, () => CONSTRUCTOR_HINT.test(file.text))) return null;
  const name = c.func.value.id;
  // the function's own binding, else a module-level one (`_env = ImmutableSandboxedEnvironment()`)
  const local = callBoundNames(fn).get(name);
  const global = local === undefined ? scopeOf(project, file).assigns.get(name) : undefined;
  const made = local !== undefined ? local : global?.kind === "Call" ? global : null;
  const q = made && (made.func.kind === "Name" || made.func.kind === "Attribute") ? qualifiedName(project, file, made.func) : null;
  return q ? `${q}()` : null;
}
