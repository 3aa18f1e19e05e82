// Small project trees for tests: written into fresh temporary directories, all
// removed when the test process exits (whether the test passed or not).
import { rmSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";

const made: string[] = [];
process.once("exit", () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Write `files` (relative path → text) into a fresh temporary directory; returns its path. */
export async function makeProject(files: Record<string, string>): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "djangoguard-test-"));
  made.push(root);
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), text);
  }
  return root;
}
