// Bytes → text, the way Python reads source: UTF-8 by default, a BOM wins, a
// PEP 263 coding cookie on line 1 or 2 chooses another codec. Invalid bytes are
// replaced (and noted) so the scan can go on.
import { TextDecoder } from "node:util";

export type DecodeResult =
  | { ok: true; text: string; encoding: string; warning?: string }
  | { ok: false; reason: "binary" };

const COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

export function looksBinary(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, 8192);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

export function decodeSource(buf: Uint8Array, isPython: boolean): DecodeResult {
  const r = decodeBytes(buf, isPython);
  // Python treats a lone CR as a line break; tree-sitter and our line tables count
  // only LF. Same length, so every offset stays put.
  if (r.ok && isPython && r.text.includes("\r")) r.text = r.text.replace(/\r(?!\n)/g, "\n");
  return r;
}

function decodeBytes(buf: Uint8Array, isPython: boolean): DecodeResult {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return decodeWith(buf.subarray(3), "utf-8");
  }
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    return decodeWith(buf.subarray(2), buf[0] === 0xff ? "utf-16le" : "utf-16be");
  }
  if (looksBinary(buf)) return { ok: false, reason: "binary" };
  if (isPython) {
    // The cookie must be on line 1 or 2 and is ASCII, so a latin1 peek is safe.
    const head = Buffer.from(buf.subarray(0, 400)).toString("latin1").split(/\r?\n/, 2);
    for (const line of head) {
      const m = COOKIE.exec(line);
      if (m) {
        const enc = normaliseCodec(m[1]!);
        if (enc !== "utf-8") return decodeWith(buf, enc);
        break;
      }
      // PEP 263: line 2 counts only when line 1 is a comment or blank.
      if (!/^[ \t\f]*(#.*)?\r?$/.test(line)) break;
    }
  }
  return decodeWith(buf, "utf-8");
}

function decodeWith(buf: Uint8Array, encoding: string): DecodeResult {
  // WHATWG's "latin1" is windows-1252; Python's latin-1 is ISO-8859-1 proper.
  if (encoding === "latin1") return { ok: true, text: Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString("latin1"), encoding };
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    const text = new TextDecoder("utf-8").decode(buf);
    return { ok: true, text, encoding: "utf-8", warning: `unknown coding '${encoding}' declared; read as UTF-8` };
  }
  try {
    return { ok: true, text: decoder.decode(buf), encoding };
  } catch {
    const text = new TextDecoder(encoding).decode(buf);
    return { ok: true, text, encoding, warning: `invalid ${encoding} bytes replaced with U+FFFD` };
  }
}

function normaliseCodec(name: string): string {
  const n = name.toLowerCase().replace(/_/g, "-");
  if (n === "utf8" || n === "utf-8" || n.startsWith("utf-8-")) return "utf-8";
  if (n === "latin-1" || n === "latin1" || n === "iso-8859-1" || n === "iso8859-1" || n === "l1" || n === "iso-latin-1") return "latin1";
  if (n === "ascii" || n === "us-ascii") return "utf-8";
  return n;
}
