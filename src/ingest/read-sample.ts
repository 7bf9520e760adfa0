import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { FormatSample } from './format.js';

/** Bytes of (decompressed) text a sample holds. */
export const SAMPLE_BYTES = 64 * 1024;
/** Records a sample parses at most. */
export const SAMPLE_RECORDS = 20;

/** The start of `file` for format detection: its first 64 KiB (gunzipped for `.gz`) and up to 20 JSON records. */
export async function readSample(file: string): Promise<FormatSample> {
  const bytes = await readStart(file, SAMPLE_BYTES);
  // A sample may cut a multi-byte character; the decoder's replacement character there is harmless.
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  return { file, text, records: sampleRecords(text) };
}

async function readStart(file: string, limit: number): Promise<Buffer> {
  const stream: Readable = /\.gz$/i.test(file)
    ? createReadStream(file).pipe(createGunzip())
    : createReadStream(file, { end: limit - 1 });
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= limit) break;
    }
  } catch (error) {
    // A gzip stream cut short still yields the text before the cut; a file that is not gzip at all does not.
    if (length === 0) throw error;
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

/** Up to 20 records: the elements of a JSON array, the lines of JSON Lines, or one whole JSON value. */
export function sampleRecords(text: string): unknown[] {
  const start = text.trimStart();
  if (start.startsWith('[')) return arrayElements(start).slice(0, SAMPLE_RECORDS);
  if (!start.startsWith('{')) return [];
  const lines = start.split(/\r?\n/).filter(line => line.trim() !== '');
  const records: unknown[] = [];
  for (const line of lines.slice(0, SAMPLE_RECORDS)) {
    const value = parseOrUndefined(line);
    if (value === undefined) break;
    records.push(value);
  }
  if (records.length > 0) return records;
  const whole = parseOrUndefined(start);
  return whole === undefined ? [] : [whole];
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The complete top-level elements at the start of a JSON array that may be cut off. */
function arrayElements(text: string): unknown[] {
  const elements: unknown[] = [];
  let depth = 0;
  let inString = false;
  let elementStart = -1;
  for (let i = 0; i < text.length && elements.length < SAMPLE_RECORDS; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      if (depth === 1 && elementStart < 0) elementStart = i;
      depth++;
    } else if (ch === ']' || ch === '}') {
      depth--;
      if (depth === 1 && elementStart >= 0) {
        const value = parseOrUndefined(text.slice(elementStart, i + 1));
        if (value !== undefined) elements.push(value);
        elementStart = -1;
      }
      if (depth === 0) break;
    }
  }
  return elements;
}
