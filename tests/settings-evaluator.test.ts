// The static settings evaluator and production detection, on small projects
// written to a temporary directory: values, provenance, environment handling,
// module choice and its reason.
import assert from "node:assert/strict";
import os from "node:os";
import { describe, it } from "node:test";
import { loadProject } from "../src/discovery/load.js";
import { appSettingsAnalysis } from "../src/django/appsettings.js";
import { settingsAnalysis } from "../src/django/settings/index.js";
import { optionsOf } from "../src/django/settings/values.js";
import { defaultOptions, type ScanOptions } from "../src/options.js";
import { scan } from "../src/scan.js";
import { makeProject } from "./support/tree.js";

async function project(files: Record<string, string>, options: Partial<ScanOptions> = {}) {
  const root = await makeProject(files);
  const p = await loadProject({ ...defaultOptions(root), ...options });
  return { root, p, s: p.use(settingsAnalysis) };
}

const SPLIT = {
  "config/__init__.py": "",
  "config/settings/__init__.py": "",
  "config/settings/base.py": [
    "import environ",
    "from pathlib import Path",
    "env = environ.Env()",
    "BASE_DIR = Path(__file__).resolve().parent.parent.parent",
    "DEBUG = env.bool('DEBUG', default=True)",
    "MIDDLEWARE = ['a', 'b', 'c']",
    "INSTALLED_APPS = ('x',)",
    "TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'DIRS': [BASE_DIR / 'templates'], 'APP_DIRS': True}]",
    "helper = 1",
    "",
  ].join("\n"),
  "config/settings/production.py": [
    "from .base import *",
    "MIDDLEWARE += ['d']",
    "MIDDLEWARE.insert(0, 'first')",
    "MIDDLEWARE.remove('b')",
    "INSTALLED_APPS = INSTALLED_APPS + ('y',)",
    "ROOT_URLCONF = 'config.urls'",
    "",
  ].join("\n"),
  "config/settings/local.py": "from .base import *\nDEBUG = True\n",
};

