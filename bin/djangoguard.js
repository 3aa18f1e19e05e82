#!/usr/bin/env node
// The bundled CLI (scripts/bundle.mjs): one module to load instead of ~170.
import "../dist/djangoguard.js";
