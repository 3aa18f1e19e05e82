// What the probe's responses show, as Observations (one per topic, ok or not)
// and Findings for the ones that are not ok, mapped to the rule IDs in RULES.md
// ("Live probe"). Pure functions over recorded exchanges, so they are testable
// without a network.
import type { Finding, Severity } from "../findings.js";
import { fingerprint } from "../fingerprint.js";
import { REDACTED, redact } from "../redact.js";
import { getRule } from "../rules/index.js";
import { header, headerAll, requestLine, statusLine, type Exchange, type ProbeError } from "./client.js";
import type { TlsFacts } from "./tls.js";

/** The things the probe can see; also the merge's vocabulary (see merge.ts). */
export type Topic =
  | "ssl-redirect" | "redirect-host"
  | "tls-trust" | "tls-hostname" | "tls-expiry" | "tls-protocol"
  | "hsts" | "hsts-flags"
  | "session-cookie-secure" | "session-cookie-httponly" | "session-cookie-samesite" | "session-cookie-domain"
  | "csrf-cookie-secure" | "csrf-cookie-samesite" | "csrf-cookie-domain"
  | "debug" | "allowed-hosts"
  | "xframe" | "nosniff" | "referrer" | "coop" | "csp" | "csp-script-src"
  | "admin-path" | "robots-admin" | "banner" | "runserver" | "security-txt";

export interface Observation {
  topic: Topic;
  ok: boolean;
  /** one line of live evidence, e.g. "http://h/ → 301 https://h/" */
  summary: string;
}

export interface ProbeFinding {
  topic: Topic;
  finding: Finding;
}

/** Everything the orchestrator gathered, by purpose. */
export interface ProbeData {
  target: URL;
  /** the origin the checks ran against (after an in-host HTTP→HTTPS redirect) */
  base: string;
  home: Exchange[];
  /** the plain-HTTP request (home[0] when the target is http://) */
  plainHttp?: Exchange;
  /** the plain-HTTP redirect chain within the host, up to the first https:// hop (home when the target is http://) */
  plainChain?: Exchange[];
  notFound?: Exchange;
  admin?: Exchange[];
  login?: Exchange[];
  robots?: Exchange;
  securityTxt?: Exchange;
  bogusHost?: Exchange;
  tls?: TlsFacts;
  /** why the TLS handshake with the base failed, when it did */
  tlsError?: ProbeError;
  /** every exchange in order */
  all: Exchange[];
}

export const BOGUS_HOST = "djangoguard-probe.invalid";

const DEBUG_PAGE = /you have <code>DEBUG = True<\/code>/;

export interface Analysis {
  findings: ProbeFinding[];
  observations: Observation[];
  /** anything Django-specific was seen (cookies, admin, Django's error pages) */
  django: boolean;
}

export function analyze(d: ProbeData): Analysis {
  const out: Analysis = { findings: [], observations: [], django: false };
  const a = new Reporter(d, out);
  checkRedirect(d, a);
  if (d.tls) checkTls(d.tls, a);
  else if (d.tlsError) checkTlsFailure(d, d.tlsError, a);
  // Document headers are judged on the page itself, not on a redirect that was not followed.
  const page = lastResponse(d.home);
  if (page && !(page.status! >= 300 && page.status! < 400)) {
    checkHeaders(page, a);
    if (page.url.startsWith("https:")) checkHsts(page, a);
  }
  checkCookies(d, a);
  checkDebug(d, a);
  checkBogusHost(d, a);
  checkAdmin(d, a);
  checkRobots(d, a);
  checkSecurityTxt(d, a);
  out.django = looksLikeDjango(d);
  return out;
}

/** Builds findings with the rule's metadata; location.path is the URL. */
class Reporter {
  constructor(private d: ProbeData, private out: Analysis) {}

  ok(topic: Topic, summary: string): void {
    this.out.observations.push({ topic, ok: true, summary: redact(summary) });
  }

