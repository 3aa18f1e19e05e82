// `djangoguard probe` through the CLI against small in-process servers: what a
// person sees when the site is unreachable, speaks no TLS, hangs, or is not
// Django (one clear line, never a stack trace, exit 2 when nothing could be
// checked); and what the probe promises about itself (request budget, its
// User-Agent, GET only, no bodies, credentials sent but never echoed).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { test, type TestContext } from "node:test";
import { probe } from "../src/probe/probe.js";
import { freePort, tempDir } from "./support/servers.js";

const MAIN = path.join(import.meta.dirname, "..", "src", "cli", "main.ts");

/** Async on purpose: the servers answering the CLI live in this process. */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", MAIN, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  bodyBytes: number;
}

async function server(t: TestContext, handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const s = http.createServer((req, res) => {
    let bodyBytes = 0;
    req.on("data", (c: Buffer) => (bodyBytes += c.length));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, bodyBytes });
      handler(req, res);
    });
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  t.after(() => new Promise<void>((r) => s.close(() => r())));
  return { port: (s.address() as net.AddressInfo).port, seen };
}

async function rawServer(t: TestContext, onConnection: (sock: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const s = net.createServer((sock) => {
    sockets.add(sock);
    sock.on("error", () => undefined);
    onConnection(sock);
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  t.after(() => new Promise<void>((r) => {
    for (const x of sockets) x.destroy();
    s.close(() => r());
  }));
  return (s.address() as net.AddressInfo).port;
}

function oneCleanLine(stderr: string): void {
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${stderr}`);
  assert.doesNotMatch(stderr, /\n\s+at |Error:|node:internal/, "stack trace leaked");
}

test("unreachable: connection refused → one line, exit 2", async () => {
  const port = await freePort();
  const r = await cli("probe", `http://127.0.0.1:${port}/`);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  oneCleanLine(r.stderr);
  assert.equal(r.stderr.trim(), `djangoguard: probe of http://127.0.0.1:${port}/ failed: connection refused by 127.0.0.1:${port} (nothing listening?)`);
});

test("DNS failure → one line, exit 2", async () => {
  const r = await cli("probe", "https://no-such-host.djangoguard.invalid/", "--timeout", "5");
  assert.equal(r.code, 2);
  oneCleanLine(r.stderr);
  assert.match(r.stderr, /^djangoguard: probe of https:\/\/no-such-host\.djangoguard\.invalid\/ failed: (DNS lookup failed for no-such-host\.djangoguard\.invalid|no response .* within 5s)\n$/);
});

test("TLS handshake failure (a plain-HTTP server on the https:// port) → one line, exit 2", async (t) => {
  const port = await rawServer(t, (sock) => sock.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
  const r = await cli("probe", `https://127.0.0.1:${port}/`);
  assert.equal(r.code, 2);
  oneCleanLine(r.stderr);
  assert.match(r.stderr, new RegExp(`^djangoguard: probe of https://127\\.0\\.0\\.1:${port}/ failed: TLS handshake with 127\\.0\\.0\\.1:${port} failed \\(`));
});

test("a server that never answers → timeout message, exit 2, within the time limit", async (t) => {
  const port = await rawServer(t, () => undefined);
  const started = Date.now();
  const r = await cli("probe", `http://127.0.0.1:${port}/`, "--timeout", "0.5");
  assert.equal(r.code, 2);
  oneCleanLine(r.stderr);
  assert.match(r.stderr, /failed: no response from 127\.0\.0\.1:\d+ within 0\.5s$/m);
  assert.ok(Date.now() - started < 15_000);
});

test("not a URL, and credentials in the URL, are refused with one line", async () => {
  const bad = await cli("probe", "ftp://example.com/");
  assert.equal(bad.code, 2);
  oneCleanLine(bad.stderr);
  assert.match(bad.stderr, /not an http:\/\/ or https:\/\/ URL/);
  const creds = await cli("probe", "http://admin:hunter2pass@127.0.0.1:9/");
  assert.equal(creds.code, 2);
  oneCleanLine(creds.stderr);
  assert.doesNotMatch(creds.stderr, /hunter2pass/);
});

test("a non-Django site: checked, with a clear note; a non-HTML one says so", async (t) => {
  const html = await server(t, (_req, res) => res.writeHead(200, { "Content-Type": "text/html" }).end("<html><body>Static brochure</body></html>"));
  const r = await cli("probe", `http://127.0.0.1:${html.port}/`, "--fail-on", "none");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  assert.match(r.stdout, /does not look like a Django site \(no Django cookies, admin or error pages seen\); only the generic HTTP and TLS checks apply/);
  assert.match(r.stdout, /DJANGO-HTTPS-001/);
  assert.doesNotMatch(r.stdout, /DJANGO-DEPLOY-002|DJANGO-ADMIN-001/);

  const json = await server(t, (_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end('{"ok": true}'));
  const j = await cli("probe", `http://127.0.0.1:${json.port}/`, "--format", "json");
  assert.equal(j.code, 1, `plain HTTP without redirect is a high finding\n${j.stderr}`);
  const out = JSON.parse(j.stdout) as { notes: { message: string }[]; findings: { origin: string; location: { path: string } }[] };
  assert.ok(out.notes.some((n) => /answered 200 with Content-Type application\/json, not HTML; only the header and TLS checks apply/.test(n.message)));
  assert.ok(out.findings.every((f) => f.origin === "probe" && f.location.path.startsWith(`http://127.0.0.1:${json.port}/`)));
});

test("bounded and polite: --max-requests, User-Agent, GET only, no bodies, no offsite redirects", async (t) => {
  const s = await server(t, (req, res) => {
    if (req.url === "/") res.writeHead(302, { Location: "http://offsite.djangoguard.invalid/landing" }).end();
    else res.writeHead(404, { "Content-Type": "text/html" }).end("<h1>Not Found</h1><p>The requested resource was not found on this server.</p>");
  });
  const r = await probe(`http://127.0.0.1:${s.port}/`, { maxRequests: 3 });
  assert.ok(r.checked);
  assert.equal(s.seen.length, 3);
  assert.ok(r.requests.every((q) => q.url.startsWith(`http://127.0.0.1:${s.port}/`)), "followed an offsite redirect");
  assert.ok(r.notes.some((n) => /request\(s\) not sent: request budget of 3 used up/.test(n.message)));
  assert.ok(r.notes.some((n) => /redirects to http:\/\/offsite\.djangoguard\.invalid\/landing, another host, which the probe does not follow/.test(n.message)));
  assert.deepEqual(r.findings.filter((f) => f.ruleId === "DJANGO-HEADERS-001"), [], "a redirect response is not judged as a page");
  for (const q of s.seen) {
    assert.ok(q.method === "GET" || q.method === "HEAD");
    assert.equal(q.bodyBytes, 0);
    assert.match(q.headers["user-agent"] ?? "", /^djangoguard-probe\/\d+\.\d+\.\d+\S* \(\+security audit\)$/);
    assert.equal(q.headers.cookie, undefined, "no credentials unless given");
    assert.equal(q.headers.authorization, undefined);
  }
  const all = await probe(`http://127.0.0.1:${s.port}/`);
  assert.ok(all.requests.length <= 20);
  assert.ok(!all.requests.some((q) => q.url.includes("offsite")));
});

test("--cookie and --header are sent but never echoed, in any format", async (t) => {
  const cookie = "sessionid=SeSsIoNsEcReT0123456789";
  const token = "Bearer ToKeNsEcReT9876543210";
  const s = await server(t, (req, res) => {
    // A site that refreshes the session cookie echoes its value in Set-Cookie
    res.writeHead(200, { "Content-Type": "text/html", "Set-Cookie": `${cookie}; Path=/; SameSite=Lax` }).end(`<html>${req.url}</html>`);
  });
  for (const format of ["text", "json", "sarif", "markdown"]) {
    // flags before the URL: repeatable options must not swallow it
    const r = await cli("probe", "--format", format, "--cookie", cookie, "--header", `Authorization: ${token}`, "--header", "X-Probe-Test: 1", "--max-requests", "4", `http://127.0.0.1:${s.port}/`);
    assert.ok(r.code === 0 || r.code === 1, `${format}: exit ${r.code}\n${r.stderr}`);
    assert.ok(r.stdout.length > 100, `${format}: no report\n${r.stderr}`);
    for (const secret of ["SeSsIoNsEcReT0123456789", "ToKeNsEcReT9876543210"]) {
      assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${format} output echoed a credential`);
    }
  }
  assert.ok(s.seen.length > 0 && s.seen.every((q) => q.headers.cookie === cookie && q.headers.authorization === token && q.headers["x-probe-test"] === "1"), "credentials were not sent");
  const bad = await cli("probe", `http://127.0.0.1:${s.port}/`, "--header", "no colon here");
  assert.equal(bad.code, 2);
  oneCleanLine(bad.stderr);
});

test("a token in the target URL's query string is sent but never echoed, in any format", async (t) => {
  const secret = "MaGiClInKtOkEn0123456789";
  const s = await server(t, (req, res) => {
    // a site that links back to the page it served, token included
    res.writeHead(200, { "Content-Type": "text/html" }).end(`<html><a href="${req.url}">again</a></html>`);
  });
  const url = `http://127.0.0.1:${s.port}/preview/?token=${secret}&page=2`;
  for (const format of ["text", "json", "sarif", "markdown"]) {
    const r = await cli("probe", "--format", format, "--max-requests", "4", url);
    assert.ok(r.code === 0 || r.code === 1, `${format}: exit ${r.code}\n${r.stderr}`);
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${format} output echoed the token`);
  }
  const direct = await probe(url, { maxRequests: 4 });
  assert.equal(direct.url, `http://127.0.0.1:${s.port}/preview/?token=«redacted»&page=2`);
  assert.ok(direct.requests.length > 0 && direct.requests.every((q) => !q.url.includes(secret)));
  assert.ok(s.seen.some((q) => q.url === `/preview/?token=${secret}&page=2`), "the token was sent as given");
});

test("scan PATH --probe URL: live findings come in with origin 'probe'; a probe that fails is a note, not a failed scan", async (t) => {
  const project = tempDir("probe-cli-scan");
  t.after(() => project.remove());
  await fs.writeFile(path.join(project.dir, "app.py"), "print('hello')\n");
  const s = await server(t, (_req, res) => res.writeHead(200, { "Content-Type": "text/html" }).end("<html>hi</html>"));
  const r = await cli("scan", project.dir, "--probe", `http://127.0.0.1:${s.port}/`, "--format", "json", "--max-requests", "5");
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const out = JSON.parse(r.stdout) as { findings: { origin: string; ruleId: string; location: { path: string } }[]; probe: { url: string; requests: unknown[]; observations: { topic: string; ok: boolean }[] } };
  assert.equal(out.probe.url, `http://127.0.0.1:${s.port}/`);
  assert.ok(out.probe.observations.some((o) => o.topic === "ssl-redirect" && !o.ok));
  assert.ok(out.probe.requests.length >= 1 && out.probe.requests.length <= 5);
  assert.equal(s.seen.length, out.probe.requests.length);
  assert.ok(out.findings.some((f) => f.origin === "probe" && f.ruleId === "DJANGO-HTTPS-001" && f.location.path === `http://127.0.0.1:${s.port}/`));

  const port = await freePort();
  const down = await cli("scan", project.dir, "--probe", `http://127.0.0.1:${port}/`, "--format", "json");
  assert.ok(down.code === 0 || down.code === 1, down.stderr);
  const d = JSON.parse(down.stdout) as { notes: { kind: string; message: string }[]; findings: { origin: string }[] };
  assert.ok(d.notes.some((n) => n.kind === "analysis-error" && n.message === `probe of http://127.0.0.1:${port}/ failed: connection refused by 127.0.0.1:${port} (nothing listening?); static findings only`));
  assert.ok(d.findings.every((f) => f.origin !== "probe"));
});

test("plain HTTP redirects to an HTTPS port whose handshake fails: a high finding, not silence", async (t) => {
  const tlsPort = await rawServer(t, (sock) => sock.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
  const s = await server(t, (_req, res) => res.writeHead(301, { Location: `https://127.0.0.1:${tlsPort}/` }).end());
  const r = await probe(`http://127.0.0.1:${s.port}/`);
  assert.ok(r.checked);
  const tls = r.topics.filter((x) => x.topic === "tls-trust").map((x) => x.finding);
  assert.equal(tls.length, 1);
  assert.equal(tls[0]!.severity, "high");
  assert.equal(tls[0]!.location.path, `https://127.0.0.1:${tlsPort}/`);
  assert.match(tls[0]!.message, new RegExp(`^HTTPS at 127\\.0\\.0\\.1:${tlsPort} does not work: TLS handshake with 127\\.0\\.0\\.1:${tlsPort} failed \\(.*\\), yet plain HTTP redirects there \\(http://127\\.0\\.0\\.1:${s.port}/ → 301\\)`));
  assert.ok(r.notes.some((n) => /^HTTPS responses not checked: TLS handshake/.test(n.message)));
});
