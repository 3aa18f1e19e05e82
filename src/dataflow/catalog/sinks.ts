// Dangerous sinks, one line each. The engine matches a call against `callee`
// (the canonical dotted name from scope.qualifiedName) or, for methods on
// receivers we cannot type (querysets, cursors, storages), against `method`.
//
// accept: "request" reports only request data; "source" reports only values that come from a request or a stored,
// user-editable model field; "any" also reports unresolved-call results
// (medium) and unknown non-constants (low), because the call itself is the
// smell (eval, os.system, mark_safe...). Constants are never reported.
// when: extra conditions on the call (sinkApplies() below).
import type * as A from "../../python/ast.js";
import { constString, dottedName, exprText, leadingConst } from "../../python/walk.js";
import type { SinkKind } from "../kinds.js";

export interface SinkSpec {
  kind: SinkKind;
  callee?: string;
  method?: string;
  /** receiver text must match (for common method names such as `execute`) */
  receiver?: RegExp;
  /** not a sink on a receiver written as, or made by, a matching constructor (a sandboxed template environment) */
  exceptBuiltBy?: RegExp;
  /** positional index of the dangerous argument, "receiver" for the object the method is called on */
  arg: number | "receiver";
  /** keyword name of the same argument */
  kw?: string;
  /** the sink is the value under this key (any case) of a dict literal given as the argument */
  key?: string;
  accept: "request" | "source" | "any";
  /** storages already refuse names that leave their root (safe_join): only raw, unvalidated request data is reported */
  rawOnly?: boolean;
  /** deserialisers: a value read from a cache shared between users also counts */
  sharedCache?: boolean;
  /** SQL-like sinks: weak origins (call/unknown) only count when the text was built by formatting */
  needsFormatting?: boolean;
  when?: "curlUrl" | "noConstPrefix" | "shell" | "notShell" | "unsafeYaml" | "pickleSerializer" | "htmlResponse" | "formatMisuse";
  label: string;
}

