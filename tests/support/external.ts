// Tests that need a real external part (Django, gunicorn, nginx, openssl, bandit)
// call requireExternal(): outside CI a missing part skips the test loudly; with
// CI=true a missing part fails it, because .ci/run must have installed it.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import type { TestContext } from "node:test";

export const DJANGO_PYTHON = "/usr/bin/python3";

const cache = new Map<string, string | null>();

/** Returns null when available, or the reason it is not. */
export function missingExternal(part: "django" | "gunicorn" | "nginx" | "openssl" | "bandit" | "drf" | "cors-headers"): string | null {
  if (cache.has(part)) return cache.get(part)!;
  let reason: string | null = null;
  const py = (mod: string) => spawnSync(DJANGO_PYTHON, ["-c", `import ${mod}`], { encoding: "utf8" });
  switch (part) {
    case "django": reason = existsSync(DJANGO_PYTHON) && py("django").status === 0 ? null : "Debian's python3-django is not installed at /usr/bin/python3"; break;
    case "drf": reason = py("rest_framework").status === 0 ? null : "python3-djangorestframework is not installed"; break;
    case "cors-headers": reason = py("corsheaders").status === 0 ? null : "python3-django-cors-headers is not installed"; break;
    default: {
      const bin = part === "nginx" ? "/usr/sbin/nginx" : part;
      const r = spawnSync(bin, ["-v"], { encoding: "utf8" });
      reason = r.error ? `${part} is not installed` : null;
      if (part === "gunicorn" && r.error) reason = "gunicorn is not installed";
    }
  }
  cache.set(part, reason);
  return reason;
}

/** Skip (loudly) or fail, per the CI rule. Returns true when the test may go on. */
export function requireExternal(t: TestContext, ...parts: Parameters<typeof missingExternal>[0][]): boolean {
  for (const p of parts) {
    const reason = missingExternal(p);
    if (!reason) continue;
    if (process.env.CI === "true") throw new Error(`${reason} — .ci/run must install it (CI=true)`);
    process.stderr.write(`\n*** SKIPPED: ${reason}; install it (see .ci/run) to run this test ***\n`);
    t.skip(reason);
    return false;
  }
  return true;
}
