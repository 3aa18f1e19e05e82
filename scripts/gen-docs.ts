// `npm run docs`: writes docs/rules/<ID>.md (one page per rule) and
// docs/rules/README.md (the index) from the rule metadata. tests/docs-rules.test.ts
// fails when the checked-in pages drift from the metadata.
import { promises as fs } from "node:fs";
import path from "node:path";
import { RULES } from "../src/rules/index.js";
import { expectedRuleDocs } from "../src/report/rule-docs.js";

const dir = path.join(import.meta.dirname, "..", "docs", "rules");
await fs.mkdir(dir, { recursive: true });
const expected = expectedRuleDocs(RULES);
for (const existing of await fs.readdir(dir)) {
  if (existing.endsWith(".md") && !expected.has(existing)) await fs.rm(path.join(dir, existing));
}
for (const [name, text] of expected) await fs.writeFile(path.join(dir, name), text);
process.stdout.write(`wrote ${expected.size} files to ${path.relative(process.cwd(), dir) || dir}\n`);
