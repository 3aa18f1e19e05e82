// Sanitizers and neutral functions, as data. A sanitizer's result is safe for
// the listed sink kinds; "all" means the result carries no taint at all (casts
// to numbers, UUIDs, booleans, lengths). Guards (`if url_has_allowed_host_and_scheme(x)`)
// are in GUARDS.
import type * as A from "../../python/ast.js";
import type { SinkKind } from "../kinds.js";

export const SANITIZERS: Readonly<Record<string, readonly SinkKind[] | "all">> = {
  int: "all", float: "all", bool: "all", len: "all", round: "all", abs: "all", hash: "all", id: "all", isinstance: "all", hasattr: "all", callable: "all",
  // the attribute names the object's class defines: code, whatever data the object holds
  dir: "all",
  "uuid.UUID": "all", "decimal.Decimal": "all", "datetime.date": "all", "datetime.datetime": "all", "datetime.datetime.fromisoformat": "all", "datetime.date.fromisoformat": "all",
  // dates and times: a parsed or current date holds no text of the caller's choosing
  "datetime.datetime.strptime": "all", "datetime.datetime.now": "all", "datetime.datetime.utcnow": "all", "datetime.date.today": "all", "django.utils.timezone.now": "all", "django.utils.timezone.localtime": "all",
  "django.urls.reverse": "all", "django.urls.reverse_lazy": "all", "django.core.urlresolvers.reverse": "all",
  "django.utils.translation.gettext": "all", "django.utils.translation.gettext_lazy": "all", "django.utils.translation.ugettext": "all", "django.utils.translation.ugettext_lazy": "all", "django.utils.translation.ngettext": "all", "django.utils.translation.pgettext": "all",
  "django.utils.text.slugify": "all",
  // psycopg quotes these for the SQL text they are formatted into: an identifier in double quotes, a value as a literal
  "psycopg.sql.Identifier": ["sql"], "psycopg.sql.Literal": ["sql"], "psycopg2.sql.Identifier": ["sql"], "psycopg2.sql.Literal": ["sql"],
  // a named placeholder (`%(name)s`): psycopg refuses a name that could break out of it
  "psycopg.sql.Placeholder": ["sql"], "psycopg2.sql.Placeholder": ["sql"],
  "django.utils.html.format_html": "all",
  "django.utils.html.format_html_join": "all",
  "django.utils.html.json_script": "all",
  "django.utils.html.escape": ["xss", "template"],
  // already reported where they are called; their results are not reported again as HTML
  "django.utils.safestring.mark_safe": ["xss"],
  "django.utils.safestring.SafeString": ["xss"],
  "django.utils.safestring.SafeText": ["xss"],
  "django.utils.html.conditional_escape": ["xss", "template"],
  "django.utils.html.escapejs": ["xss"],
  "django.utils.html.strip_tags": ["xss"],
  "html.escape": ["xss", "template"],
  "bleach.clean": ["xss", "template"],
  "nh3.clean": ["xss", "template"],
  "markupsafe.escape": ["xss", "template"],
  // encoders whose output is letters, digits and "+/=-_" only: no markup, quote, shell or template syntax
  // (the data is still the caller's: a credential base64-encoded is still logged, a path may still hold "/")
  "base64.b64encode": ["xss", "template", "sql", "cmd"], "base64.urlsafe_b64encode": ["xss", "template", "sql", "cmd"],
  "binascii.hexlify": ["xss", "template", "sql", "cmd"],
  "shlex.quote": ["cmd"],
  "pipes.quote": ["cmd"],
  "django.utils.text.get_valid_filename": ["path"],
  "os.path.basename": ["path"],
  "werkzeug.utils.secure_filename": ["path"],
  "pathvalidate.sanitize_filename": ["path"],
  // a query string: every character that could end an attribute or open a tag, or
  // make it an absolute URL (":", "/"), comes out percent-encoded
  "django.utils.http.urlencode": ["redirect", "ssrf", "xss", "template"],
  "urllib.parse.urlencode": ["redirect", "ssrf", "xss", "template"],
  "urllib.parse.quote": ["sql", "cmd", "path", "xss", "code", "template"],
  "urllib.parse.quote_plus": ["sql", "cmd", "path", "xss", "code", "template"],
  "hashlib.sha256": "all", "hashlib.md5": "all", "hashlib.sha1": "all",
  "django.contrib.auth.hashers.make_password": "all",
};

/** Sanitiser objects: the constructor, and the method whose result is sanitised as the SANITIZERS entry says. */
const SANITIZER_OBJECTS: Readonly<Record<string, { method: string; as: string }>> = {
  "bleach.Cleaner": { method: "clean", as: "bleach.clean" },
  "bleach.sanitizer.Cleaner": { method: "clean", as: "bleach.clean" },
  "nh3.Cleaner": { method: "clean", as: "nh3.clean" },
};