describe("settings evaluator", () => {
  it("follows star imports, list mutations and tuple concatenation, and explains across modules", async () => {
    const { s } = await project(SPLIT);
    assert.equal(s.module, "config.settings.production");
    assert.match(s.reason, /module name production/);
    assert.deepEqual(s.strings("MIDDLEWARE"), ["first", "a", "c", "d"]);
    assert.deepEqual(s.js("INSTALLED_APPS"), ["x", "y"]);
    assert.equal(s.js("ROOT_URLCONF"), "config.urls");
    assert.equal(s.js("DEBUG"), true);
    assert.match(s.explain("DEBUG"), /DEBUG defaults to True at config\/settings\/base\.py:5 \(env\.bool\('DEBUG', default=True\)\) because DEBUG is not set.*config\/settings\/production\.py does not override it/);
    assert.equal(s.get("DEBUG")!.site.path, "config/settings/base.py");
    assert.equal(s.get("MIDDLEWARE")!.site.line, 4, "the last change to MIDDLEWARE is the remove() in production.py");
    const templates = s.js("TEMPLATES") as { DIRS: string[]; APP_DIRS: boolean }[];
    assert.deepEqual(templates[0]!.DIRS, ["/templates"]);
    assert.equal(s.get("helper"), undefined, "lower-case names are not settings");
  });

  it("evaluates under the supplied environment, and --env DJANGO_SETTINGS_MODULE chooses the module", async () => {
    const { s } = await project(SPLIT, { env: { DEBUG: "off" } });
    assert.equal(s.js("DEBUG"), false);
    const local = (await project(SPLIT, { env: { DJANGO_SETTINGS_MODULE: "config.settings.local" } })).s;
    assert.equal(local.module, "config.settings.local");
    assert.match(local.reason, /supplied environment/);
  });

  it("a DJANGO_SETTINGS_MODULE assigned in manage.py beats the environment; wsgi setdefault beats module names", async () => {
    const manage = "import os\nos.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.local'\n";
    const a = (await project({ ...SPLIT, "manage.py": manage }, { env: { DJANGO_SETTINGS_MODULE: "config.settings.production" } })).s;
    assert.equal(a.module, "config.settings.local");
    assert.match(a.reason, /assigned in manage\.py:2/);
    const wsgi = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.base')\n";
    const b = (await project({ ...SPLIT, "config/wsgi.py": wsgi })).s;
    assert.equal(b.module, "config.settings.base");
    assert.match(b.reason, /config\/wsgi\.py:2/);
  });

  it("honours __all__, try/except ImportError, comprehensions, if/else and string comparisons", async () => {
    const { s } = await project({
      "proj/__init__.py": "",
      "proj/common.py": "__all__ = ['A']\nA = 1\nB = 2\n",
      "proj/settings.py": [
        "import os",
        "from .common import *",
        "try:",
        "    from .local import *",
        "except ImportError:",
        "    LOCAL = False",
        "MIDDLEWARE = [m for m in ['x', 'y', 'z'] if m != 'y']",
        "DEBUG = os.environ.get('DEBUG', '0') == '1'",
        "FLAG = os.getenv('FLAG', 'True').lower() in ('1', 'true')",
        "if os.environ.get('STAGE') == 'prod':",
        "    MODE = 'prod'",
        "else:",
        "    MODE = 'dev'",
        "import socket",
        "if socket.gethostname() == 'web1':",
        "    X_FRAME_OPTIONS = 'SAMEORIGIN'",
        "",
      ].join("\n"),
    }, { env: { STAGE: "prod" } });
    assert.equal(s.js("A"), 1);
    assert.equal(s.get("B"), undefined, "__all__ limits the star import");
    assert.equal(s.js("LOCAL"), false);
    assert.deepEqual(s.js("MIDDLEWARE"), ["x", "z"]);
    assert.equal(s.js("DEBUG"), false);
    assert.equal(s.js("FLAG"), true);
    assert.equal(s.js("MODE"), "prod");
    const xfo = s.effective("X_FRAME_OPTIONS").value;
    assert.equal(xfo.t, "choice", "an undecidable condition keeps both branches");
    assert.match(s.explain("X_FRAME_OPTIONS"), /cannot be decided statically/);
  });

  it("python-decouple casts defaults; django-environ returns them unparsed", async () => {
    const { s } = await project({
      "app/__init__.py": "",
      "app/settings.py": [
        "from decouple import config, Csv",
        "import environ",
        "env = environ.Env()",
        "A = config('A', default='False', cast=bool)",
        "B = env.bool('B', default='False')",
        "HOSTS = config('HOSTS', default='a.com, b.com', cast=Csv())",
        "N = env.int('N', default=3)",
        "",
      ].join("\n"),
    }, { env: { N: "7" } });
    assert.equal(s.js("A"), false);
    assert.equal(s.js("B"), "False");
    assert.deepEqual(s.js("HOSTS"), ["a.com", "b.com"]);
    assert.equal(s.js("N"), 7);
  });

  it("fail-open defaults are findings without an environment and not with one; secrets never reach messages", async () => {
    const files = {
      "site/__init__.py": "",
      "site/settings.py": "import os\nDEBUG = os.environ.get('DEBUG', 'True') == 'True'\nSECRET_KEY = os.environ.get('SECRET_KEY', 'django-insecure-topsecretvalue123')\n",
    };
    const { root } = await project(files);
    const open = await scan(root, { failOn: "none" });
    const debug = open.findings.find((f) => f.djangoCheckId === "security.W018");
    assert.ok(debug, "W018 expected with the environment unset");
    assert.equal(debug.location.line ?? debug.location.startLine, 2);
    const key = open.findings.find((f) => f.djangoCheckId === "security.W009");
    assert.ok(key);
    assert.ok(!JSON.stringify(open).includes("topsecretvalue123"), "the key value leaked into the output");
    const closed = await scan(root, { failOn: "none", env: { DEBUG: "False", SECRET_KEY: "x".repeat(10) + "abcdefghij".repeat(5) } });
    assert.equal(closed.findings.find((f) => f.djangoCheckId === "security.W018"), undefined);
  });

  it("unknown values never produce findings, and a broken settings file is a note, not a crash", async () => {
    const { root } = await project({
      "web/__init__.py": "",
      "web/settings.py": "from somewhere import compute\nDEBUG = compute()\nSECRET_KEY = os.environ['SECRET_KEY']\nMIDDLEWARE = [\n",
    });
    const r = await scan(root, { failOn: "none" });
    assert.equal(r.settings.module, "web.settings");
    assert.equal(r.findings.filter((f) => f.djangoCheckId === "security.W018" || f.djangoCheckId === "security.W009").length, 0);
  });
});

