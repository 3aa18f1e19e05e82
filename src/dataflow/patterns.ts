// Pattern-level checks that sit next to the data-flow engine because they ask
// the same model (classes, fields, views): ModelForm/ModelSerializer exposing
// privileged fields, FileFields without validators, sensitive views without
// sensitive_post_parameters, and credentials hard-coded in code.
import { defineAnalysis, type Project, type PythonFile } from "../project/project.js";
import type * as A from "../python/ast.js";
import { productionAnalysis } from "../django/production.js";
import { qualifiedName, resolveDefinition, type ResolvedDef } from "../python/scope.js";
import { userOwnedModel } from "../django/access.js";
import { classMro, type MroEntry } from "../django/classes.js";
import { userWriter, userWriters } from "../templates/editable.js";
import { baseClass, constString, dottedName, walkBody } from "../python/walk.js";
import { credentialLiteral, mayHoldCredential } from "../credentials.js";
import { isTestCode } from "../discovery/classify.js";
import { REDACTED } from "../redact.js";
import type { ReportInput } from "../rules/types.js";
import { dataflow } from "./engine.js";

/** Fields that grant rights or say whose a row is, on any model. */
const PRIVILEGED = /^(is_staff|is_superuser|is_admin|groups|user_permissions|permissions|owner|user|customer|author|created_by)$/;
/**
 * Fields that are a privilege only where a user edits their own row (an order's `status`
 * or `total`, a membership's `role`, an account's `is_active`). On a model no user owns
 * (Nautobot's circuits and devices, a catalogue's products) they are data the editors
 * curate: a circuit's `status`, a provider's `account` number.
 */
const OWNER_PRIVILEGED = /^(is_active|is_verified|is_approved|approved|verified|role|roles|account|price|unit_price|total|amount|balance|credit|credits|discount|cost|fee|status|paid|is_paid)$/;
const USER_MODELS = /(^|\.)(User|AbstractUser|AbstractBaseUser|PermissionsMixin)$/;

interface ModelFields {
  names: string[];
  isUser: boolean;
  /** the project model, when it is one */
  def?: ResolvedDef;
}

function modelFields(project: Project, file: PythonFile, e: A.Expr, depth = 0): ModelFields | null {
  if (depth > 6) return null;
  const q = qualifiedName(project, file, e);
  if (!q) {
    if (e.kind === "Call" && /get_user_model$/.test(dottedName(e.func) ?? "")) return { names: [], isUser: true };
    return null;
  }
  if (/^django\.contrib\.auth\.models\.User$/.test(q) || /get_user_model$/.test(q)) return { names: [], isUser: true };
  const d = resolveDefinition(project, q);
  if (!d || d.node.kind !== "ClassDef") return null;
  const out: ModelFields = { names: [], isUser: false, def: d };
  for (const s of d.node.body) {
    if (s.kind === "Assign" && s.value.kind === "Call" && /Field$|ForeignKey$|OneToOneField$|ManyToManyField$/.test(dottedName(s.value.func) ?? "")) {
      for (const t of s.targets) if (t.kind === "Name") out.names.push(t.id);
    }
  }
  for (const b of d.node.bases) {
    const bq = qualifiedName(project, d.file, baseClass(b)) ?? "";
    if (USER_MODELS.test(bq) && bq.startsWith("django.")) out.isUser = true;
    else if (!bq.startsWith("django.")) {
      const inner = modelFields(project, d.file, b, depth + 1);
      if (inner) { out.names.push(...inner.names); out.isUser ||= inner.isUser; }
    }
  }
  return out;
}

/**
 * A form that only the admin site uses: every reference to it is `form = TheForm` in a ModelAdmin
 * or inline (django-wiki's ArticleForm). Staff with the model's change permission edit through it,
 * which is what the admin is for.
 */
