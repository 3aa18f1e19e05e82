// `djangoguard probe URL`: a small, bounded set of ordinary GET requests against
// a running site, read the way automated checkers read it, turned into findings
// of the same shape as scan's (location.path = the URL, evidence = the real
// response lines).
import { randomBytes } from "node:crypto";
import { severityRank, type Finding, type Note, type Severity } from "../findings.js";
import { compareFindings, type ScanResult } from "../scan.js";
import { redact } from "../redact.js";
import { VERSION } from "../version.js";
import { analyze, BOGUS_HOST, isLegacyProtocol, type Observation, type ProbeData, type ProbeFinding } from "./checks.js";
import { header, ProbeClient, type ClientOptions, type Exchange } from "./client.js";
import { inspectTls, legacyTlsAccepted } from "./tls.js";

/** The client's budget and credentials (see ClientOptions; defaults: 20 requests, 10 s each, 60 s in all). */
export interface ProbeOptions extends ClientOptions {
  /** the port plain HTTP is served on, for the redirect check of an https:// target on a non-default port */
  httpPort?: number;
}

function defaultProbeOptions(): ProbeOptions {
  return { maxRequests: 20, timeoutMs: 10_000, totalTimeoutMs: 60_000, insecure: false, followOffsite: false, headers: {} };
}

export interface ProbeResult {
  /** the URL as given */
  url: string;
  /** the origin the checks ran against, after an in-host HTTP→HTTPS redirect */
  base: string;
  findings: Finding[];
  /** findings with the topic they are about (for the merge with static findings) */
  topics: ProbeFinding[];
  /** every topic checked, ok or not */
  observations: Observation[];
  notes: Note[];
  /** every request sent, without credentials */
  requests: { method: string; url: string; host?: string; status?: number; error?: string }[];
  /** false when no response and no TLS facts came back: nothing could be checked */
  checked: boolean;
  /** when nothing could be checked: why, in one line */
  failure?: string;
  durationMs: number;
}

export async function probe(url: string, partial: Partial<ProbeOptions> = {}): Promise<ProbeResult> {
  const started = performance.now();
  const o: ProbeOptions = { ...defaultProbeOptions(), ...partial };
  const notes: Note[] = [];
  let target: URL;
  try {
    target = new URL(url);
    if (target.protocol !== "http:" && target.protocol !== "https:") throw new Error();
  } catch {
    return failed(url, `not an http:// or https:// URL: ${url}`, started);
  }
  if (target.username || target.password) {
    // Credentials in the URL would end up in every report line.
    return failed(redactUrl(target), "credentials in the URL are not supported; use --header or --cookie (never echoed)", started);
  }
  const client = new ProbeClient({ ...o, maxRequests: Math.max(1, o.maxRequests) });
  const note = (message: string, path = "") => notes.push({ path, kind: "info", message: redact(message) });

  const home = await client.follow(target.href);
  // The page the site settled on; none when the chain ended in an error (e.g. the HTTPS leg's certificate).
  const last = home[home.length - 1]!;
  const final = last.status ? last : undefined;
  // Checks run against the origin the site settled on, as long as it stayed on the host.
  let base = target.origin;
  const upgraded = [...home].reverse().find((h) => new URL(h.url).hostname === target.hostname && (h.status || h.url.startsWith("https:")));
  if (upgraded) base = new URL(upgraded.url).origin;
  if (final && final.status! >= 300 && final.status! < 400) {
    const loc = header(final, "location");
    let to: URL | null = null;
    try {
      to = loc ? new URL(loc, final.url) : null;
    } catch {
      to = null;
    }
    if (to && to.hostname !== target.hostname) note(`${final.url} redirects to ${to.href}, another host, which the probe does not follow (probe that URL, or pass --follow-offsite)`);
    else note(`${final.url} answered ${final.status} ${to ? `to ${to.href} ` : "without a usable Location "}and the redirects did not settle; its headers are not judged as a page`);
  }
  const baseUrl = new URL(base);
  const d: ProbeData = { target, base, home, all: client.exchanges };
  if (target.protocol === "http:") {
    d.plainHttp = home[0];
    d.plainChain = home;
  }

  // A TLS handshake is worth trying only when the host answered at all (or failed in TLS itself).
  const reachable = home.some((h) => h.status) || last.error?.kind === "certificate" || last.error?.kind === "tls" || last.error?.kind === "reset";
  if (baseUrl.protocol === "https:" && reachable) {
    const port = Number(baseUrl.port || 443);
    const t = await inspectTls(baseUrl.hostname, port, Math.max(1, Math.min(o.timeoutMs, client.remainingMs)));
    if (t.facts) {
      d.tls = t.facts;
      if (t.facts.protocol && !isLegacyProtocol(t.facts.protocol)) {
        t.facts.legacy = await legacyTlsAccepted(baseUrl.hostname, port, Math.max(1, Math.min(o.timeoutMs, client.remainingMs)));
      }
    } else if (t.error) d.tlsError = t.error;
  }

  if (target.protocol === "https:") {
    const port = o.httpPort ?? (target.port && target.port !== "443" ? undefined : 80);
    if (port === undefined) note(`HTTP→HTTPS redirect not checked: ${target.host} uses a non-default HTTPS port, so the plain-HTTP port is unknown (give it with --http-port)`);
    else {
      d.plainChain = await client.follow(`http://${target.hostname}${port === 80 ? "" : `:${port}`}${target.pathname}${target.search}`, { stopAtHttps: true });
      d.plainHttp = d.plainChain[0];
    }
  }

  const homeError = last.error;
  const httpsBlocked = !final && homeError && (homeError.kind === "certificate" || homeError.kind === "tls");
  if (final) {
    const random = `/djangoguard-probe-${randomBytes(6).toString("hex")}/`;
    d.notFound = await client.request(base + random);
    d.admin = await client.follow(base + "/admin/");
    const adminLogin = base + "/admin/login/";
    if (!d.admin.some((x) => x.url.split("?")[0] === adminLogin)) d.admin.push(...(await client.follow(adminLogin)));
    const login = findLogin(final, base);
    if (login && !d.admin.some((x) => x.url.split("?")[0] === login.split("?")[0])) d.login = await client.follow(login);
    d.robots = await client.request(base + "/robots.txt");
    d.securityTxt = await client.request(base + "/.well-known/security.txt");
    d.bogusHost = await client.request(base + "/", { hostHeader: BOGUS_HOST });
  } else if (httpsBlocked) {
    note(`HTTPS responses not checked: ${homeError!.message}`, base + "/");
  }

  for (const ex of client.exchanges) {
    if (ex.error && ex.error.kind !== "budget" && ex.error.kind !== "deadline" && ex !== home[home.length - 1]) note(`${ex.method} ${ex.url}: ${ex.error.message}`, ex.url);
  }
  const skipped = [d.notFound, d.robots, d.securityTxt, d.bogusHost, ...(d.admin ?? []), ...(d.login ?? [])].filter((x): x is Exchange => !!x?.error && (x.error.kind === "budget" || x.error.kind === "deadline"));
  if (skipped.length) note(`${skipped.length} request(s) not sent: ${skipped[0]!.error!.message}`);

  const checked = client.exchanges.some((x) => x.status) || !!d.tls;
  if (!checked) {
    const err = homeError ?? d.plainHttp?.error;
    return failed(target.href, err?.message ?? "no response", started, client.exchanges);
  }

  const a = analyze(d);
  if (final && !isHtml(final) && !a.django) {
    note(`${final.url} answered ${final.status} with Content-Type ${header(final, "content-type") ?? "(none)"}, not HTML; only the header and TLS checks apply`);
  } else if (final && !a.django) {
    note(`${target.host} does not look like a Django site (no Django cookies, admin or error pages seen); only the generic HTTP and TLS checks apply`);
  }
  return {
    url: redact(target.href),
    base,
    findings: a.findings.map((f) => f.finding),
    topics: a.findings,
    observations: a.observations,
    notes,
    requests: requestsOf(client.exchanges),
    checked: true,
    durationMs: Math.round(performance.now() - started),
  };
}

