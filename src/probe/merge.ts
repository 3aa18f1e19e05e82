// `scan PATH --probe URL`: static findings and live evidence side by side.
// Both sides are matched on a topic (the protection a finding is about), read
// from the static finding's Django check ID, or else from the setting it names
// first in its message; so this works with whatever the settings rules report.
//   static says missing, live shows it missing  → one "combined" finding, confirmed
//   static says missing, live shows it present  → lowered: enforced at the edge / not seen live
//   static silent,       live shows it missing  → the probe finding, "verify at the edge"
import type { Finding, Note } from "../findings.js";
import { redact } from "../redact.js";
import type { Observation, Topic } from "./checks.js";
import { probe, type ProbeOptions, type ProbeResult } from "./probe.js";

const BY_CHECK_ID: Record<string, Topic> = {
  "security.W008": "ssl-redirect",
  "security.W004": "hsts",
  "security.W005": "hsts-flags",
  "security.W021": "hsts-flags",
  "security.W010": "session-cookie-secure",
  "security.W011": "session-cookie-secure",
  "security.W012": "session-cookie-secure",
  "security.W013": "session-cookie-httponly",
  "security.W014": "session-cookie-httponly",
  "security.W015": "session-cookie-httponly",
  "security.W016": "csrf-cookie-secure",
  "security.W018": "debug",
  "security.W020": "allowed-hosts",
  "security.W002": "xframe",
  "security.W019": "xframe",
  "security.W006": "nosniff",
  "security.W022": "referrer",
  "security.E023": "referrer",
  "security.E024": "coop",
};

/**
 * Setting names in a static message and the topic they are about (the one named
 * first wins); then, when no setting is named, header names and phrases.
 * `rules` restricts a pattern to the rules where it means that topic.
 */
const BY_SETTING: { re: RegExp; topic: Topic; rules?: string[] }[] = [
  { re: /SECURE_SSL_REDIRECT/, topic: "ssl-redirect" },
  { re: /SECURE_HSTS_(INCLUDE_SUBDOMAINS|PRELOAD)/, topic: "hsts-flags" },
  { re: /SECURE_HSTS_SECONDS/, topic: "hsts" },
  { re: /SESSION_COOKIE_SECURE/, topic: "session-cookie-secure" },
  { re: /SESSION_COOKIE_HTTPONLY/, topic: "session-cookie-httponly" },
  { re: /SESSION_COOKIE_SAMESITE/, topic: "session-cookie-samesite" },
  { re: /SESSION_COOKIE_DOMAIN/, topic: "session-cookie-domain" },
  { re: /CSRF_COOKIE_SECURE/, topic: "csrf-cookie-secure" },
  { re: /CSRF_COOKIE_SAMESITE/, topic: "csrf-cookie-samesite" },
  { re: /CSRF_COOKIE_DOMAIN/, topic: "csrf-cookie-domain" },
  { re: /\bDEBUG\b/, topic: "debug", rules: ["DJANGO-DEPLOY-002"] },
  { re: /ALLOWED_HOSTS/, topic: "allowed-hosts", rules: ["DJANGO-HOST-001"] },
  { re: /X_FRAME_OPTIONS|XFrameOptionsMiddleware/, topic: "xframe" },
  { re: /SECURE_CONTENT_TYPE_NOSNIFF/, topic: "nosniff" },
  { re: /SECURE_REFERRER_POLICY/, topic: "referrer" },
  { re: /SECURE_CROSS_ORIGIN_OPENER_POLICY/, topic: "coop" },
];
const BY_PHRASE: { re: RegExp; topic: Topic; rules?: string[] }[] = [
  { re: /\bHSTS\b|Strict-Transport-Security/, topic: "hsts", rules: ["DJANGO-HTTPS-001"] },
  { re: /X-Frame-Options/, topic: "xframe" },
  { re: /nosniff/, topic: "nosniff" },
  { re: /Referrer-Policy/, topic: "referrer" },
  { re: /Cross-Origin-Opener-Policy/, topic: "coop" },
  { re: /unsafe-inline|unsafe-eval|script-src/, topic: "csp-script-src", rules: ["DJANGO-CSP-001"] },
  { re: /CSP|Content[- ]Security[- ]Policy/i, topic: "csp", rules: ["DJANGO-CSP-001"] },
  { re: /default\b.*\badmin\/|\badmin\/.*\bdefault/i, topic: "admin-path", rules: ["DJANGO-ADMIN-001"] },
  { re: /runserver/, topic: "runserver", rules: ["DJANGO-DEPLOY-001"] },
];

/** Protections a proxy or CDN can add without the app knowing. */
const EDGE_TOPICS = new Set<Topic>(["ssl-redirect", "redirect-host", "hsts", "hsts-flags", "xframe", "nosniff", "referrer", "coop", "csp", "csp-script-src", "banner", "security-txt"]);

/**
 * Check IDs that speak for several topics at once: no SecurityMiddleware means
 * none of its headers or its redirect come from Django. They are not merged
 * (the probe may see some and miss others) but they count as static analysis
 * having spoken on those subjects.
 */
