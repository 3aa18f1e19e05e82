// A finding's fingerprint survives unrelated edits above it: it hashes the rule,
// the file, the enclosing symbol and the normalised text of the flagged line(s),
// never the line number. Identical lines in one symbol get an occurrence index.
import { createHash } from "node:crypto";

export function fingerprint(parts: { ruleId: string; path: string; symbol?: string; code: string; key?: string }, occurrence: number): string {
  const code = parts.code.replace(/\s+/g, " ").trim();
  const h = createHash("sha256");
  h.update([parts.ruleId, parts.path, parts.symbol ?? "", code, parts.key ?? "", String(occurrence)].join("\u0000"));
  return h.digest("hex").slice(0, 32);
}
