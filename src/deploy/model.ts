// The deployment model: every command, environment variable and published port
// that the project's deployment files declare, read once from Dockerfiles,
// compose files, Kubernetes manifests, Procfiles, systemd units, uWSGI ini files,
// committed .env files and the shell scripts and Makefile targets their commands run. Rules and the edge facts read this analysis.
import type { Project } from "../project/project.js";
import { defineAnalysis } from "../project/project.js";
import type { Span } from "../python/ast.js";
import { DEV_SETTINGS } from "./common.js";
import { readDockerfiles } from "./dockerfile.js";
import { readGunicornConfigs, type GunicornSetting } from "./gunicorn.js";
import { readYamlDeployments } from "./yamlfiles.js";
import { readEntrypointScripts } from "./scripts.js";
import { readEnvFiles, readProcfiles, readSystemdUnits, readUwsgiFiles } from "./textfiles.js";

export type DeploySource = "dockerfile" | "compose" | "kubernetes" | "procfile" | "systemd" | "uwsgi" | "gunicorn" | "env-file" | "script";

interface Located {
  path: string;
  span: Span;
  source: DeploySource;
  /** human description for messages, e.g. "Dockerfile CMD", "compose service web" */
  where: string;
  /** the file (or stage/service) is for local development, tests or docs only */
  dev: boolean;
}

/** A command that starts a process: Dockerfile CMD/ENTRYPOINT, compose command, k8s command/args, Procfile, ExecStart. */
export interface DeployCommand extends Located {
  argv: string[];
  /** compose service, k8s container, Procfile process type */
  process?: string;
  /** a script's command that runs only under this shell condition (`[ -n "$RUN_WEB" ]`) */
  conditional?: string;
}

export interface DeployEnvVar extends Located {
  name: string;
  /** the value as written */
  raw: string;
  /** the value production gets (defaults of `${X:-d}` applied), null when it depends on an unset variable */
  value: string | null;
  /** compose service or k8s container the variable is set for */
  service?: string;
  image?: string;
  /** build time only: a Dockerfile ARG default or the ENV of a build stage that is not the final image */
  buildArg?: boolean;
  /** the compose file (`env_file:`) or Python module (`read_env()`, `load_dotenv()`, decouple) that loads this env file */
  referencedBy?: string;
  /** from a Kubernetes Secret/ConfigMap manifest rather than a container's env */
  manifest?: "Secret" | "ConfigMap";
}

export interface PublishedPort extends Located {
  /** the container shares the host's network (`network_mode: host`): every port it listens on is the host's */
  hostNetwork?: boolean;
  service: string;
  image: string | null;
  /** host interface the port is bound to; null means all interfaces */
  hostIp: string | null;
  hostPort: string | null;
  containerPort: number;
}

/** Evidence for TLS, redirects and headers found outside nginx (Kubernetes Ingress, gunicorn certfile...). */
export interface EdgeHint {
  kind: "tls" | "https-redirect" | "forwarded-proto" | "hsts";
  path: string;
  line: number;
  /** for "hsts": what the proxy sends */
  hsts?: { maxAge: number | null; includeSubDomains: boolean; preload: boolean };
  /** the file is dev-only (its stack is not production) */
  dev?: boolean;
  /** for "tls": who terminates it */
  by?: "proxy" | "app-server";
}

/** A compose service loading a committed env file. */
export interface EnvFileRef {
  envFile: string;
  service: string;
  image: string | null;
  dev: boolean;
  composePath: string;
}

export interface DeploymentModel {
  commands: DeployCommand[];
  env: DeployEnvVar[];
  ports: PublishedPort[];
  hints: EdgeHint[];
  envFileRefs: EnvFileRef[];
  /** top-level assignments of gunicorn config files (raw_env and certfile are also in env and hints) */
  gunicorn: GunicornSetting[];
}

export const deploymentAnalysis = defineAnalysis<DeploymentModel>("deployment", (project: Project) => {
  const model: DeploymentModel = { commands: [], env: [], ports: [], hints: [], envFileRefs: [], gunicorn: [] };
  readDockerfiles(project, model);
  readYamlDeployments(project, model);
  readProcfiles(project, model);
  readSystemdUnits(project, model);
  readUwsgiFiles(project, model);
  readGunicornConfigs(project, model);
  readEnvFiles(project, model);
  // after every reader that yields commands: scripts are found through them
  readEntrypointScripts(project, model);
  markDevBySettingsModule(model);
  return model;
});


/**
 * A file that points DJANGO_SETTINGS_MODULE at a development settings module
 * (`shop.settings.dev`, `config.settings.local`) describes a development stack.
 */
function markDevBySettingsModule(model: DeploymentModel): void {
  // build-stage ENV of a multi-stage Dockerfile says nothing about the final image
  const devFiles = new Set(model.env.filter((e) => e.name === "DJANGO_SETTINGS_MODULE" && !e.buildArg && e.value && DEV_SETTINGS.test(e.value.trim())).map((e) => e.path));
  if (!devFiles.size) return;
  for (const list of [model.commands, model.env, model.ports] as { path: string; dev: boolean }[][]) for (const x of list) if (devFiles.has(x.path)) x.dev = true;
}

/** Environment variables production really runs with (no dev files, no build args, no unresolved values). */
export function productionEnv(model: DeploymentModel): DeployEnvVar[] {
  return model.env.filter((e) => !e.dev && !e.buildArg && (e.source !== "env-file" || e.referencedBy !== undefined) && e.value !== null);
}
