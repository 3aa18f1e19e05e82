// `djangoguard probe URL`: check a running site's responses; the same findings
// shape, reporters and exit codes as scan (2 when nothing could be checked).
import { promises as fs } from "node:fs";
import type { Command } from "commander";
import { ConfigError } from "../config/load.js";
import { SEVERITIES, type Severity } from "../findings.js";
import { probe, probeToScanResult, type ProbeOptions } from "../probe/probe.js";
import { FORMATS, render, type Format } from "../report/index.js";
import { exitCodeFor } from "../scan.js";

export interface ProbeFlags {
  maxRequests?: string;
  timeout?: string;
  totalTimeout?: string;
  insecure?: boolean;
  followOffsite?: boolean;
  cookie?: string[];
  header?: string[];
  httpPort?: string;
}

/** The flags `probe` and `scan --probe` share. */
export function addProbeFlags(cmd: Command): Command {
  return cmd
    .option("--max-requests <n>", "send at most this many requests (default: 20)")
    .option("--timeout <seconds>", "per-request timeout (default: 10)")
    .option("--total-timeout <seconds>", "time limit for the whole probe (default: 60)")
    .option("--insecure", "go on with the HTTP checks over a certificate that does not verify (TLS problems are still reported)")
    .option("--follow-offsite", "follow redirects to other hosts")
    .option("--cookie <cookie>", "send this cookie (name=value; repeatable) to check logged-in pages; never echoed", collect)
    .option("--header <header>", "send this request header (\"Name: value\"; repeatable); never echoed", collect)
    .option("--http-port <port>", "plain-HTTP port for the redirect check when the https:// URL uses a non-default port");
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function probeOptionsFromFlags(o: ProbeFlags): Partial<ProbeOptions> {
  const num = (v: string | undefined, flag: string, min: number): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new ConfigError(`${flag} takes a number >= ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
  const headers: Record<string, string> = {};
  for (const h of o.header ?? []) {
    const i = h.indexOf(":");
    const name = h.slice(0, i).trim();
    if (i <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new ConfigError(`--header takes "Name: value" (the value is never printed)`);
    if (/^(host|content-length|transfer-encoding)$/i.test(name)) throw new ConfigError(`--header cannot set ${name}`);
    headers[name] = h.slice(i + 1).trim();
  }
  const maxRequests = num(o.maxRequests, "--max-requests", 1);
  const timeout = num(o.timeout, "--timeout", 0.1);
  const total = num(o.totalTimeout, "--total-timeout", 0.1);
  const httpPort = num(o.httpPort, "--http-port", 1);
  const opts: Partial<ProbeOptions> = {
    ...(maxRequests !== undefined ? { maxRequests: Math.floor(maxRequests) } : {}),
    ...(timeout !== undefined ? { timeoutMs: Math.round(timeout * 1000) } : {}),
    ...(total !== undefined ? { totalTimeoutMs: Math.round(total * 1000) } : {}),
    ...(o.insecure ? { insecure: true } : {}),
    ...(o.followOffsite ? { followOffsite: true } : {}),
    ...(o.cookie?.length ? { cookie: o.cookie.join("; ") } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(httpPort !== undefined ? { httpPort: Math.floor(httpPort) } : {}),
  };
  return opts;
}

interface Flags extends ProbeFlags {
  format: string;
  output?: string;
  failOn: string;
  minSeverity: string;
  color?: boolean;
}

export function registerProbe(program: Command): void {
  const cmd = program
    .command("probe")
    .description("Check a running Django site's responses (a few ordinary GET requests) and report findings")
    .argument("<url>", "the site, e.g. https://example.com")
    .option("-f, --format <format>", FORMATS.join(" | "), "text")
    .option("-o, --output <file>", "write the report to a file (never coloured)")
    .option("--fail-on <severity>", `exit 1 on findings at or above: ${SEVERITIES.join("|")}|none`, "high")
    .option("--min-severity <severity>", "hide findings below this severity", "low")
    .option("--no-color", "never colour the text report");
  addProbeFlags(cmd).action(async (url: string, o: Flags) => {
    const format = o.format.toLowerCase() as Format;
    if (!FORMATS.includes(format)) throw new ConfigError(`--format takes ${FORMATS.join("|")}, got ${JSON.stringify(o.format)}`);
    const failOn = o.failOn === "none" ? "none" : (severity(o.failOn, "--fail-on"));
    const minSeverity = severity(o.minSeverity, "--min-severity");
    const result = await probe(url, probeOptionsFromFlags(o));
    if (!result.checked) {
      process.stderr.write(`djangoguard: probe of ${result.url} failed: ${result.failure}\n`);
      process.exitCode = 2;
      return;
    }
    const scanLike = probeToScanResult(result, { failOn, minSeverity });
    const color = o.color !== false && !o.output && process.stdout.isTTY === true && !("NO_COLOR" in process.env && process.env.NO_COLOR !== "");
    const report = render(scanLike, format, { color });
    if (o.output) {
      await fs.writeFile(o.output, report).catch((e: NodeJS.ErrnoException) => {
        throw new ConfigError(`cannot write ${o.output} (${e.code ?? e.message})`);
      });
    } else process.stdout.write(report);
    process.exitCode = exitCodeFor(scanLike, failOn);
  });
}

function severity(v: string, flag: string): Severity {
  const s = v.toLowerCase() as Severity;
  if (!SEVERITIES.includes(s)) throw new ConfigError(`${flag} takes ${SEVERITIES.join("|")}, got ${JSON.stringify(v)}`);
  return s;
}
