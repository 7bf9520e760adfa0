import type { FormatSample } from '../format.js';
import type { WrapperKey } from './vendor-json.js';

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** Whether a parsed JSON value is an object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path` inside a parsed JSON value, or undefined when any step is missing. */
export function at(value: unknown, ...path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isJsonObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * The sample's records as objects, as `jsonRecords(file, wrappers)` stages them: arrays flattened, an
 * object whose wrapper member is an array replaced by its elements, `{json: …}` envelopes opened.
 */
export function sampleObjects(sample: FormatSample, wrappers: readonly WrapperKey[] = []): JsonObject[] {
  const unwrap = (value: unknown): unknown[] => {
    if (Array.isArray(value)) return value.flatMap(unwrap);
    if (!isJsonObject(value)) return [];
    const key = wrappers.find((name) => Array.isArray(value[name]));
    if (key === undefined) return [value];
    return (value[key] as unknown[]).map((element) => (isJsonObject(element) && isJsonObject(element['json']) ? element['json'] : element));
  };
  return sample.records.flatMap(unwrap).filter(isJsonObject);
}

/** The first `max` lines of the sample text, without line ends. */
export function sampleLines(sample: FormatSample, max = 20): string[] {
  return sample.text.split(/\r?\n/, max);
}
