// Secrets never leave: every evidence snippet, trace snippet and message passes
// through here before a reporter sees it. We redact string literals assigned to
// secret-looking names and anything that looks like a credential on its own
// (credentials.ts holds the shapes, shared with the secret rules).
import { CREDENTIAL_REDACTORS } from "./credentials.js";

const SECRET_NAME = /(secret|passw(or)?d|pwd|token|api[_-]?key|private[_-]?key|access[_-]?key|auth[_-]?key|credential|signing[_-]?key|dsn|salt)/i;

/** Shapes that are secret wherever they appear: every credential shape, plus test keys and URL passwords. */
const SECRET_SHAPES: RegExp[] = [
  ...CREDENTIAL_REDACTORS,
  /\b(sk|rk|pk)_(live|test)_[0-9a-zA-Z]{10,}\b/g, // Stripe-like, test keys included
  /\bdjango-insecure-[^\s'"]+/g,
  /(?<=:\/\/[^:/\s'"@]+:)[^@\s'"]+(?=@)/g, // password in a URL: scheme://user:PASS@host
];

export const REDACTED = "«redacted»";

/** Query parameters that carry credentials even when their name is short (signed URLs, OAuth, magic links). */
const SECRET_QUERY_PARAM = /^(key|apikey|sig|signature|code|auth|jwt|session|sessionid|x-amz-signature|x-amz-credential|x-goog-signature)$/i;

/** Redact one line (or a few lines) of code or configuration. With `python`, the
 *  text is Python source: there a value written without quotes that starts with a
 *  name (`env("SECRET_KEY")`, `os.environ["DB_PASSWORD"]`, `settings.TOKEN`) is an
 *  expression, not a secret, and stays readable; literals are still hidden (quoted
 *  strings, numbers, every credential shape). */
export function redact(text: string, opts: { python?: boolean } = {}): string {
  let out = text;
  for (const re of SECRET_SHAPES) out = out.replace(re, REDACTED);
  // NAME = "value" / NAME: value / NAME=value / "NAME": "value"  where NAME looks secret
  out = out.replace(
    /(["']?)([A-Za-z_][\w.-]*)\1(\s*(?:=|:|,)\s*)([rbuRBUfF]{0,2})(["'])((?:\\.|(?!\5).)*)\5/g,
    (m, q: string, name: string, sep: string, prefix: string, quote: string, value: string) =>
      SECRET_NAME.test(name) && value.length > 0 && !looksLikeReference(value)
        ? `${q}${name}${q}${sep}${prefix}${quote}${REDACTED}${quote}`
        : m,
  );
  // URLs: ?token=…&sig=… (probe targets given with a token, links in evidence)
  out = out.replace(/([?&])([\w.[\]-]+)=([^&#\s'"<>]+)/g, (m, sep: string, name: string, value: string) =>
    (SECRET_NAME.test(name) || SECRET_QUERY_PARAM.test(name)) && !looksLikeReference(value) ? `${sep}${name}=${REDACTED}` : m,
  );
  // env files and shell: NAME=value (unquoted)
  out = out.replace(/^(\s*(?:export\s+|ENV\s+|-\s+)?)([A-Za-z_][\w]*)(\s*[=:]\s*)([^\s'"#][^\s#]*)/gm, (m, lead: string, name: string, sep: string, value: string) =>
    SECRET_NAME.test(name) && !looksLikeReference(value) && !(opts.python && /^[A-Za-z_]/.test(value)) ? `${lead}${name}${sep}${REDACTED}` : m,
  );
  return out;
}

/** `${VAR}`, `{name}` (an f-string or format hole), `os.environ[...]`-like values are references, not secrets. */
function looksLikeReference(v: string): boolean {
  return /^\$\{?[A-Za-z_]\w*\}?$/.test(v) || /^\{[\w.]*\}$/.test(v) || v === REDACTED || /^<[^>]+>$/.test(v) || /^(changeme|change-me|xxx+|\*+)$/i.test(v);
}
