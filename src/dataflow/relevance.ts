// Which functions the data-flow engine must analyse from the top level.
//
// Most functions of a project can produce no flow: nothing in them reaches a
// sink, directly or through a project function they call. On NetBox ~96% of the
// top-level analyses found no flow and cost ~88% of the engine's time. The engine
// still analyses the others when something needs them (a caller wants their
// summary, template output wants their verdicts: DataflowEngine.ensureAnalysed),
// just not up front.
//
// Read without values, so it must over-approximate what the engine can reach (a
// function kept here that finds nothing costs time; one left out loses findings):
// - a function reaches a sink when its own body (nested defs have their own
//   entry) holds a call the engine may treat as a sink (catalog sinks, loggers and
//   print, setattr, `**`/`defaults=` writes, file saves: sinkCall mirrors the
//   engine's checks without their conditions on values), reads `FILES` (an upload
//   assigned to a field) or writes a `Location` header; or when it calls a
//   function that reaches a sink. Calls are resolved as the engine resolves them
//   (DataflowEngine.calleeOf), so the call graph is the one the engine follows;
// - a function that calls a "view" found by its `request` parameter is kept too:
//   the engine's `called` set marks such views as helpers (api.ts isCalledHelper).
// Call counts (the fallback for functions nobody calls) only matter for functions
// with parameter sinks, which reach a sink, so all their callers are kept.
import type { Project, PythonFile } from "../project/project.js";
import type * as A from "../python/ast.js";
import { qualifiedName, resolveDefinition, scopeOf } from "../python/scope.js";
import { constString, exprText, isLiteral, leadingConst, walkBody } from "../python/walk.js";
import { callSinks, LOG_METHODS, MASS_WRITES, SINKS } from "./catalog/sinks.js";
import type { DataflowEngine } from "./engine.js";

/** Last names of the catalog's callees (`system` of os.system). */
const CALLEE_LAST = new Set(SINKS.flatMap((s) => (s.callee ? [s.callee.split(".").pop()!] : [])));

/**
 * A call the engine may treat as a sink (engine.ts checkSinks, checkLog,
 * checkMass, checkUploadSave) with an argument that can carry data: its
 * syntactic conditions, not those on values. A literal argument carries none.
 */
function sinkCall(project: Project, c: A.Call, q: string | null, method: string | null): boolean {
  if (callSinks(c, q, method).some((s) => carrying(s.arg))) return true;
  const anyArg = () => c.args.some(carrying) || c.keywords.some((k) => carrying(k.value));
  if (q === "print") return anyArg();
  if (method !== null && LOG_METHODS.has(method) && c.func.kind === "Attribute" && (/log/i.test(exprText(c.func.value)) || q?.startsWith("logging."))) return anyArg();
  if (q === "setattr") return c.args.length >= 3 && !leadingConst(c.args[1]);
  if (c.keywords.some((k) => (k.arg === null || k.arg === "defaults") && carrying(k.value))) {
    if (method !== null && MASS_WRITES.has(method)) return true;
    if (q !== null && resolvesToClass(project, q)) return true;
  }
  if (method === "save" && c.func.kind === "Attribute") return carrying(c.args[1]);
  if (method === "write" || method === "writelines") return carrying(c.args[0]);
  return (method === "create" || method === "update" || method === "update_or_create") && c.keywords.some((k) => carrying(k.value));
}

function carrying(e: A.Expr | undefined): boolean {
  return e !== undefined && !isLiteral(e);
}

function resolvesToClass(project: Project, q: string): boolean {
  try {
    return resolveDefinition(project, q)?.node.kind === "ClassDef";
  } catch {
    return false;
  }
}

/** The functions the engine analyses from the top level. */
export function relevantFunctions(eng: DataflowEngine): Set<A.FunctionDef> {
  const project = eng.project;
  // callee → the functions calling it
  const callersOf = new Map<A.FunctionDef, A.FunctionDef[]>();
  const keep = new Set<A.FunctionDef>();
  const reaching: A.FunctionDef[] = [];
  // Resolving a callee's qualified name costs; only calls that may need it get one (see needsName)
  const fnNames = new Set<string>();
  for (const info of eng.fns.values()) fnNames.add(info.node.name);
  for (const info of eng.fns.values()) {
    const file: PythonFile = info.file;
    const scope = scopeOf(project, file);
    let direct = false;
    let callsView = false;
    walkBody(info.node.body, {
      stmt: (s) => (s.kind === "FunctionDef" || s.kind === "ClassDef" ? false : undefined),
      expr: (e) => {
        if (e.kind === "Call") {
          const func = e.func;
          if (func.kind !== "Name" && func.kind !== "Attribute") return;
          const last = func.kind === "Name" ? func.id : func.attr;
          const method = func.kind === "Attribute" ? func.attr : null;
          // A qualified name ends with the call's own last name, and a project function it reaches
          // bears that name, except through an alias: a bare name an import or assignment binds.
          const alias = func.kind === "Name" && (scope.imports.has(last) || scope.assigns.has(last));
          const projectFn = alias || fnNames.has(last);
          const needsName = projectFn || CALLEE_LAST.has(last) || last === "print" || last === "setattr" || LOG_METHODS.has(last)
            || e.keywords.some((k) => k.arg === null || k.arg === "defaults");
          const q = needsName ? qualifiedName(project, file, func) : null;
          if (!direct && sinkCall(project, e, q, method)) direct = true;
          if (!projectFn) return;
          let callee: A.FunctionDef | A.ClassDef | undefined;
          try {
            callee = eng.calleeOf(info, e, q)?.node;
          } catch {
            callee = undefined;
          }
          if (callee?.kind !== "FunctionDef") return;
          const l = callersOf.get(callee);
          if (l) l.push(info.node);
          else callersOf.set(callee, [info.node]);
          const target = eng.fnOf(callee);
          if (target && (target.isView || target.requestParam >= 0)) callsView = true;
        } else if (e.kind === "Attribute" ? e.attr === "FILES" : e.kind === "Name" && e.id === "FILES") direct = true;
        else if (e.kind === "Subscript" && constString(e.slice)?.toLowerCase() === "location") direct = true;
      },
    });
    if (direct) {
      keep.add(info.node);
      reaching.push(info.node);
    } else if (callsView) keep.add(info.node);
  }
  const reached = new Set(reaching);
  while (reaching.length) {
    for (const caller of callersOf.get(reaching.pop()!) ?? []) {
      keep.add(caller);
      if (!reached.has(caller)) {
        reached.add(caller);
        reaching.push(caller);
      }
    }
  }
  return keep;
}
