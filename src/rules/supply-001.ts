import { advisoryIndexAnalysis, supplyFindings } from "../deps/supply.js";
import { dependenciesAnalysis } from "../deps/packages.js";
import { defineRule, type RuleContext } from "./types.js";

// Advisories for pinned/locked versions (from the configured OSV database), Django past end of support,
// unpinned Django in an application, extra/plain-HTTP/trusted indexes.
function dependencyAudit(ctx: RuleContext): void {
  const { index, problem } = ctx.project.use(advisoryIndexAnalysis);
  const pinned = ctx.project.use(dependenciesAnalysis).requirements.some((r) => r.version && !r.dev);
  if (!index && pinned) {
    ctx.project.note({ path: "", kind: "info", message: `known-vulnerability check skipped: ${problem}; run \`djangoguard db update\` (or \`djangoguard deps --online\`). End-of-support, pinning and index checks still ran.` });
  }
  for (const f of supplyFindings(ctx.project, index)) ctx.report({ path: f.path, span: f.span, message: f.message, severity: f.severity, confidence: f.confidence, key: f.key });
}

export default defineRule({
  id: "DJANGO-SUPPLY-001",
  title: "Vulnerable, unsupported or unpinned dependencies",
  severity: "medium",
  cwe: "CWE-1395",
  owasp: "A06:2021-Vulnerable and Outdated Components",
  djangoCheckIds: [],
  description:
    "Reads Django and other dependencies from `requirements*.txt`, `constraints.txt`, `pyproject.toml` (PEP 621 and Poetry), `poetry.lock`, `Pipfile`/`Pipfile.lock`, `uv.lock` and `setup.cfg`/`setup.py` `install_requires`, and reports pinned or resolved versions with known advisories (OSV data for PyPI; high severity), Django release series past the end of upstream support, Django left unpinned in a deployable application (low), and package-index settings open to dependency confusion or tampering: `--extra-index-url`, index URLs over plain HTTP, and `--trusted-host`.",
  impact:
    "Known vulnerabilities in Django or a library can be exploited with public proof-of-concept code; unsupported Django releases no longer receive security fixes; and extra or non-HTTPS indexes let an attacker substitute a malicious package at install time.",
  fix:
    "Upgrade to a fixed release of each affected package and to a supported Django series (ideally the current LTS), pin versions with hashes in a lock file, and use a single HTTPS index (or a private index that proxies PyPI) instead of `--extra-index-url` and `--trusted-host`.",
  mitigation:
    "Run dependency audits in CI (e.g. pip-audit against OSV), subscribe to Django security announcements, and apply compensating controls for the specific advisory while the upgrade is prepared.",
  falsePositives:
    "An advisory may concern a feature the project does not use, and a lock file may not be what production installs; check the deployed versions. Unpinned dependencies in a reusable library (not a deployable app) are expected.",
  example: {
    bad: `--extra-index-url http://pypi.internal.example/simple
--trusted-host pypi.internal.example
Django==3.2.10
requests`,
    good: `--index-url https://pypi.internal.example/simple
Django==5.2.8
requests==2.32.5`,
    language: "text",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/internals/release-process/#supported-versions",
    "https://docs.djangoproject.com/en/stable/internals/security/",
    "https://osv.dev/",
  ],
  checks: [dependencyAudit],
});
