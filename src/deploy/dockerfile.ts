// Dockerfiles through dockerfile-ast: stages (FROM ... AS name, and stages built
// FROM an earlier stage inherit its ENV and CMD), ENV and ARG, and the command
// the final image runs (ENTRYPOINT + CMD, exec or shell form).
import { DockerfileParser, type Instruction, type JSONInstruction, type PropertyInstruction } from "dockerfile-ast";
import type { Project } from "../project/project.js";
import { DEV_SETTINGS, interpolateDefaults, isDevPath, lineSpan, shellWords } from "./common.js";
import type { DeployEnvVar, DeploymentModel } from "./model.js";

interface Cmdline {
  argv: string[];
  exec: boolean;
  line: number;
  col: number;
  endCol: number;
  keyword: "CMD" | "ENTRYPOINT";
}

interface Stage {
  name: string | null;
  dev: boolean;
  env: Map<string, DeployEnvVar>;
  cmd: Cmdline | null;
  entrypoint: Cmdline | null;
}

const DEV_STAGE = /^(dev|devel|develop|development|local|test|tests|testing|ci|debug)$/i;

export function readDockerfiles(project: Project, model: DeploymentModel): void {
  for (const f of project.ofKind("dockerfile")) {
    let df;
    try {
      df = DockerfileParser.parse(f.text);
    } catch (e) {
      project.note({ path: f.path, kind: "parse-failed", message: `Dockerfile could not be read: ${(e as Error).message}` });
      continue;
    }
    const fileDev = isDevPath(f.path);
    const lines = project.lines(f.path);
    const stages: Stage[] = [];
    const byName = new Map<string, Stage>();
    let stage: Stage | null = null;
    const argDefaults = new Map<string, string>();

    const commandOf = (ins: Instruction, keyword: "CMD" | "ENTRYPOINT"): Cmdline => {
      const r = ins.getRange();
      const line = r.start.line + 1;
      const strings = (ins as JSONInstruction).getJSONStrings?.() ?? [];
      const raw = ins.getRawArgumentsContent() ?? "";
      const exec = raw.trimStart().startsWith("[") && strings.length > 0;
      const argv = exec ? strings.map((s) => s.getJSONValue()) : shellWords(raw.replace(/\\\r?\n/g, " "));
      // shell form runs through /bin/sh -c
      return { argv: exec ? argv : ["/bin/sh", "-c", raw.replace(/\\\r?\n/g, " ")], exec, line, col: r.start.character + 1, endCol: (lines[line - 1] ?? "").length + 1, keyword };
    };

    for (const ins of df.getInstructions()) {
      const kw = ins.getKeyword();
      const line = ins.getRange().start.line + 1;
      if (kw === "FROM") {
        const args = ins.getArguments().map((a) => a.getValue());
        const asIdx = args.findIndex((a) => a.toUpperCase() === "AS");
        const name = asIdx !== -1 ? args[asIdx + 1] ?? null : null;
        const image = args.find((a) => !a.startsWith("--")) ?? "";
        const parent = byName.get(image.toLowerCase());
        stage = {
          name,
          dev: fileDev || (name !== null && DEV_STAGE.test(name)),
          env: new Map(parent?.env ?? []),
          cmd: parent?.cmd ?? null,
          entrypoint: parent?.entrypoint ?? null,
        };
        stages.push(stage);
        if (name) byName.set(name.toLowerCase(), stage);
        continue;
      }
      if (kw === "ARG" || kw === "ENV") {
        for (const p of (ins as PropertyInstruction).getProperties()) {
          const name = p.getName();
          const raw = p.getValue();
          if (raw === null) continue;
          const pr = p.getRange();
          const known = (v: string) => v.replace(/\$\{?([A-Za-z_]\w*)\}?/g, (m, n: string) => stage?.env.get(n)?.value ?? argDefaults.get(n) ?? m);
          const expanded = known(raw);
          const v: DeployEnvVar = {
            path: f.path,
            span: lineSpan(pr.start.line + 1, pr.start.character + 1, pr.end.character + 1),
            source: "dockerfile",
            where: `Dockerfile ${kw}${stage?.name ? ` (stage ${stage.name})` : ""}`,
            dev: stage?.dev ?? fileDev,
            name,
            raw,
            value: interpolateDefaults(expanded),
            ...(kw === "ARG" ? { buildArg: true } : {}),
          };
          if (kw === "ARG") {
            argDefaults.set(name, raw);
            model.env.push(v);
          } else if (stage) {
            stage.env.set(name, v);
          } else {
            model.env.push(v);
          }
        }
        continue;
      }
      if ((kw === "CMD" || kw === "ENTRYPOINT") && stage) {
        const c = commandOf(ins, kw);
        if (kw === "CMD") stage.cmd = c;
        else {
          stage.entrypoint = c;
          // a new ENTRYPOINT resets an inherited CMD
          if (stage.cmd && stage.cmd.line < line) stage.cmd = null;
        }
      }
    }

    // The image that is built by default is the last stage; earlier stages are build steps unless
    // another stage copies from them, so only the last stage's command is what runs. All stages'
    // ENV are recorded (secrets in any stage are committed), but only the last stage is production.
    const last = stages[stages.length - 1];
    // A final stage named like development (`local`) that points DJANGO_SETTINGS_MODULE at settings
    // not named so (Baserow's `FROM core AS local` runs gunicorn on `settings.base`) is the image
    // production builds by default: the settings it names outweigh the stage's name.
    const dsm = last?.env.get("DJANGO_SETTINGS_MODULE")?.value;
    if (last && last.dev && !fileDev && dsm && !DEV_SETTINGS.test(dsm.trim())) last.dev = false;
    const seen = new Set<DeployEnvVar>();
    for (const s of last ? [last, ...stages] : stages) {
      for (const v of s.env.values()) {
        if (seen.has(v)) continue;
        seen.add(v);
        // the final image runs with every ENV it inherits, whichever stage set it
        model.env.push(s === last ? { ...v, dev: last.dev } : { ...v, buildArg: true });
      }
    }
    if (!last) {
      if (f.text.trim()) project.note({ path: f.path, kind: "parse-failed", message: "Dockerfile has no FROM instruction; no image command was read" });
      continue;
    }
    const ep = last.entrypoint;
    const cmd = last.cmd;
    const run = ep && ep.exec ? { ...(cmd ?? ep), argv: [...ep.argv, ...(cmd?.argv ?? [])], keyword: cmd ? cmd.keyword : ep.keyword } : ep ?? cmd;
    if (run) {
      const lineText = lines[run.line - 1] ?? "";
      model.commands.push({
        path: f.path,
        span: lineSpan(run.line, run.col, lineText.length + 1),
        source: "dockerfile",
        where: `Dockerfile ${run.keyword}${last.name ? ` (stage ${last.name})` : ""}`,
        dev: last.dev,
        argv: run.argv,
      });
    }
  }
}
