// Compose files and Kubernetes manifests. Every YAML file is parsed once (all
// documents, with positions) in yamlDocumentsAnalysis; the compose reader takes
// documents with a top-level `services:` map, the Kubernetes reader documents
// with `apiVersion` and `kind`.
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type YAMLMap } from "yaml";
import type { Project } from "../project/project.js";
import { defineAnalysis } from "../project/project.js";
import type { Span } from "../python/ast.js";
import { redact } from "../redact.js";
import { YAML_KEY } from "../discovery/classify.js";
import { interpolateDefaults, isDevPath, isProdPath, joinRelative, shellWords } from "./common.js";
import type { DeploymentModel, DeploySource, EdgeHint } from "./model.js";

export interface YamlFile {
  path: string;
  docs: Document.Parsed[];
  lc: LineCounter;
}

export const yamlDocumentsAnalysis = defineAnalysis<YamlFile[]>("yaml-documents", (project) => {
  const out: YamlFile[] = [];
  for (const f of project.ofKind("compose", "kubernetes", "yaml")) {
    if (f.kind === "yaml" && !mayDeploy(project, f.path, f.text)) continue;
    const lc = new LineCounter();
    let docs: Document.Parsed[];
    try {
      docs = parseAllDocuments(f.text, { lineCounter: lc, uniqueKeys: false }) as Document.Parsed[];
      if (!Array.isArray(docs)) docs = [];
    } catch (e) {
      project.note({ path: f.path, kind: "parse-failed", message: `YAML could not be parsed: ${redact((e as Error).message)}` });
      continue;
    }
    const bad = docs.find((d) => d.errors.length > 0);
    if (bad && helmChartOf(project, f.path) && /(^|\/)templates\//.test(f.path)) {
      project.note({ path: f.path, kind: "skipped", message: "Helm chart template (Go templating); only the chart's values files are read" });
    } else if (bad && (f.kind === "compose" || f.kind === "kubernetes")) {
      const err = bad.errors[0]!;
      project.note({ path: f.path, kind: "parse-failed", line: err.linePos?.[0]?.line, message: `YAML error, the rest of this document was not read: ${err.message.split("\n")[0]}` });
    }
    out.push({ path: f.path, docs: docs.filter((d) => d.errors.length === 0), lc });
  }
  return out;
});


/** Whether a YAML file not classified as compose or Kubernetes can still be one of
 *  the three documents readYamlDeployments reads. The YAML parser is slow (~1 MB/s)
 *  and real trees hold many other YAML files (CI workflows, issue forms, fixtures). */
function mayDeploy(project: Project, path: string, text: string): boolean {
  return YAML_KEY.services.test(text) || (YAML_KEY.apiVersion.test(text) && YAML_KEY.kind.test(text)) || isHelmValues(project, path);
}

function isHelmValues(project: Project, path: string): boolean {
  return /(^|\/)values([._-][^/]*)?\.ya?ml$/i.test(path) && !!helmChartOf(project, path);
}

export function spanOf(y: YamlFile, node: Node | null | undefined): Span {
  const r = node?.range ?? [0, 0, 0];
  const a = y.lc.linePos(r[0]);
  const b = y.lc.linePos(Math.max(r[0], r[1]));
  return { line: a.line, col: a.col, endLine: b.line, endCol: b.line === a.line ? Math.max(b.col, a.col + 1) : b.col };
}

export function get(map: unknown, key: string): Node | undefined {
  if (!isMap(map)) return undefined;
  for (const p of map.items) if (isScalar(p.key) && String(p.key.value) === key) return (p.value ?? undefined) as Node | undefined;
  return undefined;
}

export function str(n: unknown): string | null {
  return isScalar(n) && n.value !== null && typeof n.value !== "object" ? String(n.value) : null;
}

function strList(n: unknown): string[] | null {
  if (isSeq(n)) return n.items.map((i) => str(i) ?? "");
  const s = str(n);
  return s === null ? null : shellWords(s);
}

