import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readSample, sampleRecords, SAMPLE_BYTES, SAMPLE_RECORDS } from '../../src/ingest/read-sample.js';
import { tempDir } from './helpers.js';

describe('sampleRecords', () => {
  it('parses JSON Lines, up to 20 records', () => {
    const text = Array.from({ length: 30 }, (_, i) => JSON.stringify({ i })).join('\n');
    expect(sampleRecords(text)).toEqual(Array.from({ length: SAMPLE_RECORDS }, (_, i) => ({ i })));
  });
  it('takes the complete elements of a JSON array cut off mid-element', () => {
    expect(sampleRecords('[{"a":"x]}"},\n {"b":[1,{"c":2}]}, {"d":')).toEqual([{ a: 'x]}' }, { b: [1, { c: 2 }] }]);
  });
  it('parses one whole JSON document', () => {
    expect(sampleRecords('{\n  "events": [\n    {"a": 1}\n  ]\n}\n')).toEqual([{ events: [{ a: 1 }] }]);
  });
  it('returns no records for text that is not JSON', () => {
    expect(sampleRecords('event_id,ts\n1,2\n')).toEqual([]);
    expect(sampleRecords('2026-10-01 08:00:00,123 INFO [org.keycloak.events] type=LOGIN')).toEqual([]);
  });
});

describe('readSample', () => {
  it('reads the first 64 KiB of a file, gunzipping .gz', async () => {
    const dir = await tempDir();
    const line = `${JSON.stringify({ ts: '2026-10-01T00:00:00Z', pad: 'x'.repeat(100) })}\n`;
    const text = line.repeat(2000);
    await writeFile(join(dir, 'big.jsonl'), text);
    await writeFile(join(dir, 'big.jsonl.gz'), gzipSync(text));
    const plain = await readSample(join(dir, 'big.jsonl'));
    const gz = await readSample(join(dir, 'big.jsonl.gz'));
    expect(plain.text).toBe(text.slice(0, SAMPLE_BYTES));
    expect(gz.text).toBe(plain.text);
    expect(gz.records).toHaveLength(SAMPLE_RECORDS);
  });
});
