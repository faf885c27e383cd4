/** A SyncStore in memory: for tests, tools and a pool run without a database. */
import type { SyncedBlock, SyncStore } from './sync-types.js';

export class MemorySyncStore implements SyncStore {
  private readonly blocks = new Map<number, SyncedBlock>();
  private last: number | undefined;

  async lastSyncedHeight(): Promise<number | undefined> {
    return this.last;
  }

  async previousWinnersFor(height: number): Promise<readonly string[] | undefined> {
    let best: SyncedBlock | undefined;
    for (const b of this.blocks.values()) if (b.height < height && (!best || b.height > best.height)) best = b;
    return best?.nextPreviousWinners;
  }

  async recordBlock(block: SyncedBlock): Promise<void> {
    this.blocks.set(block.height, block);
    if (this.last === undefined || block.height > this.last) this.last = block.height;
  }

  /** The block recorded at `height`, if any. */
  get(height: number): SyncedBlock | undefined {
    return this.blocks.get(height);
  }

  get size(): number {
    return this.blocks.size;
  }
}
