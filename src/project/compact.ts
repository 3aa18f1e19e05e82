// Values an analysis keeps for the whole scan, kept compact. On a 1.5M-line tree
// what the analyses keep is hundreds of megabytes, and three habits of V8 and of
// the source inflate it:
//
// - Strings built with `+` and template literals are trees of concatenation
//   pieces (32 bytes per piece, on top of the text). Reading one character makes
//   V8 flatten the string into one sequential copy, and the collector then drops
//   the pieces.
// - The same short string (a name, a keyword, a template expression) read from
//   thousands of places in the source is a copy each time it is sliced out;
//   interned, it is one string.
// - An array grown by `push` (or made by `filter`) reserves room for 16 more
//   elements: a one-element list costs 176 bytes instead of 56. A copy made by
//   `slice` is exactly as long as the array.

/** `s` as one flat string (same value): for strings built by concatenation that are kept. */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** `a` without spare capacity (a copy when it has elements): for arrays built by `push` that are kept. */
export function exact<T>(a: T[]): T[] {
  return a.length ? a.slice() : a;
}

const INTERNED = new Map<string, string>();
const INTERN_MAX = 200_000;

/** One string for each value: for names and short texts that recur across files
 *  (the table is cleared when full, so it cannot grow without end). */
export function intern(s: string): string {
  let v = INTERNED.get(s);
  if (v === undefined) {
    if (INTERNED.size >= INTERN_MAX) INTERNED.clear();
    v = flat(s);
    INTERNED.set(v, v);
  }
  return v;
}
