/**
 * Typed arrays carved out of shared buffers, for the hundred thousand small series of a stage (two
 * arms per cohort and cell, latency histograms). Every ArrayBuffer costs V8 a zero-filled allocation
 * outside its heap plus bookkeeping at every collection, and V8 collects the whole heap each time
 * such memory grows by some 64 MB; a view of a shared buffer costs a small object on the heap. The
 * first buffer holds `capacityBytes` (what the caller expects to need), later ones 64 kB each, or
 * what one request needs. A buffer lives as long as any of its views. Zero-filled, as a fresh typed array.
 */
export class SeriesArena {
  private buffer: ArrayBuffer;
  private used = 0;

  constructor(capacityBytes = 0, private readonly chunkBytes = 64 * 1024) {
    this.buffer = new ArrayBuffer(Math.max(capacityBytes, 0));
  }

  /** `length` doubles, all 0. */
  float64(length: number): Float64Array {
    const offset = this.take(length * Float64Array.BYTES_PER_ELEMENT);
    return new Float64Array(this.buffer, offset, length);
  }

  /** `length` 32-bit integers, all 0. */
  int32(length: number): Int32Array {
    const offset = this.take(length * Int32Array.BYTES_PER_ELEMENT);
    return new Int32Array(this.buffer, offset, length);
  }

  /** `length` 16-bit integers, all 0. */
  int16(length: number): Int16Array {
    const offset = this.take(length * Int16Array.BYTES_PER_ELEMENT);
    return new Int16Array(this.buffer, offset, length);
  }

  /** The byte offset of `bytes` unused bytes of `this.buffer` (8-byte aligned), starting a new buffer when they do not fit. */
  private take(bytes: number): number {
    if (this.used + bytes > this.buffer.byteLength) {
      this.buffer = new ArrayBuffer(Math.max(this.chunkBytes, bytes));
      this.used = 0;
    }
    const offset = this.used;
    this.used += Math.ceil(bytes / 8) * 8;
    return offset;
  }
}
