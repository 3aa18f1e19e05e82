// Real servers for the probe tests: gunicorn running the Django test site
// (tests/probe-sites) under Debian's python3-django, nginx terminating TLS in
// front of it, and a self-signed certificate made by openssl. Everything binds
// to free 127.0.0.1 ports, lives in a temp dir, runs in its own process group,
// and is stopped by the returned stop() — call it from t.after so it runs when
// a test fails too.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROBE_SITES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "probe-sites");

export interface Running {
  port: number;
  /** what the server printed, for failure messages */
  log(): string;
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `djangoguard-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A self-signed certificate for a name that is not 127.0.0.1 (so hostname mismatch is a real finding). */
export function selfSignedCert(dir: string, name = "djangoguard-test.invalid"): { cert: string; key: string } {
  const cert = path.join(dir, "cert.pem");
  const key = path.join(dir, "key.pem");
  const r = spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "365", "-subj", `/CN=${name}`, "-addext", `subjectAltName=DNS:${name}`],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { cert, key };
}

/**
 * The server runs in its own process group under a small shell watchdog: if the
 * test process dies without running its cleanup (killed by a timeout, Ctrl-C),
 * the watchdog notices within a second and takes the whole group down, so no
 * server outlives the tests that started it.
 */
const WATCHDOG = `"$@" & server=$!; while kill -0 ${process.pid} 2>/dev/null && kill -0 $server 2>/dev/null; do sleep 1; done; kill -TERM 0`;

function startProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv, port: number, name: string): Promise<Running> {
  const child = spawn("/bin/sh", ["-c", WATCHDOG, "sh", cmd, ...args], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const running: Running = { port, log: () => output, stop: () => stopGroup(child) };
  return waitForPort(port, child, 20_000).then(
    () => running,
    async (e: Error) => {
      await running.stop();
      throw new Error(`${name} did not start: ${e.message}\n${output}`);
    },
  );
}

/** SIGTERM to the whole process group (watchdog, server, its workers); SIGKILL for whatever is left after 1.5 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pgid = child.pid;
  if (!pgid) return;
  const alive = () => groupAlive(pgid);
  const gone = async (ms: number) => {
    for (const until = Date.now() + ms; alive() && Date.now() < until; ) await new Promise((r) => setTimeout(r, 50));
    return !alive();
  };
  if (!alive()) return;
  try {
    process.kill(-pgid, "SIGTERM");
  } catch {
    return;
  }
  if (await gone(1500)) return;
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    return;
  }
  await gone(2000);
}

/** Does any process of the group still run? Zombies waiting for init to reap them do not count. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return true;
  }
  for (const pid of entries) {
    // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may contain spaces and parentheses
    const stat = safeRead(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z") return true;
  }
  return false;
}

function waitForPort(port: number, child: ChildProcess | null, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    let exited = false;
    child?.once("exit", (code) => {
      exited = true;
      reject(new Error(`exited with ${code}`));
    });
    const attempt = () => {
      if (exited) return;
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve();
      });
      s.once("error", () => {
        s.destroy();
        if (Date.now() > until) reject(new Error(`port ${port} not open after ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** gunicorn serving tests/probe-sites with probesite.settings.<config>; TLS when a certificate is given. */
export async function startGunicorn(config: string, tls?: { cert: string; key: string }): Promise<Running> {
  const port = await freePort();
  const args = ["-b", `127.0.0.1:${port}`, "-w", "1", "--timeout", "20", "--chdir", PROBE_SITES];
  if (tls) args.push("--certfile", tls.cert, "--keyfile", tls.key);
  args.push("probesite.wsgi:application");
  const env = { ...process.env, PYTHONPATH: PROBE_SITES, DJANGO_SETTINGS_MODULE: `probesite.settings.${config}`, PYTHONDONTWRITEBYTECODE: "1" };
  return startProcess("/usr/bin/gunicorn", args, env, port, `gunicorn (${config})`);
}

/** Django's development server (`django-admin runserver`) serving the same site, as careless deployments do. */
export async function startRunserver(config: string): Promise<Running> {
  const port = await freePort();
  const env = { ...process.env, PYTHONPATH: PROBE_SITES, DJANGO_SETTINGS_MODULE: `probesite.settings.${config}`, PYTHONDONTWRITEBYTECODE: "1", PYTHONUNBUFFERED: "1" };
  return startProcess("/usr/bin/python3", ["-m", "django", "runserver", `127.0.0.1:${port}`, "--noreload", "--nothreading"], env, port, `runserver (${config})`);
}

/**
 * Debian's nginx with a temp prefix: plain HTTP on one free port redirecting to
 * HTTPS on another, TLS terminated with the given certificate, proxying to
 * 127.0.0.1:<upstream> with X-Forwarded-Proto overwritten. `legacyTls`: also
 * speak TLS 1.0 and 1.1, as configurations copied from old guides do (OpenSSL 3
 * needs security level 0 for them).
 */
export async function startNginx(
  dir: string,
  upstream: number,
  tls: { cert: string; key: string },
  opts: { legacyTls?: boolean } = {},
): Promise<Running & { httpPort: number; httpsPort: number }> {
  const httpPort = await freePort();
  let httpsPort = await freePort();
  while (httpsPort === httpPort) httpsPort = await freePort();
  const conf = path.join(dir, "nginx.conf");
  const root = process.getuid?.() === 0;
  writeFileSync(
    conf,
    `${root ? "user root root;\n" : ""}daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${httpPort};
    server_name _;
    return 301 https://$host:${httpsPort}$request_uri;
  }
  server {
    listen 127.0.0.1:${httpsPort} ssl;
    server_name _;
    ssl_certificate ${tls.cert};
    ssl_certificate_key ${tls.key};${opts.legacyTls ? "\n    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;\n    ssl_ciphers DEFAULT:@SECLEVEL=0;" : ""}
    location / {
      proxy_pass http://127.0.0.1:${upstream};
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`,
  );
  const running = await startProcess("/usr/sbin/nginx", ["-p", dir, "-c", conf, "-e", path.join(dir, "error.log")], process.env, httpsPort, "nginx");
  try {
    await waitForPort(httpPort, null, 5000);
  } catch (e) {
    await running.stop();
    throw e;
  }
  const log = () => running.log() + safeRead(path.join(dir, "error.log"));
  return { ...running, log, httpPort, httpsPort };
}

function safeRead(p: string): string {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return "";
  }
}
