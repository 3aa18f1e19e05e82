// Shared reporting helpers for the settings rules: TLS awareness (--tls and the
// evidence for it) and turning a Django deploy-check result into a finding.
import { edgeAnalysis } from "../../deploy/edge.js";
import type { Confidence, Severity } from "../../findings.js";
import type { Project } from "../../project/project.js";
import type { RuleContext } from "../../rules/types.js";
import { deployChecks, type DeployCheckResult } from "./deploy-checks.js";
import { settingsAnalysis } from "./index.js";
import { isTrue, stringItems, truthy } from "./values.js";

export interface TlsState {
  state: "yes" | "no" | "unknown";
  /** why: "--tls yes", "SECURE_SSL_REDIRECT is True at shop/settings.py:40", ... */
  reason: string;
}

/** Is the site served over TLS? --tls decides; with auto, settings and deployment files are the evidence. */
export function tlsState(project: Project): TlsState {
  const mode = project.options.tls;
  if (mode === "yes") return { state: "yes", reason: "--tls yes" };
  if (mode === "no") return { state: "no", reason: "--tls no" };
  const s = project.use(settingsAnalysis);
  const at = (n: string) => `${s.siteOf(n).path}:${s.siteOf(n).line}`;
  if (s.has("SECURE_SSL_REDIRECT") && isTrue(s.effective("SECURE_SSL_REDIRECT").value)) return { state: "yes", reason: `SECURE_SSL_REDIRECT is True at ${at("SECURE_SSL_REDIRECT")}` };
  const proxy = s.effective("SECURE_PROXY_SSL_HEADER").value;
  if (s.has("SECURE_PROXY_SSL_HEADER") && truthy(proxy) === true) return { state: "yes", reason: `SECURE_PROXY_SSL_HEADER is set at ${at("SECURE_PROXY_SSL_HEADER")}` };
  const origins = stringItems(s.effective("CSRF_TRUSTED_ORIGINS").value)?.items ?? [];
  if (origins.some((o) => o.startsWith("https://"))) return { state: "yes", reason: `CSRF_TRUSTED_ORIGINS lists https:// origins at ${at("CSRF_TRUSTED_ORIGINS")}` };
  let edge = null;
  try { edge = project.use(edgeAnalysis); } catch { edge = null; }
  if (edge?.tls) return { state: "yes", reason: `TLS is terminated at ${edge.tls.path}:${edge.tls.line}` };
  for (const n of ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"]) {
    if (s.has(n) && isTrue(s.effective(n).value)) return { state: "yes", reason: `${n} is True at ${at(n)}` };
  }
  return { state: "unknown", reason: "nothing shows whether the site is served over HTTPS (no SECURE_SSL_REDIRECT, SECURE_PROXY_SSL_HEADER, https:// trusted origins or TLS in deployment files); pass --tls yes|no" };
}

export interface ReportOptions {
  severity?: Severity;
  /** the finding only matters when the site is served over TLS */
  tls?: boolean;
  /** appended to the message */
  extra?: string;
}

/** Report Django deploy-check results with the given IDs under the calling rule. */
export function reportDeployChecks(ctx: RuleContext, ids: string[], opts: ReportOptions | ((r: DeployCheckResult) => ReportOptions) = {}): void {
  for (const r of deployChecks(ctx.project)) {
    if (!ids.includes(r.id)) continue;
    const o = typeof opts === "function" ? opts(r) : opts;
    let confidence: Confidence = !r.certain ? "low" : r.fromEnv ? "medium" : "high";
    let message = r.message;
    if (!r.certain) message += ". The value depends on a condition that cannot be decided statically";
    if (o.tls) {
      const t = tlsState(ctx.project);
      if (t.state === "no") continue;
      if (t.state === "unknown") {
        confidence = "low";
        message += `. Whether this matters depends on HTTPS: ${t.reason}`;
      } else message += ` (the site is served over HTTPS: ${t.reason})`;
    }
    if (o.extra) message += `. ${o.extra}`;
    ctx.report({
      path: r.site.path,
      span: r.site,
      message,
      confidence,
      ...(o.severity ? { severity: o.severity } : {}),
      djangoCheckId: r.id,
      symbol: r.setting,
      key: r.id,
    });
  }
}