  finding(
    topic: Topic,
    ruleId: string,
    url: string,
    message: string,
    evidence: string[],
    opts: { severity?: Severity; djangoCheckId?: string; summary?: string; key?: string } = {},
  ): void {
    const rule = getRule(ruleId);
    if (!rule) throw new Error(`unknown rule ${ruleId}`);
    const code = evidence.join("\n");
    // The fingerprint must survive a new random 404 path or a new port: origin + topic.
    const stable = { ruleId, path: new URL(this.d.base).host, code: topic, key: opts.key ?? topic };
    this.out.observations.push({ topic, ok: false, summary: redact(redactCookies(opts.summary ?? evidence[0] ?? message)) });
    this.out.findings.push({
      topic,
      finding: {
        ruleId,
        title: rule.title,
        severity: opts.severity ?? rule.severity,
        confidence: "high",
        cwe: rule.cwe,
        owasp: rule.owasp,
        ...(opts.djangoCheckId ? { djangoCheckId: opts.djangoCheckId } : {}),
        location: { path: redact(url), startLine: 1, startColumn: 1, endLine: evidence.length || 1, endColumn: 1 },
        evidence: redact(redactCookies(code)),
        message: redact(message),
        impact: rule.impact,
        fix: rule.fix,
        mitigation: rule.mitigation,
        falsePositiveNotes: rule.falsePositives,
        fingerprint: fingerprint(stable, 0),
        origin: "probe",
      },
    });
  }
}

/** The last exchange of a chain that got a response. */
function lastResponse(chain: Exchange[] | undefined): Exchange | undefined {
  if (!chain) return undefined;
  for (let i = chain.length - 1; i >= 0; i--) if (chain[i]!.status) return chain[i];
  return undefined;
}

function hdrLine(ex: Exchange, name: string): string {
  const v = headerAll(ex, name);
  if (!v.length) return `(no ${name} header)`;
  const raw = ex.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[0] ?? name;
  return v.map((x) => `${raw}: ${x}`).join("\n");
}

function lines(ex: Exchange, ...headers: string[]): string[] {
  return [requestLine(ex), statusLine(ex), ...headers.map((h) => hdrLine(ex, h))];
}

/** Cookie values are credentials: keep the name and attributes, drop the value. */
function redactCookies(text: string): string {
  return text.replace(/^(Set-Cookie:\s*[^=;\s]+=)[^;\n]*/gim, `$1${REDACTED}`);
}

function checkRedirect(d: ProbeData, a: Reporter): void {
  const chain = d.plainChain ?? (d.plainHttp ? [d.plainHttp] : []);
  const ex = chain[0];
  if (!ex) return;
  const from = ex.url;
  if (ex.error) {
    // Nothing answers plain HTTP: no downgrade path to protect.
    if (ex.error.kind === "refused") a.ok("ssl-redirect", `${from} → connection refused (plain HTTP not served)`);
    return;
  }
  // Walk the plain-HTTP hops (within the host) to the first redirect to https://.
  let last: Exchange | undefined;
  for (const hop of chain) {
    if (!hop.status || !hop.url.startsWith("http:")) break;
    last = hop;
    const target = hop.status >= 300 && hop.status < 400 ? safeUrl(header(hop, "location") ?? "", hop.url) : null;
    if (target?.protocol !== "https:") continue;
    const summary = hop === ex ? `${from} → ${hop.status} ${target.href}` : `${from} → … ${hop.url} → ${hop.status} ${target.href}`;
    a.ok("ssl-redirect", summary);
    if (target.hostname !== new URL(from).hostname) {
      a.finding(
        "redirect-host",
        "DJANGO-HTTPS-001",
        from,
        `Plain HTTP redirects to HTTPS on another host (${target.hostname}) instead of the same host first; HSTS is never set for ${new URL(from).hostname}, and HSTS preload requires the first redirect to stay on the host.`,
        [...chain.slice(0, chain.indexOf(hop) + 1).flatMap((h) => [requestLine(h), statusLine(h), hdrLine(h, "Location")])],
        { severity: "low", summary },
      );
    } else a.ok("redirect-host", summary);
    return;
  }
  // A redirect to another host over plain HTTP was not followed: where it ends is not known.
  if (!last || (last.status! >= 300 && last.status! < 400)) return;
  a.finding(
    "ssl-redirect",
    "DJANGO-HTTPS-001",
    last.url,
    `${last.url} answered ${last.status} over plain HTTP${last === ex ? "" : ` (after ${chain.indexOf(last)} redirect(s) from ${from})`} without redirecting to HTTPS, so anyone on the network can read and change the traffic (and strip TLS from users who type the address).`,
    lines(last),
    { severity: "high", djangoCheckId: "security.W008", summary: `${last.url} → ${last.status} over plain HTTP` },
  );
}

