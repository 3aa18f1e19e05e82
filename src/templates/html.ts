// HTML context of every template variable. parse5's tokenizer (the WHATWG
// tokenizer, so browsers' own view of the markup) runs over the template with
// every template token masked by a same-length placeholder, so its offsets are
// the template's offsets. Broken or unbalanced HTML is tokenized the way a
// browser would; nothing here throws on bad markup.
import { Tokenizer, TokenizerMode, type TokenHandler } from "parse5";
import type { Token } from "./lexer.js";

export type HtmlContextKind =
  | "text" | "rcdata" | "attr" | "attr-url" | "attr-event" | "attr-style" | "tag"
  | "script" | "script-json" | "script-data" | "style" | "comment";

export interface HtmlContext {
  kind: HtmlContextKind;
  /** element the variable is in (or whose attribute holds it) */
  tag?: string;
  attr?: string;
  /** attribute value quoted with " or ' (false for unquoted values) */
  quoted?: boolean;
  /** the variable is the first non-blank thing in the attribute value (a URL's scheme position) */
  atValueStart?: boolean;
}

export interface FormElement {
  /** offset of `<form` */
  start: number;
  /** offset of `</form>` or of the end of the template when never closed */
  end: number;
  closed: boolean;
  /** raw (unmasked) values of method/action, null when absent */
  method: string | null;
  action: string | null;
}

export interface ScriptElement {
  start: number;
  end: number;
  kind: "script" | "script-json" | "script-data";
}

export interface HtmlModel {
  /** context of each var token, keyed by its start offset */
  contexts: Map<number, HtmlContext>;
  forms: FormElement[];
  scripts: ScriptElement[];
  /** number of start tags: zero for text-only templates */
  tags: number;
}

/** URL attributes a browser fetches as a resource or only records (an image, a video's poster, a quote's source): a javascript: URL there runs nothing. */
const INERT_URL_ATTRS = new Set(["srcset", "poster", "cite", "longdesc", "ping", "background", "lowsrc", "dynsrc", "icon", "manifest"]);
const MEDIA_TAGS = new Set(["img", "video", "audio", "source", "track", "input", "picture"]);

/**
 * Whether a javascript: URL in this attribute can run: links, forms, frames, objects and scripts do;
 * images and media do not (BookWyrm's cover images), nor a `<link>`'s resource (an icon, a stylesheet:
 * browsers fetch it, and none runs a javascript: URL there).
 */
export function urlRunsScript(tag: string | undefined, attr: string | undefined): boolean {
  const a = (attr ?? "").toLowerCase();
  if (INERT_URL_ATTRS.has(a)) return false;
  const t = (tag ?? "").toLowerCase();
  return !((a === "src" && MEDIA_TAGS.has(t)) || (a === "href" && t === "link"));
}

const URL_ATTRS = new Set(["href", "src", "action", "formaction", "srcset", "poster", "data", "background", "cite", "longdesc", "xlink:href", "ping", "manifest", "codebase", "archive", "icon", "dynsrc", "lowsrc"]);
const JS_TYPES = /^(|text\/javascript|application\/javascript|module|text\/ecmascript|application\/ecmascript|application\/x-javascript|text\/jscript)$/i;
const JSON_TYPES = /^(application\/(ld\+)?json|importmap|speculationrules)$/i;

/** Replace template tokens by same-length placeholders; CR and NUL become spaces so offsets survive parse5's preprocessing. */
export function maskTemplate(text: string, tokens: Token[]): string {
  // Comments become blanks; variables and tags become a run of letters (an
  // attribute name, an unquoted value, or plain text — whatever the spot holds).
  // Newlines inside a token are kept so lines still line up.
  const out: string[] = [];
  let at = 0;
  for (const t of tokens) {
    if (t.type === "text" || t.type === "error" || t.from < at) continue;
    out.push(text.slice(at, t.from));
    const fill = t.type === "comment" ? " " : "x";
    const raw = t.raw;
    out.push(raw.includes("\n") ? raw.replace(/[^\n]/g, fill) : fill.repeat(raw.length));
    at = t.to;
  }
  out.push(text.slice(at));
  const masked = out.join("");
  return /[\r\0]/.test(masked) ? masked.replace(/[\r\0]/g, " ") : masked;
}

interface Region {
  start: number;
  end: number;
  ctx: HtmlContext;
  /** the attribute contexts handed out for this region, at and after the value's start (shared by its variables) */
  atStart?: HtmlContext;
  inner?: HtmlContext;
}

/** The tag name as written: a template token glued to it (`<li{{ tab|selected }}>`)
 *  is masked into letters the tokenizer reads as part of the name. */
function writtenTagName(text: string, start: number, tokenized: string): string {
  const m = /^<\/?([A-Za-z][A-Za-z0-9-]*)/.exec(text.slice(start, start + 64));
  return m && m[1]!.length < tokenized.length ? m[1]!.toLowerCase() : tokenized;
}

/** Context of a variable outside any tag or raw-text element (shared: contexts are read, never changed). */
export const TEXT_CONTEXT: HtmlContext = Object.freeze({ kind: "text" });

