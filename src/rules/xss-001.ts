import { FORMAT_HTML_URL } from "../dataflow/catalog/sinks.js";
import { reportFlows } from "../dataflow/report.js";
import { jinjaEnvironmentIssues, markupIssues } from "../templates/jinja.js";
import { customTagIssues } from "../templates/tags.js";
import { templateXssIssues } from "../templates/xss.js";
import { defineRule, type RuleContext } from "./types.js";

/** Templates: |safe, autoescape off, script/event/URL/unquoted contexts, judged by the origin of each variable. */
function templateOutput(ctx: RuleContext): void {
  for (const i of templateXssIssues(ctx.project)) ctx.report({ path: i.path, span: i.span, message: i.message, severity: i.severity, confidence: i.confidence, trace: i.trace, key: i.key });
}

/** Custom template tags and filters that return their input unescaped. */
function customTemplateTags(ctx: RuleContext): void {
  for (const i of customTagIssues(ctx.project)) ctx.report({ path: i.path, span: i.span, message: i.message, severity: i.severity, confidence: i.confidence, key: "template-tag" });
}

/** Jinja2: autoescape disabled for the backend, Markup() of non-constant text. */
function jinja2Autoescape(ctx: RuleContext): void {
  for (const i of [...jinjaEnvironmentIssues(ctx.project), ...markupIssues(ctx.project)]) ctx.report({ path: i.path, span: i.span, message: i.message, severity: i.severity, confidence: i.confidence, ...(i.trace ? { trace: i.trace } : {}), key: "jinja2" });
}

/** Data flow (src/dataflow): untrusted values reaching this rule's sinks. */
function unsafeHtmlFromData(ctx: RuleContext): void {
  reportFlows(ctx, {
    why: (f) => f.site.label === FORMAT_HTML_URL
      ? "A javascript: URL there runs script when the link is used; allow only http(s) URLs (check with url_has_allowed_host_and_scheme() or the scheme) before building the link."
      : "The value is marked safe or sent as HTML without escaping, so markup in it runs in the browser; use format_html() with arguments or escape().",
  });
}

export default defineRule({
  id: "DJANGO-XSS-001",
  title: "Cross-site scripting through unescaped output",
  severity: "high",
  cwe: "CWE-79",
  owasp: "A03:2021-Injection",
  djangoCheckIds: [],
  description:
    "Detects places where non-constant data bypasses or escapes Django's autoescaping: the `safe` and `safeseq` filters and `{% autoescape off %}` blocks; `mark_safe`, `SafeString`/`SafeText` and misused `format_html` (an f-string or `%`-formatted string passed as the format, instead of separate arguments); `HttpResponse` bodies of HTML built from request or database values; template variables in unquoted attributes (`<div class={{ x }}>`); variables placed inside `<script>` blocks without `json_script` or `escapejs`; and user-controlled `href`/`src` values that allow `javascript:` URLs. Severity and confidence follow the data's origin: request data and user-editable database fields are high, while constants and translation strings are not reported.",
  impact:
    "An attacker can run script in other users' browsers in the site's origin, stealing data shown on the page, performing actions as the victim, or harvesting credentials; stored variants hit every visitor of the affected page, including administrators.",
  fix:
    "Let autoescaping do its job: remove `safe`/`mark_safe` on untrusted data, pass values as arguments to `format_html(\"<b>{}</b>\", value)`, quote every attribute, emit data for scripts with `{{ data|json_script:\"id\" }}`, and validate URL schemes (allow only `http`/`https`) before rendering user links. If rich HTML is required, sanitise it with an allowlist sanitizer such as nh3 or bleach before marking it safe.",
  mitigation:
    "Deploy a strict Content-Security-Policy without `'unsafe-inline'` (see DJANGO-CSP-001) and keep session cookies `HttpOnly` to limit what injected script can do.",
  falsePositives:
    "Verify the value's origin: content already sanitised by an allowlist HTML cleaner, or produced entirely from constants and trusted admin-only fields, may be safe to mark safe. A URL an image or media element fetches (`<img src>`, `srcset`, `poster`, `<video src>`) runs no javascript: URL and is not reported; links, forms, frames, objects and scripts are. A project function or template filter whose every return is sanitised (`bleach.clean`, `nh3.clean`, Django's escapers, or a project helper returning only those, two calls deep) counts as a sanitiser: `{{ text|markdown|safe }}` is not reported when the `markdown` filter ends in one, nor is a filter that reassigns its markup to the cleaned text before `mark_safe()`. Database fields are reported with lower confidence unless the project writes them from requests. In a text-only template, an e-mail template (under an `email/`/`emails/` directory, or `*_email.html`) or a text template whose rendered response the view reads back as data, a `|safe` or `{% autoescape off %}` value of unknown origin is not reported: those turn escaping off to avoid HTML entities, and no script runs in a mail client; a value from the request or from data users edit still is. A stored file's name and URL (FileField/ImageField) and the upper-case constants a model declares are not user data. A model method or property whose every return is a path of this site or an http(s) URL is a link the site builds (`'/docs/%d/' % self.pk`, `reverse(...)`, a local variable holding one, the model's own id URL with the site's origin stripped by `.replace(settings.SITE_URL, '')`), also read by name when the row's model is lost on the way. So is a field that holds only http(s) URLs: a URLField, a field given Django's `URLValidator` or a project validator matching `^https?://`, or a project field class that defaults its validators to one (BookWyrm's RemoteIdField). A form field's `help_text|safe` we cannot follow to a view (a generic field include) is the developer's own text, which Django's own form rendering outputs unescaped too: it is reported only when the project sets help text from object data somewhere (`field.help_text = self.description`), and the finding names that place.",
  example: {
    bad: `def greet(request):
    name = request.GET.get("name", "")
    return HttpResponse(mark_safe(f"<h1>Hello {name}</h1>"))`,
    good: `from django.utils.html import format_html

def greet(request):
    name = request.GET.get("name", "")
    return HttpResponse(format_html("<h1>Hello {}</h1>", name))`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/topics/security/#cross-site-scripting-xss-protection",
    "https://docs.djangoproject.com/en/stable/ref/templates/builtins/#json-script",
    "https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html",
  ],
  checks: [unsafeHtmlFromData, templateOutput, customTemplateTags, jinja2Autoescape],
});
