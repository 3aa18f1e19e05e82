// Strings an analysis keeps for the whole scan (qualified names, trace notes,
// resolved template expressions) are built with `+` and template literals, which
// V8 represents as a tree of concatenation pieces: 32 bytes per piece, on top of
// the pieces' own text. Reading one character makes V8 flatten the string into
// one sequential copy and the collector then drops the pieces, which on a
// 1.5M-line tree is tens of megabytes of peak memory.

/** `s` as one flat string (same value): call it on strings built by concatenation that are kept. */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}
