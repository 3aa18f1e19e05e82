// JavaScript that reads the CSRF cookie: static JS files and inline <script>
// blocks of templates. With CSRF_COOKIE_HTTPONLY (or CSRF_USE_SESSIONS) on,
// `document.cookie` never contains the token, so such code silently sends no
// token — and the usual "fix" is csrf_exempt.
import type { Project } from "../project/project.js";
import type { Span } from "../python/ast.js";
import { templatesAnalysis } from "./model.js";

export interface CookieRead {
  path: string;
  span: Span;
  /** the line as written */
  code: string;
  /** where the script lives: "static JavaScript" or "an inline <script> in a template" */
  where: string;
}

const COOKIE_READ = /document\s*\.\s*cookie/;

/**
 * Lines that read the CSRF cookie: a script that reads document.cookie and names
 * the cookie (`getCookie('csrftoken')`, a regex on `csrftoken=`). Reported at the
 * line naming the cookie (or at the document.cookie line when it names it itself).
 */
function readsIn(text: string, base: number, cookieName: string): { start: number; end: number }[] {
  if (!COOKIE_READ.test(text)) return [];
  const out: { start: number; end: number }[] = [];
  const name = new RegExp(`["'\`/]${cookieName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(=|["'\`])`, "g");
  for (const m of text.matchAll(name)) out.push({ start: base + m.index!, end: base + m.index! + m[0].length });
  return out;
}

export function csrfCookieReads(project: Project, cookieName: string): CookieRead[] {
  const out: CookieRead[] = [];
  const add = (path: string, text: string, offsets: { start: number; end: number }[], where: string) => {
    const seenLines = new Set<number>();
    for (const o of offsets) {
      const before = text.slice(0, o.start);
      const line = before.split("\n").length;
      if (seenLines.has(line)) continue;
      seenLines.add(line);
      const col = o.start - (before.lastIndexOf("\n") + 1) + 1;
      const code = (text.split("\n")[line - 1] ?? "").trim();
      out.push({ path, span: { line, col, endLine: line, endCol: col + (o.end - o.start) }, code, where });
    }
  };
  for (const f of project.ofKind("static-js")) add(f.path, f.text, readsIn(f.text, 0, cookieName), "static JavaScript");
  for (const t of project.use(templatesAnalysis).templates) {
    for (const s of t.scripts) {
      if (s.kind !== "script") continue;
      add(t.file.path, t.file.text, readsIn(t.file.text.slice(s.start, s.end), s.start, cookieName), "an inline <script> in a template");
    }
  }
  return out;
}
