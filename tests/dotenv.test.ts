// The one dotenv reader: --env-file, read_env() in settings, and committed .env
// files read as deployment all get the same values.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dotenvValue, parseDotenv } from "../src/django/settings/dotenv.js";

describe("dotenv values", () => {
  const cases: [rest: string, value: string][] = [
    ["abc", "abc"],
    ["  abc  ", "abc"],
    ["abc # a note", "abc"],
    ["  # only a note", ""],
    ["", ""],
    ["#x", "#x"],
    ["p#ss", "p#ss"],
    ['"a # b"', "a # b"],
    ["'single # quoted'  # note", "single # quoted"],
    ['"line\\nnext"', "line\nnext"],
    ['"say \\"hi\\""', 'say "hi"'],
    ['"C:\\\\path"', "C:\\path"],
    ["${OTHER:-x}", "${OTHER:-x}"],
  ];
  for (const [rest, value] of cases) it(`KEY=${rest} → ${JSON.stringify(value)}`, () => assert.equal(dotenvValue(rest), value));

  it("parses files: export, comments, blank and malformed lines", () => {
    const text = "# header\nexport DEBUG=0\n\nSECRET_KEY='s3cr3t'  # prod\nnot a line\nEMPTY=\n";
    assert.deepEqual(parseDotenv(text), [
      { key: "DEBUG", value: "0", line: 2 },
      { key: "SECRET_KEY", value: "s3cr3t", line: 4 },
      { key: "EMPTY", value: "", line: 6 },
    ]);
  });
});
