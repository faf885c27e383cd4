/**
 * Splits a TCP byte stream into lines with a hard length cap, so a hostile client cannot grow
 * memory by never sending a newline. Bytes are decoded as strict UTF-8 per line.
 */
export type LineEvent = { ok: true; line: string } | { ok: false; reason: 'invalid-utf8' };

export class LineTooLongError extends Error {
  constructor(readonly limit: number) {
    super(`line longer than ${limit} bytes`);
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export class LineSplitter {
  private parts: Buffer[] = [];
  private partLength = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Bytes of a line started but not finished. */
  get pendingBytes(): number {
    return this.partLength;
  }

  /** `push`, answering a line over the cap with null instead of throwing. */
  pushWithinCap(chunk: Buffer): LineEvent[] | null {
    try {
      return this.push(chunk);
    } catch (err) {
      if (err instanceof LineTooLongError) return null;
      throw err;
    }
  }

  /**
   * Feeds one chunk; returns the complete lines in it (without `\n` or a trailing `\r`).
   * Empty lines are skipped. Throws LineTooLongError when a line exceeds the cap.
   */
  push(chunk: Buffer): LineEvent[] {
    const out: LineEvent[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      let bytes: Buffer;
      if (this.partLength > 0) {
        if (this.partLength + piece.length > this.maxLineBytes) throw new LineTooLongError(this.maxLineBytes);
        bytes = Buffer.concat([...this.parts, piece], this.partLength + piece.length);
        this.parts = [];
        this.partLength = 0;
      } else {
        if (piece.length > this.maxLineBytes) throw new LineTooLongError(this.maxLineBytes);
        bytes = piece;
      }
      start = nl + 1;
      const end = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
      if (end === 0) continue;
      try {
        out.push({ ok: true, line: decoder.decode(bytes.subarray(0, end)) });
      } catch {
        out.push({ ok: false, reason: 'invalid-utf8' });
      }
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (this.partLength + rest.length > this.maxLineBytes) throw new LineTooLongError(this.maxLineBytes);
      // Copy: the socket may reuse its buffer.
      this.parts.push(Buffer.from(rest));
      this.partLength += rest.length;
    }
    return out;
  }
}
