// One table of credential shapes serves redaction, deployment files and code:
// each shape is found in text, recognised as a whole literal, and redacted.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { credentialIn, credentialLiteral } from "../src/credentials.js";
import { REDACTED, redact } from "../src/redact.js";

// Made-up values of the real shapes (none of them is a live credential).
const SAMPLES: [value: string, what: string][] = [
  ["AKIA2E0A8F3B244C9986", "an AWS access key ID"],
  ["sk_live_51HqLyjWDarjtT1zdp7dcXy", "a live Stripe secret key"],
  ["ghp_0123456789abcdefghijABCDEFGHIJ012345", "a GitHub token"],
  ["xoxb-1234567890-abcdefghij", "a Slack token"],
  ["AIzaSyA1234567890abcdefghijklmnopqrstuv", "a Google API key"],
  ["SG.abcdefghijklmnop1234.qrstuvwxyz0123456789ABCD", "a SendGrid API key"],
  ["-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "a private key"],
];

describe("credential shapes", () => {
  for (const [value, what] of SAMPLES) {
    it(`${what}: found in text, as a literal, and redacted`, () => {
      assert.equal(credentialIn(`export KEY=${value} # prod`), what);
      assert.equal(credentialLiteral(value), what);
      const shown = redact(`value: ${value}`);
      for (const part of value.split("\n")) assert.ok(!shown.includes(part.slice(-12)), shown);
      assert.ok(shown.includes(REDACTED), shown);
    });
  }

  it("look-alikes are not credentials", () => {
    for (const v of ["AKIA_PLACEHOLDER", "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "ghp_short", "SG.short.short", "-----BEGIN PUBLIC KEY-----", "my-AKIAIOSFODNN7EXAMPLEx"]) {
      assert.equal(credentialLiteral(v), undefined, v);
    }
    // a key inside a longer word is not that key
    assert.equal(credentialIn("xAKIA2E0A8F3B244C9986"), undefined);
    // AWS's documentation key says what it is; it is still never printed
    assert.equal(credentialLiteral("AKIAIOSFODNN7EXAMPLE"), undefined);
    assert.equal(credentialIn('"AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE"'), undefined);
    assert.ok(redact("AKIAIOSFODNN7EXAMPLE").includes(REDACTED));
  });
});
