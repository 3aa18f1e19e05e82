// Line-oriented deployment files: Procfile, systemd units, uWSGI ini and
// committed .env files. Each is small enough that a careful line reader is the
// right tool; values go through the same shell splitting as everywhere else.
import { dotenvValue } from "../django/settings/dotenv.js";
import type { Project } from "../project/project.js";
import { interpolateDefaults, isDevPath, isExamplePath, lineSpan, shellWords } from "./common.js";
import type { DeployEnvVar, DeploymentModel } from "./model.js";

/** Logical lines: backslash-newline continuations joined, each with its first physical line number. */
function logicalLines(phys: readonly string[]): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  for (let i = 0; i < phys.length; i++) {
    const start = i;
    let t = phys[i]!;
    while (t.endsWith("\\") && i + 1 < phys.length) t = t.slice(0, -1) + " " + phys[++i]!;
    out.push({ line: start + 1, text: t });
  }
  return out;
}

/** `A=1 B=2 cmd args` → leading assignments and the rest. */
function leadingAssignments(words: string[]): { env: [string, string][]; rest: string[] } {
  const env: [string, string][] = [];
  let i = 0;
  for (; i < words.length; i++) {
    const m = /^([A-Za-z_]\w*)=(.*)$/s.exec(words[i]!);
    if (!m) break;
    env.push([m[1]!, m[2]!]);
  }
  return { env, rest: words.slice(i) };
}