function pairs(map: unknown): { key: string; keyNode: Node; value: Node | null }[] {
  if (!isMap(map)) return [];
  return map.items.filter((p) => isScalar(p.key)).map((p) => ({ key: String((p.key as { value: unknown }).value), keyNode: p.key as Node, value: (p.value ?? null) as Node | null }));
}

export function readYamlDeployments(project: Project, model: DeploymentModel): void {
  const files = project.use(yamlDocumentsAnalysis);
  const composeFiles = files.filter((y) => y.docs.some((d) => isCompose(d.contents)));
  // When the project has a compose file named for production, a plain docker-compose.yml beside it is the dev one.
  const hasProdCompose = composeFiles.some((y) => isProdPath(y.path));
  for (const y of files) {
    const helm = isHelmValues(project, y.path);
    for (const d of y.docs) {
      if (isCompose(d.contents)) readCompose(project, y, d.contents as YAMLMap, model, isDevPath(y.path) || (hasProdCompose && !isProdPath(y.path)));
      else if (str(get(d.contents, "apiVersion")) && str(get(d.contents, "kind"))) readManifest(y, d.contents as YAMLMap, model);
      else if (helm) readHelmValues(y, d.contents, model);
    }
  }
}

function isCompose(c: unknown): boolean {
  const services = get(c, "services");
  return isMap(services) && services.items.some((p) => isMap(p.value) && (get(p.value, "image") !== undefined || get(p.value, "build") !== undefined));
}

// ---------- compose ----------

/**
 * A comment describing the file as a development, test or example stack. Not "not intended for production
 * use without first customizing it" (DefectDojo's docker-compose.yml): that is the file production starts from.
 */
const DEV_COMMENT = /^[ \t]*#.*\b(dev|development|testing|example|demo)\b.*\b(compose file|stack|for testing)\b/im;

/**
 * A compose file that builds from a dev Dockerfile or stage, or loads env files
 * from dev-only places, is a development stack whatever its name.
 */
function composeLooksDev(project: Project, y: YamlFile, root: YAMLMap): boolean {
  // its own comments say so: "# A dev / testing / example compose file for testing the image" (Baserow's
  // cloudron and heroku stacks)
  if (DEV_COMMENT.test(project.byPath.get(y.path)?.text ?? "")) return true;
  for (const { value: svc } of pairs(get(root, "services"))) {
    const build = get(svc, "build");
    const dockerfile = str(get(build, "dockerfile"));
    const target = str(get(build, "target"));
    if (dockerfile && isDevPath(joinRelative(y.path, `${str(get(build, "context")) ?? "."}/${dockerfile}`))) return true;
    if (target && /^(dev|devel|develop|development|local|test|testing|ci|debug)$/i.test(target)) return true;
    const envFiles = get(svc, "env_file");
    const refs = isSeq(envFiles) ? envFiles.items.map((i) => str(i) ?? str(get(i, "path"))) : [str(envFiles)];
    if (refs.some((r) => r && isDevPath(joinRelative(y.path, r)))) return true;
    // the build installs dev/test requirements (`args: REQ_FILE=requirements/tests.txt`)
    const args = get(build, "args");
    const argValues = isSeq(args) ? args.items.map((i) => (str(i) ?? "").split("=").slice(1).join("=")) : pairs(args).map((p) => str(p.value) ?? "");
    if (argValues.some((v) => /\.(txt|in)$/.test(v) && isDevPath(v))) return true;
    // an entrypoint or command script named for development (docker-entrypoint.dev.sh)
    for (const key of ["entrypoint", "command"]) {
      const first = strList(get(svc, key))?.[0];
      if (first && /\.(sh|bash)$/.test(first) && isDevPath(first)) return true;
    }
    // the project's source bind-mounted over the image: live code, a development setup
    const volumes = get(svc, "volumes");
    if (isSeq(volumes) && volumes.items.some((v) => /^\.{1,2}\/?:/.test(str(v) ?? "") || /^\.{1,2}\/?$/.test(str(get(v, "source")) ?? "-"))) return true;
  }
  return false;
}

