// The probe's HTTP client: node:http/node:https directly (not fetch), so the
// probe controls the Host header, redirects and TLS. Every request goes through
// one budget (at most N requests, a per-request timeout and a total deadline);
// only GET/HEAD, never a request body, and credentials only when the user gave
// them (--cookie/--header).
import http from "node:http";
import https from "node:https";
import type { TLSSocket } from "node:tls";
import { VERSION } from "../version.js";

const USER_AGENT = `djangoguard-probe/${VERSION} (+security audit)`;

/** Largest body kept per response: enough for Django's technical pages. */
const MAX_BODY = 512 * 1024;
const MAX_REDIRECTS = 5;

export interface ClientOptions {
  maxRequests: number;
  /** per-request timeout */
  timeoutMs: number;
  /** the whole probe's deadline, measured from the client's creation */
  totalTimeoutMs: number;
  /** go on over a certificate that does not verify (the TLS findings are still reported) */
  insecure: boolean;
  followOffsite: boolean;
  /** extra request headers from the user (e.g. Authorization); never echoed */
  headers: Record<string, string>;
  /** Cookie header value from the user; never echoed */
  cookie?: string;
}

/** One request and what came back. */
export interface Exchange {
  method: "GET" | "HEAD";
  url: string;
  /** a Host header different from the URL's (the bogus-host check) */
  hostHeader?: string;
  status?: number;
  statusText?: string;
  httpVersion?: string;
  /** response headers in order, names as sent */
  headers: [string, string][];
  body: string;
  error?: ProbeError;
  /** TLS protocol the request ran over, for https */
  tlsProtocol?: string;
}

export type ProbeErrorKind = "refused" | "dns" | "timeout" | "tls" | "certificate" | "reset" | "budget" | "deadline" | "other";

export interface ProbeError {
  kind: ProbeErrorKind;
  /** one line, for people */
  message: string;
  code?: string;
}

export class ProbeClient {
  readonly exchanges: Exchange[] = [];
  private readonly deadline: number;

  constructor(readonly options: ClientOptions) {
    this.deadline = Date.now() + options.totalTimeoutMs;
  }