/** The SANITIZERS entry for `obj.method(...)` on an object `maker` built (`bleach.Cleaner` or `bleach.Cleaner()`: `.clean`), or null. */
export function sanitizerMethod(maker: string | null, method: string): string | null {
  const o = maker ? SANITIZER_OBJECTS[maker.replace(/\(\)$/, "")] : undefined;
  return o && o.method === method ? o.as : null;
}

/** Guard functions: `if f(x, ...)` means x is safe for these kinds inside the branch (and after `if not f(x): return`). */
export const GUARDS: Readonly<Record<string, readonly SinkKind[]>> = {
  "django.utils.http.url_has_allowed_host_and_scheme": ["redirect", "ssrf"],
  "django.utils.http.is_safe_url": ["redirect", "ssrf"],
  "os.path.isfile": [],
};

/** String methods whose result is safe for every sink (booleans, numbers). */
const CLEAN_METHODS: ReadonlySet<string> = new Set([
  "isdigit", "isnumeric", "isdecimal", "isalnum", "isalpha", "isidentifier", "startswith", "endswith", "count", "find", "index", "rfind",
  "exists", "is_valid", "get_absolute_url", "sql_with_params", "as_sql", "is_authenticated", "has_perm", "has_perms", "is_ajax", "is_secure", "check_password", "keys",
  // a model field's schema: the names code gave it
  "get_attname", "get_attname_column", "get_internal_type",
]);
/**
 * A method call whose result holds none of its receiver's text: CLEAN_METHODS; a
 * date written out (`isoformat()`, `strftime()` with the code's own format); a
 * digest's hex; a model's choice label (`get_status_display()`: the label the
 * code wrote, or the stored value itself where a write skipped validation, which
 * is what every Django check of choices assumes away too).
 */
export function cleanMethodCall(method: string, args: readonly A.Expr[]): boolean {
  if (CLEAN_METHODS.has(method) || method === "isoformat" || method === "hexdigest") return true;
  if (method === "strftime") return args[0]?.kind === "Constant";
  return /^get_\w+_display$/.test(method);
}

/** Method names that pass the receiver's taint through (string methods, dict/list access). */
export const PASS_METHODS: ReadonlySet<string> = new Set([
  "strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize", "casefold", "replace", "split", "rsplit", "splitlines", "partition",
  "rpartition", "encode", "decode", "format", "format_map", "join", "get", "getlist", "pop", "values", "items", "dict", "copy", "lists",
  "removeprefix", "removesuffix", "zfill", "ljust", "rjust", "center", "expandtabs", "translate", "read", "chunks", "setdefault",
]);
/** Methods whose result is what they fetched, not their arguments: a DB-API cursor's
 *  `execute(sql, params)` returns the cursor and its rows, which come from the database
 *  (an unresolved call's result), even when a parameter came from the request. */
export const FETCH_METHODS: ReadonlySet<string> = new Set(["execute", "executemany", "fetchone", "fetchmany", "fetchall", "callproc"]);
/** Query-builder methods (Django querysets, search DSLs): their result is rows the
 *  lookup arguments select, read from the database, not the arguments themselves. */
export const QUERY_METHODS: ReadonlySet<string> = new Set([
  "filter", "exclude", "order_by", "annotate", "alias", "only", "defer", "distinct", "using", "select_related", "prefetch_related",
]);
/** Guard-like string tests: `if x.isdigit():` makes x safe for everything inside. */
export const CHECK_METHODS: ReadonlySet<string> = new Set(["isdigit", "isnumeric", "isdecimal", "isalnum", "isidentifier"]);

/** Functions whose result carries exactly their arguments' taints (encoders, pure transforms). */
export const PURE: ReadonlySet<string> = new Set([
  "pickle.dumps", "json.dumps", "base64.b64decode", "base64.urlsafe_b64decode", "base64.b32decode",
  "binascii.unhexlify", "zlib.decompress", "zlib.compress", "gzip.decompress", "codecs.decode", "urllib.parse.unquote",
  "urllib.parse.unquote_plus", "html.unescape", "textwrap.dedent", "io.BytesIO", "io.StringIO", "copy.copy", "copy.deepcopy", "functools.reduce",
  // psycopg's SQL composition: the text given to SQL() is SQL as written (a constant is no finding, request data is)
  "psycopg.sql.SQL", "psycopg.sql.Composed", "psycopg2.sql.SQL", "psycopg2.sql.Composed",
]);
