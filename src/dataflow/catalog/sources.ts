// Untrusted-input sources, as data. `request.<attr>` on anything the engine
// knows to be a request object (a parameter named request/req, the first
// parameter of a view, `self.request`). `sensitive` marks values whose logging
// leaks credentials (DJANGO-LOG-001); `upload` marks uploaded files.
export interface RequestAttr {
  note: string;
  sensitive?: boolean;
  upload?: boolean;
  /** a method: `request.get_full_path()` */
  call?: boolean;
  /** this site's own path: redirecting to it cannot leave the site */
  ownPath?: boolean;
  /** a mapping of strings: a key read gives one string (Taint.strMap) */
  strMap?: boolean;
  /** one string, never a mapping (Taint.keysFixed) */
  scalar?: boolean;
}

export const REQUEST_ATTRS: Readonly<Record<string, RequestAttr>> = {
  GET: { note: "query string (request.GET)", strMap: true },
  POST: { note: "form body (request.POST)", sensitive: true, strMap: true },
  REQUEST: { note: "request.REQUEST", strMap: true },
  FILES: { note: "uploaded file (request.FILES)", upload: true },
  COOKIES: { note: "cookies (request.COOKIES)", sensitive: true, strMap: true },
  META: { note: "request.META (headers and environment)", sensitive: true, strMap: true },
  headers: { note: "request headers (request.headers)", sensitive: true, strMap: true },
  body: { note: "raw body (request.body)", sensitive: true },
  data: { note: "DRF request.data", sensitive: true },
  query_params: { note: "DRF request.query_params", strMap: true },
  path: { note: "request.path", ownPath: true, scalar: true },
  path_info: { note: "request.path_info", ownPath: true, scalar: true },
  content_type: { note: "request.content_type", scalar: true },
  get_full_path: { note: "request.get_full_path()", call: true, ownPath: true, scalar: true },
  get_full_path_info: { note: "request.get_full_path_info()", call: true, ownPath: true, scalar: true },
  build_absolute_uri: { note: "request.build_absolute_uri()", call: true, scalar: true },
  read: { note: "request.read()", call: true, sensitive: true },
  readline: { note: "request.readline()", call: true },
  stream: { note: "request.stream" },
};

/**
 * request.META entries the WSGI/ASGI server sets from its own configuration, never
 * from the request: the mount point (SCRIPT_NAME), the server's port, protocol and
 * software, and the `wsgi.*` entries. Not SERVER_NAME (gunicorn copies the Host
 * header into it) nor REMOTE_ADDR (proxy middleware often rewrites it from
 * X-Forwarded-For).
 */
export function serverMetaKey(key: string | null | undefined): boolean {
  return !!key && (/^(SCRIPT_NAME|SERVER_PORT|SERVER_PROTOCOL|SERVER_SOFTWARE|GATEWAY_INTERFACE)$/.test(key) || key.startsWith("wsgi."));
}

/** What a user account hands out that its owner typed (at sign-up or in their profile): stored
 *  data an attacker chooses for their own account, like any field users edit. */
export const USER_TEXT_ATTRS: ReadonlySet<string> = new Set(["username", "first_name", "last_name", "email", "get_full_name", "get_short_name", "get_username"]);

/** Parameter names that hold the request in helpers that are not views. */
export const REQUEST_PARAM_NAMES: ReadonlySet<string> = new Set(["request", "req", "http_request"]);

/** Keys inside headers/META/COOKIES/POST whose values are credentials. */
export const SENSITIVE_KEY = /pass|pwd|secret|token|auth|cookie|session|csrf|api[_-]?key|private|credential|card|cvv|ssn/i;

/** Local names that hold credentials when they are not constants. */
export const SENSITIVE_NAME = /^(password|passwd|pwd|pass|secret|token|api_?key|access_?token|refresh_?token|auth_?token|client_?secret|private_?key|secret_?key|raw_password|new_password|old_password|password[12]|card_?number|cvv)$/i;

/** Settings whose values are secrets. */
export const SECRET_SETTINGS: ReadonlySet<string> = new Set([
  "SECRET_KEY", "SECRET_KEY_FALLBACKS", "DATABASES", "EMAIL_HOST_PASSWORD", "AWS_SECRET_ACCESS_KEY", "STRIPE_SECRET_KEY", "SIGNING_KEY",
]);

/** Base classes whose subclasses are views (their methods get the request). */
export const VIEW_BASE = /(^|\.)(View|APIView|GenericAPIView|ViewSet|GenericViewSet|ModelViewSet|ReadOnlyModelViewSet|[A-Za-z]*View|[A-Za-z]*ViewSet|[A-Za-z]*APIView|[A-Za-z]*Mixin)$/;
/** Form and serializer bases: `self.data` is the raw request input, `self.cleaned_data` the validated. */
export const FORM_BASE = /(^|\.)(Form|ModelForm|BaseForm|[A-Za-z]*Form)$/;
export const SERIALIZER_BASE = /(^|\.)(Serializer|ModelSerializer|HyperlinkedModelSerializer|[A-Za-z]*Serializer)$/;
export const MIDDLEWARE_METHODS: ReadonlySet<string> = new Set(["__call__", "process_request", "process_view", "process_response", "process_exception", "process_template_response"]);
