// The probe against real deployments: Debian's python3-django 3.2 under
// gunicorn (tests/probe-sites), in four configurations, one behind Debian's
// nginx terminating TLS with a certificate openssl makes here. Each test asserts
// the exact set of findings (topic, rule, severity) and the key facts behind
// them. Servers listen on free 127.0.0.1 ports and are stopped in t.after, so
// also when an assertion fails.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { test, type TestContext } from "node:test";
import { probe, type ProbeResult } from "../src/probe/probe.js";
import { getRule } from "../src/rules/index.js";
import type { Rule } from "../src/rules/types.js";
import { scanWith } from "../src/scan.js";
import type { Finding } from "../src/findings.js";
import { requireExternal } from "./support/external.js";
import { selfSignedCert, startGunicorn, startNginx, startRunserver, tempDir, type Running } from "./support/servers.js";

const MAIN = path.join(import.meta.dirname, "..", "src", "cli", "main.ts");

/** Async: the servers it talks to are children of this process, and must keep being served. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", MAIN, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

const set = (r: ProbeResult) => r.topics.map((t) => `${t.topic} ${t.finding.ruleId} ${t.finding.severity}`).sort();
const ok = (r: ProbeResult, topic: string) => r.observations.find((o) => o.topic === topic && o.ok)?.summary;
const finding = (r: ProbeResult, topic: string) => r.topics.find((t) => t.topic === topic)!.finding;

function cleanup(t: TestContext, s: { stop(): Promise<void> } | { remove(): void }): void {
  t.after(() => ("stop" in s ? s.stop() : s.remove()));
}

async function gunicorn(t: TestContext, config: string, tls?: { cert: string; key: string }): Promise<Running> {
  const g = await startGunicorn(config, tls);
  cleanup(t, g);
  return g;
}

test("careless: DEBUG on, ALLOWED_HOSTS = ['*'], no SecurityMiddleware, plain HTTP", async (t) => {
  if (!requireExternal(t, "django", "gunicorn")) return;
  const g = await gunicorn(t, "careless");
  const r = await probe(`http://127.0.0.1:${g.port}/`);
  assert.ok(r.checked, g.log());
  assert.deepEqual(set(r), [
    "admin-path DJANGO-ADMIN-001 high",
    "allowed-hosts DJANGO-HOST-001 medium",
    "coop DJANGO-HEADERS-001 low",
    "csp DJANGO-CSP-001 medium",
    "debug DJANGO-DEPLOY-002 high",
    "nosniff DJANGO-HEADERS-001 medium",
    "referrer DJANGO-HEADERS-001 low",
    "security-txt DJANGO-HEADERS-001 low",
    "ssl-redirect DJANGO-HTTPS-001 high",
  ]);
  const debug = finding(r, "debug");
  assert.match(debug.location.path, new RegExp(`^http://127\\.0\\.0\\.1:${g.port}/djangoguard-probe-[0-9a-f]{12}/$`));
  assert.match(debug.evidence, /^GET http:\/\/127\.0\.0\.1:\d+\/djangoguard-probe-[0-9a-f]+\/\nHTTP\/1\.1 404 Not Found\n<title>Page not found at \/djangoguard-probe-[0-9a-f]+\/<\/title>\n.*<code>DEBUG = True<\/code>/);
  assert.equal(debug.djangoCheckId, "security.W018");
  assert.equal(debug.origin, "probe");
  assert.equal(debug.confidence, "high");
  assert.match(finding(r, "allowed-hosts").evidence, /\(Host: djangoguard-probe\.invalid\)\nHTTP\/1\.1 200 OK/);
  assert.match(finding(r, "ssl-redirect").evidence, /^GET http:\/\/127\.0\.0\.1:\d+\/\nHTTP\/1\.1 200 OK$/);
  assert.match(finding(r, "admin-path").message, /served over plain HTTP/);
  assert.match(finding(r, "nosniff").evidence, /\(no X-Content-Type-Options header\)/);
  // The rule metadata travels with the finding
  assert.equal(debug.fix, getRule("DJANGO-DEPLOY-002")!.fix);
  assert.ok(r.requests.length <= 20);
});

test("careless under Django's development server: runserver gives itself away", async (t) => {
  if (!requireExternal(t, "django")) return;
  const g = await startRunserver("careless");
  cleanup(t, g);
  const r = await probe(`http://127.0.0.1:${g.port}/`);
  assert.ok(r.checked, g.log());
  assert.deepEqual(set(r), [
    "admin-path DJANGO-ADMIN-001 high",
    "allowed-hosts DJANGO-HOST-001 medium",
    "banner DJANGO-HEADERS-001 low",
    "coop DJANGO-HEADERS-001 low",
    "csp DJANGO-CSP-001 medium",
    "debug DJANGO-DEPLOY-002 high",
    "nosniff DJANGO-HEADERS-001 medium",
    "referrer DJANGO-HEADERS-001 low",
    "runserver DJANGO-DEPLOY-001 high",
    "security-txt DJANGO-HEADERS-001 low",
    "ssl-redirect DJANGO-HTTPS-001 high",
  ]);
  assert.match(finding(r, "runserver").evidence, /^Server: WSGIServer\/[\d.]+ CPython\/3\.[\d.]+$/m);
});

test("defaults with DEBUG off: Django's own headers, plain HTTP, admin at /admin/", async (t) => {
  if (!requireExternal(t, "django", "gunicorn")) return;
  const g = await gunicorn(t, "defaults");
  const r = await probe(`http://127.0.0.1:${g.port}/`);
  assert.ok(r.checked, g.log());
  assert.deepEqual(set(r), [
    "admin-path DJANGO-ADMIN-001 high",
    "coop DJANGO-HEADERS-001 low",
    "csp DJANGO-CSP-001 medium",
    "security-txt DJANGO-HEADERS-001 low",
    "ssl-redirect DJANGO-HTTPS-001 high",
  ]);
  assert.match(ok(r, "debug")!, /→ 404 without Django's technical page$/);
  assert.equal(ok(r, "allowed-hosts"), "Host: djangoguard-probe.invalid → 400");
  assert.equal(ok(r, "xframe"), "X-Frame-Options: DENY");
  assert.equal(ok(r, "nosniff"), "X-Content-Type-Options: nosniff");
  assert.equal(ok(r, "referrer"), "Referrer-Policy: same-origin");
  assert.equal(ok(r, "session-cookie-httponly"), "Set-Cookie sessionid … HttpOnly");
  assert.equal(ok(r, "csrf-cookie-samesite"), "Set-Cookie csrftoken … SameSite=Lax");
});

test("hardened over TLS (gunicorn --certfile): only the test certificate's problems", async (t) => {
  if (!requireExternal(t, "django", "gunicorn", "openssl")) return;
  const tmp = tempDir("probe-hardened");
  cleanup(t, tmp);
  const g = await gunicorn(t, "hardened", selfSignedCert(tmp.dir));
  const url = `https://127.0.0.1:${g.port}/`;

  const r = await probe(url, { insecure: true });
  assert.ok(r.checked, g.log());
  assert.deepEqual(set(r), ["tls-hostname DJANGO-HTTPS-001 high", "tls-trust DJANGO-HTTPS-001 high"]);
  assert.match(finding(r, "tls-trust").message, /self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
  assert.match(finding(r, "tls-hostname").message, /does not name 127\.0\.0\.1 \(it names DNS:djangoguard-test\.invalid\)/);
  assert.match(finding(r, "tls-trust").evidence, /^TLS handshake with 127\.0\.0\.1:\d+: TLSv1\.[23]\nsubject: CN=djangoguard-test\.invalid\n/m);
  assert.match(finding(r, "tls-trust").evidence, /\((36[45]) days left\)/);
  assert.equal(ok(r, "hsts"), "Strict-Transport-Security: max-age=31536000; includeSubDomains; preload");
  assert.ok(ok(r, "hsts-flags"));
  assert.equal(ok(r, "session-cookie-secure"), "Set-Cookie sessionid … Secure");
  assert.equal(ok(r, "csrf-cookie-secure"), "Set-Cookie csrftoken … Secure");
  assert.match(ok(r, "csp-script-src")!, /^script-src 'self'$/);
  assert.equal(ok(r, "coop"), "Cross-Origin-Opener-Policy: same-origin");
  assert.match(ok(r, "admin-path")!, /\/admin\/ → 404$/);
  assert.match(ok(r, "security-txt")!, /200 with Contact:/);
  assert.ok(r.notes.some((n) => /HTTP→HTTPS redirect not checked.*--http-port/.test(n.message)));

  // Without --insecure the certificate problems are still reported; the HTTP checks stop with a note
  const strict = await probe(url);
  assert.ok(strict.checked);
  assert.deepEqual(set(strict), ["tls-hostname DJANGO-HTTPS-001 high", "tls-trust DJANGO-HTTPS-001 high"]);
  assert.ok(strict.notes.some((n) => /HTTPS responses not checked: certificate of 127\.0\.0\.1:\d+ not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\); rerun with --insecure/.test(n.message)));
  assert.equal(strict.requests.length, 1);
});

test("nginx still speaking TLS 1.0/1.1: the legacy handshake is reported; the default nginx refuses it", async (t) => {
  if (!requireExternal(t, "django", "gunicorn", "nginx", "openssl")) return;
  const tmp = tempDir("probe-nginx-legacy");
  cleanup(t, tmp);
  const tls = selfSignedCert(tmp.dir);
  const g = await gunicorn(t, "proxied");
  const legacy = await startNginx(tmp.dir, g.port, tls, { legacyTls: true });
  cleanup(t, legacy);
  const r = await probe(`https://127.0.0.1:${legacy.httpsPort}/`, { insecure: true, httpPort: legacy.httpPort });
  assert.ok(r.checked, legacy.log());
  const f = finding(r, "tls-protocol");
  assert.equal(f.severity, "medium");
  assert.match(f.message, /negotiates TLSv1\.[23] with modern clients but still accepts TLSv1(\.1)? /);
  assert.match(f.evidence, /^TLS handshake offering only TLS 1\.0\/1\.1: TLSv1(\.1)? accepted$/m);
  // Only the protocol differs from the same site behind the default nginx (next test)
  assert.ok(set(r).includes("tls-protocol DJANGO-HTTPS-001 medium"));
});

test("behind nginx terminating TLS: the edge redirects, Django trusts X-Forwarded-Proto; scan --probe merges", async (t) => {
  if (!requireExternal(t, "django", "gunicorn", "nginx", "openssl")) return;
  const tmp = tempDir("probe-nginx");
  cleanup(t, tmp);
  const tls = selfSignedCert(tmp.dir);
  const g = await gunicorn(t, "proxied");
  const n = await startNginx(tmp.dir, g.port, tls);
  cleanup(t, n);
  const url = `http://127.0.0.1:${n.httpPort}/`;
  const r = await probe(url, { insecure: true });
  assert.ok(r.checked, n.log());
  assert.equal(r.base, `https://127.0.0.1:${n.httpsPort}`);
  assert.deepEqual(set(r), [
    "admin-path DJANGO-ADMIN-001 low",
    "banner DJANGO-HEADERS-001 low",
    "coop DJANGO-HEADERS-001 low",
    "csp-script-src DJANGO-CSP-001 medium",
    "hsts-flags DJANGO-HTTPS-001 low",
    "security-txt DJANGO-HEADERS-001 low",
    "tls-hostname DJANGO-HTTPS-001 high",
    "tls-trust DJANGO-HTTPS-001 high",
  ]);
  assert.equal(ok(r, "ssl-redirect"), `${url} → 301 https://127.0.0.1:${n.httpsPort}/`);
  assert.match(ok(r, "tls-protocol")!, /^negotiated TLSv1\.[23]; TLS 1\.0\/1\.1 refused$/);
  assert.equal(ok(r, "hsts"), "Strict-Transport-Security: max-age=3600");
  assert.match(finding(r, "hsts-flags").message, /max-age=3600 is under one year/);
  assert.match(finding(r, "banner").evidence, /^Server: nginx\/\d/m);
  assert.match(finding(r, "csp-script-src").message, /script-src allows 'unsafe-inline'/);
  assert.equal(ok(r, "session-cookie-secure"), "Set-Cookie sessionid … Secure");
  assert.equal(ok(r, "allowed-hosts"), "Host: djangoguard-probe.invalid → 400");
  assert.match(finding(r, "admin-path").message, /verify at the edge/);

  // Given the https:// URL, --http-port says where plain HTTP is served; the same findings come out
  const direct = await probe(`https://127.0.0.1:${n.httpsPort}/`, { insecure: true, httpPort: n.httpPort });
  assert.deepEqual(set(direct), set(r));
  assert.equal(ok(direct, "ssl-redirect"), `${url} → 301 https://127.0.0.1:${n.httpsPort}/`);

  // Without --insecure: the redirect and the certificate are still checked; the HTTPS pages are not
  const strict = await probe(url);
  assert.deepEqual(set(strict), ["tls-hostname DJANGO-HTTPS-001 high", "tls-trust DJANGO-HTTPS-001 high"]);
  assert.equal(strict.base, `https://127.0.0.1:${n.httpsPort}`);
  assert.equal(ok(strict, "ssl-redirect"), `${url} → 301 https://127.0.0.1:${n.httpsPort}/`);
  assert.ok(strict.notes.some((x) => /^HTTPS responses not checked: certificate of 127\.0\.0\.1:\d+ not trusted/.test(x.message)));

  // scan --probe: a settings file whose static findings this test controls
  const project = tempDir("probe-merge-project");
  cleanup(t, project);
  await fs.mkdir(path.join(project.dir, "shop"));
  await fs.writeFile(path.join(project.dir, "shop", "settings.py"), 'SECURE_SSL_REDIRECT = False\nSECURE_HSTS_SECONDS = 3600\nSECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"\n');
  const settingsRule = (id: string, needle: string, message: string, djangoCheckId: string): Rule => ({
    ...getRule(id)!,
    checks: [
      (ctx) => {
        const line = ctx.project.lines("shop/settings.py").findIndex((l) => l.startsWith(needle)) + 1;
        if (line > 0) ctx.report({ path: "shop/settings.py", span: { line, col: 1, endLine: line, endCol: needle.length + 1 }, message, confidence: "medium", djangoCheckId });
      },
    ],
  });
  // HTTPS-001 reports the redirect setting; HEADERS-001 and CSP-001 run with no static checks (settings look right)
  const rules: Rule[] = [
    settingsRule("DJANGO-HTTPS-001", "SECURE_SSL_REDIRECT = False", "SECURE_SSL_REDIRECT is False in shop/settings.py.", "security.W008"),
    { ...getRule("DJANGO-HEADERS-001")!, checks: [] },
    { ...getRule("DJANGO-CSP-001")!, checks: [] },
  ];
  const result = await scanWith(project.dir, { probeUrl: url, probe: { insecure: true } }, rules);
  const redirect = result.findings.find((f) => f.location.path === "shop/settings.py")!;
  assert.equal(redirect.origin, "combined");
  assert.equal(redirect.severity, "low");
  assert.equal(redirect.message, `SECURE_SSL_REDIRECT is False in shop/settings.py. Enforced at the edge (probe: ${url} → 301 https://127.0.0.1:${n.httpsPort}/); keep it there or mirror it in the settings.`);
  const coop = result.findings.find((f) => f.ruleId === "DJANGO-HEADERS-001" && /Cross-Origin-Opener-Policy/.test(f.message))!;
  assert.equal(coop.origin, "probe", "the settings say same-origin (Django 4.0+), the live Django 3.2 sends none");
  // Only the selected rules' probe findings come in: no ADMIN-001 or HTTPS-001 TLS ones from unselected rules
  assert.deepEqual([...new Set(result.findings.map((f) => f.ruleId))].sort(), ["DJANGO-CSP-001", "DJANGO-HEADERS-001", "DJANGO-HTTPS-001"]);
  assert.ok(result.findings.some((f) => f.ruleId === "DJANGO-HTTPS-001" && f.origin === "probe" && /does not name 127\.0\.0\.1/.test(f.message)));
  assert.equal(result.probe?.base, `https://127.0.0.1:${n.httpsPort}`);
  assert.ok(result.probe!.requests.length > 5 && result.probe!.requests.length <= 20);

  // The same through the CLI with the real rules: the settings rules' HTTPS-001 findings meet the live evidence
  const real = tempDir("probe-merge-real");
  cleanup(t, real);
  await fs.mkdir(path.join(real.dir, "shop"));
  await fs.writeFile(path.join(real.dir, "shop", "__init__.py"), "");
  await fs.writeFile(path.join(real.dir, "manage.py"), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n');
  await fs.writeFile(
    path.join(real.dir, "shop", "settings.py"),
    [
      "DEBUG = False",
      'ALLOWED_HOSTS = ["127.0.0.1"]',
      'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"]',
      'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")',
      "SECURE_SSL_REDIRECT = False",
      "SESSION_COOKIE_SECURE = True",
      "CSRF_COOKIE_SECURE = True",
      "SECURE_HSTS_SECONDS = 3600",
      "",
    ].join("\n"),
  );
  const out = await cli(["scan", real.dir, "--probe", url, "--insecure", "--format", "json", "--rules", "DJANGO-HTTPS-001"]);
  assert.ok(out.code === 0 || out.code === 1, out.stderr);
  const json = JSON.parse(out.stdout) as { findings: Finding[]; probe: { base: string } };
  assert.equal(json.probe.base, `https://127.0.0.1:${n.httpsPort}`);
  const w008 = json.findings.filter((f) => f.djangoCheckId === "security.W008");
  assert.equal(w008.length, 1, JSON.stringify(json.findings, null, 1));
  assert.equal(w008[0]!.location.path, "shop/settings.py");
  assert.equal(w008[0]!.location.startLine, 5);
  assert.equal(w008[0]!.origin, "combined");
  assert.equal(w008[0]!.severity, "low");
  assert.match(w008[0]!.message, new RegExp(`Enforced at the edge \\(probe: ${url.replace(/[.]/g, "\\.")} → 301 https://127\\.0\\.0\\.1:${n.httpsPort}/\\)`));
  // The settings' short HSTS and the live max-age=3600 agree: combined and confirmed
  const flags = json.findings.filter((f) => f.djangoCheckId === "security.W005" || f.djangoCheckId === "security.W021");
  assert.ok(flags.length >= 1 && flags.every((f) => f.origin === "combined" && /Confirmed on the live site \(probe: Strict-Transport-Security: max-age=3600\)/.test(f.message)), JSON.stringify(flags, null, 1));
  // The certificate problems exist only live
  assert.ok(json.findings.some((f) => f.origin === "probe" && f.location.path === `https://127.0.0.1:${n.httpsPort}/` && /self-signed/.test(f.message)));
});
