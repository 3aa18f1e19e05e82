// Facts the deployment files establish that other rules need (RULES.md: "Which
// settings are production", HTTPS-001's "verify at the edge", PROXY-001's
// trustworthy proxy header). Owned by the deployment readers (src/deploy/);
// the settings rules only read it.
import type { Project } from "../project/project.js";
import { defineAnalysis } from "../project/project.js";
import { isDevPath, shellWords } from "./common.js";
import { deploymentAnalysis, productionEnv, type DeployEnvVar } from "./model.js";
import { nginxAnalysis, nginxSize, walkNginx, type NginxDirective } from "./nginx.js";

/** One piece of evidence: where in which file, and the exact line. */
export interface EdgeEvidence {
  path: string;
  line: number;
  /** the line as written (redacted by the reporter) */
  text: string;
}

export interface EdgeFacts {
  /**
   * TLS is terminated somewhere we can see (nginx `listen 443 ssl`, certificates, k8s ingress tls...);
   * `by` says whether a proxy terminates it (Django then sees plain HTTP) or the app server itself
   * (gunicorn `--certfile`, uWSGI `https =`: Django sees HTTPS, no proxy header needed)
   */
  tls: (EdgeEvidence & { by?: "proxy" | "app-server" }) | null;
  /** the proxy redirects HTTP to HTTPS (nginx `return 301 https://...`) */
  httpsRedirect: EdgeEvidence | null;
  /** the proxy sets Strict-Transport-Security */
  hsts: (EdgeEvidence & { maxAge: number | null; includeSubDomains: boolean; preload: boolean }) | null;
  /**
   * the proxy overwrites X-Forwarded-Proto (nginx `proxy_set_header X-Forwarded-Proto $scheme`;
   * a Traefik-routed compose service; an ingress-nginx Ingress)
   */
  forwardedProto: EdgeEvidence | null;
  /** the proxy sets a Content-Security-Policy header */
  csp: EdgeEvidence | null;
  /**
   * the proxy limits request bodies (`client_max_body_size`); `implicit` when nginx
   * proxies the app without the directive and its 1 MB default applies
   */
  bodyLimit: (EdgeEvidence & { bytes?: number | null; implicit?: boolean }) | null;
  /** DJANGO_SETTINGS_MODULE values set by production deployment files (not dev-only files) */
  settingsModules: (EdgeEvidence & { module: string })[];
  /** environment variables production deployment files set for the app (name → value + where) */
  env: Map<string, EdgeEvidence & { value: string }>;
  /** gunicorn trusts X-Forwarded-* from any address (`forwarded_allow_ips = "*"`, `--forwarded-allow-ips="*"`) */
  forwardedAllowAll?: EdgeEvidence | null;
  /** nginx `limit_req` rules and the location each applies to (null: every location of its server) */
  rateLimits: (EdgeEvidence & { location: string[] | null })[];
}

/** Whether one of the proxy's `limit_req` rules covers requests to `urlPath` (nginx's location matching, approximately). */
export function edgeRateLimit(facts: EdgeFacts, urlPath: string): EdgeEvidence | null {
  return facts.rateLimits.find((r) => r.location === null || locationMatches(r.location, urlPath)) ?? null;
}

function locationMatches(args: string[], urlPath: string): boolean {
  const [first, second] = args;
  if (first === undefined) return false;
  if (first === "~" || first === "~*") {
    try {
      return second !== undefined && new RegExp(second, first === "~*" ? "i" : "").test(urlPath);
    } catch {
      return false; // a PCRE construct JavaScript does not take: no claim either way
    }
  }
  if (first === "=") return urlPath === second;
  if (first === "^~") return second !== undefined && urlPath.startsWith(second);
  return !first.startsWith("@") && urlPath.startsWith(first);
}

export const edgeAnalysis = defineAnalysis<EdgeFacts>("edge", (project: Project) => computeEdgeFacts(project));

