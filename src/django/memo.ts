// Per-project memos keyed by AST nodes, for the view model and the rules that
// read it. A route-independent answer about a function or a call (the writes its
// body makes, the calls it contains) is asked once per route that reaches it, and
// NetBox-style generic views share a few big base classes across hundreds of
// routes. Keyed by project first: a node answers differently in another project
// (imports resolve elsewhere), and nothing outlives either.
import type { Project } from "../project/project.js";

export type NodeMemo<K extends object, V> = (project: Project, key: K, compute: () => V) => V;

export function nodeMemo<K extends object, V>(): NodeMemo<K, V> {
  const byProject = new WeakMap<Project, WeakMap<K, V>>();
  return (project, key, compute) => {
    let memo = byProject.get(project);
    if (!memo) byProject.set(project, (memo = new WeakMap()));
    if (memo.has(key)) return memo.get(key) as V;
    const value = compute();
    memo.set(key, value);
    return value;
  };
}
