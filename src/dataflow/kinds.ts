// The sink kinds the engine knows, and the rule each one feeds.
export const SINK_KINDS = ["sql", "cmd", "path", "redirect", "ssrf", "deser", "code", "template", "xss", "log"] as const;
export type SinkKind = (typeof SINK_KINDS)[number];

export const RULE_FOR_KIND: Record<SinkKind, string> = {
  sql: "DJANGO-SQL-001",
  cmd: "DJANGO-CMD-001",
  path: "DJANGO-PATH-001",
  redirect: "DJANGO-REDIRECT-001",
  ssrf: "DJANGO-SSRF-001",
  deser: "DJANGO-DESER-001",
  code: "DJANGO-CODE-001",
  template: "DJANGO-TEMPLATE-001",
  xss: "DJANGO-XSS-001",
  log: "DJANGO-LOG-001",
};

/** Bit of a sink kind in a "sanitised for" mask. */
export function bit(k: SinkKind): number {
  return 1 << SINK_KINDS.indexOf(k);
}
export const ALL_KINDS = (1 << SINK_KINDS.length) - 1;
export function mask(kinds: readonly SinkKind[] | "all"): number {
  return kinds === "all" ? ALL_KINDS : kinds.reduce((m, k) => m | bit(k), 0);
}
