// Shell scripts and Makefile targets that deployment commands run.
// `ENTRYPOINT ["/entrypoint.sh"]`, `command: sh ./docker/start.sh`, `web: bin/start.sh`
// or `CMD ["make", "serve"]` hide the real start-up (migrate, collectstatic, then
// gunicorn — or runserver) inside a script or a recipe; its commands are the
// deployment's commands too. Only what a deployment command names is read: a
// `scripts/dev.sh` or a `make dev` target nobody runs in production is not deployment.
//
// Scripts branch on the environment (`if [ "$DJANGO_ENV" = dev ]; then runserver;
// else gunicorn; fi`). A command under a condition that mentions development
// (dev, local, debug, test) is treated as dev-only in both branches — telling the
// production branch apart would need the variable's value — and a command under
// any other condition is kept with that condition, so rules can lower confidence.
import type { Project, SourceFile } from "../project/project.js";
import { isDevPath, lineSpan, shellWords, simpleCommands } from "./common.js";
import type { DeployCommand, DeploymentModel } from "./model.js";

/** Words that name a script file in a command (`./entrypoint.sh`, `/app/docker/start.sh`, `docker-entrypoint`). */
const SCRIPT_WORD = /(^|\/)([\w.-]+\.(sh|bash)|(docker-)?entrypoint)$/;
const DEV_CONDITION = /dev|local|debug|test/i;
/** A script that runs a script that runs a script: stop there. */
const MAX_DEPTH = 3;