function readCompose(project: Project, y: YamlFile, root: YAMLMap, model: DeploymentModel, devByName: boolean): void {
  const dev = devByName || composeLooksDev(project, y, root);
  for (const { key: service, value: svc } of pairs(get(root, "services"))) {
    if (!isMap(svc)) continue;
    const image = str(get(svc, "image"));
    const base = { path: y.path, source: "compose" as DeploySource, dev };
    for (const key of ["entrypoint", "command"] as const) {
      const node = get(svc, key);
      const argv = strList(node);
      if (!argv || !node) continue;
      const entry = key === "command" ? strList(get(svc, "entrypoint")) ?? [] : [];
      model.commands.push({ ...base, span: spanOf(y, node), where: `compose service ${service} ${key}`, process: service, argv: isSeq(node) ? [...entry, ...argv] : ["/bin/sh", "-c", str(node) ?? ""] });
    }
    const env = get(svc, "environment");
    const push = (name: string, raw: string, node: Node) =>
      model.env.push({ ...base, span: spanOf(y, node), where: `compose service ${service}`, name, raw, value: interpolateDefaults(raw), service, ...(image ? { image } : {}) });
    if (isMap(env)) {
      for (const p of pairs(env)) push(p.key, p.value === null ? "" : str(p.value) ?? "", p.value ?? p.keyNode);
    } else if (isSeq(env)) {
      for (const item of env.items) {
        const s = str(item);
        if (s === null) continue;
        const i = s.indexOf("=");
        if (i > 0) push(s.slice(0, i), s.slice(i + 1), item as Node);
      }
    }
    // env_file entries point at files in the project; their variables are this service's environment.
    const envFiles = get(svc, "env_file");
    const refs = isSeq(envFiles) ? envFiles.items.map((i) => str(i) ?? str(get(i, "path"))) : [str(envFiles)];
    for (const ref of refs) {
      if (!ref) continue;
      const target = joinRelative(y.path, ref);
      if (!project.byPath.has(target)) continue;
      model.envFileRefs.push({ envFile: target, service, image, dev, composePath: y.path });
    }
    readTraefikLabels(y, get(svc, "labels"), model, dev);
    const netMode = get(svc, "network_mode");
    const storePort = image ? DEFAULT_PORTS.find(([re]) => re.test(imageName(image)))?.[1] : undefined;
    if (str(netMode) === "host" && storePort !== undefined)
      model.ports.push({ ...base, span: spanOf(y, netMode), where: `compose service ${service} (network_mode: host)`, service, image, hostIp: null, hostPort: String(storePort), containerPort: storePort, hostNetwork: true });
    const ports = get(svc, "ports");
    if (isSeq(ports)) {
      for (const item of ports.items) {
        const p = parsePort(item);
        if (!p) continue;
        model.ports.push({ ...base, span: spanOf(y, item as Node), where: `compose service ${service} ports`, service, image, ...p });
      }
    }
  }
}

/**
 * Traefik's compose labels: a router with TLS (`.tls=true`, `.tls.certresolver`),
 * a redirectscheme middleware to https, HSTS headers (`.headers.stsSeconds`). A
 * Traefik-routed service also gets X-Forwarded-Proto from Traefik, which drops
 * the client's own unless told to trust it.
 */
