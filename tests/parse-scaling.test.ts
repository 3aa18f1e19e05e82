// Scan time grows roughly linearly with module size: a generated 20,000-line
// module must not cost much more than 10x a 2,000-line one. Not a wall-clock
// test: both sizes are measured in the same run on the same machine, as CPU time
// of this process (other processes on a busy machine do not count), best of 2,
// and only their ratio is checked, with a generous allowance. Quadratic work
// anywhere in parse → AST → rules would show up as a ratio near 100.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { scan } from "../src/scan.js";

function block(i: number): string {
  return `
class Widget${i}(Base):
    """Widget number ${i}."""

    limit = ${i % 97}

    def __init__(self, owner, items=None):
        self.owner = owner
        self.items = list(items or [])
        self.index = {item.key: item for item in self.items if item.key}

    def total(self, rate=1.0):
        total = 0
        for item in self.items:
            if item.price > self.limit and not item.hidden:
                total += item.price * rate
            elif item.price < 0:
                raise ValueError(f"negative price on {item.key!r} in widget ${i}")
        return round(total, 2)

    def describe(self):
        parts = [str(x) for x in self.items[:3]]
        return "Widget ${i}: " + ", ".join(parts) + (" ..." if len(self.items) > 3 else "")


def handler_${i}(request, pk):
    widget = load_widget(pk, user=request.user)
    data = {"id": pk, "total": widget.total(), "label": widget.describe(), "n": ${i}}
    return respond(request, data, status=200)
`;
}

function moduleOf(lines: number): string {
  let s = "import json\nimport logging\n\nfrom .base import Base, load_widget, respond\n\nlogger = logging.getLogger(__name__)\n";
  for (let i = 0; countLines(s) < lines; i++) s += block(i);
  return s;
}

function countLines(s: string): number {
  return s.split("\n").length;
}

let dirSmall: string;
let dirLarge: string;

before(() => {
  dirSmall = fs.mkdtempSync(path.join(os.tmpdir(), "dg-scale-s-"));
  dirLarge = fs.mkdtempSync(path.join(os.tmpdir(), "dg-scale-l-"));
  fs.writeFileSync(path.join(dirSmall, "widgets.py"), moduleOf(2_000));
  fs.writeFileSync(path.join(dirLarge, "widgets.py"), moduleOf(20_000));
});

after(() => {
  fs.rmSync(dirSmall, { recursive: true, force: true });
  fs.rmSync(dirLarge, { recursive: true, force: true });
});

async function cpuOfScan(dir: string): Promise<{ cpuMs: number; lines: number }> {
  let best = Infinity;
  let lines = 0;
  for (let k = 0; k < 2; k++) {
    const c0 = process.cpuUsage();
    // no tape cache: the parser itself is what is timed
    const r = await scan(dir, { workers: 0, cacheDir: null });
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000);
    lines = r.summary.lines;
  }
  return { cpuMs: best, lines };
}

describe("scan time vs module size", () => {
  it("a 20,000-line module costs roughly 10x a 2,000-line one, not 100x", async (t) => {
    await scan(dirSmall, { workers: 0, cacheDir: null }); // warm-up: module loading, wasm, JIT
    const small = await cpuOfScan(dirSmall);
    const large = await cpuOfScan(dirLarge);
    assert.ok(small.lines >= 2_000 && small.lines < 2_100, `small module has ${small.lines} lines`);
    assert.ok(large.lines >= 20_000 && large.lines < 20_100, `large module has ${large.lines} lines`);
    const sizeRatio = large.lines / small.lines;
    const timeRatio = large.cpuMs / Math.max(small.cpuMs, 1);
    t.diagnostic(`CPU ${small.cpuMs.toFixed(0)} ms for ${small.lines} lines, ${large.cpuMs.toFixed(0)} ms for ${large.lines} lines: ${timeRatio.toFixed(1)}x`);
    // Linear would be ~10x; allow 3x on top for GC and cache effects. Quadratic is ~100x.
    assert.ok(
      timeRatio < sizeRatio * 3,
      `20k-line module took ${large.cpuMs.toFixed(0)} ms CPU vs ${small.cpuMs.toFixed(0)} ms for 2k lines: ${timeRatio.toFixed(1)}x for ${sizeRatio.toFixed(1)}x the size`,
    );
  });
});
