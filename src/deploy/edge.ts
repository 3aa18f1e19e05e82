// Facts the deployment files establish that other rules need (RULES.md: "Which
// settings are production", HTTPS-001's "verify at the edge", PROXY-001's
// trustworthy proxy header). Owned by the deployment readers (src/deploy/);
// the settings rules only read it.
import type { Project } from "../project/project.js";
import { defineAnalysis } from "../project/project.js";

/** One piece of evidence: where in which file, and the exact line. */
export interface EdgeEvidence {
  path: string;
  line: number;
  /** the line as written (redacted by the reporter) */
  text: string;
}

export interface EdgeFacts {
  /** TLS is terminated somewhere we can see (nginx `listen 443 ssl`, certificates, k8s ingress tls...) */
  tls: EdgeEvidence | null;
  /** the proxy redirects HTTP to HTTPS (nginx `return 301 https://...`) */
  httpsRedirect: EdgeEvidence | null;
  /** the proxy sets Strict-Transport-Security */
  hsts: (EdgeEvidence & { maxAge: number | null; includeSubDomains: boolean; preload: boolean }) | null;
  /** the proxy overwrites X-Forwarded-Proto (`proxy_set_header X-Forwarded-Proto $scheme`) */
  forwardedProto: EdgeEvidence | null;
  /** the proxy sets a Content-Security-Policy header */
  csp: EdgeEvidence | null;
  /** the proxy limits request bodies (`client_max_body_size`) */
  bodyLimit: EdgeEvidence | null;
  /** DJANGO_SETTINGS_MODULE values set by production deployment files (not dev-only files) */
  settingsModules: (EdgeEvidence & { module: string })[];
  /** environment variables production deployment files set for the app (name → value + where) */
  env: Map<string, EdgeEvidence & { value: string }>;
}

export const edgeAnalysis = defineAnalysis<EdgeFacts>("edge", (project: Project) => computeEdgeFacts(project));

/** Filled in by src/deploy/ readers. */
function computeEdgeFacts(_project: Project): EdgeFacts {
  return { tls: null, httpsRedirect: null, hsts: null, forwardedProto: null, csp: null, bodyLimit: null, settingsModules: [], env: new Map() };
}
