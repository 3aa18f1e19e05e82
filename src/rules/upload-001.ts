import { fileFieldsWithoutValidators } from "../dataflow/patterns.js";
import { reportFlows } from "../dataflow/report.js";
import { nginxUploadProblems } from "../deploy/audit.js";
import { defineRule, type RuleContext } from "./types.js";
import { mediaServeProblems } from "../django/viewfindings.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";
import { uploadSettingProblems } from "../django/settings/config-rules.js";

// nginx serving uploads as active content, or `client_max_body_size 0`.
function nginxUploadHandling(ctx: RuleContext): void {
  for (const f of nginxUploadProblems(ctx.project)) ctx.report(f);
}

/** Data flow (src/dataflow): untrusted values reaching this rule's sinks. */
function uploadSavedUnvalidated(ctx: RuleContext): void {
  reportFlows(ctx, { why: "An unchecked upload can be an HTML/SVG file served back with scripts, a huge file, or a different type than its name says; validate size and content (e.g. a form FileField with validators, Pillow for images)." });
}

/** models.FileField declared without validators (src/dataflow/patterns.ts). */
function fileFieldWithoutValidators(ctx: RuleContext): void {
  for (const r of fileFieldsWithoutValidators(ctx.project)) ctx.report(r);
}

/** django.views.static.serve routed in a production URLconf (not under `if settings.DEBUG`). */
function mediaServedByDjango(ctx: RuleContext): void {
  for (const p of mediaServeProblems(ctx.project)) ctx.report(p);
}

export default defineRule({
  id: "DJANGO-UPLOAD-001",
  title: "Unsafe handling of uploaded files",
  severity: "high",
  cwe: "CWE-434",
  owasp: "A04:2021-Insecure Design",
  djangoCheckIds: [],
  description:
    "Detects uploads accepted without size or type validation (files from `request.FILES` saved directly, `FileField`/`ImageField` without validators); allowlists that check only the file-name extension; uploads stored under `STATIC_ROOT` or inside the source tree; media files served by Django in production (the `static()` URL helper or `django.views.static.serve` in production URLconfs); user files served inline with HTML or SVG content types; world-writable `FILE_UPLOAD_PERMISSIONS`; and, at low severity, no request-size limit from `DATA_UPLOAD_MAX_MEMORY_SIZE` or the edge.",
  impact:
    "Attackers can upload HTML or SVG that runs script in the site's origin when opened, files that overwrite or sit beside code and static assets, or oversized payloads that exhaust disk and memory. Serving media through Django in production also bypasses the hardened static file server.",
  fix:
    "Validate uploads in a form with size limits and content checks (e.g. `FileExtensionValidator` plus inspecting the content with Pillow or a MIME sniffer), store them under a dedicated `MEDIA_ROOT` outside the code and static directories or in object storage, generate server-side file names, and serve them from the web server or storage with `Content-Disposition: attachment` and a safe content type.",
  mitigation:
    "Serve user uploads from a separate, cookie-less domain, set `X-Content-Type-Options: nosniff`, and enforce a request-body limit at the proxy (e.g. nginx `client_max_body_size`).",
  falsePositives:
    "Validation may happen in a form, serializer or model `clean()` the scanner did not connect to the view; verify the actual path. Size limits are often set at the proxy or CDN, which is not visible in app code, so verify at the edge. The `static()` helper does nothing when `DEBUG` is false, so it matters only where debug is on.",
  example: {
    bad: `def upload(request):
    f = request.FILES["file"]
    with open(settings.STATIC_ROOT / f.name, "wb") as out:
        for chunk in f.chunks():
            out.write(chunk)`,
    good: `class AvatarForm(forms.Form):
    file = forms.ImageField(validators=[FileExtensionValidator(["png", "jpg"]), max_size_2mb])

def upload(request):
    form = AvatarForm(request.POST, request.FILES)
    if form.is_valid():
        default_storage.save(f"avatars/{uuid4().hex}.png", form.cleaned_data["file"])`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/topics/security/#user-uploaded-content-security",
    "https://docs.djangoproject.com/en/stable/topics/http/file-uploads/",
    "https://cheatsheetseries.owasp.org/cheatsheets/File_Upload_Cheat_Sheet.html",
  ],
  checks: [nginxUploadHandling, uploadSavedUnvalidated, fileFieldWithoutValidators, mediaServedByDjango, uploadSettings],
});

// --- settings checks (issue 3): begin ---
// World-writable upload permissions; no request-body limit in settings or at the edge.
function uploadSettings(ctx: SettingsRuleContext): void {
  for (const p of [...uploadSettingProblems(ctx.project)]) ctx.report(p);
}
// --- settings checks (issue 3): end ---
