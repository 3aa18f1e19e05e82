// Memos held weakly by their key: an answer lives as long as the object it is
// about (an AST node, an MRO array, a project) and never outlives the scan.
// One way to memoise for every analysis, instead of a hand-made WeakMap each.
import type { Project } from "./project.js";

export type WeakMemo<K extends object, V> = (key: K, compute: () => V) => V;

/** Stands for a memoised `undefined`, so that a miss costs one lookup, not two. */
const UNDEFINED = Symbol("undefined");

/** A memo keyed by one object (a purely syntactic answer about a node, or one per MRO array). */
export function weakMemo<K extends object, V>(): WeakMemo<K, V> {
  const memo = new WeakMap<K, V | typeof UNDEFINED>();
  return (key, compute) => {
    const hit = memo.get(key);
    if (hit !== undefined) return (hit === UNDEFINED ? undefined : hit) as V;
    const value = compute();
    memo.set(key, value === undefined ? UNDEFINED : value);
    return value;
  };
}

export type NodeMemo<K extends object, V> = (project: Project, key: K, compute: () => V) => V;

/** A memo keyed by project, then by node: for answers that depend on how names
 *  resolve in the project (the same node answers differently in another one). */
export function nodeMemo<K extends object, V>(): NodeMemo<K, V> {
  const byProject = weakMemo<Project, WeakMemo<K, V>>();
  return (project, key, compute) => byProject(project, () => weakMemo<K, V>())(key, compute);
}