const SPEAKS_FOR: Record<string, Topic[]> = {
  "security.W001": ["ssl-redirect", "hsts", "hsts-flags", "nosniff", "referrer", "coop"],
};

/** Settings-driven topics, where a live-only finding means the deployment differs from the settings. */
const SETTINGS_TOPICS = new Set<Topic>([...Object.values(BY_CHECK_ID), ...BY_SETTING.map((m) => m.topic), "csp", "csp-script-src"]);

/** The topic a static finding is about, or null when it is about something the probe cannot see (or several things). */
export function topicOf(f: Finding): Topic | null {
  if (f.djangoCheckId) return BY_CHECK_ID[f.djangoCheckId] ?? null;
  return firstNamed(f, BY_SETTING) ?? firstNamed(f, BY_PHRASE);
}

/** Every topic a static finding speaks about. */
function spokenTopics(f: Finding): Topic[] {
  const t = topicOf(f);
  return [...(t ? [t] : []), ...((f.djangoCheckId && SPEAKS_FOR[f.djangoCheckId]) || [])];
}

/** Append a sentence to a message that may not end with a full stop. */
function append(message: string, sentence: string): string {
  const m = message.trimEnd();
  return `${m}${/[.!?]$/.test(m) ? "" : "."} ${sentence}`;
}

function firstNamed(f: Finding, patterns: { re: RegExp; topic: Topic; rules?: string[] }[]): Topic | null {
  let best: { at: number; topic: Topic } | null = null;
  for (const m of patterns) {
    if (m.rules && !m.rules.includes(f.ruleId)) continue;
    const hit = m.re.exec(f.message);
    if (hit && (!best || hit.index < best.at)) best = { at: hit.index, topic: m.topic };
  }
  return best?.topic ?? null;
}

/**
 * Merge a probe's result into static findings. `staticAnalysed` says whether
 * static analysis had production settings to judge (only then does a live-only
 * finding mean "the settings look right but the live site differs").
 */
export function mergeProbe(staticFindings: Finding[], live: ProbeResult, staticAnalysed = true): Finding[] {
  const used = new Set<Finding>();
  const out: Finding[] = [];
  for (const f of staticFindings) {
    const topic = topicOf(f);
    if (!topic) {
      out.push(f);
      continue;
    }
    const bad = live.topics.filter((t) => t.topic === topic);
    const ok = live.observations.find((o) => o.topic === topic && o.ok);
    if (bad.length) {
      for (const b of bad) used.add(b.finding);
      const seen = live.observations.find((o) => o.topic === topic && !o.ok)!;
      out.push({ ...f, confidence: "high", origin: "combined", message: append(f.message, `Confirmed on the live site (probe: ${seen.summary}).`) });
    } else if (ok) {
      out.push({ ...f, severity: "low", origin: "combined", message: append(f.message, lowered(topic, ok)) });
    } else out.push(f);
  }
  // A live-only finding contradicts the settings only when static analysis said nothing on that subject.
  const family = (t: Topic) => t.split("-")[0];
  const staticFamilies = new Set(staticFindings.flatMap(spokenTopics).map(family));
  for (const p of live.topics) {
    if (used.has(p.finding)) continue;
    const contradicts = staticAnalysed && SETTINGS_TOPICS.has(p.topic) && !staticFamilies.has(family(p.topic));
    const message = contradicts
      ? append(p.finding.message, "Static analysis reported nothing on this in the production settings, so what is deployed differs from the code (another settings module or environment, or a proxy changing the response); verify at the edge.")
      : p.finding.message;
    out.push({ ...p.finding, message, origin: "probe" });
  }
  return out;
}

function lowered(topic: Topic, ok: Observation): string {
  return EDGE_TOPICS.has(topic)
    ? `Enforced at the edge (probe: ${ok.summary}); keep it there or mirror it in the settings.`
    : `Not seen on the live site (probe: ${ok.summary}); check which settings module is deployed.`;
}

/**
 * The scan side of `--probe`: run the probe, keep the findings of the selected
 * rules, merge. A probe that could not check anything becomes a note; the
 * static findings stand.
 */
export async function probeAndMerge(
  staticFindings: Finding[],
  url: string,
  options: Partial<ProbeOptions>,
  ruleIds: ReadonlySet<string>,
  notes: Note[],
  staticAnalysed: boolean,
): Promise<{ findings: Finding[]; result: ProbeResult }> {
  const result = await probe(url, options);
  if (!result.checked) {
    // the URL as given may carry user:password@ (the probe refuses those): never echo it as is
    const shown = redact(url);
    notes.push({ path: shown, kind: "analysis-error", message: `probe of ${shown} failed: ${result.failure}; static findings only` });
    return { findings: staticFindings, result };
  }
  for (const n of result.notes) notes.push({ ...n, path: n.path || result.url });
  const selected = { ...result, topics: result.topics.filter((t) => ruleIds.has(t.finding.ruleId)) };
  return { findings: mergeProbe(staticFindings, selected, staticAnalysed), result };
}
