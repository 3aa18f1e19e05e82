// The probe's response checks on recorded exchanges (no network): each check's
// verdict, the rule it maps to, and that evidence is the real response lines
// with cookie values redacted.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import Ajv04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { probeToScanResult, type ProbeResult } from "../src/probe/probe.js";
import { FORMATS, render } from "../src/report/index.js";
import { analyze, BOGUS_HOST, type ProbeData } from "../src/probe/checks.js";
import type { Exchange } from "../src/probe/client.js";
import type { TlsFacts } from "../src/probe/tls.js";

function ex(url: string, status: number, headers: [string, string][] = [], body = "", extra: Partial<Exchange> = {}): Exchange {
  return { method: "GET", url, status, statusText: status === 200 ? "OK" : status === 301 ? "Moved Permanently" : status === 404 ? "Not Found" : "", httpVersion: "1.1", headers, body, ...extra };
}

const GOOD_HEADERS: [string, string][] = [
  ["Content-Type", "text/html; charset=utf-8"],
  ["Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload"],
  ["X-Frame-Options", "DENY"],
  ["X-Content-Type-Options", "nosniff"],
  ["Referrer-Policy", "same-origin"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-abc'"],
];

function data(home: Exchange, more: Partial<ProbeData> = {}): ProbeData {
  const all = [home, ...(more.all ?? [])];
  return { target: new URL(home.url), base: new URL(home.url).origin, home: [home], ...more, all };
}

const topics = (d: ProbeData) => analyze(d).findings.map((f) => `${f.topic} ${f.finding.ruleId} ${f.finding.severity}`).sort();

test("a well-configured HTTPS response gives no findings and ok observations", () => {
  const a = analyze(data(ex("https://shop.example/", 200, GOOD_HEADERS)));
  assert.deepEqual(a.findings, []);
  const ok = a.observations.filter((o) => o.ok).map((o) => o.topic).sort();
  assert.deepEqual(ok, ["banner", "coop", "csp", "csp-script-src", "hsts", "hsts-flags", "nosniff", "referrer", "runserver", "xframe"]);
});

test("HSTS: missing, max-age=0, and short/without flags map to HTTPS-001 with the right check IDs", () => {
  const without = GOOD_HEADERS.filter(([k]) => k !== "Strict-Transport-Security");
  const missing = analyze(data(ex("https://shop.example/", 200, without))).findings;
  assert.deepEqual(missing.map((f) => [f.topic, f.finding.ruleId, f.finding.severity, f.finding.djangoCheckId]), [["hsts", "DJANGO-HTTPS-001", "high", "security.W004"]]);
  assert.match(missing[0]!.finding.evidence, /^GET https:\/\/shop\.example\/\nHTTP\/1\.1 200 OK\n\(no Strict-Transport-Security header\)$/);

  const zero = analyze(data(ex("https://shop.example/", 200, [...without, ["Strict-Transport-Security", "max-age=0"]]))).findings;
  assert.match(zero[0]!.finding.message, /max-age=0/);
  assert.equal(zero[0]!.finding.severity, "high");

  const short = analyze(data(ex("https://shop.example/", 200, [...without, ["Strict-Transport-Security", "max-age=3600"]]))).findings;
  assert.equal(short.length, 1);
  assert.equal(short[0]!.topic, "hsts-flags");
  assert.equal(short[0]!.finding.djangoCheckId, "security.W005");
  assert.match(short[0]!.finding.message, /max-age=3600 is under one year.*no includeSubDomains.*no preload/);
  assert.match(short[0]!.finding.evidence, /Strict-Transport-Security: max-age=3600/);
});

test("HSTS is not judged on plain-HTTP responses (browsers ignore it there)", () => {
  const plain = ex("http://shop.example/", 200, GOOD_HEADERS.filter(([k]) => k !== "Strict-Transport-Security"));
  assert.ok(!topics(data(plain, { plainHttp: plain })).some((t) => t.startsWith("hsts")));
});

test("HTTP→HTTPS redirect: same host ok, other host low, none high with W008, refused ok", () => {
  const redirect = ex("http://shop.example/", 301, [["Location", "https://shop.example/"]]);
  const final = ex("https://shop.example/", 200, GOOD_HEADERS);
  const d = data(final, { plainHttp: redirect, home: [redirect, final], all: [redirect] });
  assert.deepEqual(topics(d), []);
  assert.ok(analyze(d).observations.some((o) => o.topic === "ssl-redirect" && o.ok && o.summary === "http://shop.example/ → 301 https://shop.example/"));

  const offsite = ex("http://shop.example/", 301, [["Location", "https://www.shop.example/"]]);
  assert.deepEqual(topics(data(final, { plainHttp: offsite, all: [offsite] })), ["redirect-host DJANGO-HTTPS-001 low"]);

  const none = ex("http://shop.example/", 200, GOOD_HEADERS);
  const f = analyze(data(final, { plainHttp: none, all: [none] })).findings;
  assert.deepEqual(f.map((x) => [x.topic, x.finding.djangoCheckId, x.finding.location.path]), [["ssl-redirect", "security.W008", "http://shop.example/"]]);

  const refused: Exchange = { method: "GET", url: "http://shop.example/", headers: [], body: "", error: { kind: "refused", message: "connection refused" } };
  const a = analyze(data(final, { plainHttp: refused }));
  assert.deepEqual(a.findings, []);
  assert.ok(a.observations.some((o) => o.topic === "ssl-redirect" && o.ok));
});

test("headers: missing X-Frame-Options (unless CSP frame-ancestors), nosniff, unsafe Referrer-Policy, COOP unsafe-none, banners", () => {
  const h: [string, string][] = [
    ["Server", "nginx/1.22.1"],
    ["X-Powered-By", "Express"],
    ["Referrer-Policy", "same-origin, unsafe-url"],
    ["Cross-Origin-Opener-Policy", "unsafe-none"],
    ["Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'"],
  ];
  assert.deepEqual(topics(data(ex("http://shop.example/", 200, h))), [
    "banner DJANGO-HEADERS-001 low",
    "coop DJANGO-HEADERS-001 low",
    "csp-script-src DJANGO-CSP-001 medium",
    "nosniff DJANGO-HEADERS-001 medium",
    "referrer DJANGO-HEADERS-001 medium",
    "xframe DJANGO-HEADERS-001 medium",
  ]);
  const framed: [string, string][] = [...GOOD_HEADERS.filter(([k]) => k !== "X-Frame-Options" && k !== "Content-Security-Policy"), ["Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"]];
  assert.deepEqual(topics(data(ex("https://shop.example/", 200, framed))), []);
  // 'unsafe-inline' next to a nonce is ignored by CSP2 browsers: not weak
  const nonce: [string, string][] = [...GOOD_HEADERS.filter(([k]) => k !== "Content-Security-Policy"), ["Content-Security-Policy", "script-src 'self' 'nonce-r4nd0m' 'unsafe-inline'"]];
  assert.deepEqual(topics(data(ex("https://shop.example/", 200, nonce))), []);
  const reportOnly: [string, string][] = [...GOOD_HEADERS.filter(([k]) => k !== "Content-Security-Policy"), ["Content-Security-Policy-Report-Only", "default-src 'self'"]];
  assert.deepEqual(topics(data(ex("https://shop.example/", 200, reportOnly))), ["csp DJANGO-CSP-001 low"]);
  // Django's development server gives itself away
  assert.deepEqual(topics(data(ex("https://shop.example/", 200, [...GOOD_HEADERS, ["Server", "WSGIServer/0.2 CPython/3.11.2"]]))), [
    "banner DJANGO-HEADERS-001 low",
    "runserver DJANGO-DEPLOY-001 high",
  ]);
  // A Server header without a version is not a banner finding
  assert.deepEqual(topics(data(ex("https://shop.example/", 200, [...GOOD_HEADERS, ["Server", "gunicorn"]]))), []);
});

test("cookies: flags of sessionid/csrftoken map to SESS-001/SESS-002; values never appear in evidence", () => {
  const sessionValue = "s3cr3tS3ss10nV4lu3xyz";
  const csrfValue = "Csrf70k3nV4lu3abc";
  const page = ex("https://shop.example/", 200, [
    ...GOOD_HEADERS,
    ["Set-Cookie", `sessionid=${sessionValue}; expires=Sat, 05 Dec 2026 10:00:00 GMT; Max-Age=1209600; Path=/; SameSite=None; Domain=.shop.example`],
    ["Set-Cookie", `csrftoken=${csrfValue}; Path=/; SameSite=Lax`],
    ["Set-Cookie", `theme=dark; Path=/`],
  ]);
  const a = analyze(data(page));
  assert.deepEqual(a.findings.map((f) => `${f.topic} ${f.finding.ruleId} ${f.finding.djangoCheckId ?? "-"}`).sort(), [
    "csrf-cookie-secure DJANGO-SESS-002 security.W016",
    "session-cookie-domain DJANGO-SESS-001 -",
    "session-cookie-httponly DJANGO-SESS-001 security.W013",
    "session-cookie-samesite DJANGO-SESS-001 -",
    "session-cookie-secure DJANGO-SESS-001 security.W012",
  ]);
  const all = JSON.stringify(a);
  assert.ok(!all.includes(sessionValue) && !all.includes(csrfValue), "cookie values leaked into findings");
  assert.match(a.findings[0]!.finding.evidence, /Set-Cookie: (sessionid|csrftoken)=«redacted»;/);
  // Over plain HTTP a missing Secure flag is the redirect finding's business, not the cookie's
  const plain = ex("http://shop.example/", 200, [...GOOD_HEADERS, ["Set-Cookie", "csrftoken=abc; Path=/; SameSite=Lax"]]);
  assert.ok(!topics(data(plain)).some((t) => t.startsWith("csrf-cookie")));
});

test("DEBUG technical page, bogus Host accepted, admin at /admin/, robots.txt naming the admin, security.txt", () => {
  const home = ex("https://shop.example/", 200, GOOD_HEADERS, "<html>Welcome</html>");
  const notFound = ex(
    "https://shop.example/djangoguard-probe-1/",
    404,
    [["Content-Type", "text/html"]],
    "<title>Page not found at /djangoguard-probe-1/</title>\n<p>\n      You’re seeing this error because you have <code>DEBUG = True</code> in\n</p>",
  );
  const bogus = ex("https://shop.example/", 302, [["Location", `https://${BOGUS_HOST}/en/`]], "", { hostHeader: BOGUS_HOST });
  const admin = [ex("https://shop.example/admin/", 302, [["Location", "/admin/login/?next=/admin/"]]), ex("https://shop.example/admin/login/?next=/admin/", 200, [], "<title>Log in | Django site admin</title>")];
  const robots = ex("https://shop.example/robots.txt", 200, [["Content-Type", "text/plain"]], "User-agent: *\nDisallow: /backoffice-admin/\nDisallow: /search/\n");
  const securityTxt = ex("https://shop.example/.well-known/security.txt", 404);
  const d = data(home, { notFound, bogusHost: bogus, admin, robots, securityTxt, all: [notFound, bogus, ...admin, robots, securityTxt] });
  const a = analyze(d);
  assert.deepEqual(a.findings.map((f) => `${f.topic} ${f.finding.ruleId} ${f.finding.severity}`).sort(), [
    "admin-path DJANGO-ADMIN-001 low",
    "allowed-hosts DJANGO-HOST-001 medium",
    "debug DJANGO-DEPLOY-002 high",
    "robots-admin DJANGO-ADMIN-001 low",
    "security-txt DJANGO-HEADERS-001 low",
  ]);
  const debug = a.findings.find((f) => f.topic === "debug")!.finding;
  assert.equal(debug.djangoCheckId, "security.W018");
  assert.equal(debug.location.path, "https://shop.example/djangoguard-probe-1/");
  assert.match(debug.evidence, /HTTP\/1\.1 404 Not Found\n<title>Page not found at \/djangoguard-probe-1\/<\/title>\nYou’re seeing this error because you have <code>DEBUG = True<\/code> in/);
  assert.match(a.findings.find((f) => f.topic === "allowed-hosts")!.finding.message, /redirect to that host/);
  assert.ok(a.django);
});

test("fingerprints of probe findings do not depend on the random 404 path", () => {
  const mk = (p: string) =>
    analyze(data(ex("https://shop.example/", 200, GOOD_HEADERS), { notFound: ex(`https://shop.example/${p}/`, 404, [], "you have <code>DEBUG = True</code>") })).findings[0]!.finding.fingerprint;
  assert.equal(mk("djangoguard-probe-aaaa"), mk("djangoguard-probe-bbbb"));
});

test("TLS: untrusted chain, expiry windows and old protocols map to HTTPS-001", () => {
  const base: TlsFacts = {
    host: "shop.example",
    port: 443,
    protocol: "TLSv1.3",
    authorized: true,
    authorizationError: null,
    hostnameError: null,
    subject: "CN=shop.example",
    issuer: "CN=Some CA",
    altNames: "DNS:shop.example",
    validFrom: "Jan  1 00:00:00 2026 GMT",
    validTo: "Jan  1 00:00:00 2027 GMT",
    daysLeft: 200,
    selfSigned: false,
  };
  const home = ex("https://shop.example/", 200, GOOD_HEADERS);
  const run = (t: Partial<TlsFacts>) => analyze(data(home, { tls: { ...base, ...t } })).findings.map((f) => `${f.topic} ${f.finding.severity}`);
  assert.deepEqual(run({}), []);
  assert.deepEqual(run({ authorized: false, authorizationError: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" }), ["tls-trust high"]);
  assert.match(analyze(data(home, { tls: { ...base, authorized: false, authorizationError: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" } })).findings[0]!.finding.message, /chain is incomplete/);
  // An expired certificate is one expiry finding, not also a trust one
  assert.deepEqual(run({ authorized: false, authorizationError: "CERT_HAS_EXPIRED", daysLeft: -3 }), ["tls-expiry high"]);
  assert.deepEqual(run({ daysLeft: 5 }), ["tls-expiry medium"]);
  assert.deepEqual(run({ daysLeft: 20 }), ["tls-expiry low"]);
  assert.deepEqual(run({ protocol: "TLSv1.1" }), ["tls-protocol medium"]);
  // Modern by default, but TLS 1.0/1.1 still accepted when a client offers nothing newer
  assert.deepEqual(run({ legacy: "TLSv1" }), ["tls-protocol medium"]);
  assert.match(analyze(data(home, { tls: { ...base, legacy: "TLSv1.1" } })).findings[0]!.finding.evidence, /^TLS handshake offering only TLS 1\.0\/1\.1: TLSv1\.1 accepted\nTLS handshake with shop\.example:443: TLSv1\.3/);
  assert.deepEqual(run({ legacy: "refused" }), []);
  assert.equal(analyze(data(home, { tls: { ...base, legacy: "refused" } })).observations.find((o) => o.topic === "tls-protocol")!.summary, "negotiated TLSv1.3; TLS 1.0/1.1 refused");
  assert.deepEqual(run({ legacy: null }), []);
  const f = analyze(data(home, { tls: { ...base, hostnameError: "mismatch" } })).findings[0]!.finding;
  assert.equal(f.location.path, "https://shop.example/");
  assert.match(f.evidence, /^TLS handshake with shop\.example:443: TLSv1\.3\nsubject: CN=shop\.example\nissuer: CN=Some CA\nsubjectAltName: DNS:shop\.example\nvalid: .* \(200 days left\)\nverify: ok$/);
});

test("bogus Host: a proxy's default page is not this site accepting the host", () => {
  const home = ex("https://shop.example/", 200, GOOD_HEADERS, "<html><head><title>Shop</title></head></html>");
  const welcome = ex("https://shop.example/", 200, [["Content-Type", "text/html"]], "<html><head><title>Welcome to nginx!</title></head></html>", { hostHeader: BOGUS_HOST });
  const a = analyze(data(home, { bogusHost: welcome, all: [welcome] }));
  assert.deepEqual(a.findings, []);
  assert.match(a.observations.find((o) => o.topic === "allowed-hosts")!.summary, /another virtual host answered/);
  const same = ex("https://shop.example/", 200, [["Content-Type", "text/html"]], "<html><head><title>Shop</title></head></html>", { hostHeader: BOGUS_HOST });
  assert.deepEqual(topics(data(home, { bogusHost: same, all: [same] })), ["allowed-hosts DJANGO-HOST-001 medium"]);
});

test("probe results render in every scan format; SARIF validates against the 2.1.0 schema", () => {
  const home = ex("http://shop.example/", 200, [["Content-Type", "text/html"], ["Set-Cookie", "sessionid=V4lu3V4lu3V4lu3; Path=/"]]);
  const a = analyze(data(home, { plainHttp: home }));
  const result: ProbeResult = { url: "http://shop.example/", base: "http://shop.example", findings: a.findings.map((f) => f.finding), topics: a.findings, observations: a.observations, notes: [], requests: [{ method: "GET", url: "http://shop.example/", status: 200 }], checked: true, durationMs: 3 };
  const scanLike = probeToScanResult(result, { failOn: "high" });
  assert.equal(scanLike.summary.findings, a.findings.length);
  for (const format of FORMATS) {
    const out = render(scanLike, format);
    assert.match(out, /DJANGO-HTTPS-001/, format);
    assert.ok(!out.includes("V4lu3V4lu3V4lu3"), `${format} leaked a cookie value`);
  }
  const schemaPath = path.join(import.meta.dirname, "..", "..", "shared", "data", "sarif", "sarif-schema-2.1.0.json");
  const ajv = new Ajv04({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
  assert.ok(validate(JSON.parse(render(scanLike, "sarif"))), JSON.stringify(validate.errors, null, 1));
});

test("HTTP→HTTPS redirect after an in-host plain-HTTP hop is found; a plain-HTTP page after redirects is reported where it is served", () => {
  const final = ex("https://www.shop.example/", 200, GOOD_HEADERS);
  const hop1 = ex("http://shop.example/", 301, [["Location", "http://shop.example/en/"]]);
  const hop2 = ex("http://shop.example/en/", 301, [["Location", "https://shop.example/en/"]]);
  const a = analyze(data(final, { plainHttp: hop1, plainChain: [hop1, hop2], all: [hop1, hop2] }));
  assert.deepEqual(a.findings, []);
  assert.equal(a.observations.find((o) => o.topic === "ssl-redirect")!.summary, "http://shop.example/ → … http://shop.example/en/ → 301 https://shop.example/en/");
  const page = ex("http://shop.example/en/", 200, GOOD_HEADERS);
  const b = analyze(data(final, { plainHttp: hop1, plainChain: [hop1, page], all: [hop1, page] })).findings;
  assert.deepEqual(b.map((f) => [f.topic, f.finding.location.path]), [["ssl-redirect", "http://shop.example/en/"]]);
  assert.match(b[0]!.finding.message, /answered 200 over plain HTTP \(after 1 redirect\(s\) from http:\/\/shop\.example\/\)/);
  // An unfollowed redirect to another host over plain HTTP proves nothing either way
  const away = ex("http://shop.example/", 301, [["Location", "http://elsewhere.example/"]]);
  assert.deepEqual(analyze(data(final, { plainHttp: away, plainChain: [away], all: [away] })).findings, []);
});

test("two session-like cookies with the same problem get distinct fingerprints", () => {
  const page = ex("https://shop.example/", 200, [...GOOD_HEADERS, ["Set-Cookie", "sessionid=a; Path=/; HttpOnly; SameSite=Lax"], ["Set-Cookie", "admin_sessionid=b; Path=/admin; HttpOnly; SameSite=Lax"]]);
  const f = analyze(data(page)).findings.filter((x) => x.topic === "session-cookie-secure").map((x) => x.finding);
  assert.equal(f.length, 2);
  assert.notEqual(f[0]!.fingerprint, f[1]!.fingerprint);
});