export function readProcfiles(project: Project, model: DeploymentModel): void {
  for (const f of project.ofKind("procfile")) {
    const dev = isDevPath(f.path);
    const bad: number[] = [];
    for (const { line, text } of logicalLines(project.lines(f.path))) {
      if (/^\s*(#|$)/.test(text)) continue;
      const m = /^\s*([A-Za-z0-9_-]+)\s*:\s*(.*)$/.exec(text);
      if (!m) {
        bad.push(line);
        continue;
      }
      const col = text.indexOf(m[2]!) + 1;
      const { env, rest } = leadingAssignments(shellWords(m[2]!));
      for (const [name, raw] of env)
        model.env.push({ path: f.path, span: lineSpan(line, col, text.length + 1), source: "procfile", where: `Procfile ${m[1]}`, dev, name, raw, value: interpolateDefaults(raw), service: m[1]! });
      model.commands.push({ path: f.path, span: lineSpan(line, col, text.length + 1), source: "procfile", where: `Procfile ${m[1]}:`, dev, argv: rest, process: m[1]! });
    }
    if (bad.length) project.note({ path: f.path, kind: "parse-failed", line: bad[0]!, message: `${bad.length} line${bad.length > 1 ? "s are" : " is"} not \`process: command\` (first at line ${bad[0]}); skipped` });
  }
}

export function readSystemdUnits(project: Project, model: DeploymentModel): void {
  for (const f of project.ofKind("systemd")) {
    const dev = isDevPath(f.path);
    let section = "";
    for (const { line, text } of logicalLines(project.lines(f.path))) {
      const t = text.trim();
      if (!t || t.startsWith("#") || t.startsWith(";")) continue;
      const sec = /^\[(.+)\]$/.exec(t);
      if (sec) {
        section = sec[1]!;
        continue;
      }
      if (section !== "Service") continue;
      const m = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(t);
      if (!m) continue;
      const col = text.indexOf(m[2]!) + 1;
      const span = lineSpan(line, Math.max(1, col), text.length + 1);
      if (m[1] === "ExecStart") {
        // prefixes such as `-`, `@`, `+`, `!` modify how systemd runs the command
        const argv = shellWords(m[2]!.replace(/^[-@+!:]+/, ""));
        model.commands.push({ path: f.path, span, source: "systemd", where: "systemd ExecStart", dev, argv });
      } else if (m[1] === "Environment") {
        for (const w of shellWords(m[2]!)) {
          const i = w.indexOf("=");
          if (i <= 0) continue;
          const raw = w.slice(i + 1);
          model.env.push({ path: f.path, span, source: "systemd", where: "systemd Environment=", dev, name: w.slice(0, i), raw, value: raw });
        }
      }
    }
  }
}

export function readUwsgiFiles(project: Project, model: DeploymentModel): void {
  for (const f of project.ofKind("uwsgi")) {
    const dev = isDevPath(f.path);
    let inUwsgi = false;
    for (const { line, text } of logicalLines(project.lines(f.path))) {
      const t = text.trim();
      if (!t || t.startsWith("#") || t.startsWith(";")) continue;
      const sec = /^\[(.+)\]$/.exec(t);
      if (sec) {
        inUwsgi = sec[1] === "uwsgi";
        continue;
      }
      if (!inUwsgi) continue;
      const m = /^([\w-]+)\s*=\s*(.*)$/.exec(t);
      if (!m) continue;
      const col = text.indexOf(m[2]!) + 1;
      const span = lineSpan(line, Math.max(1, col), text.length + 1);
      if (m[1] === "env") {
        const i = m[2]!.indexOf("=");
        if (i > 0) model.env.push({ path: f.path, span, source: "uwsgi", where: "uWSGI env", dev, name: m[2]!.slice(0, i).trim(), raw: m[2]!.slice(i + 1).trim(), value: m[2]!.slice(i + 1).trim() });
      } else if (m[1] === "https" || m[1] === "https-socket" || m[1] === "shared-socket" && /:443\b/.test(m[2]!)) {
        if (m[1] !== "shared-socket") model.hints.push({ kind: "tls", path: f.path, line, by: "app-server", dev });
      }
    }
  }
}

/**
 * Committed dotenv files: `KEY=value`, `export KEY=value`, quoted values,
 * comments. Example/template copies are read but marked dev (placeholders).
 */
export function readEnvFiles(project: Project, model: DeploymentModel): void {
  // django-environ's read_env(), python-dotenv's load_dotenv() and python-decouple read a `.env` at run time
  const loader = project.python.find((p) => !isDevPath(p.path) && /\b(read_env|load_dotenv|dotenv_values)\(|\bfrom decouple import\b|\bimport decouple\b/.test(p.text));
  for (const f of project.ofKind("env")) {
    const dev = isDevPath(f.path) || isExamplePath(f.path);
    const refs = model.envFileRefs.filter((r) => r.envFile === f.path);
    const loaded = loader && f.path.split("/").pop() === ".env" ? loader : undefined;
    const prodRef = refs.find((r) => !r.dev) ?? (loaded && !dev ? { envFile: f.path, service: "", image: null, dev: false, composePath: loaded.path } : undefined);
    const lines = project.lines(f.path);
    lines.forEach((text, i) => {
      const m = /^(\s*(?:export\s+)?)([A-Za-z_][\w.]*)\s*=(.*)$/.exec(text);
      if (!m) {
        if (text.trim() && !text.trim().startsWith("#")) project.note({ path: f.path, kind: "parse-failed", line: i + 1, message: "line is not KEY=value; skipped" });
        return;
      }
      const raw = dotenvValue(m[3]!);
      const col = m[1]!.length + 1;
      const v: DeployEnvVar = {
        path: f.path,
        span: lineSpan(i + 1, col, text.length + 1),
        source: "env-file",
        where: prodRef ? (prodRef.service ? `${f.path} (env_file of compose service ${prodRef.service})` : `${f.path} (loaded at run time by ${prodRef.composePath})`) : `committed ${f.path}`,
        dev: isDevPath(f.path) || (prodRef ? false : dev || refs.length > 0),
        name: m[2]!,
        raw,
        value: interpolateDefaults(raw),
        ...(prodRef ? { referencedBy: prodRef.composePath, ...(prodRef.service ? { service: prodRef.service } : {}), ...(prodRef.image ? { image: prodRef.image } : {}) } : {}),
      };
      model.env.push(v);
    });
  }
}

