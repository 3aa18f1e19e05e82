// MIDDLEWARE order and header settings beyond Django's own checks.
import type { Project } from "../../project/project.js";
import type { ReportInput } from "../../rules/types.js";
import { djangoAtLeast } from "../version.js";
import { MW } from "./deploy-checks.js";
import { settingsAnalysis, type SettingsModel } from "./index.js";
import { itemsOf, truthy, type Site } from "./values.js";

/** MIDDLEWARE entries with their positions; null when the list is not fully known. */
export function middlewareEntries(s: SettingsModel): { name: string; site: Site }[] | null {
  const m = s.get("MIDDLEWARE");
  const items = itemsOf(m?.value);
  if (!m || !items || items.some((i) => i.t !== "str")) return null;
  return items.map((i) => ({ name: (i as { v: string }).v, site: i.at ?? m.site }));
}

export function csrfMiddlewareOrder(project: Project): ReportInput[] {
  const s = project.use(settingsAnalysis);
  const mw = middlewareEntries(s);
  if (!mw) return [];
  const csrf = mw.findIndex((m) => m.name === MW.csrf);
  const session = mw.findIndex((m) => m.name === MW.session);
  if (csrf !== -1 && session !== -1 && csrf < session && truthy(s.effective("CSRF_USE_SESSIONS").value) === true) {
    const site = mw[csrf]!.site;
    return [{ path: site.path, span: site, confidence: "high", symbol: "MIDDLEWARE", key: "csrf-before-session", message: `CsrfViewMiddleware comes before SessionMiddleware while CSRF_USE_SESSIONS is True: the token is read from a session that is not loaded yet (${s.explain("MIDDLEWARE")})` }];
  }
  return [];
}

export function headerSettingProblems(project: Project): ReportInput[] {
  const s = project.use(settingsAnalysis);
  if (!s.evaluated) return [];
  const out: ReportInput[] = [];
  const mw = middlewareEntries(s);
  if (mw) {
    const i = mw.findIndex((m) => m.name === MW.security);
    const before = i > 0 ? mw.slice(0, i).filter((m) => !/corsheaders\.middleware\.CorsMiddleware$/.test(m.name)) : [];
    if (before.length) {
      const site = mw[i]!.site;
      out.push({ path: site.path, span: site, confidence: "medium", severity: "low", symbol: "MIDDLEWARE", key: "security-not-first", message: `SecurityMiddleware is not first in MIDDLEWARE (after ${before.map((m) => m.name.split(".").pop()).join(", ")}): responses those middleware return early miss the security headers and the SSL redirect` });
    }
  }
  const rp = s.get("SECURE_REFERRER_POLICY");
  const rpVals = rp?.value.t === "str" ? rp.value.v.split(",").map((x) => x.trim()) : (itemsOf(rp?.value) ?? []).flatMap((x) => (x.t === "str" ? [x.v] : []));
  const unsafe = rpVals.find((v) => v === "unsafe-url" || v === "no-referrer-when-downgrade");
  if (rp && unsafe) out.push({ path: rp.site.path, span: rp.site, confidence: "high", symbol: "SECURE_REFERRER_POLICY", key: "referrer", message: `SECURE_REFERRER_POLICY is '${unsafe}' (${rp.site.path}:${rp.site.line}): full URLs, including tokens in query strings, leak to other sites; use 'same-origin' or 'strict-origin-when-cross-origin'` });
  if (djangoAtLeast(project, 4, 0)) {
    const coop = s.get("SECURE_CROSS_ORIGIN_OPENER_POLICY");
    if (coop && (coop.value.t === "none" || (coop.value.t === "str" && coop.value.v === "unsafe-none"))) {
      out.push({ path: coop.site.path, span: coop.site, confidence: "high", severity: "low", symbol: "SECURE_CROSS_ORIGIN_OPENER_POLICY", key: "coop", message: `SECURE_CROSS_ORIGIN_OPENER_POLICY is ${coop.value.t === "none" ? "None" : "'unsafe-none'"} (${coop.site.path}:${coop.site.line}): cross-origin windows keep a handle on the site's pages; Django's default 'same-origin' isolates them` });
    }
  }
  const xss = s.get("SECURE_BROWSER_XSS_FILTER");
  const removed = djangoAtLeast(project, 4, 0);
  if (xss && (removed || truthy(xss.value) === true)) {
    out.push({ path: xss.site.path, span: xss.site, confidence: "high", severity: "low", symbol: "SECURE_BROWSER_XSS_FILTER", key: "xss-filter", message: removed ? `SECURE_BROWSER_XSS_FILTER was removed in Django 4.0 and does nothing (${xss.site.path}:${xss.site.line}); browsers dropped the X-XSS-Protection filter. Use a Content-Security-Policy instead` : `SECURE_BROWSER_XSS_FILTER sets the obsolete X-XSS-Protection header (${xss.site.path}:${xss.site.line}); browsers dropped that filter and Django 4.0 removed the setting. Use a Content-Security-Policy instead` });
  }
  return out;
}