function adminOnlyForm(project: Project, cls: A.ClassDef): boolean {
  let refs = 0;
  let adminRefs = 0;
  for (const f of project.python) {
    if (!f.text.includes(cls.name)) continue;
    walkBody(f.ast.body, {
      stmt: (st) => {
        if (st.kind !== "ClassDef" || !st.bases.some((b) => /(Admin|Inline)$/.test(dottedName(baseClass(b)) ?? ""))) return undefined;
        for (const a of st.body) {
          if (a.kind === "Assign" && a.targets.some((t) => t.kind === "Name" && t.id === "form") && (dottedName(a.value) ?? "").split(".").pop() === cls.name) adminRefs++;
        }
        return undefined;
      },
      expr: (x) => {
        if ((x.kind === "Name" && x.id === cls.name) || (x.kind === "Attribute" && x.attr === cls.name)) refs++;
      },
    });
  }
  return adminRefs > 0 && refs === adminRefs;
}

/** DRF views whose inherited actions deserialize the request with `serializer_class` (create, update). */
const DRF_WRITERS = /(^|\.)(CreateModelMixin|UpdateModelMixin|ModelViewSet|CreateAPIView|UpdateAPIView|ListCreateAPIView|RetrieveUpdateAPIView|RetrieveUpdateDestroyAPIView)$/;

/**
 * The serializers among `names` that some code may hand request data: every
 * reference to the name is read (by name, across the project: two serializers
 * of one name count as one). A reference writes through the serializer when it
 * is constructed with data (`data=`, a second positional argument, `**kwargs`),
 * is the `serializer_class` (or a `get_serializer_class` return) of a view that
 * inherits DRF's create or update or whose methods construct their serializer
 * with data, is a nested field not marked read-only, or is anything we cannot
 * read (a base class, an argument, a registry entry). Constructed with an
 * instance alone, or nested read-only, it only writes a response. A serializer
 * nobody references writes nothing either (Plane defines ~40 such response-only
 * serializers with `fields = "__all__"`).
 */
function serializersTakingInput(project: Project, eng: ReturnType<typeof dataflow>, names: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  const nameOf = (e: A.Expr): string | null => {
    const n = e.kind === "Name" ? e.id : e.kind === "Attribute" ? e.attr : null;
    return n !== null && names.has(n) ? n : null;
  };
  const withData = (c: A.Call) => c.args.length >= 2 || c.args.some((a) => a.kind === "Starred") || c.keywords.some((k) => k.arg === "data" || k.arg === null);
  const readOnly = (c: A.Call) => c.keywords.some((k) => k.arg === "read_only" && k.value.kind === "Constant" && k.value.value === true);
  const writesViews = new Map<A.ClassDef, boolean>();
  /** a view class whose inherited actions or own methods deserialize the request */
  const writingView = (file: PythonFile, cls: A.ClassDef): boolean => {
    let w = writesViews.get(cls);
    if (w !== undefined) return w;
    w = cls.bases.some((b) => DRF_WRITERS.test(dottedName(baseClass(b)) ?? "")) || eng.classInfo(file, cls).mro.some((m) => DRF_WRITERS.test(m.qualname));
    if (!w) {
      walkBody(cls.body, {
        expr: (x) => {
          if (w || x.kind !== "Call" || !withData(x)) return;
          const callee = x.func.kind === "Call" ? x.func.func : x.func;
          if (callee.kind === "Attribute" && /^(get_serializer|get_serializer_class|serializer_class)$/.test(callee.attr)) w = true;
        },
      });
    }
    writesViews.set(cls, w);
    return w;
  };
  for (const file of project.python) {
    const seen = new Set<A.Expr>();
    walkBody(file.ast.body, {
      stmt: (st, ancestors) => {
        const owner = ancestors[ancestors.length - 1];
        // serializer_class = S on a view
        if (st.kind === "Assign" && owner?.kind === "ClassDef" && st.targets.some((t) => t.kind === "Name" && t.id === "serializer_class")) {
          const n = nameOf(st.value);
          if (n !== null) { seen.add(st.value); if (writingView(file, owner)) out.add(n); }
        }
        // def get_serializer_class(self): return S
        if (st.kind === "Return" && st.value) {
          const fn = ancestors.findLast((a): a is A.FunctionDef => a.kind === "FunctionDef");
          const cls = fn && ancestors[ancestors.indexOf(fn) - 1];
          const n = nameOf(st.value);
          if (n !== null && fn?.name === "get_serializer_class" && cls?.kind === "ClassDef") { seen.add(st.value); if (writingView(file, cls)) out.add(n); }
        }
        return undefined;
      },
      expr: (x, st, ancestors) => {
        if (x.kind === "Call") {
          const n = nameOf(x.func);
          if (n === null) return;
          seen.add(x.func);
          // a nested serializer field: written with its parent unless read-only
          const field = st.kind === "Assign" && st.value === x && ancestors[ancestors.length - 1]?.kind === "ClassDef";
          if (withData(x) || (field && !readOnly(x))) out.add(n);
          return;
        }
        const n = nameOf(x);
        if (n !== null && !seen.has(x)) out.add(n);
      },
    });
  }
  return out;
}

