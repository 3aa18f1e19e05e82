// Credential shapes: values that are secrets by their form alone, whatever they
// are called. One table for the three places that ask — redaction (never print
// one), deployment files (SECRET-002 in env files and manifests) and code
// (hard-coded credentials) — so a shape added here is caught and hidden everywhere.

interface CredentialShape {
  /** what the finding calls it: "holds an AWS access key ID" */
  what: string;
  /** the shape, without anchors or flags */
  source: string;
  /** the fixed start every value of the shape has (a literal split over implicit string concatenation still shows it) */
  prefix: string;
}

const SHAPES: readonly CredentialShape[] = [
  { what: "an AWS access key ID", source: "AKIA[0-9A-Z]{16}", prefix: "AKIA" },
  { what: "a live Stripe secret key", source: "(?:sk|rk)_live_[0-9a-zA-Z]{16,}", prefix: "(?:sk|rk)_live_" },
  { what: "a GitHub token", source: "gh[pousr]_[A-Za-z0-9]{30,}", prefix: "gh[pousr]_" },
  { what: "a Slack token", source: "xox[abpr]-[A-Za-z0-9-]{10,}", prefix: "xox[abpr]-" },
  { what: "a Google API key", source: "AIza[0-9A-Za-z_-]{35}", prefix: "AIza" },
  { what: "a SendGrid API key", source: "SG\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}", prefix: "SG\\." },
  { what: "a private key", source: "-----BEGIN [A-Z ]*PRIVATE KEY-----", prefix: "PRIVATE KEY" },
];

const PRIVATE_KEY = SHAPES[SHAPES.length - 1]!;
// Word boundaries around every shape but the private key (it starts and ends with dashes).
const bounded = (s: CredentialShape) => (s === PRIVATE_KEY ? s.source : `\\b${s.source}\\b`);
const inText = SHAPES.map((s) => ({ what: s.what, re: new RegExp(bounded(s)) }));
const whole = SHAPES.map((s) => ({ what: s.what, re: new RegExp(s === PRIVATE_KEY ? `^${s.source}` : `^${s.source}$`) }));

const anyPrefix = new RegExp(SHAPES.map((s) => s.prefix).join("|"));

/** Whether a text may hold a credential-shaped value, even one split over several
 *  string literals: a cheap test before reading a file's literals one by one. */
export function mayHoldCredential(text: string): boolean {
  return anyPrefix.test(text);
}

/** Vendors' documentation keys (AWS's `AKIAIOSFODNN7EXAMPLE`) say so in capitals; they are still redacted. */
const documented = (m: RegExpExecArray | null) => m !== null && !m[0].includes("EXAMPLE");

/** The credential a piece of text contains (an env value, a manifest entry), if any. */
export function credentialIn(text: string): string | undefined {
  return inText.find((s) => documented(s.re.exec(text)))?.what;
}

/** The credential a whole string literal is (a private key literal only has to start like one). */
export function credentialLiteral(value: string): string | undefined {
  return whole.find((s) => documented(s.re.exec(value)))?.what;
}

/** Global regexes for redaction; a private key is hidden up to its END line. */
export const CREDENTIAL_REDACTORS: readonly RegExp[] = SHAPES.map((s) =>
  s === PRIVATE_KEY ? /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g : new RegExp(bounded(s), "g"),
);
