import type { FormatSample } from '../format.js';

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

/** The sample's records as objects, with records that are arrays (a JSON-array file read whole) flattened. */
export function sampleObjects(sample: FormatSample): JsonObject[] {
  return sample.records.flatMap((record) => (Array.isArray(record) ? record : [record])).filter(isJsonObject);
}

/** The first `max` lines of the sample text, without line ends. */
export function sampleLines(sample: FormatSample, max = 20): string[] {
  return sample.text.split(/\r?\n/, max);
}
