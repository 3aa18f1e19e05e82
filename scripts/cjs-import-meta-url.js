// Injected into the CommonJS bundles (scripts/bundle.mjs): `import.meta.url` becomes
// the bundle's own file URL, as it is in an ES module.
export const import_meta_url = require("node:url").pathToFileURL(__filename).href;
