// scan --probe: the merge of static findings with live evidence, on constructed
// findings (the settings rules' own output shapes: a Django check ID, or a
// message that names the setting). The end-to-end version against a real nginx
// + gunicorn deployment is in probe-live.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Finding } from "../src/findings.js";
import { analyze, type ProbeData } from "../src/probe/checks.js";
import type { Exchange } from "../src/probe/client.js";
import { mergeProbe, topicOf } from "../src/probe/merge.js";
import type { ProbeResult } from "../src/probe/probe.js";
import { getRule } from "../src/rules/index.js";

function staticFinding(ruleId: string, message: string, line: number, djangoCheckId?: string): Finding {
  const r = getRule(ruleId)!;
  return {
    ruleId,
    title: r.title,
    severity: r.severity,
    confidence: "medium",
    cwe: r.cwe,
    owasp: r.owasp,
    ...(djangoCheckId ? { djangoCheckId } : {}),
    location: { path: "shop/settings/production.py", startLine: line, startColumn: 1, endLine: line, endColumn: 30 },
    evidence: "…",
    message,
    impact: r.impact,
    fix: r.fix,
    mitigation: r.mitigation,
    falsePositiveNotes: r.falsePositives,
    fingerprint: `fp-${line}`,
    origin: "static",
  };
}

function ex(url: string, status: number, headers: [string, string][] = [], body = ""): Exchange {
  return { method: "GET", url, status, statusText: "", httpVersion: "1.1", headers, body };
}

/** A live site: redirects HTTP→HTTPS, sends no HSTS, shows Django's DEBUG 404 page. */
function live(): ProbeResult {
  const redirect = ex("http://shop.example/", 301, [["Location", "https://shop.example/"]]);
  const home = ex("https://shop.example/", 200, [
    ["Content-Type", "text/html"],
    ["X-Frame-Options", "DENY"],
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "same-origin"],
    ["Cross-Origin-Opener-Policy", "same-origin"],
    ["Content-Security-Policy", "default-src 'self'"],
  ]);
  const notFound = ex("https://shop.example/djangoguard-probe-x/", 404, [], "you have <code>DEBUG = True</code> in");
  const d: ProbeData = { target: new URL("http://shop.example/"), base: "https://shop.example", home: [redirect, home], plainHttp: redirect, notFound, all: [redirect, home, notFound] };
  const a = analyze(d);
  return { url: "http://shop.example/", base: d.base, findings: a.findings.map((f) => f.finding), topics: a.findings, observations: a.observations, notes: [], requests: [], checked: true, durationMs: 1 };
}

test("topicOf reads the Django check ID first, else the setting the message names first", () => {
  assert.equal(topicOf(staticFinding("DJANGO-HTTPS-001", "whatever", 1, "security.W008")), "ssl-redirect");
  assert.equal(topicOf(staticFinding("DJANGO-HTTPS-001", "SESSION_COOKIE_SECURE is False (and CSRF_COOKIE_SECURE too)", 1)), "session-cookie-secure");
  assert.equal(topicOf(staticFinding("DJANGO-HTTPS-001", "HSTS is on but SECURE_HSTS_INCLUDE_SUBDOMAINS is not set", 1)), "hsts-flags");
  assert.equal(topicOf(staticFinding("DJANGO-DEPLOY-002", "DEBUG defaults to True at config/settings.py:14", 1)), "debug");
  // DEBUG named by another rule is not the debug-page topic
  assert.equal(topicOf(staticFinding("DJANGO-LOG-001", "logs at DEBUG level include request.META", 1)), null);
  assert.equal(topicOf(staticFinding("DJANGO-SQL-001", "raw SQL built with an f-string", 1)), null);
});

test("static says no redirect, the live site redirects: lowered, 'enforced at the edge' with the probe's evidence", () => {
  const merged = mergeProbe([staticFinding("DJANGO-HTTPS-001", "SECURE_SSL_REDIRECT is False in shop.settings.production.", 12, "security.W008")], live());
  const f = merged.find((x) => x.location.path === "shop/settings/production.py")!;
  assert.equal(f.severity, "low");
  assert.equal(f.origin, "combined");
  assert.equal(f.message, "SECURE_SSL_REDIRECT is False in shop.settings.production. Enforced at the edge (probe: http://shop.example/ → 301 https://shop.example/); keep it there or mirror it in the settings.");
  assert.equal(f.location.startLine, 12, "the static location stays");
});

test("static and live agree (DEBUG on): one combined finding at the settings line, the probe's copy consumed", () => {
  const merged = mergeProbe([staticFinding("DJANGO-DEPLOY-002", "DEBUG = True in shop.settings.production.", 3)], live());
  const debug = merged.filter((x) => x.ruleId === "DJANGO-DEPLOY-002");
  assert.equal(debug.length, 1);
  assert.equal(debug[0]!.origin, "combined");
  assert.equal(debug[0]!.confidence, "high");
  assert.equal(debug[0]!.location.path, "shop/settings/production.py");
  assert.match(debug[0]!.message, /Confirmed on the live site \(probe: https:\/\/shop\.example\/djangoguard-probe-x\/ → 404 with Django's technical page \(DEBUG = True\)\)\.$/);
});

test("settings look right but the live site sends no HSTS: the probe finding stands, 'verify at the edge'", () => {
  const sql = staticFinding("DJANGO-SQL-001", "raw SQL built with an f-string", 40);
  const merged = mergeProbe([sql], live());
  assert.ok(merged.includes(sql), "unrelated static findings pass through unchanged");
  const hsts = merged.find((x) => x.ruleId === "DJANGO-HTTPS-001" && x.djangoCheckId === "security.W004")!;
  assert.equal(hsts.origin, "probe");
  assert.equal(hsts.severity, "high");
  assert.equal(hsts.location.path, "https://shop.example/");
  assert.match(hsts.message, /Static analysis reported nothing on this in the production settings.*verify at the edge\.$/);
  // Without production settings to compare against, no such claim is made
  const bare = mergeProbe([], live(), false).find((x) => x.djangoCheckId === "security.W004")!;
  assert.doesNotMatch(bare.message, /Static analysis/);
});

test("SecurityMiddleware missing (W001) is not merged, but it means static analysis spoke about HSTS", () => {
  const w001 = staticFinding("DJANGO-HEADERS-001", "SecurityMiddleware is not in MIDDLEWARE, so HSTS, nosniff, referrer-policy, COOP and SSL-redirect settings have no effect", 2, "security.W001");
  assert.equal(topicOf(w001), null);
  const merged = mergeProbe([w001], live());
  assert.ok(merged.includes(w001));
  const hsts = merged.find((x) => x.djangoCheckId === "security.W004")!;
  assert.doesNotMatch(hsts.message, /Static analysis/);
});

test("messages without a full stop get one before the appended sentence", () => {
  const merged = mergeProbe([staticFinding("DJANGO-HTTPS-001", "SECURE_SSL_REDIRECT is not True", 12, "security.W008")], live());
  assert.match(merged[0]!.message, /^SECURE_SSL_REDIRECT is not True\. Enforced at the edge/);
});

test("a static finding on a topic the probe did not observe is left alone", () => {
  const f = staticFinding("DJANGO-SESS-001", "SESSION_COOKIE_HTTPONLY = False in shop.settings.production.", 8);
  const merged = mergeProbe([f], live());
  assert.ok(merged.includes(f));
});
