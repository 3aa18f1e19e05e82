// Settings rules that depend on options: --tls, the Django version, and the
// setting shapes of newer Django (built-in CSP, SECRET_KEY_FALLBACKS, COOP).
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import type { ScanOptions } from "../src/options.js";
import { scan } from "../src/scan.js";
import { makeProject } from "./support/tree.js";

const STRONG = "Zx8Cv7Bn6Mq5Wl4Ek3Rj2Th1Yg0Uf9Id8Os7Pa6Sd5Fg4Hh3Jk2Lz1Xc0Vb";

async function settingsProject(settings: string): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "dg-rules-"));
  await fs.mkdir(path.join(root, "proj"));
  await fs.writeFile(path.join(root, "proj", "__init__.py"), "");
  await fs.writeFile(path.join(root, "proj", "settings.py"), settings);
  return root;
}

const BASE = `
SECRET_KEY = "${STRONG}"
DEBUG = False
ALLOWED_HOSTS = ["example.com"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
`;

async function ids(settings: string, options: Partial<ScanOptions> = {}) {
  const r = await scan(await settingsProject(settings), { failOn: "none", ...options });
  return r.findings;
}

describe("settings rules: TLS awareness", () => {
  it("without TLS evidence, HTTPS findings are low confidence and say why; --tls yes raises them; --tls no drops them", async () => {
    const auto = (await ids(BASE)).filter((f) => f.ruleId === "DJANGO-HTTPS-001");
    assert.ok(auto.length >= 3, "W004, W008, W012 expected");
    for (const f of auto) {
      assert.equal(f.confidence, "low");
      assert.match(f.message, /nothing shows whether the site is served over HTTPS/);
    }
    const yes = (await ids(BASE, { tls: "yes" })).filter((f) => f.ruleId === "DJANGO-HTTPS-001");
    assert.ok(yes.length >= 3, `HTTPS findings with --tls yes: ${yes.length}`);
    assert.ok(yes.every((f) => f.confidence !== "low" && /--tls yes/.test(f.message)));
    const no = (await ids(BASE, { tls: "no" })).filter((f) => f.ruleId === "DJANGO-HTTPS-001" || f.djangoCheckId === "security.W016");
    assert.deepEqual(no, []);
  });

  it("SECURE_SSL_REDIRECT is evidence of TLS", async () => {
    const f = (await ids(`${BASE}\nSECURE_SSL_REDIRECT = True\n`)).find((x) => x.djangoCheckId === "security.W012");
    assert.ok(f);
    assert.notEqual(f.confidence, "low");
    assert.match(f.message, /SECURE_SSL_REDIRECT is True at proj\/settings\.py:13/);
  });
});

describe("settings rules: Django version awareness", () => {
  const xss = `${BASE}\nSECURE_BROWSER_XSS_FILTER = True\n`;
  it("SECURE_BROWSER_XSS_FILTER: obsolete header before 4.0, removed setting from 4.0", async () => {
    const old = (await ids(xss, { djangoVersion: "3.2" })).find((f) => f.ruleId === "DJANGO-HEADERS-001" && /XSS/.test(f.message));
    assert.match(old!.message, /obsolete X-XSS-Protection/);
    const now = (await ids(xss, { djangoVersion: "4.2" })).find((f) => f.ruleId === "DJANGO-HEADERS-001" && /XSS/.test(f.message));
    assert.match(now!.message, /removed in Django 4\.0/);
    const off = (await ids(`${BASE}\nSECURE_BROWSER_XSS_FILTER = False\n`, { djangoVersion: "3.2" })).filter((f) => /XSS_FILTER/.test(f.message));
    assert.deepEqual(off, []);
  });

  it("security.E024 and COOP only from 4.0; security.W025 only from 4.1", async () => {
    const s = `${BASE}\nSECURE_CROSS_ORIGIN_OPENER_POLICY = "same-site"\nSECRET_KEY_FALLBACKS = ["old-short-key"]\n`;
    const v32 = (await ids(s, { djangoVersion: "3.2" })).map((f) => f.djangoCheckId);
    assert.ok(!v32.includes("security.E024") && !v32.includes("security.W025"));
    const v40 = (await ids(s, { djangoVersion: "4.0" })).map((f) => f.djangoCheckId);
    assert.ok(v40.includes("security.E024") && !v40.includes("security.W025"));
    const v42 = (await ids(s, { djangoVersion: "4.2" })).map((f) => f.djangoCheckId);
    assert.ok(v42.includes("security.E024") && v42.includes("security.W025"));
  });

  it("Django's default referrer policy and nosniff depend on the version", async () => {
    const v30 = (await ids(BASE, { djangoVersion: "3.0" })).map((f) => f.djangoCheckId);
    assert.ok(v30.includes("security.W022"), "no default referrer policy before 3.1");
    const v31 = (await ids(BASE, { djangoVersion: "3.1" })).map((f) => f.djangoCheckId);
    assert.ok(!v31.includes("security.W022"));
    const v22 = (await ids(BASE, { djangoVersion: "2.2" })).map((f) => f.djangoCheckId);
    assert.ok(v22.includes("security.W006") && v22.includes("security.W019"), "nosniff off and SAMEORIGIN by default before 3.0");
  });
});

