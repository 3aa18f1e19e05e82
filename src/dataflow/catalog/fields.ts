// What a form, serializer or model field type lets through. A validated value
// of a type listed here is safe for the given sink kinds; any other field type
// (CharField, TextField, URLField, JSONField...) keeps its taint.
import type { SinkKind } from "../kinds.js";

const NUMERIC_ETC = [
  "IntegerField", "FloatField", "DecimalField", "BooleanField", "NullBooleanField", "DateField", "DateTimeField", "TimeField",
  "DurationField", "UUIDField", "ChoiceField", "TypedChoiceField", "MultipleChoiceField", "TypedMultipleChoiceField",
  "ModelChoiceField", "ModelMultipleChoiceField", "SlugField", "PositiveIntegerField", "PositiveSmallIntegerField",
  "PositiveBigIntegerField", "BigIntegerField", "SmallIntegerField", "AutoField", "BigAutoField", "SmallAutoField",
  "ForeignKey", "OneToOneField", "ManyToManyField", "PrimaryKeyRelatedField", "HiddenField", "ReadOnlyField",
];

export const FIELD_SAFE: Readonly<Record<string, readonly SinkKind[] | "all">> = {
  ...Object.fromEntries(NUMERIC_ETC.map((f) => [f, "all" as const])),
  EmailField: ["cmd", "path", "redirect", "ssrf", "code", "template", "deser"],
  GenericIPAddressField: ["sql", "cmd", "path", "redirect", "xss", "code", "template", "deser"],
  IPAddressField: ["sql", "cmd", "path", "redirect", "xss", "code", "template", "deser"],
};

/** Model attributes that are never user text. */
export const CLEAN_MODEL_ATTRS: ReadonlySet<string> = new Set(["pk", "id", "_meta", "DoesNotExist", "objects", "created", "modified", "created_at", "updated_at", "count", "num_items", "quantity", "position", "display_order", "priority"]);

/** Field types that hold uploaded files. */
export const FILE_FIELDS: ReadonlySet<string> = new Set(["FileField", "ImageField"]);
