/** A value that JSON can carry; what payloads, originals and field values are made of. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of `object` with each value mapped. Keys such as "__proto__" stay plain own keys. */
export function mapValues(object: JsonObject, map: (value: JsonValue) => JsonValue): JsonObject {
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    Object.defineProperty(copy, key, { value: map(value), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
