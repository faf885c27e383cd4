/**
 * Reuses the shared buffers batches travel in, so a steady stream of shares allocates
 * nothing. Sizes are rounded up to a power of two so buffers fit later batches too.
 */
export class BufferPool {
  private readonly free: SharedArrayBuffer[] = [];

  constructor(private readonly keep: number) {}

  take(bytes: number): SharedArrayBuffer {
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i]!;
      if (b.byteLength >= bytes) {
        this.free.splice(i, 1);
        return b;
      }
    }
    return new SharedArrayBuffer(2 ** Math.ceil(Math.log2(Math.max(bytes, 4096))));
  }

  give(buffer: SharedArrayBuffer): void {
    if (this.free.length < this.keep) this.free.push(buffer);
    else {
      // Keep the larger ones: they fit every batch the smaller ones fit.
      this.free.sort((a, b) => a.byteLength - b.byteLength);
      if (this.free[0]!.byteLength < buffer.byteLength) this.free[0] = buffer;
    }
  }

  get size(): number {
    return this.free.length;
  }
}