describe("settings evaluator: settings only the environment sets", () => {
  // Baserow: `if "SECRET_KEY" in os.environ: SECRET_KEY = ...` read as "SECRET_KEY is not set: Django refuses to start"
  const scanned = async (settings: string, env: Record<string, string> = {}) => {
    const { root } = await project({ "web/__init__.py": "", "web/settings.py": settings });
    return (await scan(root, { failOn: "none", rules: ["DJANGO-CONFIG-001", "DJANGO-HOST-001"], env })).findings.map((f) => f.message);
  };
  it("a setting assigned only when a variable is in the environment is set from it, not unset", async () => {
    assert.deepEqual(await scanned("import os\nDEBUG = False\nALLOWED_HOSTS = ['a.com']\nif 'SECRET_KEY' in os.environ:\n    SECRET_KEY = os.environ['SECRET_KEY']\n"), []);
    assert.deepEqual(await scanned("import os\nDEBUG = False\nSECRET_KEY = os.environ['SECRET_KEY']\nif os.environ.get('HOSTS'):\n    ALLOWED_HOSTS = os.environ['HOSTS'].split(',')\n"), []);
    // a setting with a value before the condition keeps it; one that no branch sets is still unset
    const before = await scanned("import os\nDEBUG = False\nSECRET_KEY = 'short'\nALLOWED_HOSTS = ['a.com']\nif 'SECRET_KEY' in os.environ:\n    SECRET_KEY = os.environ['SECRET_KEY']\n");
    assert.ok(before.some((m) => /SECRET_KEY is weak/.test(m)), JSON.stringify(before));
    const none = await scanned("import os\nDEBUG = False\nALLOWED_HOSTS = ['a.com']\nif 'OTHER' in os.environ:\n    OTHER_KEY = 1\n");
    assert.ok(none.some((m) => /SECRET_KEY is not set/.test(m)), JSON.stringify(none));
    // with the variable supplied, its value is read
    const supplied = await scanned("import os\nDEBUG = False\nALLOWED_HOSTS = ['a.com']\nif 'SECRET_KEY' in os.environ:\n    SECRET_KEY = os.environ['SECRET_KEY']\n", { SECRET_KEY: "short" });
    assert.ok(supplied.some((m) => /SECRET_KEY is weak/.test(m)), JSON.stringify(supplied));
  });
  it("ALLOWED_HOSTS on undecidable branches is empty only when a branch is known empty", async () => {
    const head = "import os, platform\nfrom urllib.parse import urlparse\nDEBUG = False\nSECRET_KEY = os.environ['SECRET_KEY']\nALLOWED_HOSTS = ['localhost']\nHOST = urlparse(os.environ.get('PUBLIC_URL', '')).hostname\n";
    const appended = head + "ALLOWED_HOSTS += os.getenv('EXTRA_HOSTS', '').split(',')\nif HOST:\n    ALLOWED_HOSTS.append(HOST)\nH2 = urlparse(os.environ.get('PRIVATE_URL', '')).hostname\nif H2:\n    ALLOWED_HOSTS.append(H2)\n";
    assert.deepEqual(await scanned(appended), []);
    // appending on each branch keeps every list readable
    const { s } = await project({ "web/__init__.py": "", "web/settings.py": appended });
    assert.equal(s.value("ALLOWED_HOSTS")?.t, "choice");
    assert.ok(optionsOf(s.value("ALLOWED_HOSTS")!).every((o) => o.t === "list" && o.items[0]?.t === "str"));
    assert.deepEqual(await scanned(head + "if platform.system() == 'Linux':\n    ALLOWED_HOSTS = HOST.split(',')\n"), [], "a branch we cannot read is not an empty one");
    const emptied = await scanned(head + "if platform.system() == 'Linux':\n    ALLOWED_HOSTS = []\n");
    assert.ok(emptied.some((m) => /ALLOWED_HOSTS is empty/.test(m)), JSON.stringify(emptied));
  });
  it("a comparison of an unreadable value with localhost is false: production is not the developer's machine", async () => {
    const body = (read: string) => `import os\nDEBUG = False\nSECRET_KEY = os.environ['SECRET_KEY']\nALLOWED_HOSTS = ['a.com']\nDOMAIN = ${read}\nif DOMAIN == "localhost":\n    SESSION_COOKIE_SECURE = False\nelse:\n    SESSION_COOKIE_SECURE = True\n`;
    const { s } = await project({ "web/__init__.py": "", "web/settings.py": body("os.environ['DOMAIN']") });
    assert.equal(s.js("SESSION_COOKIE_SECURE"), true);
    // a default of localhost is what runs when the variable is unset: the insecure branch, as before
    const dflt = await project({ "web/__init__.py": "", "web/settings.py": body("os.environ.get('DOMAIN', 'localhost')") });
    assert.equal(dflt.s.js("SESSION_COOKIE_SECURE"), false);
  });
  it("a key read without a default (None or empty when unset) fails closed: no weak-key finding", async () => {
    for (const read of ["os.getenv('SECRET_KEY')", "os.environ.get('SECRET_KEY', '')", "os.environ.get('SECRET_KEY', None)"]) {
      assert.deepEqual(await scanned(`import os\nDEBUG = False\nALLOWED_HOSTS = ['a.com']\nSECRET_KEY = ${read}\n`), [], read);
    }
    // a hard-coded empty key is still reported
    const empty = await scanned("DEBUG = False\nALLOWED_HOSTS = ['a.com']\nSECRET_KEY = ''\n");
    assert.ok(empty.some((m) => /SECRET_KEY is weak: it is empty/.test(m)), JSON.stringify(empty));
  });
});