describe("settings rules: CSP shapes", () => {
  it("Django 6.0 SECURE_CSP with django.utils.csp.CSP constants", async () => {
    const s = `from django.utils.csp import CSP\n${BASE.replace('"django.middleware.clickjacking.XFrameOptionsMiddleware",', '"django.middleware.clickjacking.XFrameOptionsMiddleware",\n    "django.middleware.csp.ContentSecurityPolicyMiddleware",')}\nSECURE_CSP = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.UNSAFE_INLINE]}\n`;
    const f = (await ids(s, { djangoVersion: "6.0" })).filter((x) => x.ruleId === "DJANGO-CSP-001");
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /SECURE_CSP script-src allows 'unsafe-inline'/);
  });

  it("django-csp 4.x CONTENT_SECURITY_POLICY DIRECTIVES, and no CSP at all", async () => {
    const withCsp = `${BASE.replace('"django.middleware.clickjacking.XFrameOptionsMiddleware",', '"django.middleware.clickjacking.XFrameOptionsMiddleware",\n    "csp.middleware.CSPMiddleware",')}\nCONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", "'unsafe-eval'"]}}\n`;
    const a = (await ids(withCsp)).filter((x) => x.ruleId === "DJANGO-CSP-001");
    assert.equal(a.length, 1);
    assert.match(a[0]!.message, /'unsafe-eval'/);
    const none = (await ids(BASE)).filter((x) => x.ruleId === "DJANGO-CSP-001");
    assert.equal(none.length, 1);
    assert.match(none[0]!.message, /verify at the edge/);
  });
});

describe("scan --env-file", () => {
  it("reads dotenv syntax into the settings environment; --env wins", async () => {
    const { scanOptionsFromFlags } = await import("../src/cli/scan.js");
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "dg-envfile-"));
    const file = path.join(dir, "prod.env");
    await fs.writeFile(file, "# production\nexport DJANGO_DEBUG=False\nDJANGO_SECRET_KEY='quoted value # not a comment'\nALLOWED=a.com,b.com  # trailing comment\n");
    const opts = scanOptionsFromFlags({ envFile: file, env: ["DJANGO_DEBUG=True"] } as Parameters<typeof scanOptionsFromFlags>[0]);
    assert.deepEqual(opts.env, { DJANGO_DEBUG: "True", DJANGO_SECRET_KEY: "quoted value # not a comment", ALLOWED: "a.com,b.com" });
    assert.throws(() => scanOptionsFromFlags({ envFile: path.join(dir, "missing.env") } as Parameters<typeof scanOptionsFromFlags>[0]), /cannot be read/);
  });
});

describe("settings rules: HSTS on a first rollout", () => {
  it("a max-age of a year or more gets a note (not a finding) pointing at the setting; a short one does not", async () => {
    const long = await scan(await settingsProject(`${BASE}SECURE_HSTS_SECONDS = 63072000\n`), { failOn: "none" });
    const note = long.notes.find((n) => n.message.startsWith("SECURE_HSTS_SECONDS is 63072000"));
    assert.ok(note, JSON.stringify(long.notes));
    assert.equal(note.path, "proj/settings.py");
    assert.equal(note.line, BASE.split("\n").length);
    assert.match(note.message, /730 days.*first rollout start with a short max-age/);
    assert.ok(!long.findings.some((f) => /first rollout/.test(f.message)));
    const short = await scan(await settingsProject(`${BASE}SECURE_HSTS_SECONDS = 3600\n`), { failOn: "none" });
    assert.ok(!short.notes.some((n) => n.message.startsWith("SECURE_HSTS_SECONDS")));
  });
});

describe("AUTH-001: another service's login", () => {
  it("a password kept next to a server is reported low, with advice that fits it; a user model's plain password stays medium", async () => {
    const root = await makeProject({
      "mail/__init__.py": "",
      "mail/models.py": `from django.db import models\n\n\nclass MailAccount(models.Model):\n    smtp_host = models.CharField(max_length=200)\n    password = models.CharField(max_length=200)\n\n\nclass Member(models.Model):\n    email = models.EmailField()\n    password = models.CharField(max_length=128)\n`,
    });
    const r = await scan(root, { failOn: "none", rules: ["DJANGO-AUTH-001"] });
    const byLine = new Map(r.findings.map((f) => [f.location.startLine, f]));
    assert.equal(byLine.get(6)?.confidence, "low");
    assert.match(byLine.get(6)!.message, /another service's password \(the model also holds its `smtp_host`\).*cannot be hashed.*encrypt it at rest/);
    assert.equal(byLine.get(11)?.confidence, "medium");
    assert.match(byLine.get(11)!.message, /use Django's user model and its hashers/);
  });
});