  /** time left before the whole probe's deadline, never below zero */
  get remainingMs(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  get requestsLeft(): number {
    return this.options.maxRequests - this.exchanges.length;
  }

  /** One request, no redirects followed. */
  async request(url: string, opts: { method?: "GET" | "HEAD"; hostHeader?: string } = {}): Promise<Exchange> {
    const method = opts.method ?? "GET";
    const ex: Exchange = { method, url, headers: [], body: "", ...(opts.hostHeader ? { hostHeader: opts.hostHeader } : {}) };
    const remaining = this.deadline - Date.now();
    if (this.requestsLeft <= 0) {
      ex.error = { kind: "budget", message: `request budget of ${this.options.maxRequests} used up; ${method} ${url} not sent` };
      return ex;
    }
    if (remaining <= 0) {
      ex.error = { kind: "deadline", message: `total time limit of ${Math.round(this.options.totalTimeoutMs / 1000)}s reached; ${method} ${url} not sent` };
      return ex;
    }
    this.exchanges.push(ex);
    await send(ex, this.options, Math.min(this.options.timeoutMs, remaining));
    return ex;
  }

  /**
   * A GET that follows redirects within the target's host (any port/scheme)
   * unless followOffsite. Returns every hop, the last one first-class.
   */
  async follow(url: string, opts: { stopAtHttps?: boolean } = {}): Promise<Exchange[]> {
    const chain: Exchange[] = [];
    const host = new URL(url).hostname;
    let next: string | null = url;
    for (let hop = 0; next && hop <= MAX_REDIRECTS; hop++) {
      const ex = await this.request(next);
      chain.push(ex);
      next = null;
      if (ex.error || !ex.status || ex.status < 300 || ex.status >= 400) break;
      const loc = header(ex, "location");
      if (!loc) break;
      let target: URL;
      try {
        target = new URL(loc, ex.url);
      } catch {
        break;
      }
      if (target.protocol !== "http:" && target.protocol !== "https:") break;
      if (target.hostname !== host && !this.options.followOffsite) break;
      if (opts.stopAtHttps && target.protocol === "https:") break;
      next = target.href;
    }
    return chain;
  }
}

/** First value of a response header (case-insensitive). */
export function header(ex: Exchange, name: string): string | undefined {
  const n = name.toLowerCase();
  return ex.headers.find(([k]) => k.toLowerCase() === n)?.[1];
}

export function headerAll(ex: Exchange, name: string): string[] {
  const n = name.toLowerCase();
  return ex.headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
}

/** The response's status line as it came over the wire, e.g. "HTTP/1.1 301 Moved Permanently". */
export function statusLine(ex: Exchange): string {
  return `HTTP/${ex.httpVersion ?? "1.1"} ${ex.status ?? "-"} ${ex.statusText ?? ""}`.trimEnd();
}

/** The request as a line, without any user-supplied credential. */
export function requestLine(ex: Exchange): string {
  return `${ex.method} ${ex.url}${ex.hostHeader ? ` (Host: ${ex.hostHeader})` : ""}`;
}

function send(ex: Exchange, o: ClientOptions, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(ex.url);
    } catch {
      ex.error = { kind: "other", message: `not a valid URL: ${ex.url}` };
      resolve();
      return;
    }
    const isHttps = u.protocol === "https:";
    const headers: Record<string, string> = {
      "User-Agent": USER_AGENT,
      Accept: "text/html,application/xhtml+xml,*/*;q=0.8",
      ...o.headers,
      ...(o.cookie ? { Cookie: o.cookie } : {}),
      ...(ex.hostHeader ? { Host: ex.hostHeader } : {}),
    };
    let done = false;
    const finish = (err?: ProbeError) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) ex.error = err;
      resolve();
    };
    const options: https.RequestOptions = {
      method: ex.method,
      host: u.hostname.replace(/^\[|\]$/g, ""),
      port: u.port || (isHttps ? 443 : 80),
      path: u.pathname + u.search,
      headers,
      agent: false,
      ...(isHttps ? { rejectUnauthorized: !o.insecure, servername: isIp(u.hostname) ? undefined : u.hostname } : {}),
    };
    const req = (isHttps ? https : http).request(options, (res) => {
      ex.status = res.statusCode;
      ex.statusText = res.statusMessage ?? "";
      ex.httpVersion = res.httpVersion;
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) ex.headers.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
      if (isHttps) ex.tlsProtocol = (res.socket as TLSSocket).getProtocol?.() ?? undefined;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        if (size < MAX_BODY) chunks.push(c);
        size += c.length;
        if (size >= MAX_BODY) {
          ex.body = Buffer.concat(chunks).subarray(0, MAX_BODY).toString("utf8");
          res.destroy();
          finish();
        }
      });
      res.on("end", () => {
        ex.body = Buffer.concat(chunks).toString("utf8");
        finish();
      });
      res.on("error", (e) => finish(classify(e, u)));
    });
    const timer = setTimeout(() => {
      finish({ kind: "timeout", message: `no response from ${u.host} within ${Math.round(timeoutMs / 100) / 10}s` });
      req.destroy();
    }, timeoutMs);
    req.on("error", (e) => finish(classify(e, u)));
    req.end();
  });
}

function isIp(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith("[");
}

const CERT_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
]);

/** Turn a socket error into one line a person can act on. */
export function classify(e: unknown, u: URL): ProbeError {
  const err = e as NodeJS.ErrnoException;
  const code = err.code ?? "";
  const where = u.host;
  if (code === "ECONNREFUSED") return { kind: "refused", code, message: `connection refused by ${where} (nothing listening?)` };
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") return { kind: "dns", code, message: `DNS lookup failed for ${u.hostname}` };
  if (code === "ETIMEDOUT") return { kind: "timeout", code, message: `connection to ${where} timed out` };
  if (code === "ECONNRESET" || code === "EPIPE") return { kind: "reset", code, message: `connection to ${where} was reset before a response arrived` };
  if (CERT_CODES.has(code)) return { kind: "certificate", code, message: `certificate of ${where} not trusted (${code}); rerun with --insecure to check the HTTPS responses anyway` };
  if (code.startsWith("ERR_SSL") || code === "EPROTO" || /ssl|tls/i.test(err.message ?? "")) {
    return { kind: "tls", code, message: `TLS handshake with ${where} failed (${code || firstLine(err.message)})` };
  }
  if (code === "HPE_INVALID_CONSTANT" || code.startsWith("HPE_")) return { kind: "other", code, message: `${where} did not answer with HTTP (${code})` };
  return { kind: "other", code, message: `request to ${where} failed (${code || firstLine(err.message ?? String(e))})` };
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.slice(0, 200);
}
