import { reportFlows } from "../dataflow/report.js";
import { defineRule, type RuleContext } from "./types.js";

/** Data flow (src/dataflow): untrusted values reaching this rule's sinks. */
function requestToUntrustedUrl(ctx: RuleContext): void {
  reportFlows(ctx, { why: "The server fetches a URL the user chose, which can reach internal services and cloud metadata; check it against an allowlist of hosts (and the resolved IP)." });
}

export default defineRule({
  id: "DJANGO-SSRF-001",
  title: "Server-side request forgery via user-supplied URLs",
  severity: "high",
  cwe: "CWE-918",
  owasp: "A10:2021-Server-Side Request Forgery",
  djangoCheckIds: [],
  description:
    "Detects outbound HTTP requests whose URL comes from untrusted input, through `requests`, `httpx`, `urllib.request.urlopen`, `urllib3`, `aiohttp` or `pycurl`, including webhook or callback URLs that users store and the server later calls. An allowlist of destinations, or a check of the resolved IP address that rejects private, loopback and link-local ranges, counts as a sanitiser.",
  impact:
    "An attacker can make the server call internal services that are not exposed to the internet, such as cloud metadata endpoints (which can yield credentials), admin interfaces, databases with HTTP APIs or other pods, and can use the server to scan the internal network or relay attacks.",
  fix:
    "Only fetch URLs whose host is on an explicit allowlist; where arbitrary hosts are required (webhooks), require `https`, resolve the hostname, reject private, loopback, link-local and reserved addresses, connect to the vetted IP, and disable or re-validate redirects.",
  mitigation:
    "Route outbound traffic through an egress proxy that blocks internal ranges, require IMDSv2 or block metadata endpoints at the network level, and set short timeouts and response-size limits.",
  falsePositives:
    "Verify that the URL is user-controlled and not assembled from a fixed base URL with only a path or query parameter from the user; check whether an allowlist or IP check exists in a helper the scanner did not follow.",
  example: {
    bad: `def fetch_preview(request):
    url = request.GET["url"]
    resp = requests.get(url, timeout=5)
    return JsonResponse({"title": extract_title(resp.text)})`,
    good: `ALLOWED_PREVIEW_HOSTS = {"www.youtube.com", "vimeo.com"}

def fetch_preview(request):
    url = request.GET["url"]
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.hostname not in ALLOWED_PREVIEW_HOSTS:
        return HttpResponseBadRequest()
    resp = requests.get(url, timeout=5, allow_redirects=False)
    return JsonResponse({"title": extract_title(resp.text)})`,
    language: "python",
  },
  references: [
    "https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html",
    "https://cwe.mitre.org/data/definitions/918.html",
  ],
  checks: [requestToUntrustedUrl],
});
