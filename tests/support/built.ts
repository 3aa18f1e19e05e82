// Tests of the compiled and bundled code (dist/, built by `npm test` first): a file
// missing outside CI skips the test with a note; under CI=true it is a failure.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The path of `rel` (relative to the repository), or null when it is not built (the test is skipped). */
export function builtFile(t: TestContext, rel: string): string | null {
  const file = path.join(REPO, rel);
  if (fs.existsSync(file)) return file;
  if (process.env.CI === "true") assert.fail(`dist/ not built (${file}) under CI=true`);
  t.skip(`dist/ not built (${file}); run npm run build`);
  return null;
}