/** A model (or a project base it inherits fields from: Plane's BaseModel.created_by) that relates to the user model. */
function ownedByUser(project: Project, def: ResolvedDef): boolean {
  if (def.node.kind !== "ClassDef") return true;
  let mro: readonly MroEntry[];
  try {
    mro = classMro(project, def as ResolvedDef & { node: A.ClassDef });
  } catch {
    return userOwnedModel(project, def) !== false;
  }
  return mro.some((e) => e.def !== null && userOwnedModel(project, e.def) === true);
}

/** ModelForm / ModelSerializer Meta with fields="__all__" or exclude on a model with privileged fields. */
export function massAssignmentMeta(project: Project): ReportInput[] {
  const out: ReportInput[] = [];
  const eng = dataflow(project);
  // serializers are reported once we know which ones take input (a walk of the project, only when there are any)
  const serializers: { name: string; report: ReportInput }[] = [];
  for (const file of project.python) {
    walkBody(file.ast.body, {
      stmt: (s) => {
        if (s.kind !== "ClassDef") return;
        const info = eng.classInfo(file, s);
        if (info.kind !== "form" && info.kind !== "serializer") return;
        const meta = s.body.find((x): x is A.ClassDef => x.kind === "ClassDef" && x.name === "Meta");
        if (!meta) return;
        let model: A.Expr | null = null;
        let fieldsAll: A.Assign | null = null;
        let exclude: A.Assign | null = null;
        for (const m of meta.body) {
          if (m.kind !== "Assign") continue;
          const name = m.targets[0]?.kind === "Name" ? m.targets[0].id : "";
          if (name === "model") model = m.value;
          if (name === "fields" && constString(m.value) === "__all__") fieldsAll = m;
          if (name === "exclude") exclude = m;
        }
        const at = fieldsAll ?? exclude;
        if (!model || !at) return;
        const mf = modelFields(project, file, model);
        if (!mf) return;
        const excluded = new Set(at === exclude && (at.value.kind === "List" || at.value.kind === "Tuple") ? at.value.elts.map((x) => constString(x) ?? "") : []);
        const readOnly = new Set<string>();
        for (const m of meta.body) {
          if (m.kind === "Assign" && m.targets[0]?.kind === "Name" && m.targets[0].id === "read_only_fields" && (m.value.kind === "List" || m.value.kind === "Tuple")) {
            for (const x of m.value.elts) readOnly.add(constString(x) ?? "");
          }
        }
        const declared = new Set(s.body.flatMap((x) => (x.kind === "Assign" ? x.targets.flatMap((t) => (t.kind === "Name" ? [t.id] : [])) : [])));
        const userPriv = mf.isUser ? ["is_staff", "is_superuser", "is_active", "groups", "user_permissions", "password"] : [];
        const owned = mf.isUser || (mf.def ? ownedByUser(project, mf.def) : true);
        const priv = [...new Set([...mf.names.filter((n) => PRIVILEGED.test(n) || (owned && OWNER_PRIVILEGED.test(n))), ...userPriv])].filter((n) => !excluded.has(n) && !readOnly.has(n) && !declared.has(n));
        if (!priv.length || adminOnlyForm(project, s)) return;
        const modelName = dottedName(model) ?? "the model";
        const how = at === fieldsAll ? 'fields = "__all__"' : "exclude";
        const report: ReportInput = {
          path: file.path,
          span: at,
          confidence: "high",
          message: `${s.name} (${info.kind === "form" ? "ModelForm" : "ModelSerializer"}) uses ${how} on ${modelName}, so a request can set ${priv.slice(0, 6).map((p) => `\`${p}\``).join(", ")}${priv.length > 6 ? "…" : ""}; list the fields users may edit explicitly.`,
          symbol: `${s.name}.Meta`,
        };
        if (info.kind === "serializer") serializers.push({ name: s.name, report });
        else out.push(report);
      },
    });
  }
  if (serializers.length) {
    const taking = serializersTakingInput(project, eng, new Set(serializers.map((x) => x.name)));
    for (const { name, report } of serializers) if (taking.has(name)) out.push(report);
  }
  return out;
}

/** Content the code makes itself: `ContentFile(...)`, `File(...)` over its own data. */
const SERVER_CONTENT = /(^|\.)(ContentFile|File|SimpleUploadedFile)$/;

/**
 * Names of file fields the project fills only with content it makes: `job.data_file.save(name, ContentFile(...))`,
 * `obj.report = ContentFile(...)`, `Export.objects.create(data_file=ContentFile(...))`.
 */
const serverWrittenFileFields = defineAnalysis<ReadonlySet<string>>("server-written-file-fields", (project) => {
  const made = new Set<string>();
  // names also written with something else (`FileProxy.objects.create(file=uploaded_file)` beside a ContentFile): not only the server's
  const other = new Set<string>();
  const madeCall = (file: PythonFile, e: A.Expr) => e.kind === "Call" && SERVER_CONTENT.test(qualifiedName(project, file, e.func) ?? dottedName(e.func) ?? "");
  for (const file of project.python) {
    if (!/ContentFile|File\(/.test(file.text)) continue;
    // one function (or the module's own statements) at a time: its local names bound only to such content
    // (Baserow: `data_file = ContentFile(...)`, then `job.data_file.save(None, data_file)`); a parameter is the caller's
    const scan = (body: A.Stmt[], params: ReadonlySet<string>) => {
      const madeLocals = new Set<string>();
      const otherLocals = new Set<string>(params);
      walkBody(body, {
        stmt: (st) => {
          if (st.kind === "FunctionDef" || st.kind === "ClassDef") return false;
          if (st.kind === "Assign") for (const t of st.targets) if (t.kind === "Name") (madeCall(file, st.value) ? madeLocals : otherLocals).add(t.id);
          return undefined;
        },
      });
      const isMade = (e: A.Expr) => madeCall(file, e) || (e.kind === "Name" && madeLocals.has(e.id) && !otherLocals.has(e.id));
      const note = (name: string, e: A.Expr | undefined) => {
        if (!e || e.kind === "Constant") return;
        (isMade(e) ? made : other).add(name);
      };
      walkBody(body, {
        stmt: (st) => {
          if (st.kind === "FunctionDef" || st.kind === "ClassDef") return false;
          if (st.kind === "Assign") for (const t of st.targets) if (t.kind === "Attribute") note(t.attr, st.value);
          return undefined;
        },
        expr: (x) => {
          if (x.kind !== "Call" || x.func.kind !== "Attribute") return;
          if (x.func.attr === "save" && x.func.value.kind === "Attribute") note(x.func.value.attr, x.args[1]);
          if (/^(create|get_or_create|update_or_create|update)$/.test(x.func.attr)) for (const k of x.keywords) if (k.arg) note(k.arg, k.value);
        },
      });
    };
    scan(file.ast.body, new Set());
    walkBody(file.ast.body, {
      stmt: (st) => {
        if (st.kind === "FunctionDef") scan(st.body, new Set(st.params.map((p) => p.name)));
        return undefined;
      },
    });
  }
  return new Set([...made].filter((n) => !other.has(n)));
});

/** models.FileField without validators (ImageField at least checks the content is an image). */
export function fileFieldsWithoutValidators(project: Project): ReportInput[] {
  const out: ReportInput[] = [];
  const eng = dataflow(project);
  for (const file of project.python) {
    walkBody(file.ast.body, {
      stmt: (s) => {
        if (s.kind !== "ClassDef" || eng.classInfo(file, s).kind !== "model") return;
        for (const a of s.body) {
          if (a.kind !== "Assign" || a.value.kind !== "Call") continue;
          const q = qualifiedName(project, file, a.value.func) ?? "";
          if (!/^django\.db\.models\.(fields\.files\.)?FileField$/.test(q)) continue;
          if (a.value.keywords.some((k) => k.arg === "validators")) continue;
          const name = a.targets[0]?.kind === "Name" ? a.targets[0].id : "file";
          // a field no form, serializer or view fills from a request, and that the code fills only with content
          // it makes (Saleor's webhook payloads: ContentFile(...)): nothing uploaded to validate
          if (!userWriter(project, { name: s.name, node: s, file }, name) && project.use(serverWrittenFileFields).has(name)) continue;
          // every form and serializer that lets users set it checks the file itself (pretalx: Meta.field_classes = {"file": DocumentFileField})
          const writers = userWriters(project, s, name);
          if (writers.length && writers.every((w) => w.checked?.has(name))) continue;
          out.push({
            path: file.path,
            span: a,
            confidence: "medium",
            message: `${s.name}.${name} is a FileField without validators: any file type and size a form or view accepts is stored as is; add validators (FileExtensionValidator plus a size/content check) and validate uploads in the form.`,
          });
        }
      },
    });
  }
  return out;
}

const SENSITIVE_VIEW = /log_?in|sign_?in|sign_?up|register|password|passwd|payment|checkout|card/i;

/** Views that read passwords from POST without @sensitive_post_parameters (error reports would include them). */
export function sensitiveViewsWithoutFilter(project: Project): ReportInput[] {
  const out: ReportInput[] = [];
  const eng = dataflow(project);
  for (const fn of eng.fns.values()) {
    if (!fn.isView || fn.cls || fn.requestParam !== 0) continue;
    if (!SENSITIVE_VIEW.test(fn.node.name)) continue;
    if (fn.node.decorators.some((d) => /sensitive_post_parameters|sensitive_variables/.test(exprTextOf(d)))) continue;
    const req = fn.node.params[0]!.name;
    let readsSecret = false;
    walkBody(fn.node.body, {
      expr: (e) => {
        if (readsSecret) return;
        const key = e.kind === "Subscript" ? constString(e.slice) : e.kind === "Call" && e.func.kind === "Attribute" && e.func.attr === "get" ? constString(e.args[0]) : null;
        const base = e.kind === "Subscript" ? e.value : e.kind === "Call" && e.func.kind === "Attribute" ? e.func.value : null;
        if (key && base && /pass|pwd|card|cvv/i.test(key) && new RegExp(`^${req}\\.(POST|data)$`).test(dottedName(base) ?? "")) readsSecret = true;
      },
    });
    if (!readsSecret) continue;
    out.push({
      path: fn.file.path,
      span: { line: fn.node.nameLine, col: fn.node.col, endLine: fn.node.nameLine, endCol: fn.node.col + 4 + fn.node.name.length },
      confidence: "medium",
      message: `${fn.node.name}() reads a password from request.POST without @sensitive_post_parameters: Django's error reports and e-mails would include it in clear text.`,
    });
  }
  return out;
}

