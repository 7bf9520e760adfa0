/**
 * Typed arrays carved out of shared buffers, for the hundred thousand small series of a stage (two
 * arms per cohort and cell, latency histograms). Every ArrayBuffer costs V8 a zero-filled allocation
 * outside its heap plus bookkeeping at every collection, and V8 collects the whole heap each time
 * such memory grows by some 64 MB; a view of a shared buffer costs a small object on the heap. The
 * first buffer holds `capacityBytes` (what the caller expects to need), later ones 64 kB each, or
 * what one request needs. A buffer lives as long as any of its views. Zero-filled, as a fresh typed array.
 *
 * The buffers are SharedArrayBuffers (never shared with a worker): V8 (11, in Node 20) leaves shared
 * backing stores out of an isolate's external memory, so allocating a stage's arena, some 250 MB
 * for 10k cohorts, does not start a collection of the whole heap (in the evaluate bench a
 * mark-compact of the ~700 MB heap, mostly the rows just read, for ~150 ms of CPU). The cost: V8
 * does not weigh that memory when it schedules collections, so a dead arena is freed by the next
 * one that runs for the heap's own sake. Views read and write as those of an ArrayBuffer.
 */
export class SeriesArena {
  private buffer: SharedArrayBuffer;
  private used = 0;

  constructor(capacityBytes = 0, private readonly chunkBytes = 64 * 1024) {
    this.buffer = new SharedArrayBuffer(Math.max(capacityBytes, 0));
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
      this.buffer = new SharedArrayBuffer(Math.max(this.chunkBytes, bytes));
      this.used = 0;
    }
    const offset = this.used;
    this.used += Math.ceil(bytes / 8) * 8;
    return offset;
  }
}
