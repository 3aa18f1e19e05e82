import { reportFlows } from "../dataflow/report.js";
import { defineRule, type RuleContext } from "./types.js";

/** Data flow (src/dataflow): untrusted values reaching this rule's sinks. */
function sqlBuiltFromUntrustedData(ctx: RuleContext): void {
  reportFlows(ctx, { why: "The value becomes part of the SQL text, so it can change the query; pass it in `params` instead." });
}

export default defineRule({
  id: "DJANGO-SQL-001",
  title: "SQL injection through raw SQL built from strings",
  severity: "high",
  cwe: "CWE-89",
  owasp: "A03:2021-Injection",
  djangoCheckIds: [],
  description:
    "Detects SQL text passed to `Manager.raw()`, `QuerySet.extra()`, `RawSQL()`, `cursor.execute()`/`executemany()` or other `connection.cursor()` queries when it is assembled with f-strings, `%` formatting, `.format()`, `+` concatenation or `join` over non-constant values. It also reports placeholders wrapped in quotes inside the SQL (`'%s'`) and `params` values that are themselves produced by string formatting. Queries that pass values separately as parameters are not reported.",
  impact:
    "An attacker who controls part of the query can read or modify any data the database user can reach, bypass authentication or authorization filters, and in some configurations execute commands on the database server.",
  fix:
    "Prefer the ORM. When raw SQL is needed, keep the SQL constant and pass values as parameters, e.g. `cursor.execute(\"SELECT * FROM t WHERE id = %s\", [pk])`, with unquoted placeholders. Identifiers such as column names cannot be parameterised: choose them from a fixed allowlist.",
  mitigation:
    "Connect with a database role that has only the privileges the application needs, and validate or cast inputs (e.g. `int()`) at the boundary.",
  falsePositives:
    "Verify that the interpolated piece can be influenced by a user: table or column names taken from constants, an allowlist or `Model._meta` are not exploitable. Quoted placeholders are always a bug but may be unexploitable if the value is cast to a number first.",
  example: {
    bad: `def search(request):
    q = request.GET.get("q", "")
    return Book.objects.raw(f"SELECT * FROM shop_book WHERE title LIKE '%{q}%'")`,
    good: `def search(request):
    q = request.GET.get("q", "")
    return Book.objects.raw("SELECT * FROM shop_book WHERE title LIKE %s", [f"%{q}%"])`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/topics/security/#sql-injection-protection",
    "https://docs.djangoproject.com/en/stable/topics/db/sql/",
    "https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html",
  ],
  checks: [sqlBuiltFromUntrustedData],
});
