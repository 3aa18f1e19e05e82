// Questions the deployment rules ask of the deployment model: each returns
// ready-to-report findings (no values of secrets in any message).
import type { Confidence, Severity } from "../findings.js";
import type { Project } from "../project/project.js";
import type { Span } from "../python/ast.js";
import { credentialIn } from "../credentials.js";
import { REDACTED } from "../redact.js";
import { findRunserver, isPlaceholder, isTruthy, lineSpan } from "./common.js";
import { isServiceImage } from "./edge.js";
import { deploymentAnalysis, type DeployCommand, type DeployEnvVar } from "./model.js";
import { nginxAnalysis, nginxSize, serverBlocks, walkNginx, type NginxDirective } from "./nginx.js";

export interface DeployFinding {
  path: string;
  span: Span;
  message: string;
  /** the source line with the secret value itself replaced (the engine's redaction runs on top) */
  evidence?: string;
  confidence: Confidence;
  severity?: Severity;
  key?: string;
}

const quote = (argv: string[]) => argv.map((w) => (/\s/.test(w) ? JSON.stringify(w) : w)).join(" ");

function confidenceOf(c: DeployCommand): Confidence {
  // A script command under a shell condition may be the branch production never takes.
  if (c.conditional) return "low";
  // A plain docker-compose.yml is often the local stack; a Dockerfile, Procfile, unit or manifest is what ships.
  return c.source === "compose" && !/prod|production|deploy|live/i.test(c.path) ? "medium" : "high";
}