/** The site sends people to HTTPS (or was given as https://) but no TLS handshake completes. */
function checkTlsFailure(d: ProbeData, err: ProbeError, a: Reporter): void {
  const url = d.base + "/";
  const via = d.plainChain?.find((h) => h.status && /^https:/i.test(header(h, "location") ?? ""));
  a.finding(
    "tls-trust",
    "DJANGO-HTTPS-001",
    url,
    `HTTPS at ${new URL(url).host} does not work: ${err.message}${via ? `, yet plain HTTP redirects there (${via.url} → ${via.status})` : ""}. Visitors get a browser error instead of the site.`,
    [`TLS handshake with ${new URL(url).host}: ${err.message}`, ...(via ? [requestLine(via), statusLine(via), hdrLine(via, "Location")] : [])],
    { severity: "high", summary: `TLS handshake failed (${err.code ?? err.kind})` },
  );
}

/** SSLv3, TLS 1.0 and TLS 1.1 (RFC 8996), as node:tls names them. */
export function isLegacyProtocol(protocol: string): boolean {
  return /^(SSLv|TLSv1$|TLSv1\.1$)/.test(protocol);
}

function checkTls(t: TlsFacts, a: Reporter): void {
  const url = `https://${t.host}${t.port === 443 ? "" : `:${t.port}`}/`;
  const ev = [
    `TLS handshake with ${t.host}:${t.port}: ${t.protocol ?? "unknown protocol"}`,
    `subject: ${t.subject || "(empty)"}`,
    `issuer: ${t.issuer || "(empty)"}`,
    `subjectAltName: ${t.altNames || "(none)"}`,
    `valid: ${t.validFrom} → ${t.validTo} (${t.daysLeft} days left)`,
    `verify: ${t.authorized ? "ok" : t.authorizationError}`,
  ];
  const expired = t.daysLeft < 0 || t.authorizationError === "CERT_HAS_EXPIRED";
  if (!t.authorized && !expired) {
    const why = t.selfSigned
      ? "it is self-signed"
      : t.authorizationError === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" || t.authorizationError === "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"
        ? "the chain is incomplete or signed by an unknown issuer (the server may not send its intermediate certificates)"
        : t.authorizationError === "SELF_SIGNED_CERT_IN_CHAIN"
          ? "the chain ends in a root that is not trusted"
          : `verification failed`;
    a.finding("tls-trust", "DJANGO-HTTPS-001", url, `The certificate of ${t.host}:${t.port} is not trusted: ${why} (${t.authorizationError}). Browsers show an error, and users who click through can be intercepted.`, ev, {
      severity: "high",
      summary: `certificate not trusted (${t.authorizationError})`,
    });
  } else if (t.authorized) a.ok("tls-trust", `certificate verifies (issuer ${t.issuer})`);
  if (t.hostnameError) {
    a.finding("tls-hostname", "DJANGO-HTTPS-001", url, `The certificate does not name ${t.host} (it names ${t.altNames || t.subject || "nothing"}), so browsers reject it for this address.`, ev, { severity: "high", summary: `certificate does not name ${t.host}` });
  } else a.ok("tls-hostname", `certificate names ${t.host}`);
  if (expired) {
    a.finding("tls-expiry", "DJANGO-HTTPS-001", url, `The certificate expired on ${t.validTo} (${-t.daysLeft} days ago).`, ev, { severity: "high", summary: `certificate expired ${t.validTo}` });
  } else if (t.daysLeft < 14) {
    a.finding("tls-expiry", "DJANGO-HTTPS-001", url, `The certificate expires in ${t.daysLeft} days (${t.validTo}); renewal looks stalled.`, ev, { severity: "medium", summary: `certificate expires in ${t.daysLeft} days` });
  } else if (t.daysLeft < 30) {
    a.finding("tls-expiry", "DJANGO-HTTPS-001", url, `The certificate expires in ${t.daysLeft} days (${t.validTo}); check that renewal is automated.`, ev, { severity: "low", summary: `certificate expires in ${t.daysLeft} days` });
  } else a.ok("tls-expiry", `certificate valid for ${t.daysLeft} more days`);
  if (t.protocol && isLegacyProtocol(t.protocol)) {
    a.finding("tls-protocol", "DJANGO-HTTPS-001", url, `The server negotiated ${t.protocol}, which is deprecated (RFC 8996); allow only TLS 1.2 and 1.3.`, ev, { severity: "medium", summary: `negotiated ${t.protocol}` });
  } else if (t.legacy && t.legacy !== "refused") {
    const legacyEv = [`TLS handshake offering only TLS 1.0/1.1: ${t.legacy} accepted`, ...ev];
    a.finding(
      "tls-protocol", "DJANGO-HTTPS-001", url,
      `The server negotiates ${t.protocol} with modern clients but still accepts ${t.legacy} from a client that offers nothing newer. TLS 1.0 and 1.1 are deprecated (RFC 8996) and rejected by PCI DSS; allow only TLS 1.2 and 1.3 (nginx: \`ssl_protocols TLSv1.2 TLSv1.3;\`).`,
      legacyEv, { severity: "medium", summary: `accepts ${t.legacy}` },
    );
  } else if (t.protocol) a.ok("tls-protocol", `negotiated ${t.protocol}${t.legacy === "refused" ? "; TLS 1.0/1.1 refused" : ""}`);
}

