#!/usr/bin/env node
// The bundled CLI (scripts/bundle.mjs), compiled from V8's code cache when a
// previous run left one (src/cli/code-cache.ts).
import { loadBundle } from "../dist/cli/code-cache.js";

loadBundle(new URL("../dist/djangoguard.cjs", import.meta.url));
