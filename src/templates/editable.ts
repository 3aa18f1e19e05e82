// Which model fields users can write. A text field is "stored XSS" material
// only when something outside the admin lets users set it: a ModelForm or DRF
// ModelSerializer listing it, a CreateView/UpdateView with it in `fields`, or a
// view writing it from request data (`Model.objects.create(body=request.POST[...])`,
// `obj.body = request.POST[...]`). Fields only staff edit in the admin are trusted.
import type { TraceStep } from "../findings.js";
import { defineAnalysis, type Project, type PythonFile } from "../project/project.js";
import type * as A from "../python/ast.js";
import { baseClass, constString, walkBody } from "../python/walk.js";
import { dataflow } from "../dataflow/engine.js";
import { mayHoldRequestData } from "../dataflow/relevance.js";
import { classMro, mroAttribute, type MroEntry } from "../django/classes.js";
import { tryResolveExpr, type ResolvedDef } from "../python/scope.js";
import { modelRef, OriginEval, type ModelRef } from "./origin.js";
import { step } from "../dataflow/taint.js";
import { exact } from "../project/compact.js";

export interface Writer {
  /** fields users can set; "all" for `fields = "__all__"` / exclude lists */
  fields: Set<string> | "all";
  exclude: Set<string>;
  /** fields the form or serializer checks itself: a field class that validates (Meta.field_classes, a declared
   *  field with validators= or its own validate()/clean()), or a clean_<name>()/validate_<name>() method */
  checked?: ReadonlySet<string>;
  step: TraceStep;
}

/** model ClassDef → ways users write it */
export type EditableFields = Map<A.ClassDef, Writer[]>;

function strings(e: A.Expr | undefined): string[] | "all" | null {
  if (!e) return null;
  const s = constString(e);
  if (s === "__all__") return "all";
  if (e.kind === "List" || e.kind === "Tuple") return e.elts.map(constString).filter((x): x is string => x !== null);
  return null;
}

function add(map: EditableFields, model: ModelRef | null, w: Writer): void {
  if (!model) return;
  const l = map.get(model.node) ?? [];
  l.push(w);
  map.set(model.node, l);
}

function metaWriters(project: Project, file: PythonFile, cls: A.ClassDef, map: EditableFields): void {
  const meta = cls.body.find((s): s is A.ClassDef => s.kind === "ClassDef" && s.name === "Meta");
  if (!meta) return;
  const attr = (n: string) => {
    for (const s of meta.body) if (s.kind === "Assign" && s.targets.some((t) => t.kind === "Name" && t.id === n)) return s.value;
    return undefined;
  };
  const modelE = attr("model");
  if (!modelE) return;
  const fields = strings(attr("fields"));
  const exclude = strings(attr("exclude"));
  if (fields === null && exclude === null) return;
  // A Meta with model and fields is how forms and serializers list what users may set, but also how
  // django-filter FilterSets, django-tables2 Tables and graphene types list what they filter or show.
  const mro = classMro(project, { file, node: cls, qualname: `${file.moduleName}.${cls.name}` });
  if (!mro.some((m) => /(Form|Serializer)$/.test(m.qualname))) return;
  const model = modelRef(project, file, modelE);
  add(map, model, {
    fields: fields === null ? "all" : fields === "all" ? "all" : new Set(fields),
    exclude: new Set(exclude === "all" || exclude === null ? [] : exclude),
    checked: checkedFields(project, file, cls, attr("field_classes")),
    step: step(file, cls, "step", `${cls.name} lets users set ${model?.name ?? "the model"} fields`),
  });
}

/**
 * Fields a form or serializer checks itself (Writer.checked): a `clean_<name>()` /
 * `validate_<name>()` method, a declared field given `validators=`, or a field class
 * (declared, or named in Meta.field_classes) that defines validate(), clean() or
 * run_validators() or sets default_validators (pretalx's DocumentFileField).
 */
