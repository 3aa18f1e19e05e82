// Redaction: secrets never reach a report, and ordinary values are left alone
// (over-redaction hides the evidence a reviewer needs).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { REDACTED, redact } from "../src/redact.js";

describe("redact", () => {
  it("secret-looking names assigned literals, in code and env files", () => {
    assert.equal(redact('SECRET_KEY = "abc123"'), `SECRET_KEY = "${REDACTED}"`);
    assert.equal(redact("DB_PASSWORD=hunter2"), `DB_PASSWORD=${REDACTED}`);
    // unquoted values are redacted whatever they are (a .env password may look like anything)
    assert.equal(redact("SECRET_KEY = get_secret()"), `SECRET_KEY = ${REDACTED}`);
    assert.equal(redact("API_TOKEN=${API_TOKEN}"), "API_TOKEN=${API_TOKEN}");
  });

  it("Python evidence keeps expressions readable and still hides literals", () => {
    const py = { python: true };
    assert.equal(redact("SECRET_KEY = env('DJANGO_SECRET_KEY')", py), "SECRET_KEY = env('DJANGO_SECRET_KEY')");
    assert.equal(redact("PASSWORD = os.environ['DB_PASSWORD']", py), "PASSWORD = os.environ['DB_PASSWORD']");
    assert.equal(redact("TOKEN = settings.TOKEN", py), "TOKEN = settings.TOKEN");
    assert.equal(redact('SECRET_KEY = "abc123"', py), `SECRET_KEY = "${REDACTED}"`);
    assert.equal(redact("PIN_SECRET = 123456", py), `PIN_SECRET = ${REDACTED}`);
    assert.equal(redact("TOKEN = get('x') or 'ghp_0123456789abcdefABCDEF0123456789abcd'", py), `TOKEN = get('x') or '${REDACTED}'`);
    // the same line from a .env or YAML file is a value, whatever it looks like
    assert.equal(redact("SECRET_KEY=env(abc)"), `SECRET_KEY=${REDACTED}`);
  });

  it("credential shapes wherever they appear, and URL passwords", () => {
    assert.equal(redact("key AKIAABCDEFGHIJKLMNOP here"), `key ${REDACTED} here`);
    assert.equal(redact("postgres://shop:s3cret@db/shop"), `postgres://shop:${REDACTED}@db/shop`);
  });

  it("credentials in query strings; other parameters stay", () => {
    assert.equal(
      redact("https://shop.example/export?format=csv&token=eyJhbGciOi.x.y&page=2"),
      `https://shop.example/export?format=csv&token=${REDACTED}&page=2`,
    );
    assert.equal(
      redact("https://b.s3.amazonaws.com/f?X-Amz-Credential=AK%2F2026&X-Amz-Signature=deadbeef&X-Amz-Expires=60"),
      `https://b.s3.amazonaws.com/f?X-Amz-Credential=${REDACTED}&X-Amz-Signature=${REDACTED}&X-Amz-Expires=60`,
    );
    assert.equal(redact("/login/?next=/orders/&sig=abcdef"), `/login/?next=/orders/&sig=${REDACTED}`);
    assert.equal(redact("https://shop.example/search?q=shoes&page=3"), "https://shop.example/search?q=shoes&page=3");
    // an f-string hole is where a value goes, not a value
    assert.equal(redact('redirect(f"/verify?code={code}&next={next}")'), 'redirect(f"/verify?code={code}&next={next}")');
    assert.equal(redact('requests.get("https://api.example/v1?api_key=live_1234abcd")'), `requests.get("https://api.example/v1?api_key=${REDACTED}")`);
  });
});