export function htmlModel(text: string, tokens: Token[]): HtmlModel {
  const masked = maskTemplate(text, tokens);
  const regions: Region[] = [];
  const forms: FormElement[] = [];
  const scripts: ScriptElement[] = [];
  let openForm: FormElement | null = null;
  let tags = 0;
  let rawStart: { tag: string; start: number; kind: HtmlContextKind } | null = null;

  const closeRaw = (at: number) => {
    if (!rawStart) return;
    regions.push({ start: rawStart.start, end: at, ctx: { kind: rawStart.kind, tag: rawStart.tag } });
    if (rawStart.kind === "script" || rawStart.kind === "script-json" || rawStart.kind === "script-data") scripts.push({ start: rawStart.start, end: at, kind: rawStart.kind });
    rawStart = null;
  };

  const handler: TokenHandler = {
    onStartTag(t) {
      const loc = t.location;
      if (!loc) return;
      tags++;
      regions.push({ start: loc.startOffset, end: loc.endOffset, ctx: { kind: "tag", tag: writtenTagName(text, loc.startOffset, t.tagName) } });
      for (const a of t.attrs) {
        const al = loc.attrs?.[a.name];
        if (!al) continue;
        const maskedAttr = masked.slice(al.startOffset, al.endOffset);
        const eq = maskedAttr.indexOf("=");
        if (eq === -1) continue;
        let vs = al.startOffset + eq + 1;
        while (vs < al.endOffset && /\s/.test(masked[vs]!)) vs++;
        const quote = masked[vs] === '"' || masked[vs] === "'";
        const name = a.name.toLowerCase();
        const kind: HtmlContextKind = name.startsWith("on") ? "attr-event" : name === "style" ? "attr-style" : URL_ATTRS.has(name) ? "attr-url" : "attr";
        regions.push({ start: quote ? vs + 1 : vs, end: quote ? al.endOffset - 1 : al.endOffset, ctx: { kind, tag: t.tagName, attr: name, quoted: quote } });
      }
      const raw = (name: string) => {
        const a = t.attrs.find((x) => x.name === name);
        const al = a && loc.attrs?.[name];
        if (!al) return a ? a.value : null;
        const src = text.slice(al.startOffset, al.endOffset);
        const eq = masked.slice(al.startOffset, al.endOffset).indexOf("=");
        return eq === -1 ? "" : src.slice(eq + 1).trim().replace(/^(["'])([\s\S]*)\1$/, "$2");
      };
      if (t.tagName === "form") {
        if (openForm) { openForm.end = loc.startOffset; forms.push(openForm); }
        openForm = { start: loc.startOffset, end: text.length, closed: false, method: raw("method"), action: raw("action") };
      }
      if (t.selfClosing) return;
      switch (t.tagName) {
        case "script": {
          const type = (t.attrs.find((a) => a.name === "type")?.value ?? "").trim();
          tokenizer.state = TokenizerMode.SCRIPT_DATA;
          rawStart = { tag: "script", start: loc.endOffset, kind: JS_TYPES.test(type) ? "script" : JSON_TYPES.test(type) ? "script-json" : "script-data" };
          break;
        }
        case "style": case "xmp": case "iframe": case "noembed": case "noframes":
          tokenizer.state = TokenizerMode.RAWTEXT;
          rawStart = { tag: t.tagName, start: loc.endOffset, kind: t.tagName === "style" ? "style" : "rcdata" };
          break;
        case "textarea": case "title":
          tokenizer.state = TokenizerMode.RCDATA;
          rawStart = { tag: t.tagName, start: loc.endOffset, kind: "rcdata" };
          break;
        case "plaintext":
          tokenizer.state = TokenizerMode.PLAINTEXT;
          rawStart = { tag: t.tagName, start: loc.endOffset, kind: "rcdata" };
          break;
      }
    },
    onEndTag(t) {
      const loc = t.location;
      if (!loc) return;
      if (rawStart && rawStart.tag === t.tagName) closeRaw(loc.startOffset);
      regions.push({ start: loc.startOffset, end: loc.endOffset, ctx: { kind: "tag", tag: writtenTagName(text, loc.startOffset, t.tagName) } });
      if (t.tagName === "form" && openForm) {
        openForm.end = loc.startOffset;
        openForm.closed = true;
        forms.push(openForm);
        openForm = null;
      }
    },
    onComment(t) {
      if (t.location) regions.push({ start: t.location.startOffset, end: t.location.endOffset, ctx: { kind: "comment" } });
    },
    onEof() {
      closeRaw(text.length);
      if (openForm) { forms.push(openForm); openForm = null; }
    },
    onDoctype() {},
    onCharacter() {},
    onNullCharacter() {},
    onWhitespaceCharacter() {},
  };
  const tokenizer = new Tokenizer({ sourceCodeLocationInfo: true }, handler);
  tokenizer.write(masked, true);

  // Innermost region wins: attribute values sit inside their tag region. One
  // sweep over variables and regions in offset order; `active` holds the regions
  // open at the current offset (a handful: tag, attribute, raw-text element).
  regions.sort((a, b) => a.start - b.start || b.end - a.end);
  const contexts = new Map<number, HtmlContext>();
  const vars = tokens.filter((t) => t.type === "var").map((t) => t.from).sort((a, b) => a - b);
  const active: Region[] = [];
  let next = 0;
  for (const at of vars) {
    while (next < regions.length && regions[next]!.start <= at) active.push(regions[next++]!);
    for (let i = active.length - 1; i >= 0; i--) if (active[i]!.end <= at) active.splice(i, 1);
    const best = active[active.length - 1];
    if (!best) { contexts.set(at, TEXT_CONTEXT); continue; }
    // Variables in one region share its context object (one per attribute position).
    if (!best.ctx.kind.startsWith("attr")) { contexts.set(at, best.ctx); continue; }
    const atValueStart = masked.slice(best.start, at).trim() === "";
    // spelled out, not {...best.ctx, atValueStart}: V8 gave each such spread copy a hidden class of its own
    const { kind, tag, attr, quoted } = best.ctx;
    contexts.set(at, atValueStart ? (best.atStart ??= { kind, tag, attr, quoted, atValueStart }) : (best.inner ??= { kind, tag, attr, quoted, atValueStart }));
  }
  return { contexts, forms, scripts, tags };
}