describe("settings evaluator: project helpers and file checks", () => {
  it("evaluates small settings helpers, reports their env reads at the call, and checks local settings files against the tree", async () => {
    const { s } = await project({
      "hc/__init__.py": "",
      "hc/settings.py": [
        "import os",
        "from pathlib import Path",
        "BASE_DIR = Path(__file__).resolve().parent.parent",
        "def envbool(s, default):",
        "    v = os.getenv(s, default=default)",
        "    if v not in ('', 'True', 'False'):",
        "        raise ValueError(v)",
        "    return v == 'True'",
        "def from_env(name, default_value):",
        "    if name in os.environ:",
        "        return os.environ[name] == 'yes'",
        "    return default_value",
        "DEBUG = envbool('DEBUG', 'True')",
        "BROKEN = envbool('BROKEN', 'maybe')",
        "PAYMENTS = from_env('PAYMENTS', True)",
        "if v := os.getenv('HOSTS'):",
        "    ALLOWED_HOSTS = v.split(',')",
        "else:",
        "    ALLOWED_HOSTS = ['fallback.example.com']",
        "if (BASE_DIR / 'hc/local_settings.py').exists():",
        "    from .local_settings import *",
        "LAST = 1",
        "",
      ].join("\n"),
    });
    assert.equal(s.js("DEBUG"), true);
    assert.match(s.explain("DEBUG"), /DEBUG defaults to True at hc\/settings\.py:13 \(envbool\('DEBUG', 'True'\) → os\.getenv/);
    assert.equal(s.value("BROKEN")!.t, "unknown", "a helper that raises has no value");
    assert.equal(s.js("PAYMENTS"), true);
    assert.match(s.explain("PAYMENTS"), /defaults to True .* because PAYMENTS is not set/);
    assert.deepEqual(s.js("ALLOWED_HOSTS"), ["fallback.example.com"]);
    assert.equal(s.js("LAST"), 1, "a local_settings.py that is not in the tree is not imported, and evaluation goes on");
  });
});

describe("settings evaluator: database URLs", () => {
  it("dj-database-url and django-environ db() become DATABASES entries with the URL's environment read", async () => {
    const files = {
      "p/__init__.py": "",
      "p/settings.py": [
        "import dj_database_url",
        "import environ",
        "env = environ.Env()",
        "DATABASES = {'default': dj_database_url.config(default='postgres://postgres:pw@db.example.com:5432/shop')}",
        "DATABASES['replica'] = env.db('REPLICA_URL', default='mysql://app@10.0.0.5/shop?ssl=true')",
        "",
      ].join("\n"),
    };
    const { s } = await project(files, { env: { REPLICA_URL: "postgres://ro:x@replica.example.com/shop?sslmode=require" } });
    const dbs = s.js("DATABASES") as Record<string, Record<string, unknown>>;
    assert.equal(dbs.default!.ENGINE, "django.db.backends.postgresql");
    assert.equal(dbs.default!.USER, "postgres");
    assert.equal(dbs.default!.HOST, "db.example.com");
    assert.equal(dbs.replica!.USER, "ro");
    assert.deepEqual(dbs.replica!.OPTIONS, { sslmode: "require" });
    const { root } = await project(files);
    const r = await scan(root, { failOn: "none", rules: ["DJANGO-SECRET-002", "DJANGO-DB-001"] });
    assert.ok(r.findings.some((f) => f.ruleId === "DJANGO-SECRET-002" && /falls back to a hard-coded value because DATABASE_URL is not set/.test(f.message)));
    assert.ok(r.findings.some((f) => f.ruleId === "DJANGO-DB-001" && /superuser 'postgres'/.test(f.message) && f.location.startLine === 4));
    assert.ok(!JSON.stringify(r).includes(":pw@"), "the URL password leaked");
  });
});

describe("app settings under conditions we cannot decide", () => {
  it("knows what every branch agrees on: a REST_FRAMEWORK key unset everywhere stays unset, middleware every MIDDLEWARE has is there", async () => {
    const { p } = await project({
      "config/__init__.py": "",
      "config/settings.py": [
        "import platform",
        "REST_FRAMEWORK = {'PAGE_SIZE': 20, 'DEFAULT_THROTTLE_CLASSES': ['rest_framework.throttling.UserRateThrottle']}",
        "MIDDLEWARE = ['django.middleware.csrf.CsrfViewMiddleware', 'config.middleware.LoginRequiredMiddleware']",
        "if platform.system() == 'Darwin':",
        "    REST_FRAMEWORK['COMPACT_JSON'] = False",
        "    REST_FRAMEWORK['DEFAULT_THROTTLE_CLASSES'] = []",
        "    MIDDLEWARE = ['config.middleware.Timing'] + MIDDLEWARE",
        "",
      ].join("\n"),
      "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
    });
    const a = p.use(appSettingsAnalysis);
    // unset in every branch: DRF's own default applies (not "set, but unreadable")
    assert.equal(a.drf.permission, null);
    assert.equal(a.drf.authentication, null);
    // the branches disagree
    assert.deepEqual(a.drf.throttle, ["?"]);
    assert.deepEqual(a.middleware, ["django.middleware.csrf.CsrfViewMiddleware", "config.middleware.LoginRequiredMiddleware"]);
  });
});

describe("environment membership through an Env object", () => {
  const files = {
    "config/__init__.py": "",
    "config/keys.py": [
      "def secret_from_file(path):",
      "    try:",
      "        with open(path) as f:",
      "            return f.read().strip()",
      "    except FileNotFoundError:",
      "        import secrets",
      "        key = secrets.token_urlsafe(50)",
      "        with open(path, 'w') as f:",
      "            f.write(key)",
      "        return key",
      "",
    ].join("\n"),
    "config/settings.py": [
      "import environ",
      "from config.keys import secret_from_file",
      "env = environ.Env()",
      "if 'APP_SECRET_KEY' in env:",
      "    SECRET_KEY = env.str('APP_SECRET_KEY')",
      "else:",
      "    SECRET_KEY = secret_from_file('/data/.secret')",
      "DEBUG = False",
      "",
    ].join("\n"),
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
  };

  it("`'X' in env` is decided by the environment, like `'X' in os.environ`", async () => {
    const unset = await project(files);
    assert.equal(unset.s.value("SECRET_KEY")?.t, "unknown");
    const set = await project(files, { env: { APP_SECRET_KEY: "k".repeat(20) } });
    assert.deepEqual(set.s.js("SECRET_KEY"), "k".repeat(20));
  });

  it("a key no branch of which can be read is no weak-key finding; a branch with a weak key is one", async () => {
    const { root } = await project(files);
    const r = await scan(root, { failOn: "none", rules: ["DJANGO-CONFIG-001"] });
    assert.deepEqual(r.findings.map((f) => f.message), []);
    const branches = (other: string) => ({
      ...files,
      "config/settings.py": [
        "import os, platform",
        "from config.keys import secret_from_file",
        "if platform.system() == 'Linux':",
        "    SECRET_KEY = secret_from_file('/data/.secret')",
        "else:",
        `    SECRET_KEY = ${other}`,
        "DEBUG = False",
        "",
      ].join("\n"),
    });
    const unreadable = await project(branches("os.environ['APP_SECRET_KEY']"));
    const r2 = await scan(unreadable.root, { failOn: "none", rules: ["DJANGO-CONFIG-001"] });
    assert.deepEqual(r2.findings.map((f) => f.message), []);
    const weak = await project(branches("'dev-key'"));
    const r3 = await scan(weak.root, { failOn: "none", rules: ["DJANGO-CONFIG-001"] });
    assert.ok(r3.findings.some((f) => /SECRET_KEY is weak: on a branch of a condition/.test(f.message) && f.confidence === "low"), JSON.stringify(r3.findings.map((f) => f.message)));
  });
});

describe("production detection: reusable apps", () => {
  it("an app's own settings module (reading django.conf.settings with defaults) is not Django settings", async () => {
    const { s } = await project({
      "widgets/__init__.py": "",
      "widgets/settings.py": "from django.conf import settings\n\nPAGE_SIZE = getattr(settings, 'WIDGETS_PAGE_SIZE', 20)\n",
      "widgets/api/__init__.py": "",
      "widgets/api/settings.py": "from ..settings import get_setting\n\nTIMEOUT = get_setting('API_TIMEOUT', 5)\n",
    });
    assert.equal(s.module, null);
  });
});
