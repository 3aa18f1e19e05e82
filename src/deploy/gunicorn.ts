// gunicorn configuration files (gunicorn.conf.py and friends) are Python, already
// parsed by discovery: read their top-level assignments from the AST.
// `raw_env` becomes deployment environment; `forwarded_allow_ips`, `certfile`
// and `bind` feed the edge facts.
import type { Project, PythonFile } from "../project/project.js";
import type * as A from "../python/ast.js";
import { constString } from "../python/walk.js";
import { isDevPath } from "./common.js";
import type { DeploymentModel } from "./model.js";

export interface GunicornSetting {
  path: string;
  name: string;
  /** string value, or each string of a list/tuple */
  values: string[];
  span: A.Span;
  dev: boolean;
}

function isGunicornConfig(path: string): boolean {
  const base = path.split("/").pop()!.toLowerCase();
  return /^gunicorn([._-][\w.-]*)?\.py$/.test(base) && base !== "gunicorn.py";
}

function gunicornSettings(project: Project): GunicornSetting[] {
  const out: GunicornSetting[] = [];
  for (const f of project.python.filter((p: PythonFile) => isGunicornConfig(p.path))) {
    for (const s of f.ast.body) {
      if (s.kind !== "Assign" || s.targets.length !== 1 || s.targets[0]!.kind !== "Name") continue;
      const v = s.value;
      const values = v.kind === "List" || v.kind === "Tuple" ? v.elts.map((e) => constString(e)).filter((x): x is string => x !== null) : [constString(v)].filter((x): x is string => x !== null);
      if (!values.length) continue;
      out.push({ path: f.path, name: s.targets[0]!.id, values, span: { line: s.line, col: s.col, endLine: s.endLine, endCol: s.endCol }, dev: isDevPath(f.path) });
    }
  }
  return out;
}

export function readGunicornConfigs(project: Project, model: DeploymentModel): void {
  model.gunicorn.push(...gunicornSettings(project));
  for (const g of model.gunicorn) {
    if (g.name === "raw_env") {
      for (const kv of g.values) {
        const i = kv.indexOf("=");
        if (i <= 0) continue;
        model.env.push({ path: g.path, span: g.span, source: "gunicorn", where: "gunicorn raw_env", dev: g.dev, name: kv.slice(0, i), raw: kv.slice(i + 1), value: kv.slice(i + 1) });
      }
    } else if ((g.name === "certfile" || g.name === "keyfile") && g.values[0]) {
      model.hints.push({ kind: "tls", path: g.path, line: g.span.line, by: "app-server", dev: g.dev });
    }
  }
}
