// --format json: the ScanResult as is (schema in docs/json-format.md). The
// library API returns the same object.
import type { ScanResult } from "../scan.js";

export function formatJson(result: ScanResult): string {
  return JSON.stringify(result, null, 2) + "\n";
}