/** Names of Django's and DRF's generic field bases: their validate() checks nothing about a file. */
const FRAMEWORK_FIELD = /^(Field|WritableField|ReadOnlyField|ModelField|FileField|ImageField)$/;

function checkedFields(project: Project, file: PythonFile, cls: A.ClassDef, fieldClasses: A.Expr | undefined): ReadonlySet<string> {
  const out = new Set<string>();
  const validating = (e: A.Expr): boolean => {
    const d = tryResolveExpr(project, file, e.kind === "Call" ? e.func : e);
    if (d?.node.kind !== "ClassDef") return false;
    let mro: readonly MroEntry[];
    try {
      mro = classMro(project, d as ResolvedDef & { node: A.ClassDef });
    } catch {
      return false;
    }
    // a project's copy of the framework's own bases (Taiga vendors DRF's WritableField and FileField) checks no file
    return mro.some((m) => m.def !== null && !FRAMEWORK_FIELD.test(m.def.node.name) && m.def.node.body.some((st) =>
      (st.kind === "FunctionDef" && /^(validate|clean|run_validators)$/.test(st.name)) ||
      (st.kind === "Assign" && st.targets.some((t) => t.kind === "Name" && t.id === "default_validators"))));
  };
  for (const st of cls.body) {
    if (st.kind === "FunctionDef") {
      const m = /^(?:clean|validate)_(\w+)$/.exec(st.name);
      if (m) out.add(m[1]!);
    } else if (st.kind === "Assign" && st.value.kind === "Call") {
      const call = st.value;
      if (call.keywords.some((k) => k.arg === "validators") || validating(call)) for (const t of st.targets) if (t.kind === "Name") out.add(t.id);
    }
  }
  if (fieldClasses?.kind === "Dict") {
    fieldClasses.keys.forEach((k, i) => {
      const name = k ? constString(k) : null;
      if (name && validating(fieldClasses.values[i]!)) out.add(name);
    });
  }
  return out;
}

/** The model a call writes through keywords: `Model.objects.create(...)` and friends, or `Model(...)`. */
function writtenModel(project: Project, file: PythonFile, c: A.Call): ModelRef | null {
  if (c.func.kind === "Attribute" && /^(create|update|get_or_create|update_or_create)$/.test(c.func.attr) && c.func.value.kind === "Attribute" && c.func.value.attr === "objects") return modelRef(project, file, c.func.value.value);
  if (c.func.kind !== "Name" && c.func.kind !== "Attribute") return null;
  const m = modelRef(project, file, c.func);
  return m && m.node.bases.map(baseClass).some((b) => /Model$/.test(b.kind === "Attribute" ? b.attr : b.kind === "Name" ? b.id : "")) ? m : null;
}

/** Model fields a function writes from request data: `obj.body = request.POST[...]`, `Model.objects.create(body=...)`. */
function requestWriters(project: Project, file: PythonFile, fn: A.FunctionDef, map: EditableFields, ownModel: ModelRef | null): void {
  // elsewhere neither the engine nor OriginEval finds request data, and asking would make the engine analyse
  // nearly every function that assigns an attribute (self.x = ...)
  if (!mayHoldRequestData(dataflow(project), fn)) return;
  const isView = /^(request|req)$/.test(fn.params[0]?.name ?? "") || fn.params[1]?.name === "request";
  // Built on first use: the evaluator walks the whole body, and most functions
  // have nothing it would be asked about.
  let ev: OriginEval | null = null;
  const origin = (e: A.Expr) => (ev ??= new OriginEval(project, file, fn, isView, false)).of(e);
  walkBody(fn.body, {
    stmt: (st) => {
      if (st.kind !== "Assign") return undefined;
      for (const t of st.targets) {
        if (t.kind !== "Attribute") continue;
        if (origin(st.value).kind !== "request") continue;
        // a model's own method writing its field: `self.image = request.FILES["image"]`
        if (ownModel && t.value.kind === "Name" && t.value.id === "self") {
          add(map, ownModel, { fields: new Set([t.attr]), exclude: new Set(), step: step(file, st, "step", `${ownModel.name}.${t.attr} written from request data`) });
          continue;
        }
        const base = origin(t.value);
        if (base.kind === "object" && base.model) add(map, base.model, { fields: new Set([t.attr]), exclude: new Set(), step: step(file, st, "step", `${base.model.name}.${t.attr} written from request data`) });
      }
      return undefined;
    },
    expr: (e) => {
      // A call with no keyword argument writes no named field: skip resolving its callee.
      if (e.kind !== "Call" || !e.keywords.some((k) => k.arg)) return;
      const model = writtenModel(project, file, e);
      if (!model) return;
      const written = new Set<string>();
      for (const k of e.keywords) if (k.arg && origin(k.value).kind === "request") written.add(k.arg);
      if (written.size) add(map, model, { fields: written, exclude: new Set(), step: step(file, e, "step", `${model.name}.${[...written].join(", ")} written from request data`) });
    },
  });
}

