import { runserverEntrypoints } from "../deploy/audit.js";
import { defineRule, type RuleContext } from "./types.js";

// Dockerfile/compose/Kubernetes/Procfile/systemd commands (and the scripts they run) that start `runserver` outside dev-only files.
function runserverInDeploymentFiles(ctx: RuleContext): void {
  for (const f of runserverEntrypoints(ctx.project)) ctx.report(f);
}

export default defineRule({
  id: "DJANGO-DEPLOY-001",
  title: "Development server used as the production entrypoint",
  severity: "high",
  cwe: "CWE-489",
  owasp: "A05:2021-Security Misconfiguration",
  djangoCheckIds: [],
  description:
    "Detects `manage.py runserver` (including `runserver 0.0.0.0:PORT` and `runserver --insecure`) wired up as the way production starts the app: a Dockerfile `CMD` or `ENTRYPOINT`, a Procfile `web:` process, a compose `command:`, a Kubernetes container `command`/`args`, a systemd `ExecStart` line or Helm values, or a shell script or Makefile target one of these runs (`ENTRYPOINT [\"/entrypoint.sh\"]`, `web: bin/boot.sh`, `make serve`; inside an `if`/`case` on a development-looking condition it is not reported, under any other condition it is reported with low confidence). Files that are clearly for local development only (`docker-compose.override.yml`, `Dockerfile.dev`, `compose.dev.yml`, Makefile `dev` targets, README and docs snippets) are not reported.",
  impact:
    "Django's development server has had no security audit, is single-process by default and is not built to withstand hostile traffic, so an exposed instance is easy to exhaust or abuse. With `--insecure` it also serves static files itself, and it is frequently paired with `DEBUG = True`, which leaks settings and source on errors.",
  fix:
    "Start the app with a production WSGI or ASGI server such as gunicorn, uWSGI, uvicorn or daphne pointing at the project's `wsgi.py`/`asgi.py` module, and serve static files with WhiteNoise, a CDN or the reverse proxy. Keep `runserver` in dev-only compose files or Makefile targets.",
  mitigation:
    "Until the entrypoint is changed, keep the container off the public network behind a reverse proxy that enforces timeouts and size limits, and make sure `DEBUG` is false in that environment.",
  falsePositives:
    "Confirm the file is really used for production: a Dockerfile or compose file that only CI or developers use is not a production entrypoint. Check whether a platform setting (for example a PaaS start command) overrides the command shown in the repository.",
  example: {
    bad: `FROM python:3.12-slim
COPY . /app
WORKDIR /app
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]`,
    good: `FROM python:3.12-slim
COPY . /app
WORKDIR /app
CMD ["gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]`,
    language: "dockerfile",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/ref/django-admin/#runserver",
    "https://docs.djangoproject.com/en/stable/howto/deployment/",
    "https://docs.djangoproject.com/en/stable/howto/deployment/checklist/",
  ],
  checks: [runserverInDeploymentFiles],
});
