// Registry of every rule. Generated lists (CLI, docs, SARIF) read from here.
import type { Rule } from "./types.js";

import admin001 from "./admin-001.js";
import api001 from "./api-001.js";
import auth001 from "./auth-001.js";
import authz001 from "./authz-001.js";
import cmd001 from "./cmd-001.js";
import code001 from "./code-001.js";
import config001 from "./config-001.js";
import cors001 from "./cors-001.js";
import csp001 from "./csp-001.js";
import csrf001 from "./csrf-001.js";
import db001 from "./db-001.js";
import deploy001 from "./deploy-001.js";
import deploy002 from "./deploy-002.js";
import deser001 from "./deser-001.js";
import headers001 from "./headers-001.js";
import host001 from "./host-001.js";
import https001 from "./https-001.js";
import log001 from "./log-001.js";
import mass001 from "./mass-001.js";
import path001 from "./path-001.js";
import proxy001 from "./proxy-001.js";
import rate001 from "./rate-001.js";
import redirect001 from "./redirect-001.js";
import secret002 from "./secret-002.js";
import sess001 from "./sess-001.js";
import sess002 from "./sess-002.js";
import sql001 from "./sql-001.js";
import ssrf001 from "./ssrf-001.js";
import supply001 from "./supply-001.js";
import template001 from "./template-001.js";
import upload001 from "./upload-001.js";
import xss001 from "./xss-001.js";

function byId(a: Rule, b: Rule): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Every rule, sorted by ID. */
export const RULES: readonly Rule[] = Object.freeze(
  [
    admin001,
    api001,
    auth001,
    authz001,
    cmd001,
    code001,
    config001,
    cors001,
    csp001,
    csrf001,
    db001,
    deploy001,
    deploy002,
    deser001,
    headers001,
    host001,
    https001,
    log001,
    mass001,
    path001,
    proxy001,
    rate001,
    redirect001,
    secret002,
    sess001,
    sess002,
    sql001,
    ssrf001,
    supply001,
    template001,
    upload001,
    xss001,
  ].sort(byId),
);

const BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));

/** Look a rule up by its public ID (exact match, e.g. "DJANGO-SQL-001"). */
export function getRule(id: string): Rule | undefined {
  return BY_ID.get(id);
}