/** CreateView/UpdateView with `model` and `fields` along its MRO. */
function editViewWriters(project: Project, file: PythonFile, cls: A.ClassDef, map: EditableFields): void {
  const mro = classMro(project, { file, node: cls, qualname: `${file.moduleName}.${cls.name}` });
  if (!mro.some((m) => m.known && /^(CreateView|UpdateView)$/.test(m.known.name))) return;
  const fields = strings(mroAttribute(mro, "fields")?.value);
  const m = mroAttribute(mro, "model");
  if (fields && m) add(map, modelRef(project, m.owner.def.file, m.value), { fields: fields === "all" ? "all" : new Set(fields), exclude: new Set(), step: step(file, cls, "step", `${cls.name} lets users set these fields`) });
}

export const editableFieldsAnalysis = defineAnalysis("template-editable-fields", (project: Project): EditableFields => {
  const map: EditableFields = new Map();
  for (const f of project.python) {
    if (/(^|\.)(migrations|tests?|admin)(\.|$)/.test(f.moduleName) || /(^|\.)(tests?_\w+|admin)$/.test(f.moduleName)) continue;
    // Asked once per file, not once per class: the test reads the whole file.
    const setsFields = /fields\s*=/.test(f.text);
    for (const s of f.ast.body) {
      if (s.kind !== "ClassDef") continue;
      metaWriters(project, f, s, map);
      if (s.bases.length && setsFields) editViewWriters(project, f, s, map);
    }
    // Every function, methods included; a nested function is read with the one around it.
    // A model's own methods (a top-level model class's) may write its fields through `self`.
    const owners = new Map<A.FunctionDef, ModelRef>();
    for (const s of f.ast.body) {
      if (s.kind !== "ClassDef" || !s.body.some((m) => m.kind === "FunctionDef") || dataflow(project).classInfo(f, s).kind !== "model") continue;
      for (const m of s.body) if (m.kind === "FunctionDef") owners.set(m, { name: s.name, node: s, file: f });
    }
    walkBody(f.ast.body, {
      stmt: (s) => {
        if (s.kind !== "FunctionDef") return undefined;
        requestWriters(project, f, s, map, owners.get(s) ?? null);
        return false;
      },
    });
  }
  for (const [model, writers] of map) map.set(model, exact(writers));
  return map;
});

/** How users can write `model.field`, or null when only staff (admin) or code sets it. */
export function userWriter(project: Project, model: ModelRef, field: string): Writer | null {
  return userWriters(project, model.node, field)[0] ?? null;
}

/** Every way users write the field. */
export function userWriters(project: Project, model: A.ClassDef, field: string): Writer[] {
  const ws = project.use(editableFieldsAnalysis).get(model) ?? [];
  return ws.filter((w) => !w.exclude.has(field) && (w.fields === "all" || w.fields.has(field)));
}