export function readEntrypointScripts(project: Project, model: DeploymentModel): void {
  const scripts = project.ofKind("shell");
  const makefiles = project.ofKind("makefile");
  if (!scripts.length && !makefiles.length) return;
  const seen = new Set<string>();
  let queue = model.commands.slice();
  for (let depth = 0; depth < MAX_DEPTH && queue.length; depth++) {
    const next: DeployCommand[] = [];
    for (const c of queue) {
      for (const [file, target] of makeTargets(c, makefiles)) {
        const key = `${file.path}:${target}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const cmds = recipeCommands(file, target, c);
        model.commands.push(...cmds);
        next.push(...cmds);
      }
      for (const word of simpleCommands(c.argv).flat()) {
        if (!SCRIPT_WORD.test(word)) continue;
        const script = resolveScript(word, c.path, scripts);
        // A script run from two places is read once, with the first caller's context.
        if (!script || seen.has(script.path)) continue;
        seen.add(script.path);
        const cmds = scriptCommands(script, c);
        model.commands.push(...cmds);
        next.push(...cmds);
      }
    }
    queue = next;
  }
}

/**
 * The project file a command's script word names. Paths inside images rarely
 * match the repository (`COPY docker/entrypoint.sh /entrypoint.sh`), so the
 * longest matching path suffix wins, then the file nearest the command's file.
 */
function resolveScript(word: string, from: string, scripts: SourceFile[]): SourceFile | undefined {
  const parts = word.replace(/^\.\//, "").split("/").filter((p) => p && p !== ".");
  const base = parts[parts.length - 1];
  let best: SourceFile | undefined;
  let bestScore = -1;
  const fromDir = from.includes("/") ? from.slice(0, from.lastIndexOf("/")) : "";
  for (const s of scripts) {
    const sp = s.path.split("/");
    if (sp[sp.length - 1] !== base) continue;
    let k = 1;
    while (k < parts.length && k < sp.length && parts[parts.length - 1 - k] === sp[sp.length - 1 - k]) k++;
    const near = fromDir && s.path.startsWith(`${fromDir}/`) ? 0.5 : 0;
    const score = k + near;
    if (score > bestScore) { best = s; bestScore = score; }
  }
  return best;
}

interface Frame {
  /** the condition (if/elif/while test, or the case word and pattern) the current branch runs under */
  condition: string;
  dev: boolean;
  /** a case frame: its branches start with `pattern)` lines */
  subject?: string;
}

/** `dev|local)` or `"production")` at the start of a line inside a case. */
const CASE_PATTERN = /^\s*\(?\s*([^\s()]+)\)\s*(.*)$/;

/** The simple commands of a script, each with the if/case/loop conditions around it. */
function scriptCommands(script: SourceFile, caller: DeployCommand): DeployCommand[] {
  const out: DeployCommand[] = [];
  const dev = caller.dev || isDevPath(script.path);
  const frames: Frame[] = [];
  const lines = script.text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = stripComment(lines[i]!);
    // backslash-newline continues the command
    while (/\\$/.test(line) && i + 1 < lines.length) line = line.slice(0, -1) + " " + stripComment(lines[++i]!);
    // a here-document's lines are data for the command, not commands
    const heredoc = /<<-?\s*(['"]?)(\w+)\1/.exec(line);
    if (heredoc) {
      const end = heredoc[2]!;
      while (i + 1 < lines.length && lines[i + 1]!.trim() !== end) i++;
      i++;
      line = line.slice(0, heredoc.index);
    }
    const top = frames[frames.length - 1];
    const pattern = top?.subject !== undefined ? CASE_PATTERN.exec(line) : null;
    if (pattern && top) {
      // a case branch runs under its pattern (`|` there is alternation, not a pipe)
      top.condition = `${top.subject} is ${pattern[1]}`;
      top.dev = DEV_CONDITION.test(pattern[1]!);
      line = pattern[2]!;
    }
    if (!line.trim()) continue;
    for (let words of simpleCommands(shellWords(line))) {
      // keywords that open, switch or close a branch come first in a simple command
      for (;;) {
        const w = words[0];
        if (w === "if" || w === "elif" || w === "while" || w === "until") {
          const condition = words.slice(1).join(" ");
          if (w === "elif") frames.pop();
          frames.push({ condition, dev: DEV_CONDITION.test(condition) });
          words = [];
        } else if (w === "case") {
          frames.push({ condition: "", dev: false, subject: words[1] ?? "" });
          words = [];
        } else if (w === "fi" || w === "done" || w === "esac") {
          frames.pop();
          words = words.slice(1);
          continue;
        } else if (w === "then" || w === "do" || w === "else" || w === "{" || w === "}") {
          // `else` of a dev condition is not known to be production either (see the top)
          words = words.slice(1);
          continue;
        }
        break;
      }
      // empty, or a function definition line
      if (!words.length || /^\w+\(\)$/.test(words[0]!) || words[0] === "function") continue;
      const conditional = [caller.conditional ?? "", ...frames.map((f) => f.condition)].filter(Boolean);
      const text = lines[start]!;
      out.push({
        argv: words[0] === "exec" ? words.slice(1) : words,
        path: script.path,
        span: lineSpan(start + 1, text.length - text.trimStart().length + 1, text.length + 1),
        source: "script",
        where: `${script.path} (run by ${caller.where})`,
        dev: dev || frames.some((f) => f.dev),
        ...(caller.process ? { process: caller.process } : {}),
        ...(conditional.length ? { conditional: conditional.join(" and ") } : {}),
      });
    }
  }
  return out;
}

/** `make serve`, `make -C deploy start`, `make -f Makefile.prod run`: the Makefile and each target named. */
function makeTargets(c: DeployCommand, makefiles: SourceFile[]): [SourceFile, string][] {
  if (!makefiles.length) return [];
  const out: [SourceFile, string][] = [];
  for (const cmd of simpleCommands(c.argv)) {
    const words = cmd[0] === "exec" ? cmd.slice(1) : cmd;
    if (!/(^|\/)g?make$/.test(words[0] ?? "")) continue;
    let dir = "";
    let file: string | undefined;
    const targets: string[] = [];
    for (let k = 1; k < words.length; k++) {
      const w = words[k]!;
      if (w === "-C" || w === "--directory") dir = words[++k] ?? "";
      else if (w === "-f" || w === "--file" || w === "--makefile") file = words[++k];
      else if (w.startsWith("-") || w.includes("=")) continue;
      else targets.push(w);
    }
    const wanted = file ? file.replace(/^\.\//, "") : "Makefile";
    const mk = makefiles.find((m) => m.path === (dir ? `${dir.replace(/^\.\/|\/$/g, "")}/${wanted}` : wanted)) ??
      makefiles.find((m) => m.path.toLowerCase().endsWith(wanted.toLowerCase()));
    if (!mk) continue;
    // `make` alone runs the first target
    for (const t of targets.length ? targets : [firstTarget(mk)].filter((x): x is string => !!x)) out.push([mk, t]);
  }
  return out;
}

const TARGET_LINE = /^([A-Za-z0-9_.\/-]+(?:\s+[A-Za-z0-9_.\/-]+)*)\s*::?(?!=)/;
const DEV_TARGET = /dev|local|debug|test|watch/i;

function firstTarget(mk: SourceFile): string | undefined {
  for (const line of mk.text.split(/\r?\n/)) {
    const m = TARGET_LINE.exec(line);
    if (m && !m[1]!.startsWith(".")) return m[1]!.split(/\s+/)[0];
  }
  return undefined;
}

/** A target's recipe lines (tab-indented, after `target:`), as commands; `@` and `-` prefixes dropped. */
function recipeCommands(mk: SourceFile, target: string, caller: DeployCommand): DeployCommand[] {
  const out: DeployCommand[] = [];
  const lines = mk.text.split(/\r?\n/);
  const dev = caller.dev || isDevPath(mk.path) || DEV_TARGET.test(target);
  let inTarget = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = TARGET_LINE.exec(line);
    if (m && !line.startsWith("\t")) { inTarget = m[1]!.split(/\s+/).includes(target); continue; }
    if (!inTarget || !line.startsWith("\t")) continue;
    let cmd = stripComment(line.slice(1));
    let j = i;
    while (/\\$/.test(cmd) && j + 1 < lines.length) cmd = cmd.slice(0, -1) + " " + stripComment(lines[++j]!.replace(/^\t/, ""));
    cmd = cmd.replace(/^[@+-]+/, "").replace(/\$\$/g, "$");
    for (const words of simpleCommands(shellWords(cmd))) {
      out.push({
        argv: words[0] === "exec" ? words.slice(1) : words,
        path: mk.path,
        span: lineSpan(i + 1, 2, line.length + 1),
        source: "script",
        where: `${mk.path} target ${target} (run by ${caller.where})`,
        dev,
        ...(caller.process ? { process: caller.process } : {}),
        ...(caller.conditional ? { conditional: caller.conditional } : {}),
      });
    }
    i = j;
  }
  return out;
}

function stripComment(line: string): string {
  // a # that starts a word begins a comment (not `${#x}` or `a#b`)
  return line.replace(/(^|\s)#.*$/, "");
}
