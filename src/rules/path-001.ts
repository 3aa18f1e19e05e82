import { reportFlows } from "../dataflow/report.js";
import { defineRule, type RuleContext } from "./types.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";
import { mediaStaticRootProblems } from "../django/settings/config-rules.js";

/** Data flow (src/dataflow): untrusted values reaching this rule's sinks. */
function pathFromUntrustedData(ctx: RuleContext): void {
  reportFlows(ctx, { why: "A value such as `../../etc/passwd` escapes the intended directory; use get_valid_filename()/os.path.basename() and check the resolved path stays under its root." });
}

export default defineRule({
  id: "DJANGO-PATH-001",
  title: "Path traversal in file system access",
  severity: "high",
  cwe: "CWE-22",
  owasp: "A01:2021-Broken Access Control",
  djangoCheckIds: [],
  description:
    "Detects user input flowing into file system paths: `open`, `pathlib.Path`, `os.path.join`, `FileResponse` and similar download helpers, `default_storage.open`/`save`, `shutil` operations, and `zipfile`/`tarfile` extraction that does not check member names. It also reports `MEDIA_ROOT` equal to `STATIC_ROOT` or nested inside it (or the reverse). `get_valid_filename`, `os.path.basename` combined with a check that the resolved path stays under the intended root, and storage keys derived from server-side IDs count as sanitisers.",
  impact:
    "Attackers can read files outside the intended directory (settings, `.env`, keys, source) or write and overwrite files, which can lead to code execution; archive extraction can plant files anywhere the process can write. Mixing media and static roots lets uploads be served as trusted static assets or clobber them.",
  fix:
    "Never build paths from raw input: look files up by a database ID, or sanitise with `get_valid_filename`, then resolve the path and verify it is inside the base directory (`path.resolve().is_relative_to(base)`). Validate every archive member before extracting (Python's `tarfile` `filter=\"data\"` helps), and keep `MEDIA_ROOT` and `STATIC_ROOT` separate.",
  mitigation:
    "Run the app as a user with read access only to what it needs and a read-only code directory, and serve downloads through the web server with internal redirects rather than from Django.",
  falsePositives:
    "Confirm the path component is user-controlled and not validated elsewhere (e.g. a URL converter that only matches digits or a `ChoiceField`). Django storage backends reject some traversal patterns themselves, which lowers confidence for `default_storage` sinks.",
  example: {
    bad: `def download(request):
    name = request.GET["file"]
    return FileResponse(open(os.path.join(settings.REPORTS_DIR, name), "rb"))`,
    good: `def download(request, report_id):
    report = get_object_or_404(Report, pk=report_id, owner=request.user)
    path = (REPORTS_DIR / report.filename).resolve()
    if not path.is_relative_to(REPORTS_DIR):
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True)`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/ref/request-response/#fileresponse-objects",
    "https://owasp.org/www-community/attacks/Path_Traversal",
    "https://cwe.mitre.org/data/definitions/22.html",
  ],
  checks: [pathFromUntrustedData, mediaInsideStatic],
});

// --- settings checks (issue 3): begin ---
// MEDIA_ROOT equal to, inside, or containing STATIC_ROOT.
function mediaInsideStatic(ctx: SettingsRuleContext): void {
  for (const p of [...mediaStaticRootProblems(ctx.project)]) ctx.report(p);
}
// --- settings checks (issue 3): end ---