function readTraefikLabels(y: YamlFile, labels: unknown, model: DeploymentModel, dev: boolean): void {
  const entries: { key: string; value: string; node: Node }[] = [];
  if (isMap(labels)) for (const p of pairs(labels)) entries.push({ key: p.key, value: str(p.value) ?? "", node: p.keyNode });
  else if (isSeq(labels))
    for (const item of labels.items) {
      const t = str(item);
      const i = t?.indexOf("=") ?? -1;
      if (t && i > 0) entries.push({ key: t.slice(0, i), value: t.slice(i + 1), node: item as Node });
    }
  const traefik = entries.filter((e) => e.key.startsWith("traefik."));
  if (!traefik.length || traefik.some((e) => e.key === "traefik.enable" && e.value === "false")) return;
  const line = (e: { node: Node }) => spanOf(y, e.node).line;
  const hint = (kind: EdgeHint["kind"], e: { node: Node }, extra: Partial<EdgeHint> = {}) => model.hints.push({ kind, path: y.path, line: line(e), dev, ...extra });
  const tlsLabel = traefik.find((e) => /^traefik\.http\.routers\.[^.]+\.tls(\.certresolver)?$/.test(e.key) && e.value !== "false" && e.value !== "");
  if (tlsLabel) hint("tls", tlsLabel);
  const redirect = traefik.find((e) => /\.redirectscheme\.scheme$/.test(e.key) && e.value === "https");
  if (redirect) hint("https-redirect", redirect);
  const sts = traefik.find((e) => /\.headers\.stsseconds$/i.test(e.key));
  if (sts) {
    const prefix = sts.key.replace(/stsseconds$/i, "");
    const flag = (name: string) => traefik.some((e) => e.key.toLowerCase() === `${prefix}${name}`.toLowerCase() && e.value === "true");
    hint("hsts", sts, { hsts: { maxAge: Number(sts.value) || null, includeSubDomains: flag("stsIncludeSubdomains"), preload: flag("stsPreload") } });
  }
  const router = traefik.find((e) => /^traefik\.http\.routers\.[^.]+\.rule$/.test(e.key));
  if (router) hint("forwarded-proto", router);
}

/** Data-store images and the port they listen on by default. */
const DEFAULT_PORTS: [RegExp, number][] = [
  [/^(postgres|postgis)$/, 5432], [/^(mysql|mariadb)$/, 3306], [/^(redis|valkey)$/, 6379], [/^memcached$/, 11211], [/^rabbitmq$/, 5672], [/^mongo(db)?$/, 27017],
];

function imageName(image: string): string {
  return image.split("@")[0]!.split(":")[0]!.split("/").pop()!.toLowerCase();
}

function parsePort(item: unknown): { hostIp: string | null; hostPort: string | null; containerPort: number } | null {
  if (isMap(item)) {
    const target = Number(str(get(item, "target")));
    const published = str(get(item, "published"));
    if (!Number.isFinite(target) || published === null) return null; // not published at all
    return { hostIp: str(get(item, "host_ip")), hostPort: published, containerPort: target };
  }
  const raw = str(item);
  if (raw === null) return null;
  // "${DB_PORT:-5432}:5432" publishes what the default says when nobody sets the variable
  const s = interpolateDefaults(raw) ?? raw;
  const spec = s.replace(/\/(tcp|udp|sctp)$/, "");
  // [ip:]hostPort:containerPort, or containerPort alone (published on a random host port, all interfaces)
  const m = /^(?:(\[[^\]]+\]|[\d.]+|[A-Za-z_${}:-]+?):)?(?:([\d-]*):)?([\d-]+)$/.exec(spec);
  if (!m) return null;
  const container = Number(m[3]!.split("-")[0]);
  if (!Number.isFinite(container)) return null;
  let hostIp: string | null = null;
  let hostPort: string | null = null;
  if (m[2] !== undefined) {
    hostIp = m[1] ?? null;
    hostPort = m[2] || null;
  } else if (m[1] !== undefined) {
    hostPort = m[1];
  }
  if (hostIp !== null) hostIp = hostIp.replace(/^\[|\]$/g, "");
  return { hostIp, hostPort, containerPort: container };
}

// ---------- Helm values ----------

