// The one directory djangoguard keeps machine-local data in: the advisory
// database (`djangoguard db update`) and the parse-tape cache.
import os from "node:os";
import path from "node:path";

/** $XDG_CACHE_HOME/djangoguard, %LOCALAPPDATA%\djangoguard on Windows, else ~/.cache/djangoguard. */
export function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || (process.platform === "win32" ? process.env.LOCALAPPDATA : undefined) || path.join(os.homedir(), ".cache");
  return path.join(base, "djangoguard");
}