export const SINKS: readonly SinkSpec[] = [
  // SQL
  { kind: "sql", method: "raw", arg: 0, kw: "raw_query", accept: "any", needsFormatting: true, label: "Manager.raw()" },
  { kind: "sql", method: "extra", arg: 0, kw: "where", accept: "any", needsFormatting: true, label: "QuerySet.extra(where=...)" },
  { kind: "sql", method: "extra", arg: 1, kw: "select", accept: "any", needsFormatting: true, label: "QuerySet.extra(select=...)" },
  { kind: "sql", callee: "django.db.models.expressions.RawSQL", arg: 0, kw: "sql", accept: "any", needsFormatting: true, label: "RawSQL()" },
  { kind: "sql", callee: "django.db.models.RawSQL", arg: 0, kw: "sql", accept: "any", needsFormatting: true, label: "RawSQL()" },
  { kind: "sql", method: "execute", receiver: /cursor|^c$|^cur$|conn|connection/i, arg: 0, kw: "sql", accept: "any", needsFormatting: true, label: "cursor.execute()" },
  { kind: "sql", method: "executemany", receiver: /cursor|^c$|^cur$|conn|connection/i, arg: 0, kw: "sql", accept: "any", needsFormatting: true, label: "cursor.executemany()" },
  { kind: "sql", method: "executescript", receiver: /cursor|^c$|^cur$|conn|connection/i, arg: 0, accept: "any", needsFormatting: true, label: "cursor.executescript()" },
  // ORM expressions whose names go into the SQL text as written: a database function's name, a date part
  ...["django.db.models.Func", "django.db.models.expressions.Func"].flatMap((callee): SinkSpec[] => [
    { kind: "sql", callee, arg: -1, kw: "function", accept: "request", label: "Func(function=...)" },
    { kind: "sql", callee, arg: -1, kw: "template", accept: "request", label: "Func(template=...)" },
  ]),
  ...["django.db.models.functions.Trunc", "django.db.models.functions.datetime.Trunc"].map((callee): SinkSpec => (
    { kind: "sql", callee, arg: 1, kw: "kind", accept: "request", label: "Trunc(kind=...)" })),
  ...["django.db.models.functions.Extract", "django.db.models.functions.datetime.Extract"].map((callee): SinkSpec => (
    { kind: "sql", callee, arg: 1, kw: "lookup_name", accept: "request", label: "Extract(lookup_name=...)" })),

  // OS commands
  { kind: "cmd", callee: "os.system", arg: 0, accept: "any", label: "os.system()" },
  { kind: "cmd", callee: "os.popen", arg: 0, accept: "any", label: "os.popen()" },
  { kind: "cmd", callee: "commands.getoutput", arg: 0, accept: "any", label: "commands.getoutput()" },
  { kind: "cmd", callee: "commands.getstatusoutput", arg: 0, accept: "any", label: "commands.getstatusoutput()" },
  { kind: "cmd", callee: "subprocess.getoutput", arg: 0, accept: "any", label: "subprocess.getoutput()" },
  { kind: "cmd", callee: "subprocess.getstatusoutput", arg: 0, accept: "any", label: "subprocess.getstatusoutput()" },
  { kind: "cmd", callee: "pty.spawn", arg: 0, accept: "source", label: "pty.spawn()" },
  ...["run", "call", "check_call", "check_output", "Popen"].flatMap((fn): SinkSpec[] => [
    { kind: "cmd", callee: `subprocess.${fn}`, arg: 0, kw: "args", accept: "any", when: "shell", label: `subprocess.${fn}(..., shell=True)` },
    { kind: "cmd", callee: `subprocess.${fn}`, arg: 0, kw: "args", accept: "source", when: "notShell", label: `subprocess.${fn}() executable` },
  ]),
  ...["execl", "execlp", "execv", "execvp", "execve", "spawnl", "spawnlp", "spawnv", "spawnvp"].map((fn): SinkSpec => (
    { kind: "cmd", callee: `os.${fn}`, arg: fn.startsWith("spawn") ? 1 : 0, accept: "source", label: `os.${fn}()` })),

  // filesystem paths
  { kind: "path", callee: "open", arg: 0, kw: "file", accept: "request", label: "open()" },
  { kind: "path", callee: "io.open", arg: 0, kw: "file", accept: "request", label: "io.open()" },
  { kind: "path", callee: "codecs.open", arg: 0, accept: "request", label: "codecs.open()" },
  { kind: "path", callee: "os.remove", arg: 0, accept: "request", label: "os.remove()" },
  { kind: "path", callee: "os.unlink", arg: 0, accept: "request", label: "os.unlink()" },
  { kind: "path", callee: "os.rmdir", arg: 0, accept: "request", label: "os.rmdir()" },
  { kind: "path", callee: "os.listdir", arg: 0, accept: "request", label: "os.listdir()" },
  { kind: "path", callee: "os.makedirs", arg: 0, accept: "request", label: "os.makedirs()" },
  { kind: "path", callee: "os.rename", arg: 0, accept: "request", label: "os.rename()" },
  { kind: "path", callee: "shutil.rmtree", arg: 0, accept: "request", label: "shutil.rmtree()" },
  { kind: "path", callee: "shutil.copy", arg: 0, accept: "request", label: "shutil.copy()" },
  { kind: "path", callee: "shutil.copy", arg: 1, accept: "request", label: "shutil.copy()" },
  { kind: "path", callee: "shutil.copyfile", arg: 0, accept: "request", label: "shutil.copyfile()" },
  { kind: "path", callee: "shutil.move", arg: 0, accept: "request", label: "shutil.move()" },
  { kind: "path", callee: "shutil.move", arg: 1, accept: "request", label: "shutil.move()" },
  { kind: "path", callee: "django.http.FileResponse", arg: 0, accept: "request", label: "FileResponse()" },
  { kind: "path", method: "open", receiver: /storage/i, arg: 0, kw: "name", accept: "request", rawOnly: true, label: "storage.open()" },
  { kind: "path", method: "delete", receiver: /storage/i, arg: 0, kw: "name", accept: "request", rawOnly: true, label: "storage.delete()" },
  { kind: "path", method: "save", receiver: /storage/i, arg: 0, kw: "name", accept: "request", rawOnly: true, label: "storage.save()" },
  { kind: "path", method: "path", receiver: /storage/i, arg: 0, kw: "name", accept: "request", rawOnly: true, label: "storage.path()" },
  ...["read_text", "read_bytes", "write_text", "write_bytes", "iterdir"].map((m): SinkSpec => (
    { kind: "path", method: m, arg: "receiver", accept: "request", label: `Path.${m}()` })),
  ...["unlink", "open", "rmdir"].map((m): SinkSpec => (
    { kind: "path", method: m, receiver: /^(Path|pathlib\.Path|PurePath)\(|path|file| \/ /i, arg: "receiver", accept: "request", label: `Path.${m}()` })),
  // only archives (zipfile, tarfile, shutil's formats) have extractall(), whatever the variable is called
  { kind: "path", method: "extractall", arg: "receiver", accept: "request", label: "archive extractall()" },

  // open redirect
  { kind: "redirect", callee: "django.shortcuts.redirect", arg: 0, kw: "to", accept: "request", label: "redirect()" },
  { kind: "redirect", callee: "django.http.HttpResponseRedirect", arg: 0, kw: "redirect_to", accept: "request", label: "HttpResponseRedirect()" },
  { kind: "redirect", callee: "django.http.response.HttpResponseRedirect", arg: 0, kw: "redirect_to", accept: "request", label: "HttpResponseRedirect()" },
  { kind: "redirect", callee: "django.http.HttpResponsePermanentRedirect", arg: 0, kw: "redirect_to", accept: "request", label: "HttpResponsePermanentRedirect()" },
  { kind: "redirect", callee: "django.http.response.HttpResponsePermanentRedirect", arg: 0, kw: "redirect_to", accept: "request", label: "HttpResponsePermanentRedirect()" },
  // a response's headers given when it is made (Django 3.2+): a Location header redirects as HttpResponseRedirect does
  ...["django.http.HttpResponse", "django.http.response.HttpResponse"].map((callee): SinkSpec => (
    { kind: "redirect", callee, arg: 5, kw: "headers", key: "location", accept: "request", label: "HttpResponse(headers={'Location': ...})" })),
  ...["StreamingHttpResponse", "FileResponse", "JsonResponse"].flatMap((cls) => [`django.http.${cls}`, `django.http.response.${cls}`]).map((callee): SinkSpec => (
    { kind: "redirect", callee, arg: -1, kw: "headers", key: "location", accept: "request", label: `${callee.split(".").pop()}(headers={'Location': ...})` })),

  // server-side request forgery
  ...["get", "post", "put", "patch", "delete", "head", "options"].flatMap((m): SinkSpec[] => [
    { kind: "ssrf", callee: `requests.${m}`, arg: 0, kw: "url", accept: "source", label: `requests.${m}()` },
    { kind: "ssrf", callee: `httpx.${m}`, arg: 0, kw: "url", accept: "source", label: `httpx.${m}()` },
    { kind: "ssrf", method: m, receiver: /^(requests(\.sessions)?\.Session\(\)|httpx\.(Async)?Client\(\)|aiohttp\.(client\.)?ClientSession\(\)|client)$|(^|\.)(session|http_session|http_client)$/i, arg: 0, kw: "url", accept: "source", label: `session.${m}()` },
  ]),
  { kind: "ssrf", callee: "requests.request", arg: 1, kw: "url", accept: "source", label: "requests.request()" },
  { kind: "ssrf", callee: "httpx.request", arg: 1, kw: "url", accept: "source", label: "httpx.request()" },
  { kind: "ssrf", callee: "urllib.request.urlopen", arg: 0, kw: "url", accept: "source", label: "urllib.request.urlopen()" },
  { kind: "ssrf", callee: "urllib.request.Request", arg: 0, kw: "url", accept: "source", label: "urllib.request.Request()" },
  { kind: "ssrf", callee: "urllib.urlopen", arg: 0, accept: "source", label: "urllib.urlopen()" },
  { kind: "ssrf", callee: "urllib2.urlopen", arg: 0, accept: "source", label: "urllib2.urlopen()" },
  { kind: "ssrf", callee: "aiohttp.request", arg: 1, kw: "url", accept: "source", label: "aiohttp.request()" },
  { kind: "ssrf", method: "setopt", arg: 1, accept: "source", when: "curlUrl", label: "pycurl setopt(URL, ...)" },
  { kind: "ssrf", method: "request", receiver: /PoolManager|pool|http/i, arg: 1, kw: "url", accept: "source", label: "urllib3 request()" },
  { kind: "ssrf", method: "urlopen", receiver: /PoolManager|pool|http/i, arg: 1, kw: "url", accept: "source", label: "urllib3 urlopen()" },

  // deserialisation
  ...["pickle", "cPickle", "_pickle", "dill", "cloudpickle"].flatMap((m): SinkSpec[] => [
    { kind: "deser", callee: `${m}.loads`, arg: 0, accept: "source", sharedCache: true, label: `${m}.loads()` },
    { kind: "deser", callee: `${m}.load`, arg: 0, accept: "source", sharedCache: true, label: `${m}.load()` },
    { kind: "deser", callee: `${m}.Unpickler`, arg: 0, accept: "source", sharedCache: true, label: `${m}.Unpickler()` },
  ]),
  { kind: "deser", callee: "marshal.loads", arg: 0, accept: "source", sharedCache: true, label: "marshal.loads()" },
  { kind: "deser", callee: "marshal.load", arg: 0, accept: "source", sharedCache: true, label: "marshal.load()" },
  { kind: "deser", callee: "shelve.open", arg: 0, accept: "source", sharedCache: true, label: "shelve.open()" },
  { kind: "deser", callee: "jsonpickle.decode", arg: 0, accept: "source", sharedCache: true, label: "jsonpickle.decode()" },
  { kind: "deser", callee: "jsonpickle.loads", arg: 0, accept: "source", sharedCache: true, label: "jsonpickle.loads()" },
  { kind: "deser", callee: "yaml.load", arg: 0, kw: "stream", accept: "source", sharedCache: true, when: "unsafeYaml", label: "yaml.load() without SafeLoader" },
  { kind: "deser", callee: "yaml.load_all", arg: 0, kw: "stream", accept: "source", sharedCache: true, when: "unsafeYaml", label: "yaml.load_all() without SafeLoader" },
  { kind: "deser", callee: "yaml.unsafe_load", arg: 0, accept: "source", sharedCache: true, label: "yaml.unsafe_load()" },
  { kind: "deser", callee: "yaml.unsafe_load_all", arg: 0, accept: "source", sharedCache: true, label: "yaml.unsafe_load_all()" },
  { kind: "deser", callee: "django.core.signing.loads", arg: 0, kw: "s", accept: "source", sharedCache: true, when: "pickleSerializer", label: "signing.loads(serializer=PickleSerializer)" },

  // code execution
  { kind: "code", callee: "eval", arg: 0, accept: "any", label: "eval()" },
  { kind: "code", callee: "exec", arg: 0, accept: "any", label: "exec()" },
  { kind: "code", callee: "compile", arg: 0, accept: "any", label: "compile()" },
  { kind: "code", callee: "importlib.import_module", arg: 0, kw: "name", accept: "request", label: "importlib.import_module()" },
  { kind: "code", callee: "__import__", arg: 0, accept: "request", label: "__import__()" },
  { kind: "code", callee: "getattr", arg: 1, accept: "request", when: "noConstPrefix", label: "getattr() with a request-chosen name" },

  // server-side template injection
  { kind: "template", callee: "django.template.Template", arg: 0, kw: "template_string", accept: "any", label: "django.template.Template()" },
  { kind: "template", callee: "django.template.base.Template", arg: 0, kw: "template_string", accept: "any", label: "django.template.Template()" },
  { kind: "template", callee: "jinja2.Template", arg: 0, kw: "source", accept: "any", label: "jinja2.Template()" },
  // a template engine's from_string(); a pagination cursor's or a value class's from_string() parses data
  // Jinja2's sandbox is the documented way to render a user's template: attribute access to internals is refused
  { kind: "template", method: "from_string", receiver: /env|engine|jinja|templat/i, exceptBuiltBy: /(^|\.)(Immutable)?SandboxedEnvironment\(/, arg: 0, accept: "any", label: "from_string()" },

  // cross-site scripting (Python side)
  { kind: "xss", callee: "django.utils.safestring.mark_safe", arg: 0, kw: "s", accept: "any", label: "mark_safe()" },
  { kind: "xss", callee: "django.utils.safestring.SafeString", arg: 0, accept: "any", label: "SafeString()" },
  { kind: "xss", callee: "django.utils.safestring.SafeText", arg: 0, accept: "any", label: "SafeText()" },
  { kind: "xss", callee: "django.utils.html.format_html", arg: 0, kw: "format_string", accept: "any", when: "formatMisuse", label: "format_html() with a pre-formatted string" },
  { kind: "xss", callee: "django.http.HttpResponse", arg: 0, kw: "content", accept: "source", when: "htmlResponse", label: "HttpResponse() of HTML" },
  { kind: "xss", callee: "django.http.response.HttpResponse", arg: 0, kw: "content", accept: "source", when: "htmlResponse", label: "HttpResponse() of HTML" },
  // streamed pieces are sent as they are, with the same text/html default
  ...["django.http.StreamingHttpResponse", "django.http.response.StreamingHttpResponse"].map((callee): SinkSpec => (
    { kind: "xss", callee, arg: 0, kw: "streaming_content", accept: "source", when: "htmlResponse", label: "StreamingHttpResponse() of HTML" })),
];

const sinkByCallee = new Map<string, SinkSpec[]>();
const sinkByMethod = new Map<string, SinkSpec[]>();
for (const s of SINKS) {
  if (s.callee) sinkByCallee.set(s.callee, [...(sinkByCallee.get(s.callee) ?? []), s]);
  if (s.method) sinkByMethod.set(s.method, [...(sinkByMethod.get(s.method) ?? []), s]);
}

const NO_SINKS: readonly SinkSpec[] = [];

/** Sinks for a callee, else for its method name (the catalog's lists, shared: read only). */
export function sinksFor(q: string | null, method: string | null): readonly SinkSpec[] {
  const byCallee = q ? sinkByCallee.get(q) : undefined;
  if (byCallee?.length) return byCallee;
  return (method ? sinkByMethod.get(method) : undefined) ?? NO_SINKS;
}

/** format_html(): its arguments are escaped, except that a URL attribute's value can still be javascript: (engine.ts checkFormatHtmlUrls) */
export const FORMAT_HTML = "django.utils.html.format_html";
/** the sink label of a format_html() URL attribute (DJANGO-XSS-001 words its advice for it) */
export const FORMAT_HTML_URL = "a URL attribute in format_html()";
/** `obj.__dict__.update(data)` / `vars(obj).update(data)`: every attribute named by data's keys is set (DJANGO-MASS-001); the data argument, or null */
export function attributeDictUpdate(c: A.Call): A.Expr | null {
  if (c.func.kind !== "Attribute" || c.func.attr !== "update" || !c.args[0]) return null;
  const target = c.func.value;
  const ofObject = (target.kind === "Attribute" && target.attr === "__dict__") || (target.kind === "Call" && target.func.kind === "Name" && target.func.id === "vars" && target.args.length === 1);
  return ofObject ? c.args[0] : null;
}

/** manager/queryset writes that set fields from `**kwargs` or `defaults=` (DJANGO-MASS-001) */
export const MASS_WRITES = new Set(["create", "update", "update_or_create", "get_or_create", "bulk_create"]);
/** logger methods (DJANGO-LOG-001; with print()) */
export const LOG_METHODS = new Set(["debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"]);

/** print(), or a logger method on something named like a logger (`logger.info`, `self.log.warning`, `logging.error`). */
export function isLogCall(c: A.Call, q: string | null, method: string | null): boolean {
  if (q === "print") return true;
  return method !== null && LOG_METHODS.has(method) && c.func.kind === "Attribute" && (/log/i.test(exprText(c.func.value)) || (q?.startsWith("logging.") ?? false));
}

/**
 * The arguments a call may write a file's content from (DJANGO-UPLOAD-001):
 * `storage.save(name, content)`/`field.save(name, content)`, `f.write(data)`, and
 * the keyword values of `create()`/`update()`/`update_or_create()`.
 */
export function uploadWriteArgs(c: A.Call, method: string | null): { index: number; keyword: boolean }[] {
  if (method === "save" && c.args.length >= 2 && c.func.kind === "Attribute") return [{ index: 1, keyword: false }];
  if ((method === "write" || method === "writelines") && c.args[0]) return [{ index: 0, keyword: false }];
  if (method === "create" || method === "update" || method === "update_or_create") return c.keywords.map((_, i) => ({ index: i, keyword: true }));
  return [];
}

export interface CallSink {
  spec: SinkSpec;
  /** the argument the sink reads */
  arg: A.Expr;
  /** its position in the call's args (or keywords when `keyword`); -1 for the receiver */
  index: number;
  keyword: boolean;
  /** for a spec with `key`: the dict literal's key as written; `arg` is its value */
  key?: string;
}

const NO_CALL_SINKS: readonly CallSink[] = [];

/**
 * The catalog sinks a call can be, judged from its syntax alone: by its callee
 * `q` or its method name, the receiver's text, the spec's `when` condition and
 * the presence of the argument each reads. Whether a value reaching it counts is
 * the engine's business.
 */
export function callSinks(c: A.Call, q: string | null, method: string | null, receiverBuiltBy?: () => string | null): readonly CallSink[] {
  const specs = sinksFor(q, method);
  if (!specs.length) return NO_CALL_SINKS;
  const out: CallSink[] = [];
  let built: string | null | undefined;
  for (const spec of specs) {
    if (spec.method && spec.receiver && c.func.kind === "Attribute" && !spec.receiver.test(exprText(c.func.value))) {
      // `s.get(url)` after `s = requests.Session()`: the receiver is what made it (clients.ts)
      if (built === undefined) built = receiverBuiltBy?.() ?? null;
      if (built === null || !spec.receiver.test(built)) continue;
    }
    if (spec.exceptBuiltBy && c.func.kind === "Attribute") {
      if (built === undefined) built = receiverBuiltBy?.() ?? null;
      if (spec.exceptBuiltBy.test(exprText(c.func.value)) || (built !== null && spec.exceptBuiltBy.test(built))) continue;
    }
    if (!sinkApplies(spec, c)) continue;
    if (spec.arg === "receiver") {
      if (c.func.kind === "Attribute") out.push({ spec, arg: c.func.value, index: -1, keyword: false });
      continue;
    }
    const pos = c.args[spec.arg];
    let found: CallSink | null = null;
    if (pos && pos.kind !== "Starred") found = { spec, arg: pos, index: spec.arg, keyword: false };
    else if (spec.kw) {
      const i = c.keywords.findIndex((k) => k.arg === spec.kw);
      if (i >= 0) found = { spec, arg: c.keywords[i]!.value, index: i, keyword: true };
    }
    if (found && spec.key) found = dictEntry(found, spec.key);
    if (found) out.push(found);
  }
  return out;
}

/** The entry of a dict literal argument under `key` (any case), e.g. headers={"Location": url}. */
function dictEntry(s: CallSink, key: string): CallSink | null {
  if (s.arg.kind !== "Dict") return null;
  const i = s.arg.keys.findIndex((k) => k !== null && constString(k)?.toLowerCase() === key);
  return i < 0 ? null : { ...s, arg: s.arg.values[i]!, key: constString(s.arg.keys[i]!)! };
}

function sinkApplies(spec: SinkSpec, c: A.Call): boolean {
  switch (spec.when) {
    case undefined: return true;
    case "shell": {
      const s = c.keywords.find((k) => k.arg === "shell")?.value;
      return !!s && !(s.kind === "Constant" && (s.value === false || s.value === null || s.value === 0));
    }
    case "notShell": {
      const s = c.keywords.find((k) => k.arg === "shell")?.value;
      return !s || (s.kind === "Constant" && (s.value === false || s.value === null || s.value === 0));
    }
    case "unsafeYaml": {
      const l = c.keywords.find((k) => k.arg === "Loader")?.value ?? c.args[1];
      if (!l) return true;
      const n = dottedName(l) ?? "";
      return !/(^|\.)(SafeLoader|CSafeLoader|BaseLoader|CBaseLoader)$/.test(n);
    }
    case "pickleSerializer": {
      const s = c.keywords.find((k) => k.arg === "serializer")?.value;
      return !!s && /PickleSerializer$/.test(dottedName(s) ?? "");
    }
    case "htmlResponse": {
      const ct = c.keywords.find((k) => k.arg === "content_type")?.value ?? c.args[1];
      if (!ct) return true;
      const s = constString(ct);
      return s !== null && /html/i.test(s);
    }
    case "formatMisuse": return true;
    case "curlUrl": return /(^|\.)URL$/.test(dottedName(c.args[0] ?? c.func) ?? "");
    case "noConstPrefix": {
      const a = c.args[spec.arg as number];
      return !(a && leadingConst(a));
    }
  }
}
