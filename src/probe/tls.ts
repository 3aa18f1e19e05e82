// TLS facts about the target, read with node:tls on a connection that does not
// reject a bad certificate, so the problems are reported whether or not the
// user passed --insecure (which only lets the HTTP checks go on).
import tls from "node:tls";
import { classify, type ProbeError } from "./client.js";

export interface TlsFacts {
  host: string;
  port: number;
  /** negotiated protocol, e.g. "TLSv1.3" */
  protocol: string | null;
  /** the chain verifies against the system trust store */
  authorized: boolean;
  /** OpenSSL's verdict when it does not, e.g. "DEPTH_ZERO_SELF_SIGNED_CERT" */
  authorizationError: string | null;
  /** the certificate names the host we asked for (null when it does) */
  hostnameError: string | null;
  subject: string;
  issuer: string;
  /** subjectAltName as the certificate lists it */
  altNames: string;
  validFrom: string;
  validTo: string;
  /** whole days until expiry; negative once expired */
  daysLeft: number;
  selfSigned: boolean;
  /**
   * A second handshake offering only TLS 1.0 and 1.1: the protocol the server
   * accepted, "refused", or null when it was not tried (the first handshake already
   * ran over an old protocol) or gave no answer either way.
   */
  legacy?: string | null;
}

/** The client side of the legacy handshake: OpenSSL 3 disables TLS 1.0/1.1 below
 *  security level 0, so the probe lowers its own level to be able to ask at all. */
const LEGACY_OFFER = { minVersion: "TLSv1", maxVersion: "TLSv1.1", ciphers: "DEFAULT:@SECLEVEL=0" } as const;

/**
 * Does the server still accept TLS 1.0 or 1.1 (RFC 8996 deprecates both)? The main
 * handshake shows only what a modern client negotiates; a server that also speaks
 * the old protocols lets old or downgraded clients use them. One extra handshake,
 * no request. Any TLS alert from the server (protocol version, handshake failure,
 * or the "internal error" Debian's nginx sends when its OpenSSL cannot do the old
 * protocol) or a reset means refused; anything else (timeout, our own OpenSSL
 * lacking the protocols) is null: not known.
 */
export function legacyTlsAccepted(host: string, port: number, timeoutMs: number): Promise<string | null> {
  return handshake<string | null>(host, port, timeoutMs, LEGACY_OFFER, {
    connected: (socket) => socket.getProtocol() ?? null,
    timeout: () => null,
    failed: (e) => {
      const code = e.code ?? "";
      const refused = /_ALERT_|UNSUPPORTED_PROTOCOL|WRONG_VERSION_NUMBER|NO_SHARED_CIPHER/.test(code) || code === "ECONNRESET";
      return refused && code !== "ERR_SSL_NO_PROTOCOLS_AVAILABLE" ? "refused" : null;
    },
  });
}

/** One TLS handshake that never rejects a certificate; exactly one of the three outcomes answers. */
function handshake<T>(
  host: string,
  port: number,
  timeoutMs: number,
  extra: tls.ConnectionOptions,
  on: { connected: (socket: tls.TLSSocket, bare: string) => T; timeout: () => T; failed: (e: NodeJS.ErrnoException) => T },
): Promise<T> {
  return new Promise((resolve) => {
    const bare = host.replace(/^\[|\]$/g, "");
    const ip = /^[\d.]+$/.test(bare) || bare.includes(":");
    let settled = false;
    const done = (r: () => T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const v = r();
      socket.destroy();
      resolve(v);
    };
    const socket = tls.connect({ host: bare, port, rejectUnauthorized: false, ...extra, ...(ip ? {} : { servername: bare }) }, () => done(() => on.connected(socket, bare)));
    const timer = setTimeout(() => done(on.timeout), timeoutMs);
    socket.on("error", (e: NodeJS.ErrnoException) => done(() => on.failed(e)));
  });
}

export function inspectTls(host: string, port: number, timeoutMs: number): Promise<{ facts?: TlsFacts; error?: ProbeError }> {
  return handshake<{ facts?: TlsFacts; error?: ProbeError }>(host, port, timeoutMs, {}, {
    connected: (socket, bare) => {
      const cert = socket.getPeerCertificate(true);
      if (!cert || Object.keys(cert).length === 0) {
        return { error: { kind: "tls", message: `${host}:${port} sent no certificate` } };
      }
      const identity = tls.checkServerIdentity(bare, cert);
      const validTo = cert.valid_to;
      const days = Math.floor((Date.parse(validTo) - Date.now()) / 86_400_000);
      const name = (o: Record<string, unknown> | undefined) =>
        o ? Object.entries(o).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("+") : String(v)}`).join(", ") : "";
      const authErr = socket.authorizationError ? String(socket.authorizationError) : null;
      return {
        facts: {
          host,
          port,
          protocol: socket.getProtocol(),
          authorized: socket.authorized,
          authorizationError: authErr,
          hostnameError: identity ? identity.message : null,
          subject: name(cert.subject as unknown as Record<string, unknown>),
          issuer: name(cert.issuer as unknown as Record<string, unknown>),
          altNames: cert.subjectaltname ?? "",
          validFrom: cert.valid_from,
          validTo,
          daysLeft: days,
          selfSigned: authErr === "DEPTH_ZERO_SELF_SIGNED_CERT" || (cert.issuerCertificate === cert && !socket.authorized),
        },
      };
    },
    timeout: () => ({ error: { kind: "timeout", message: `TLS handshake with ${host}:${port} did not finish within ${Math.round(timeoutMs / 1000)}s` } }),
    failed: (e) => {
      const err = classify(e, new URL(`https://${host}:${port}/`));
      return { error: err.kind === "other" ? { ...err, kind: "tls", message: `TLS handshake with ${host}:${port} failed (${err.code || e.message.split("\n")[0]})` } : err };
    },
  });
}