/** Read from the deployment model and nginx configuration; dev-only files never count. */
function computeEdgeFacts(project: Project): EdgeFacts {
  const facts: EdgeFacts = { tls: null, httpsRedirect: null, hsts: null, forwardedProto: null, csp: null, bodyLimit: null, settingsModules: [], env: new Map(), forwardedAllowAll: null, rateLimits: [] };
  const ev = (path: string, line: number): EdgeEvidence => ({ path, line, text: (project.lines(path)[line - 1] ?? "").trim() });
  // The first TLS clue wins, except that a proxy terminating TLS beats an app server
  // doing it (gunicorn --certfile): the proxy is what the settings checks must know
  // about (SECURE_PROXY_SSL_HEADER, redirect loops), whichever file was read first.
  const setTls = (path: string, line: number, by: "proxy" | "app-server") => {
    if (!facts.tls || (facts.tls.by === "app-server" && by === "proxy")) facts.tls = { ...ev(path, line), by };
  };

  for (const file of project.use(nginxAnalysis)) {
    if (file.dev) continue;
    let proxies: NginxDirective | null = null;
    for (const { d, parents } of walkNginx(file.directives)) {
      const name = d.name.toLowerCase();
      const a = d.args;
      if (name === "limit_req") {
        // the innermost location around it; none: the server's (or http's) every location
        const loc = [...parents].reverse().find((p) => p.name === "location");
        facts.rateLimits.push({ ...ev(file.path, d.line), location: loc ? loc.args : null });
      }
      if (name === "listen" && a.some((x) => x === "ssl" || x === "quic")) setTls(file.path, d.line, "proxy");
      else if (name === "ssl_certificate") setTls(file.path, d.line, "proxy");
      else if (name === "return" && a.length >= 2 && /^30[1278]$/.test(a[0]!) && /^https:\/\//i.test(a[1]!)) facts.httpsRedirect ??= ev(file.path, d.line);
      else if (name === "rewrite" && a.some((x) => /^https:\/\//i.test(x)) && a.some((x) => x === "permanent" || x === "redirect")) facts.httpsRedirect ??= ev(file.path, d.line);
      else if ((name === "proxy_set_header" && a[0]?.toLowerCase() === "x-forwarded-proto") || ((name === "uwsgi_param" || name === "fastcgi_param") && a[0]?.toUpperCase() === "HTTP_X_FORWARDED_PROTO")) {
        // $scheme or a literal overwrites whatever the client sent; $http_x_forwarded_proto passes it on
        if (a[1] && (a[1] === "$scheme" || /^https?$/i.test(a[1]))) facts.forwardedProto ??= ev(file.path, d.line);
      } else if (name === "client_max_body_size" && a[0]) {
        facts.bodyLimit ??= { ...ev(file.path, d.line), bytes: nginxSize(a[0]) };
      } else if (/^(proxy|uwsgi|fastcgi|scgi|grpc)_pass$/.test(name)) proxies ??= d;
    }
    if (!facts.bodyLimit && proxies) facts.bodyLimit = { ...ev(file.path, proxies.line), bytes: 1024 * 1024, implicit: true };
    for (const h of appResponseHeaders(file.directives)) {
      const [header, v] = [h.args[0]?.toLowerCase(), h.args[1] ?? ""];
      if (header === "strict-transport-security") {
        const m = /max-age\s*=\s*"?(\d+)/i.exec(v);
        facts.hsts ??= { ...ev(file.path, h.line), maxAge: m ? Number(m[1]) : null, includeSubDomains: /includesubdomains/i.test(v), preload: /\bpreload\b/i.test(v) };
      } else if (header === "content-security-policy") facts.csp ??= ev(file.path, h.line);
    }
  }

  const model = project.use(deploymentAnalysis);
  for (const h of model.hints) {
    if (h.dev || isDevPath(h.path)) continue;
    if (h.kind === "tls") setTls(h.path, h.line, h.by ?? "proxy");
    else if (h.kind === "https-redirect") facts.httpsRedirect ??= ev(h.path, h.line);
    else if (h.kind === "forwarded-proto") facts.forwardedProto ??= ev(h.path, h.line);
    else if (h.kind === "hsts" && h.hsts) facts.hsts ??= { ...ev(h.path, h.line), ...h.hsts };
  }
  for (const g of model.gunicorn) {
    if (!g.dev && g.name === "forwarded_allow_ips" && g.values.some((v) => v.split(",").some((x) => x.trim() === "*"))) facts.forwardedAllowAll ??= ev(g.path, g.span.line);
  }

  const putEnv = (name: string, value: string, path: string, line: number) => {
    if (!facts.env.has(name)) facts.env.set(name, { ...ev(path, line), value });
    if (name === "DJANGO_SETTINGS_MODULE" && !facts.settingsModules.some((s) => s.module === value && s.path === path)) facts.settingsModules.push({ ...ev(path, line), module: value });
  };
  // The app's own variables first: a database container's env is not the app's.
  // What the orchestrator sets overrides the image's ENV, so compose/Kubernetes/unit files come before the Dockerfile.
  const rank = (e: DeployEnvVar) => (e.source === "dockerfile" ? 1 : 0);
  const env = productionEnv(model).sort((x, y) => rank(x) - rank(y));
  for (const e of env) if (!isServiceImage(e.image)) putEnv(e.name, e.value!, e.path, e.span.line);

  for (const c of model.commands) {
    if (c.dev) continue;
    const words = c.argv.flatMap((w) => (/\s/.test(w) ? shellWords(w) : [w]));
    words.forEach((w, i) => {
      const next = words[i + 1];
      let m: RegExpExecArray | null;
      if ((m = /^--settings=(.+)$/.exec(w)) || (w === "--settings" && next && (m = ["", next] as unknown as RegExpExecArray))) {
        if (!facts.settingsModules.some((s) => s.module === m![1] && s.path === c.path)) facts.settingsModules.push({ ...ev(c.path, c.span.line), module: m[1]! });
      }
      const kv = /^--env=(\w+)=(.*)$/.exec(w) ?? ((w === "--env" || w === "-e") && next ? /^(\w+)=(.*)$/.exec(next) : null);
      if (kv && words.some((x) => /(^|\/)gunicorn$/.test(x))) putEnv(kv[1]!, kv[2]!, c.path, c.span.line);
      if (w === "--certfile" || w.startsWith("--certfile=")) setTls(c.path, c.span.line, "app-server");
      const fw = /^--forwarded-allow-ips=(.*)$/.exec(w)?.[1] ?? (w === "--forwarded-allow-ips" ? next : undefined);
      if (fw !== undefined && fw.split(",").some((x) => x.trim() === "*")) facts.forwardedAllowAll ??= ev(c.path, c.span.line);
    });
  }
  return facts;
}

/**
 * The add_header directives that reach the app's responses. nginx inherits
 * add_header from the enclosing level only when a level has none of its own, so
 * a header set only in `location /media/` does not apply to the proxied app.
 * Proxying locations decide; a server without any uses its own level.
 */
function appResponseHeaders(top: NginxDirective[]): NginxDirective[] {
  const out: NginxDirective[] = [];
  const own = (ds: NginxDirective[]) => ds.filter((d) => d.name === "add_header");
  const visit = (ds: NginxDirective[], inherited: NginxDirective[]) => {
    const here = own(ds).length ? own(ds) : inherited;
    const proxies = ds.some((d) => /^(proxy|uwsgi|fastcgi|scgi|grpc)_pass$/.test(d.name));
    const children = ds.filter((d) => d.block && d.name !== "types" && d.name !== "upstream" && d.name !== "map");
    if (proxies) out.push(...here);
    for (const c of children) visit(c.block!, here);
  };
  visit(top, []);
  // a server block that proxies nothing (a static site or a pure redirect) still sends its own headers
  if (!out.length) for (const { d } of walkNginx(top)) if (d.name === "server" && d.block) out.push(...own(d.block));
  return out;
}

/** Images of databases, caches, brokers and proxies: their environment configures them, not Django. */
export function isServiceImage(image: string | null | undefined): boolean {
  if (!image) return false;
  const name = image.split("@")[0]!.split(":")[0]!.split("/").pop()!.toLowerCase();
  return /^(postgres|postgis|mysql|mariadb|redis|valkey|memcached|rabbitmq|mongo|mongodb|elasticsearch|opensearch|nginx|traefik|caddy|haproxy|minio|mailhog|mailpit)$/.test(name);
}
