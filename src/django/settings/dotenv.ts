// dotenv syntax (`--env-file`, django-environ's `read_env`, committed `.env`
// files read as deployment): KEY=VALUE lines, optional `export `, quotes, `#`
// comments, as python-dotenv reads them. The one reader of dotenv values.

export interface DotenvEntry {
  key: string;
  value: string;
  line: number;
}

export function parseDotenv(text: string): DotenvEntry[] {
  const out: DotenvEntry[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=(.*)$/.exec(raw);
    if (!m) return;
    out.push({ key: m[1]!, value: dotenvValue(m[2]!), line: i + 1 });
  });
  return out;
}

/** The value of `KEY=<rest>` (`rest` as written, spaces after `=` included): quotes
 *  removed (`\n` and `\"` decoded in double quotes); unquoted, a `#` after
 *  whitespace starts a comment, so `KEY=  # note` is empty (as Compose reads it)
 *  and `KEY=#x` is "#x". */
export function dotenvValue(rest: string): string {
  let value = rest.trim();
  const q = value[0];
  if (q === "'" && value.length >= 2) {
    const end = value.indexOf(q, 1);
    return end === -1 ? value.slice(1) : value.slice(1, end);
  }
  if (q === '"' && value.length >= 2) {
    // up to the first quote not escaped by a backslash; \n and \" decoded
    let out = "";
    for (let i = 1; i < value.length && value[i] !== '"'; i++) {
      if (value[i] === "\\" && i + 1 < value.length) {
        const c = value[++i]!;
        out += c === "n" ? "\n" : c === '"' || c === "\\" ? c : `\\${c}`;
      } else out += value[i];
    }
    return out;
  }
  const hash = rest.search(/\s#/);
  return (hash === -1 ? rest : rest.slice(0, hash)).trim();
}