/** The chart directory when the file sits in (or under) a directory holding Chart.yaml. */
function helmChartOf(project: Project, path: string): string | null {
  const parts = path.split("/").slice(0, -1);
  for (let i = parts.length; i >= 0; i--) {
    const dir = parts.slice(0, i).join("/");
    if (project.byPath.has(dir ? `${dir}/Chart.yaml` : "Chart.yaml")) return dir;
  }
  return null;
}

/** Container commands/args and env lists anywhere in a chart's values file. */
function readHelmValues(y: YamlFile, root: unknown, model: DeploymentModel): void {
  const dev = isDevPath(y.path);
  const base = { path: y.path, source: "kubernetes" as DeploySource, dev };
  const visit = (node: unknown, keyPath: string[]) => {
    if (isSeq(node)) {
      node.items.forEach((i, k) => visit(i, [...keyPath, String(k)]));
      return;
    }
    if (!isMap(node)) return;
    const cmd = strListK8s(get(node, "command")) ?? [];
    const args = strListK8s(get(node, "args")) ?? [];
    if (cmd.length || args.length) {
      const at = (get(node, "args") ?? get(node, "command")) as Node;
      model.commands.push({ ...base, span: spanOf(y, at), where: `Helm values ${keyPath.join(".") || "(top level)"}`, argv: [...cmd, ...args] });
    }
    for (const key of ["env", "extraEnv", "extraEnvVars"]) {
      const env = get(node, key);
      if (!isSeq(env)) continue;
      for (const e of env.items) {
        const name = str(get(e, "name"));
        const valueNode = get(e, "value");
        if (!name || valueNode === undefined) continue;
        const raw = str(valueNode) ?? "";
        model.env.push({ ...base, span: spanOf(y, valueNode), where: `Helm values ${[...keyPath, key].join(".")}`, name, raw, value: /\{\{|\$\(/.test(raw) ? null : raw });
      }
    }
    for (const p of pairs(node)) if (p.key !== "command" && p.key !== "args") visit(p.value, [...keyPath, p.key]);
  };
  visit(root, []);
}

// ---------- Kubernetes ----------

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"]);

function readManifest(y: YamlFile, doc: YAMLMap, model: DeploymentModel): void {
  const kind = str(get(doc, "kind"))!;
  const name = str(get(get(doc, "metadata"), "name")) ?? kind;
  const dev = isDevPath(y.path);
  const base = { path: y.path, source: "kubernetes" as DeploySource, dev };
  if (kind === "List") {
    const items = get(doc, "items");
    if (isSeq(items)) for (const i of items.items) if (isMap(i)) readManifest(y, i, model);
    return;
  }
  if (kind === "Secret" || kind === "ConfigMap") {
    for (const field of ["stringData", "data"]) {
      for (const p of pairs(get(doc, field))) {
        let raw = str(p.value) ?? "";
        if (kind === "Secret" && field === "data") raw = Buffer.from(raw, "base64").toString("utf8");
        model.env.push({ ...base, span: spanOf(y, p.value ?? p.keyNode), where: `${kind} ${name}`, name: p.key, raw, value: raw, manifest: kind });
      }
    }
    return;
  }
  if (kind === "Ingress") {
    const spec = get(doc, "spec");
    const tls = get(spec, "tls");
    const tlsKey = pairs(spec).find((p) => p.key === "tls")?.keyNode;
    const hasTls = isSeq(tls) && tls.items.length > 0 && tlsKey !== undefined;
    if (hasTls) model.hints.push({ kind: "tls", path: y.path, line: spanOf(y, tlsKey).line });
    const annotations = pairs(get(get(doc, "metadata"), "annotations"));
    for (const p of annotations) {
      if (/(ssl-redirect|force-ssl-redirect)$/.test(p.key) && str(p.value) === "true") model.hints.push({ kind: "https-redirect", path: y.path, line: spanOf(y, p.keyNode).line });
    }
    // ingress-nginx redirects to HTTPS by default once an Ingress has TLS, and sets
    // X-Forwarded-Proto itself (it ignores the client's unless use-forwarded-headers is on)
    const cls = str(get(spec, "ingressClassName")) ?? str(annotations.find((p) => p.key === "kubernetes.io/ingress.class")?.value);
    if (cls && /nginx/i.test(cls)) {
      const classLine = spanOf(y, pairs(spec).find((p) => p.key === "ingressClassName")?.keyNode ?? annotations.find((p) => p.key === "kubernetes.io/ingress.class")?.keyNode).line;
      const optOut = annotations.some((p) => /ssl-redirect$/.test(p.key) && str(p.value) === "false");
      if (hasTls && !optOut) model.hints.push({ kind: "https-redirect", path: y.path, line: spanOf(y, tlsKey).line });
      model.hints.push({ kind: "forwarded-proto", path: y.path, line: classLine });
    }
    return;
  }
  if (kind === "Service") {
    const spec = get(doc, "spec");
    const type = str(get(spec, "type")) ?? "ClusterIP";
    if (type !== "LoadBalancer" && type !== "NodePort") return;
    const ports = get(spec, "ports");
    if (!isSeq(ports)) return;
    for (const p of ports.items) {
      const port = Number(str(get(p, "targetPort")) ?? str(get(p, "port")));
      if (!Number.isFinite(port)) continue;
      model.ports.push({ ...base, span: spanOf(y, p as Node), where: `Service ${name} (${type})`, service: name, image: null, hostIp: null, hostPort: str(get(p, "port")), containerPort: port });
    }
    return;
  }
  let podSpec: unknown;
  if (kind === "Pod") podSpec = get(doc, "spec");
  else if (kind === "CronJob") podSpec = get(get(get(get(get(doc, "spec"), "jobTemplate"), "spec"), "template"), "spec");
  else if (WORKLOADS.has(kind)) podSpec = get(get(get(doc, "spec"), "template"), "spec");
  else return;
  for (const list of ["initContainers", "containers"]) {
    const containers = get(podSpec, list);
    if (!isSeq(containers)) continue;
    for (const c of containers.items) {
      if (!isMap(c)) continue;
      const cname = str(get(c, "name")) ?? "container";
      const image = str(get(c, "image"));
      const where = `${kind} ${name} container ${cname}`;
      const command = get(c, "command");
      const args = get(c, "args");
      const argv = [...(strListK8s(command) ?? []), ...(strListK8s(args) ?? [])];
      if (argv.length && (command || args)) model.commands.push({ ...base, span: spanOf(y, (args ?? command) as Node), where, process: cname, argv });
      const env = get(c, "env");
      if (isSeq(env)) {
        for (const e of env.items) {
          const ename = str(get(e, "name"));
          const valueNode = get(e, "value");
          if (!ename || valueNode === undefined) continue;
          const raw = str(valueNode) ?? "";
          // Kubernetes expands $(VAR) from earlier variables only; treat any as unresolved
          model.env.push({ ...base, span: spanOf(y, valueNode), where, name: ename, raw, value: /\$\(/.test(raw) ? null : raw, service: cname, ...(image ? { image } : {}) });
        }
      }
      const ports = get(c, "ports");
      if (isSeq(ports)) {
        for (const p of ports.items) {
          const hostPort = str(get(p, "hostPort"));
          const containerPort = Number(str(get(p, "containerPort")));
          if (hostPort === null || !Number.isFinite(containerPort)) continue;
          model.ports.push({ ...base, span: spanOf(y, p as Node), where: `${where} hostPort`, service: cname, image, hostIp: str(get(p, "hostIP")), hostPort, containerPort });
        }
      }
    }
  }
}

function strListK8s(n: unknown): string[] | null {
  if (isSeq(n)) return n.items.map((i) => str(i) ?? "");
  return null;
}