/** The login page: a link on the home page that says login, else Django's default path. */
function findLogin(home: Exchange, base: string): string | null {
  for (const m of home.body.matchAll(/href\s*=\s*["']([^"'#]*(?:log-?in|signin|sign-in)[^"'#]*)["']/gi)) {
    try {
      const u = new URL(m[1]!.replace(/&amp;/g, "&"), home.url);
      if (u.origin === base) return u.href;
    } catch {
      /* not a URL */
    }
  }
  return base + "/accounts/login/";
}

function isHtml(ex: Exchange): boolean {
  return /html/i.test(header(ex, "content-type") ?? "");
}

function requestsOf(exchanges: Exchange[]): ProbeResult["requests"] {
  return exchanges.map((x) => ({
    method: x.method,
    // the URL as given may carry a token in its query string
    url: redact(x.url),
    ...(x.hostHeader ? { host: x.hostHeader } : {}),
    ...(x.status ? { status: x.status } : {}),
    ...(x.error ? { error: x.error.message } : {}),
  }));
}

function failed(url: string, why: string, started: number, exchanges: Exchange[] = []): ProbeResult {
  return {
    url,
    base: "",
    findings: [],
    topics: [],
    observations: [],
    notes: [{ path: "", kind: "analysis-error", message: why }],
    requests: requestsOf(exchanges),
    checked: false,
    failure: why,
    durationMs: Math.round(performance.now() - started),
  };
}

function redactUrl(u: URL): string {
  const c = new URL(u.href);
  c.username = "";
  c.password = "";
  return c.href;
}

/** The probe in the ScanResult shape, so the scan reporters format it unchanged. */
export function probeToScanResult(r: ProbeResult, policy: { failOn: Severity | "none"; minSeverity?: Severity } = { failOn: "high" }): ScanResult {
  const minSeverity = policy.minSeverity ?? "low";
  const findings = r.findings.filter((f) => severityRank(f.severity) >= severityRank(minSeverity))
    .sort(compareFindings);
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) bySeverity[f.severity]++;
  return {
    tool: { name: "djangoguard", version: VERSION },
    root: r.url,
    settings: { module: null, reason: `live probe of ${r.url}: ${r.requests.length} requests` },
    config: { file: null, failOn: policy.failOn, minSeverity, minConfidence: "low", baseline: null },
    findings,
    suppressed: [],
    notes: r.notes,
    probe: { url: r.url, base: r.base, checked: r.checked, requests: r.requests, observations: r.observations },
    summary: {
      files: 0,
      lines: 0,
      rules: new Set(r.findings.map((f) => f.ruleId)).size,
      findings: findings.length,
      bySeverity,
      suppressed: 0,
      baselined: 0,
      durationMs: r.durationMs,
    },
  };
}