/** DEPLOY-001: `runserver` started by a production deployment file. */
export function runserverEntrypoints(project: Project): DeployFinding[] {
  const out: DeployFinding[] = [];
  for (const c of project.use(deploymentAnalysis).commands) {
    if (c.dev) continue;
    const r = findRunserver(c.argv);
    if (!r || r.plus) continue;
    const extra = r.insecure ? " with --insecure, so it also serves static files itself" : "";
    const bind = r.address && /^(0\.0\.0\.0|\[?::\]?)(:|$)/.test(r.address) ? ` bound to all interfaces (${r.address})` : "";
    out.push({
      path: c.path,
      span: c.span,
      confidence: confidenceOf(c),
      message: `${c.where} starts Django's development server (\`${quote(r.command)}\`)${bind}${extra}${c.conditional ? ` when \`${c.conditional}\`` : ""}; ${c.path} is not a dev-only file, so this is how the app runs when deployed${c.conditional ? " under that condition" : ""}. runserver is not built or audited for hostile traffic.`,
    });
  }
  return out;
}

/** DEPLOY-002 (deployment part): DEBUG switched on by production env, or runserver_plus as the entrypoint. */
export function debugInDeployment(project: Project): DeployFinding[] {
  const out: DeployFinding[] = [];
  const model = project.use(deploymentAnalysis);
  for (const e of appEnv(model.env)) {
    if (!/^(DJANGO_)?DEBUG$/i.test(e.name) || e.value === null || !isTruthy(e.value)) continue;
    const defaulted = e.raw !== e.value ? ` (the default of \`${e.raw}\` when the variable is not set)` : "";
    const readers = project.python.filter((f) => f.text.includes(`"${e.name}"`) || f.text.includes(`'${e.name}'`));
    const unread = project.python.length > 0 && readers.length === 0;
    out.push({
      path: e.path,
      span: e.span,
      // a committed .env nobody visibly loads is weaker evidence than a compose/k8s/unit file;
      // a variable no Python file names may not reach the settings at all
      confidence: unread ? "low" : e.raw !== e.value || (e.source === "env-file" && e.referencedBy === undefined) ? "medium" : "high",
      message: `${e.where} sets ${e.name}=${e.value}${defaulted} in ${e.path}, which is not a dev-only file; ${
        readers.length ? `${readers[0]!.path} reads ${e.name}, so` : unread ? `no Python file names ${e.name}, but if the settings read it (e.g. through a prefix),` : `if the settings read ${e.name},`
      } production runs with DEBUG on and shows tracebacks, settings and SQL to visitors.`,
    });
  }
  for (const c of model.commands) {
    if (c.dev) continue;
    const r = findRunserver(c.argv);
    if (!r?.plus) continue;
    out.push({ path: c.path, span: c.span, confidence: confidenceOf(c), message: `${c.where} serves the site with django-extensions' runserver_plus (Werkzeug's development server, whose debugger can run code); ${c.path} is not a dev-only file.` });
  }
  return out;
}

/**
 * Variables the app itself runs with in production: no dev-only file, build
 * argument or service container (database, cache...), and an env file only when
 * something loads it or it is a plain committed `.env`.
 */
function appEnv(env: readonly DeployEnvVar[]): DeployEnvVar[] {
  return env.filter((e) => !e.dev && !e.buildArg && !isServiceImage(e.image) && !(e.source === "env-file" && e.referencedBy === undefined && !isPlainDotenv(e.path)));
}

/** A committed `.env`/`.env.production` (not an example copy): what django-environ and compose read by default. */
function isPlainDotenv(path: string): boolean {
  return /(^|\/)\.env(\.(prod|production|live))?$/i.test(path) || /(^|\/)(prod|production)\.env$/i.test(path);
}

const SECRET_KEY_NAME = /^(DJANGO_)?SECRET_KEY$/i;
const CREDENTIAL_NAME = /(PASSWORD|PASSWD|PASS|PWD|TOKEN|SECRET|SECRET_?KEY|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|AUTH_?KEY|CREDENTIALS?|SIGNING_?KEY|CLIENT_SECRET)$/i;
/** nginx's upstream directives (`uwsgi_pass app_server;`) passed through the environment: where to send requests, not a password */
const UPSTREAM_PASS = /(UWSGI|PROXY|FASTCGI|SCGI|GRPC|MEMCACHED)_PASS$/i;
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:([^@\s]+)@/i;
/** Secrets in deployment files: any committed file that is not dev-only or an example copy. */
function secretCandidates(project: Project): (DeployEnvVar & { value: string })[] {
  // a literal with a `$` in it (common in generated keys) is still a literal: fall back to the raw text
  return project.use(deploymentAnalysis).env.filter((e) => !e.dev).map((e) => ({ ...e, value: e.value ?? e.raw }));
}

/**
 * The finding's line with the value blanked out: the engine's redaction knows
 * common shapes, but not every way a deployment file can hold a value
 * (`Environment="A=b" "KEY=value"`, base64 in Secret manifests).
 */
function evidenceWithout(project: Project, e: DeployEnvVar & { value: string }): string {
  let text = project.lines(e.path).slice(e.span.line - 1, Math.min(e.span.endLine, e.span.line + 4)).join("\n");
  const url = URL_WITH_PASSWORD.exec(e.value);
  const secrets = url ? [url[1]!] : [e.raw, e.value, Buffer.from(e.value, "utf8").toString("base64")];
  for (const v of secrets) if (v && v.length >= 3) text = text.split(v).join(REDACTED);
  return text.trimEnd();
}

/** CONFIG-001 (deployment part): SECRET_KEY written into a Dockerfile, compose file, manifest or committed .env. */
export function deploySecretKeys(project: Project): DeployFinding[] {
  const out: DeployFinding[] = [];
  for (const e of secretCandidates(project)) {
    if (!SECRET_KEY_NAME.test(e.name) || isPlaceholder(e.value)) continue;
    const v = e.value;
    const weak: string[] = [];
    if (v.startsWith("django-insecure-")) weak.push("it carries the django-insecure- prefix startproject generates");
    if (v.length < 50) weak.push(`it is only ${v.length} characters long`);
    if (new Set(v).size < 5) weak.push("it has fewer than 5 distinct characters");
    const kind = e.buildArg ? " as a build-time default (it ends up in the image history)" : "";
    out.push({
      path: e.path,
      span: e.span,
      evidence: evidenceWithout(project, e),
      confidence: "high",
      message: `${e.name} is hard-coded in ${e.where}${kind} at ${e.path}:${e.span.line}; anyone with the repository can forge sessions, password-reset tokens and signed data.${weak.length ? ` The key is also weak: ${weak.join("; ")}.` : ""} (value redacted)`,
    });
  }
  return out;
}

/** SECRET-002 (deployment part): passwords, tokens and keys other than SECRET_KEY in deployment files. */
export function deployCredentials(project: Project): DeployFinding[] {
  const out: DeployFinding[] = [];
  for (const e of secretCandidates(project)) {
    if (SECRET_KEY_NAME.test(e.name)) continue;
    const v = e.value;
    let why: string | null = null;
    const shape = credentialIn(v);
    if (shape) why = `holds ${shape}`;
    else if (URL_WITH_PASSWORD.test(v) && !isPlaceholder(URL_WITH_PASSWORD.exec(v)![1]!)) why = "holds a connection URL with an embedded password";
    else if (e.manifest === "Secret" && !isPlaceholder(v)) why = "is a literal value in a committed Kubernetes Secret manifest";
    else if (CREDENTIAL_NAME.test(e.name) && !UPSTREAM_PASS.test(e.name) && !/_FILE$/i.test(e.name) && !isPlaceholder(v) && !/^(true|false|yes|no|on|off|\d{1,3})$/i.test(v)) why = "is set to a literal credential";
    if (!why) continue;
    out.push({
      path: e.path,
      span: e.span,
      evidence: evidenceWithout(project, e),
      confidence: shape ? "high" : e.manifest === "ConfigMap" ? "medium" : "high",
      message: `${e.name} ${why} in ${e.where} (${e.path}:${e.span.line}); it is readable by everyone with access to the repository${e.buildArg ? " and stays in the image history" : ""}. Inject it at deploy time from a secret store instead. (value redacted)`,
    });
  }
  return out;
}

const DATA_PORTS = new Map<number, string>([
  [5432, "PostgreSQL"], [3306, "MySQL/MariaDB"], [6379, "Redis"], [11211, "Memcached"], [5672, "RabbitMQ"], [15672, "RabbitMQ management"], [27017, "MongoDB"],
]);

/** DB-001 (deployment part): data-store ports published on every interface; superuser accounts in the app's env. */
export function exposedDataStores(project: Project): DeployFinding[] {
  const out: DeployFinding[] = [];
  const model = project.use(deploymentAnalysis);
  for (const p of model.ports) {
    if (p.dev) continue;
    const what = DATA_PORTS.get(p.containerPort);
    if (!what) continue;
    const allInterfaces = p.hostIp === null || p.hostIp === "0.0.0.0" || p.hostIp === "::" || p.hostIp === "";
    if (!allInterfaces) continue;
    const how = p.hostNetwork
      ? `${p.where} runs ${p.image} on the host's network, so it listens on port ${p.containerPort} of every host interface`
      : p.source === "kubernetes"
        ? `${p.where} exposes port ${p.containerPort}`
        : `${p.where} publishes ${p.containerPort} on ${p.hostIp ?? "all interfaces"}${p.hostPort ? ` (host port ${p.hostPort})` : ""}`;
    out.push({
      path: p.path,
      span: p.span,
      confidence: "high",
      message: `${how}: ${what} is reachable from outside the host, where only 80/443 should face the world. Bind it to 127.0.0.1 or keep it on an internal network (not visible in app code whether a firewall blocks it; verify at the edge).`,
    });
  }
  for (const e of appEnv(model.env)) {
    if (e.value === null) continue;
    let user: string | null = null;
    if (/^(DATABASE|DB|DEFAULT_DATABASE)_URL$/i.test(e.name) || /_DATABASE_URL$/i.test(e.name)) user = /^[a-z][\w+.-]*:\/\/([^:@/\s]+)(?::[^@\s]*)?@/i.exec(e.value)?.[1] ?? null;
    else if (/^(DB|DATABASE|DJANGO_DB|DJANGO_DATABASE|SQL|PG|POSTGRES|MYSQL)_?USER(NAME)?$/i.test(e.name)) user = e.value;
    if (!user || !/^(postgres|root|sa)$/i.test(user)) continue;
    out.push({
      path: e.path,
      span: e.span,
      confidence: "medium",
      message: `${e.where} connects the app as the database superuser \`${user}\` (${e.name}); a SQL injection or compromised app then owns every database on the server. Use a least-privilege role for web traffic.`,
    });
  }
  return out;
}

/** UPLOAD-001 (nginx part): uploads served with their own content type; the body-size limit switched off. */
export function nginxUploadProblems(project: Project): DeployFinding[] {
  const out: DeployFinding[] = [];
  for (const file of project.use(nginxAnalysis)) {
    if (file.dev) continue;
    for (const server of serverBlocks(file)) {
      const serverHeaders = server.block!.filter((d) => d.name === "add_header");
      for (const { d, parents } of walkNginx(server.block!, [server])) {
        // `internal` locations answer only X-Accel-Redirect from the app, which decides the headers
        if (d.name === "location" && d.block && isMediaLocation(d.args) && !d.block.some((x) => x.name === "internal")) {
          const servesFiles = d.block.some((x) => x.name === "alias" || x.name === "root") || (!d.block.some((x) => /_pass$/.test(x.name)) && server.block!.some((x) => x.name === "root"));
          if (!servesFiles || neutralisesContent(d.block, [...serverHeaders, ...parents.flatMap((p) => p.block ?? []).filter((x) => x.name === "add_header")])) continue;
          out.push({
            path: file.path,
            span: lineSpan(d.line, d.col, d.col + `location ${d.args.join(" ")}`.length),
            confidence: "medium",
            severity: "medium",
            message: `nginx serves user uploads at \`location ${d.args.join(" ")}\` (${file.path}:${d.line}) with the content type of each file's extension and no \`Content-Disposition: attachment\`, forced \`default_type\` or CSP sandbox: an uploaded .html or .svg file runs script in the site's origin.`,
          });
        }
        if (d.name === "client_max_body_size" && d.args[0] !== undefined && nginxSize(d.args[0]) === 0) {
          out.push({
            path: file.path,
            span: lineSpan(d.line, d.col, d.col + `client_max_body_size ${d.args[0]};`.length),
            confidence: "high",
            severity: "low",
            message: `\`client_max_body_size 0\` at ${file.path}:${d.line} switches off nginx's request-body limit, so arbitrarily large uploads reach the app and its disk.`,
          });
        }
      }
    }
  }
  return out;
}

function isMediaLocation(args: string[]): boolean {
  const path = args[args.length - 1] ?? "";
  return /^\/?(media|uploads?|user[-_]?(content|uploads|files)|files)(\/|$)/i.test(path.replace(/^\^?~?\s*/, "").replace(/^\^/, ""));
}

/** The location forces downloads, a neutral type, or a sandboxing CSP. */
function neutralisesContent(block: NginxDirective[], inheritedHeaders: NginxDirective[]): boolean {
  // add_header in a location replaces (does not extend) the headers of outer levels
  const headers = block.some((d) => d.name === "add_header") ? block.filter((d) => d.name === "add_header") : inheritedHeaders;
  if (headers.some((h) => /^content-disposition$/i.test(h.args[0] ?? "") && /attachment/i.test(h.args[1] ?? ""))) return true;
  if (headers.some((h) => /^content-security-policy$/i.test(h.args[0] ?? "") && /\bsandbox\b/i.test(h.args[1] ?? ""))) return true;
  const emptyTypes = block.some((d) => d.name === "types" && d.block !== null && d.block.length === 0);
  const neutral = block.some((d) => d.name === "default_type" && /^(application\/octet-stream|text\/plain)$/i.test(d.args[0] ?? ""));
  return emptyTypes && neutral;
}
