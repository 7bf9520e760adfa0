import { describe, expect, it } from 'vitest';
import { SeriesArena } from '../../src/evaluate/series-arena.js';

describe('SeriesArena', () => {
  it('gives zero-filled arrays that do not overlap', () => {
    const arena = new SeriesArena(64);
    const [a, b, c] = [arena.float64(3), arena.int16(3), arena.int32(5)];
    a.fill(1.5);
    b.fill(-2);
    c.fill(7);
    expect([...a, ...b, ...c]).toEqual([1.5, 1.5, 1.5, -2, -2, -2, 7, 7, 7, 7, 7]);
    expect(arena.float64(2)).toEqual(new Float64Array(2));
  });
  it('starts a new buffer when a request does not fit, as large as the request needs', () => {
    const arena = new SeriesArena(16, 32);
    const big = arena.float64(10);
    expect(big.length).toBe(10);
    expect(arena.float64(1).buffer).not.toBe(big.buffer);
  });
  it('carves from SharedArrayBuffers, whose memory V8 does not count as external', () => {
    expect(new SeriesArena(64).float64(1).buffer).toBeInstanceOf(SharedArrayBuffer);
  });
  it('aligns a double after a 16-bit array to 8 bytes', () => {
    const arena = new SeriesArena(64);
    arena.int16(3);
    expect(arena.float64(1).byteOffset % 8).toBe(0);
  });
});