function checkHsts(ex: Exchange, a: Reporter): void {
  const v = header(ex, "strict-transport-security");
  if (!v) {
    a.finding("hsts", "DJANGO-HTTPS-001", ex.url, `${ex.url} is served over HTTPS without a Strict-Transport-Security header, so browsers will still try plain HTTP first and can be downgraded.`, lines(ex, "Strict-Transport-Security"), {
      severity: "high",
      djangoCheckId: "security.W004",
      summary: `${ex.url} → ${ex.status} without Strict-Transport-Security`,
    });
    return;
  }
  const maxAge = Number(/max-age\s*=\s*"?(\d+)/i.exec(v)?.[1] ?? "NaN");
  const sub = /(^|;)\s*includesubdomains\s*(;|$)/i.test(v);
  const preload = /(^|;)\s*preload\s*(;|$)/i.test(v);
  if (!Number.isFinite(maxAge) || maxAge === 0) {
    a.finding("hsts", "DJANGO-HTTPS-001", ex.url, `The Strict-Transport-Security header has ${Number.isFinite(maxAge) ? "max-age=0, which tells browsers to forget HSTS" : "no valid max-age, so browsers ignore it"}.`, lines(ex, "Strict-Transport-Security"), {
      severity: "high",
      djangoCheckId: "security.W004",
    });
    return;
  }
  a.ok("hsts", `Strict-Transport-Security: ${v}`);
  const gaps: string[] = [];
  if (maxAge < 31536000) gaps.push(`max-age=${maxAge} is under one year (31536000)`);
  if (!sub) gaps.push("no includeSubDomains");
  if (!preload) gaps.push("no preload");
  if (gaps.length) {
    a.finding("hsts-flags", "DJANGO-HTTPS-001", ex.url, `HSTS is on but not eligible for browser preload lists: ${gaps.join(", ")}. Raise it step by step once every subdomain serves HTTPS.`, lines(ex, "Strict-Transport-Security"), {
      severity: "low",
      djangoCheckId: !sub ? "security.W005" : !preload ? "security.W021" : undefined,
      summary: `Strict-Transport-Security: ${v}`,
    });
  } else a.ok("hsts-flags", `Strict-Transport-Security: ${v}`);
}

function checkHeaders(ex: Exchange, a: Reporter): void {
  const csp = header(ex, "content-security-policy");
  const xfo = header(ex, "x-frame-options")?.trim().toUpperCase();
  if (!xfo) {
    if (csp && /frame-ancestors/i.test(csp)) a.ok("xframe", `CSP frame-ancestors: ${csp}`);
    else
      a.finding("xframe", "DJANGO-HEADERS-001", ex.url, `No X-Frame-Options header (and no CSP frame-ancestors), so other sites can frame ${ex.url} for clickjacking.`, lines(ex, "X-Frame-Options"), {
        djangoCheckId: "security.W002",
      });
  } else if (xfo !== "DENY" && xfo !== "SAMEORIGIN") {
    a.finding("xframe", "DJANGO-HEADERS-001", ex.url, `X-Frame-Options is "${xfo}", which browsers ignore; use DENY or SAMEORIGIN.`, lines(ex, "X-Frame-Options"), { djangoCheckId: "security.W019" });
  } else a.ok("xframe", `X-Frame-Options: ${xfo}`);

  const nosniff = header(ex, "x-content-type-options");
  if (nosniff?.trim().toLowerCase() !== "nosniff") {
    a.finding("nosniff", "DJANGO-HEADERS-001", ex.url, `No "X-Content-Type-Options: nosniff", so browsers may sniff uploaded or user-influenced files into script or HTML.`, lines(ex, "X-Content-Type-Options"), {
      djangoCheckId: "security.W006",
    });
  } else a.ok("nosniff", "X-Content-Type-Options: nosniff");

  const rp = header(ex, "referrer-policy");
  const policies = (rp ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  const effective = policies[policies.length - 1];
  if (!effective) {
    a.finding("referrer", "DJANGO-HEADERS-001", ex.url, `No Referrer-Policy header; browsers fall back to their own default, and older ones send full URLs (with any tokens in them) to other sites.`, lines(ex, "Referrer-Policy"), {
      severity: "low",
      djangoCheckId: "security.W022",
    });
  } else if (effective === "unsafe-url" || effective === "no-referrer-when-downgrade") {
    a.finding("referrer", "DJANGO-HEADERS-001", ex.url, `Referrer-Policy "${effective}" sends the full URL, with any tokens in it, to other sites.`, lines(ex, "Referrer-Policy"), { djangoCheckId: "security.E023" });
  } else a.ok("referrer", `Referrer-Policy: ${rp}`);

  const coop = header(ex, "cross-origin-opener-policy")?.trim().toLowerCase();
  if (!coop || coop === "unsafe-none") {
    a.finding("coop", "DJANGO-HEADERS-001", ex.url, coop ? `Cross-Origin-Opener-Policy is "unsafe-none", so windows opened from other origins keep a handle to this page.` : `No Cross-Origin-Opener-Policy header, so windows opened from other origins keep a handle to this page (Django 4.0+ sends "same-origin" by default).`, lines(ex, "Cross-Origin-Opener-Policy"), {
      severity: "low",
    });
  } else a.ok("coop", `Cross-Origin-Opener-Policy: ${coop}`);

  checkCsp(ex, csp, a);
  checkBanners(ex, a);
}

function checkCsp(ex: Exchange, csp: string | undefined, a: Reporter): void {
  const reportOnly = header(ex, "content-security-policy-report-only");
  if (!csp) {
    a.finding(
      "csp",
      "DJANGO-CSP-001",
      ex.url,
      reportOnly
        ? `Only Content-Security-Policy-Report-Only is sent: violations are reported but nothing is blocked.`
        : `No Content-Security-Policy header, so an injected script runs with the page's full rights.`,
      lines(ex, "Content-Security-Policy", ...(reportOnly ? ["Content-Security-Policy-Report-Only"] : [])),
      reportOnly ? { severity: "low" } : {},
    );
    return;
  }
  a.ok("csp", `Content-Security-Policy: ${csp}`);
  const directives = new Map<string, string[]>();
  for (const part of csp.split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), values);
  }
  const source = directives.has("script-src") ? "script-src" : directives.has("default-src") ? "default-src" : null;
  if (!source) {
    a.finding("csp-script-src", "DJANGO-CSP-001", ex.url, `The CSP has neither script-src nor default-src, so it does not restrict scripts at all.`, lines(ex, "Content-Security-Policy"));
    return;
  }
  const values = directives.get(source)!.map((v) => v.toLowerCase());
  const nonceOrHash = values.some((v) => /^'(nonce-|sha(256|384|512)-)/.test(v));
  const weak = values.filter(
    (v) => (v === "'unsafe-inline'" && !nonceOrHash) || v === "'unsafe-eval'" || v === "*" || v === "data:" || v === "http:" || v === "https:",
  );
  if (weak.length) {
    a.finding("csp-script-src", "DJANGO-CSP-001", ex.url, `The CSP's ${source} allows ${weak.join(" ")}, which lets injected scripts run anyway.`, lines(ex, "Content-Security-Policy"));
  } else a.ok("csp-script-src", `${source} ${values.join(" ")}`);
}

function checkBanners(ex: Exchange, a: Reporter): void {
  const shown: string[] = [];
  const server = header(ex, "server");
  // Django's development server announces itself as WSGIServer/<v> CPython/<v>.
  if (server && /\bWSGIServer\/[\d.]+\s+CPython\//.test(server)) {
    a.finding(
      "runserver",
      "DJANGO-DEPLOY-001",
      ex.url,
      `The response comes from Django's development server (Server: ${server}): \`manage.py runserver\` is serving the site, which is not built for security or load and serves static files itself.`,
      lines(ex, "Server"),
      { severity: "high", summary: `Server: ${server}` },
    );
  } else a.ok("runserver", server ? `Server: ${server}` : "no Server header");
  if (server && /\d/.test(server)) shown.push("Server");
  for (const h of ["X-Powered-By", "X-AspNet-Version", "X-Runtime-Version"]) if (header(ex, h)) shown.push(h);
  if (shown.length) {
    a.finding("banner", "DJANGO-HEADERS-001", ex.url, `Responses announce software versions (${shown.map((h) => `${h}: ${header(ex, h)}`).join("; ")}), which tells attackers which known vulnerabilities to try.`, lines(ex, ...shown), {
      severity: "low",
    });
  } else a.ok("banner", server ? `Server: ${server} (no version)` : "no Server header");
}

const COOKIE_KINDS = [
  { kind: "session" as const, rule: "DJANGO-SESS-001", match: (n: string) => n === "sessionid" || /session/i.test(n) },
  { kind: "csrf" as const, rule: "DJANGO-SESS-002", match: (n: string) => n === "csrftoken" || /csrf/i.test(n) },
];

interface SetCookie {
  name: string;
  attrs: Map<string, string>;
  line: string;
  ex: Exchange;
}

function parseSetCookie(line: string, ex: Exchange): SetCookie | null {
  const [pair, ...rest] = line.split(";");
  const eq = pair!.indexOf("=");
  if (eq <= 0) return null;
  const attrs = new Map<string, string>();
  for (const r of rest) {
    const i = r.indexOf("=");
    attrs.set((i < 0 ? r : r.slice(0, i)).trim().toLowerCase(), i < 0 ? "" : r.slice(i + 1).trim());
  }
  return { name: pair!.slice(0, eq).trim(), attrs, line, ex };
}

function checkCookies(d: ProbeData, a: Reporter): void {
  const seen = new Set<string>();
  for (const ex of d.all) {
    for (const line of headerAll(ex, "set-cookie")) {
      const c = parseSetCookie(line, ex);
      if (!c || seen.has(c.name)) continue;
      const kind = COOKIE_KINDS.find((k) => k.match(c.name));
      if (!kind) continue;
      // A deletion (expired, empty) says nothing about the live cookie.
      if (/^[^=]+=(""|)$/.test(line.split(";")[0]!.trim())) continue;
      seen.add(c.name);
      const ev = [requestLine(ex), statusLine(ex), `Set-Cookie: ${line}`];
      const topic = (t: string) => `${kind.kind}-cookie-${t}` as Topic;
      const https = ex.url.startsWith("https:");
      const isSession = kind.kind === "session";
      if (https && !c.attrs.has("secure")) {
        a.finding(topic("secure"), kind.rule, ex.url, `The ${c.name} cookie is set over HTTPS without the Secure flag, so the browser also sends it over plain HTTP where it can be captured.`, ev, {
          djangoCheckId: isSession ? "security.W012" : "security.W016",
          key: c.name,
          summary: `Set-Cookie ${c.name} without Secure`,
        });
      } else if (https) a.ok(topic("secure"), `Set-Cookie ${c.name} … Secure`);
      if (isSession) {
        if (!c.attrs.has("httponly")) {
          a.finding("session-cookie-httponly", kind.rule, ex.url, `The ${c.name} cookie lacks HttpOnly, so any injected script can read the session and hijack it.`, ev, {
            djangoCheckId: "security.W013",
            key: c.name,
            summary: `Set-Cookie ${c.name} without HttpOnly`,
          });
        } else a.ok("session-cookie-httponly", `Set-Cookie ${c.name} … HttpOnly`);
      }
      const samesite = c.attrs.get("samesite")?.toLowerCase();
      if (samesite === "none") {
        a.finding(topic("samesite"), kind.rule, ex.url, `The ${c.name} cookie is SameSite=None, so browsers attach it to cross-site requests (CSRF and cross-site leaks).`, ev, { key: c.name, summary: `Set-Cookie ${c.name} SameSite=None` });
      } else if (samesite === undefined) {
        a.finding(topic("samesite"), kind.rule, ex.url, `The ${c.name} cookie has no SameSite attribute; browsers differ on the default (Django sends Lax unless told otherwise).`, ev, { severity: "low", key: c.name, summary: `Set-Cookie ${c.name} without SameSite` });
      } else a.ok(topic("samesite"), `Set-Cookie ${c.name} … SameSite=${c.attrs.get("samesite")}`);
      const domain = c.attrs.get("domain");
      if (domain) {
        a.finding(topic("domain"), kind.rule, ex.url, `The ${c.name} cookie is scoped to Domain=${domain}, so every subdomain of ${domain.replace(/^\./, "")} receives it (and can set it); leave the domain unset unless subdomains must share it.`, ev, {
          severity: "low",
          key: c.name,
          summary: `Set-Cookie ${c.name} Domain=${domain}`,
        });
      } else a.ok(topic("domain"), `Set-Cookie ${c.name} without Domain (host-only)`);
    }
  }
}

function checkDebug(d: ProbeData, a: Reporter): void {
  const hit = [d.notFound, ...d.all].find((ex) => ex && ex.status && DEBUG_PAGE.test(ex.body));
  if (hit) {
    const title = /<title>([^<]*)<\/title>/i.exec(hit.body)?.[1]?.trim();
    const line = hit.body.split("\n").find((l) => /DEBUG = True/.test(l))?.trim() ?? "";
    a.finding(
      "debug",
      "DJANGO-DEPLOY-002",
      hit.url,
      `${hit.url} returned Django's technical ${hit.status} page${title ? ` ("${title}")` : ""}, so DEBUG is on in this deployment: it shows settings, URL patterns, source code and local variables to anyone.`,
      [requestLine(hit), statusLine(hit), ...(title ? [`<title>${title}</title>`] : []), line],
      { severity: "high", djangoCheckId: "security.W018", summary: `${hit.url} → ${hit.status} with Django's technical page (DEBUG = True)` },
    );
    return;
  }
  const nf = d.notFound;
  if (nf?.status) a.ok("debug", `${nf.url} → ${nf.status} without Django's technical page`);
}

function checkBogusHost(d: ProbeData, a: Reporter): void {
  const ex = d.bogusHost;
  if (!ex) return;
  if (ex.error) {
    a.ok("allowed-hosts", `Host: ${BOGUS_HOST} → ${ex.error.message}`);
    return;
  }
  if (!ex.status) return;
  const loc = header(ex, "location") ?? "";
  // A 2xx counts only when it is this site answering (not a proxy's default vhost page): same title as the home page, or Django's cookies/form.
  const home = lastResponse(d.home);
  const title = (x: Exchange | undefined) => (x ? /<title>([^<]*)<\/title>/i.exec(x.body)?.[1]?.trim() : undefined);
  const sameSite =
    !home?.body ||
    (title(home) !== undefined && title(home) === title(ex)) ||
    headerAll(ex, "set-cookie").some((c) => /^(csrftoken|sessionid)=/.test(c)) ||
    /csrfmiddlewaretoken/.test(ex.body) ||
    (title(home) === undefined && ex.body === home.body);
  const accepted = (ex.status >= 200 && ex.status < 300 && sameSite) || (ex.status >= 300 && ex.status < 400 && loc.includes(BOGUS_HOST));
  if (ex.status >= 200 && ex.status < 300 && !sameSite) {
    a.ok("allowed-hosts", `Host: ${BOGUS_HOST} → ${ex.status} with a different page (another virtual host answered, not this site)`);
    return;
  }
  if (accepted) {
    a.finding(
      "allowed-hosts",
      "DJANGO-HOST-001",
      ex.url,
      `A request with the bogus Host header "${BOGUS_HOST}" was answered ${ex.status}${loc.includes(BOGUS_HOST) ? ` with a redirect to that host` : ""}: ALLOWED_HOSTS (or the proxy in front) does not reject unknown hosts, so password-reset links and absolute URLs can be poisoned.`,
      lines(ex, ...(loc ? ["Location"] : [])),
      { summary: `Host: ${BOGUS_HOST} → ${ex.status}` },
    );
  } else a.ok("allowed-hosts", `Host: ${BOGUS_HOST} → ${ex.status}`);
}

const ADMIN_PAGE = /Django (site )?admin|id="login-form"|<div id="site-name">/i;

function checkAdmin(d: ProbeData, a: Reporter): void {
  const page = lastResponse(d.admin);
  if (!page) return;
  if (page.status === 200 && ADMIN_PAGE.test(page.body)) {
    const plain = page.url.startsWith("http:");
    a.finding(
      "admin-path",
      "DJANGO-ADMIN-001",
      page.url,
      plain
        ? `The Django admin login is reachable at the default path and served over plain HTTP (${page.url}), so staff passwords cross the network unencrypted.`
        : `The Django admin login is reachable at the default path (${page.url}); it draws automated password guessing. Protection in front of it (IP allowlist, SSO, 2FA) is not visible from outside; verify at the edge.`,
      [...d.admin!.filter((x) => x.status).map((x) => `${requestLine(x)} → ${statusLine(x)}`), `<title>${/<title>([^<]*)<\/title>/i.exec(page.body)?.[1]?.trim() ?? ""}</title>`],
      { severity: plain ? "high" : "low" },
    );
  } else a.ok("admin-path", `${d.admin![0]!.url} → ${page.status}`);
}

function checkRobots(d: ProbeData, a: Reporter): void {
  const ex = d.robots;
  if (!ex || ex.status !== 200 || !/text\/plain/i.test(header(ex, "content-type") ?? "")) return;
  const hidden = ex.body
    .split("\n")
    .map((l) => /^\s*disallow\s*:\s*(\S+)/i.exec(l)?.[1])
    .filter((p): p is string => !!p && /admin|manage|staff|backoffice|dashboard/i.test(p) && p.replace(/\/+$/, "") !== "/admin");
  if (hidden.length) {
    a.finding("robots-admin", "DJANGO-ADMIN-001", ex.url, `robots.txt lists ${hidden.join(", ")}: it hands the admin's non-default path to anyone who reads it, undoing the point of moving it.`, [requestLine(ex), statusLine(ex), ...hidden.map((p) => `Disallow: ${p}`)], {
      severity: "low",
    });
  } else a.ok("robots-admin", `${ex.url} names no admin-like path`);
}

function checkSecurityTxt(d: ProbeData, a: Reporter): void {
  const ex = d.securityTxt;
  if (!ex || !ex.status) return;
  if (ex.status === 200 && /^\s*contact\s*:/im.test(ex.body)) {
    a.ok("security-txt", `${ex.url} → 200 with Contact:`);
    return;
  }
  a.finding("security-txt", "DJANGO-HEADERS-001", ex.url, `No security.txt (RFC 9116) at ${ex.url}: researchers who find a vulnerability have no published way to report it.`, [requestLine(ex), statusLine(ex)], {
    severity: "low",
  });
}

function looksLikeDjango(d: ProbeData): boolean {
  return d.all.some(
    (ex) =>
      headerAll(ex, "set-cookie").some((c) => /^(csrftoken|sessionid)=/.test(c)) ||
      DEBUG_PAGE.test(ex.body) ||
      /csrfmiddlewaretoken|Django (site )?admin|The requested resource was not found on this server\.|<h1>Bad Request \(400\)<\/h1>/.test(ex.body),
  );
}

function safeUrl(s: string, base: string): URL | null {
  try {
    return new URL(s, base);
  } catch {
    return null;
  }
}