function exprTextOf(e: A.Expr): string {
  if (e.kind === "Call") return exprTextOf(e.func);
  return dottedName(e) ?? "";
}

// ------------------------------------------------------------ credentials in code

/** Names of credentials: a name ending in one of these (after `_` or alone). */
const CRED_NAME_ENDINGS = "password|passwd|pwd|secret|token|api_?key|apikey|access_?key|secret_?key|private_?key|client_?secret|auth_?token|credentials?";
const CRED_NAME = new RegExp(`(^|_)(${CRED_NAME_ENDINGS})$`, "i");
/** A file without any of the endings (or `auth=(user, password)`) has no credential-like name. */
const CRED_HINT = new RegExp(`${CRED_NAME_ENDINGS}|\\bauth\\b`, "i");
const NOT_CRED_NAME = /(_url|_uri|_name|_field|_header|_param|_prefix|_path|_file|_env|_var|_length|_len|_type|_id|_label|_help|_regex|_pattern)$/i;

function looksLikePlaceholder(v: string): boolean {
  if (v.length < 8) return true;
  if (/\s/.test(v)) return true;
  if (/^[A-Z][A-Z0-9_]+$/.test(v)) return true; // an environment variable's name
  if (/^(https?|postgres|mysql|redis|amqp):\/\//.test(v)) return true;
  if (/^[<{$%]|[>}]$|^\*+$|x{4,}|change.?me|example|dummy|placeholder|your[-_]|redacted|test|fake|sample/i.test(v)) return true;
  if (/^[./]/.test(v) || /\.(html?|txt|json|py|png|jpe?g|gif|svg|css|js|xml|ya?ml|md|csv|pem|crt|key)$/i.test(v)) return true;
  // a relative path or template name: lower-case segments joined by "/" ("emails/password_reset", "products-list/")
  if (/^[a-z0-9_.-]+(\/[a-z0-9_.-]+)*\/[a-z0-9_.-]*$/.test(v) && /[a-z]{3}/.test(v)) return true;
  return false;
}

/** Words that name a credential; a value made of words, one of them these, names a credential rather than being one. */
const CRED_WORDS = new Set(["password", "passwd", "pwd", "passphrase", "secret", "token", "tokens", "key", "apikey", "credential", "credentials", "otp", "pin", "csrf", "jwt", "auth"]);
/** Name words with which the author says the value is not a real credential. */
const FAKE_NAME_WORDS = new Set(["dummy", "fake", "example", "sample", "placeholder", "test", "mock"]);

const words = (s: string) => s.split(/[_\-.:]+/).filter(Boolean).map((w) => w.toLowerCase());

/**
 * The value is an identifier, not a secret: an enum member's or error code's value
 * (`INVALID_PASSWORD = "invalid_password"`, `JWT_INVALID_TOKEN = "invalid_token"`,
 * `PASSWORD = "Password"`), a field, event or URL name (`"reset_password"`,
 * `"account:password-reset"`), or a value the name itself calls fake (`DUMMY_PASSWORD`).
 * Only values made of letter-only words qualify: anything with digits or mixed-case
 * words ("hunter2-prod", "S3cr3tValue") still counts as a credential.
 */
function looksLikeIdentifier(name: string | null, v: string): boolean {
  const nameWords = name ? words(name.replace(/([a-z])([A-Z])/g, "$1_$2")) : [];
  if (nameWords.some((w) => FAKE_NAME_WORDS.has(w))) return true;
  // letter-only words joined by _ - . or : (no digits, no other punctuation)
  if (!/^[A-Za-z]+([_\-.:][A-Za-z]+)*$/.test(v)) return false;
  // each word all lower-case, all upper-case or Capitalised (not "aBcDeF" random-looking runs)
  const raw = v.split(/[_\-.:]+/);
  if (!raw.every((w) => /^([a-z]+|[A-Z]+|[A-Z][a-z]+)$/.test(w))) return false;
  const vw = words(v);
  // derived from the name: every word of the value is a word of the name ("invalid_token" for JWT_INVALID_TOKEN)
  if (nameWords.length && vw.every((w) => nameWords.includes(w))) return true;
  // names a credential: "password_reset_already_requested", "account:password-reset"
  if (vw.length > 1 && vw.some((w) => CRED_WORDS.has(w))) return true;
  // a namespaced name (URL name, cache key, event): "accounts:login", "sumo:wiki:full-rebuild"
  if (v.includes(":") && v === v.toLowerCase()) return true;
  return false;
}

/**
 * Sample data and samples of configuration: fake or placeholder credentials by design. Fixtures,
 * a configuration template no code can import (a dot in its name: peering-manager's
 * `configuration.example.py`, copied to `configuration.py` and edited), and a development
 * environment's own directory (Nautobot's `development/nautobot_config.py` for its dev containers).
 * (Test code is not parsed unless --include-tests asks for it.)
 */
function isSampleFile(f: PythonFile): boolean {
  return /(^|\/)fixtures\/|(^|\/)[^/]+\.(example|sample|template|tmpl)\.py$|(^|\/)(development|devel)\//.test(f.path);
}

/** Credentials written as literals in Python code outside the settings modules (those are the settings checks'). */
export function hardcodedCredentials(project: Project): ReportInput[] {
  const out: ReportInput[] = [];
  let settingsModules = new Set<string>();
  try {
    settingsModules = new Set(project.use(productionAnalysis).candidates);
  } catch {
    settingsModules = new Set();
  }
  for (const file of project.python) {
    if (settingsModules.has(file.moduleName) || /(^|\.)settings(\.|$)|(^|\.)settings_/.test(file.moduleName) || isSampleFile(file)) continue;
    if (/(^|\/)migrations\//.test(file.path)) continue;
    // Test code (analysed with --include-tests) logs in as its fixture users: a literal
    // under a credential-like name there is test data. A credential-shaped literal is a
    // real key wherever it is committed, so only those are reported in tests.
    const testCode = isTestCode(file.path);
    // Every finding below needs a credential-like name or a credential-shaped literal,
    // both written out in the file: a file that has neither is not walked (most are not).
    if ((testCode || !CRED_HINT.test(file.text)) && !mayHoldCredential(file.text)) continue;
    const seen = new Set<number>();
    const report = (at: A.Span, message: string, confidence: "high" | "medium", value: string) => {
      if (seen.has(at.line)) return;
      seen.add(at.line);
      const lines = project.lines(file.path);
      // the evidence never carries the value, whatever the generic redactor recognises
      const evidence = lines.slice(at.line - 1, Math.min(at.endLine, at.line + 4)).join("\n").split(value).join(REDACTED).trimEnd();
      out.push({ path: file.path, span: at, message, confidence, evidence });
    };
    // `how` names the place in the message; built only for a finding (most values are not string literals)
    const shapedValues = new Set<A.Expr>();
    const nameCheck = (name: string, value: A.Expr, at: A.Span, how: () => string) => {
      const v = constString(value);
      if (v === null) return;
      const shape = credentialLiteral(v);
      if (shape) {
        // reported here, by the name that holds it: not again as a bare literal on its own line
        shapedValues.add(value);
        report(at, `${how()} holds ${shape} written in the code (value redacted); anyone who can read the repository can use it. Load it from the environment or a secret store and rotate it.`, "high", v);
        return;
      }
      if (!testCode && CRED_NAME.test(name) && !NOT_CRED_NAME.test(name) && !looksLikePlaceholder(v) && !looksLikeIdentifier(name, v)) {
        report(at, `${how()} is a hard-coded credential (value redacted); anyone who can read the repository can use it. Load it from the environment or a secret store and rotate it.`, "medium", v);
      }
    };
    walkBody(file.ast.body, {
      stmt: (s) => {
        if (s.kind === "Assign") for (const t of s.targets) {
          const n = t.kind === "Name" ? t.id : t.kind === "Attribute" ? t.attr : null;
          if (n) nameCheck(n, s.value, s, () => `\`${n}\``);
        }
        if (s.kind === "AnnAssign" && s.value && s.target.kind === "Name") { const n = s.target.id; nameCheck(n, s.value, s, () => `\`${n}\``); }
      },
      expr: (e) => {
        if (e.kind === "Call") {
          for (const k of e.keywords) if (k.arg) { const arg = k.arg; nameCheck(arg, k.value, e, () => `the \`${arg}=\` argument of ${dottedName(e.func) ?? "a call"}()`); }
          const authKw = e.keywords.find((k) => k.arg === "auth")?.value;
          if (authKw && authKw.kind === "Tuple" && authKw.elts.length === 2) {
            const pw = constString(authKw.elts[1]);
            if (pw !== null && !testCode && !looksLikePlaceholder(pw) && !looksLikeIdentifier(null, pw)) report(authKw, `the password in \`auth=(...)\` of ${dottedName(e.func) ?? "a call"}() is hard-coded (value redacted); load it from the environment or a secret store.`, "medium", pw);
          }
        }
        if (e.kind === "Dict") {
          // a value several keys share is a label they map to (`{"smtp_host": "mail_settings", "smtp_password": "mail_settings"}`), not a secret
          const shared = new Set<string>();
          const seenValues = new Set<string>();
          for (const v of e.values) {
            const s = constString(v);
            if (s === null) continue;
            if (seenValues.has(s)) shared.add(s);
            seenValues.add(s);
          }
          e.keys.forEach((k, i) => {
            const n = constString(k ?? undefined);
            const v = constString(e.values[i]);
            if (n && (v === null || !shared.has(v))) nameCheck(n, e.values[i]!, e.values[i]!, () => `the "${n}" entry`);
          });
        }
        if (e.kind === "Constant" && e.type === "str" && typeof e.value === "string" && !shapedValues.has(e)) {
          const shape = credentialLiteral(e.value);
          if (shape) report(e, `A string literal holds ${shape} (value redacted); anyone who can read the repository can use it. Load it from the environment or a secret store and rotate it.`, "high", e.value as string);
        }
      },
    });
  }
  return out;
}

