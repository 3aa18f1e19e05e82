import { defineRule } from "./types.js";
import type { RuleContext as SettingsRuleContext } from "./types.js";
import { authSettingProblems, authCodeProblems } from "../django/settings/config-rules.js";

export default defineRule({
  id: "DJANGO-AUTH-001",
  title: "Weak password storage or password policy",
  severity: "high",
  cwe: "CWE-916",
  owasp: "A02:2021-Cryptographic Failures",
  djangoCheckIds: [],
  description:
    "Detects weak or missing password hashing: password fields stored as plain text, `hashlib.md5`/`sha1` applied to passwords, and `MD5PasswordHasher`, `UnsaltedMD5PasswordHasher`, `UnsaltedSHA1PasswordHasher`, `SHA1PasswordHasher` or `CryptPasswordHasher` listed in `PASSWORD_HASHERS` (worst in first position, where it hashes every new password). It also reports an empty `AUTH_PASSWORD_VALIDATORS` (medium), a `MinimumLengthValidator` below 8 characters (low; 12 is recommended), and passwords assigned directly to `user.password` instead of going through `set_password()`.",
  impact:
    "If the database leaks, fast or unsalted hashes and plain-text passwords are recovered almost immediately, exposing users' accounts here and wherever they reused the password. Without validators, users can pick trivially guessable passwords that fall to online guessing.",
  fix:
    "Use Django's defaults: `PBKDF2PasswordHasher` or, better, `Argon2PasswordHasher`/`ScryptPasswordHasher` first in `PASSWORD_HASHERS`, keeping legacy hashers only after them so old hashes are upgraded on login. Store passwords only via `user.set_password()` or `make_password()`, and enable the standard validators with `MinimumLengthValidator` set to at least 12.",
  mitigation:
    "Force a password reset for accounts with legacy hashes, add rate limiting on login (DJANGO-RATE-001), and offer multi-factor authentication.",
  falsePositives:
    "A legacy hasher placed after a strong one is only needed to verify and upgrade old hashes, which is lower risk. Fields named `password` that hold third-party credentials are a secrets issue, not user password storage: a model keeping a password next to a host, server, port or URL field (a mail account, an integration) is reported with low confidence and advice to encrypt it at rest, and assigning `account.password` on an object the function treats as such an account (it reads one of that model's other fields) is not reported.",
  example: {
    bad: `PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

def register(request):
    user = User(username=request.POST["username"])
    user.password = request.POST["password"]
    user.save()`,
    good: `PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

def register(request):
    user = User(username=request.POST["username"])
    user.set_password(request.POST["password"])
    user.save()`,
    language: "python",
  },
  references: [
    "https://docs.djangoproject.com/en/stable/topics/auth/passwords/",
    "https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html",
    "https://cwe.mitre.org/data/definitions/916.html",
  ],
  checks: [passwordHashingAndValidation],
});

// --- settings checks (issue 3): begin ---
// PASSWORD_HASHERS, AUTH_PASSWORD_VALIDATORS, direct user.password assignment, md5/sha1 over passwords, plaintext password fields.
function passwordHashingAndValidation(ctx: SettingsRuleContext): void {
  for (const p of [...authSettingProblems(ctx.project), ...authCodeProblems(ctx.project)]) ctx.report(p);
}
// --- settings checks (issue 3): end ---
