import { reportFlows } from "../dataflow/report.js";
import { defineRule, type RuleContext } from "./types.js";

/** Data flow (src/dataflow): untrusted values reaching this rule's sinks. */
function deserialisesUntrustedData(ctx: RuleContext): void {
  reportFlows(ctx, { why: "Deserialising attacker-controlled bytes with this loader runs arbitrary code; use JSON or yaml.safe_load().", severity: (f) => (f.taint.origin === "request" ? "critical" : undefined) });
}

export default defineRule({
  id: "DJANGO-DESER-001",
  title: "Unsafe deserialization of untrusted data",
  severity: "critical",
  cwe: "CWE-502",
  owasp: "A08:2021-Software and Data Integrity Failures",
  djangoCheckIds: [],
  description:
    "Detects deserializers that can instantiate arbitrary objects applied to data crossing a trust boundary (request bodies, cookies, uploaded files, caches shared with user-influenced content): `pickle`/`cPickle`, `dill`, `shelve`, `marshal` and `jsonpickle` loads, `yaml.load` without `SafeLoader` and `yaml.unsafe_load`, `PickleSerializer` configured for sessions, and `signing.loads(..., serializer=PickleSerializer)`. Severity is critical when attacker data reaches the call directly and high when exploitation also needs another weakness, such as a leaked `SECRET_KEY` or write access to the cache.",
  impact:
    "Unpickling or unsafe YAML loading of attacker-controlled bytes executes arbitrary code in the web process, giving full control of the application and its credentials.",
  fix:
    "Use data-only formats: `json.loads`, `yaml.safe_load`, DRF serializers or Django forms for validation, and Django's default `JSONSerializer` for sessions and signing. `PickleSerializer` was deprecated in Django 4.1 and removed in 5.0; remove it rather than vendoring it.",
  mitigation:
    "If pickle cannot be removed immediately, sign the payload with an HMAC checked before loading, keep the cache on a private network with authentication, and rotate `SECRET_KEY` if signed pickles might have been forged.",
  falsePositives:
    "Verify the data's origin: pickles written and read only by the application from a private store are lower risk. `yaml.load` with `Loader=yaml.SafeLoader` or `CSafeLoader` is safe.",
  example: {
    bad: `def restore(request):
    state = pickle.loads(base64.b64decode(request.COOKIES["state"]))
    return render(request, "cart.html", state)`,
    good: `from django.core import signing

def restore(request):
    state = signing.loads(request.COOKIES["state"], max_age=3600)
    return render(request, "cart.html", state)`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/topics/signing/",
    "https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html",
    "https://cwe.mitre.org/data/definitions/502.html",
  ],
  checks: [deserialisesUntrustedData],
});
