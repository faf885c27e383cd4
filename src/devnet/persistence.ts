import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ProsperError } from '../errors.js';
import { entryHashOfBytes, parseDirectoryBlock, parseEntryBlock, toHex } from '../factom/index.js';
import type { CompletedBlock } from './chain-store.js';

export const DevnetErrorCode = {
  Storage: 'PROSPER_E_DEVNET_STORAGE',
  Config: 'PROSPER_E_DEVNET_CONFIG',
  Listen: 'PROSPER_E_DEVNET_LISTEN',
} as const;

/** Balances and settings that survive a restart. */
export interface DevnetStateFile {
  readonly version: 1;
  readonly networkId: number;
  readonly ec: Record<string, string>;
  readonly fct: Record<string, string>;
}

/**
 * The data directory: `blocks.jsonl` (one completed block per line, binaries as hex, appended
 * and fsynced at block close) and `state.json` (balances, replaced atomically).
 */
export class DevnetDataDir {
  private readonly blocksPath: string;
  private readonly statePath: string;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.blocksPath = join(dir, 'blocks.jsonl');
    this.statePath = join(dir, 'state.json');
  }

  /**
   * Read and re-verify every stored block (hashes recomputed, heights and prev links checked).
   * A torn last line (crash mid-write) is cut off; corruption before it is an error.
   */
  loadBlocks(): CompletedBlock[] {
    if (!existsSync(this.blocksPath)) return [];
    const text = readFileSync(this.blocksPath, 'utf8');
    const blocks: CompletedBlock[] = [];
    let offset = 0;
    while (offset < text.length) {
      const nl = text.indexOf('\n', offset);
      if (nl < 0) {
        // Torn tail: drop it so the next append starts on a clean line.
        truncateSync(this.blocksPath, Buffer.byteLength(text.slice(0, offset)));
        break;
      }
      const line = text.slice(offset, nl);
      offset = nl + 1;
      blocks.push(this.decodeLine(line, blocks));
    }
    return blocks;
  }

  private decodeLine(line: string, before: CompletedBlock[]): CompletedBlock {
    const fail = (why: string): never => {
      throw new ProsperError(DevnetErrorCode.Storage, `devnet ${this.blocksPath} block ${before.length}: ${why}`);
    };
    let rec: { dblock?: unknown; eblocks?: unknown; entries?: unknown };
    try {
      rec = JSON.parse(line) as typeof rec;
    } catch {
      return fail('not JSON');
    }
    if (typeof rec.dblock !== 'string' || !Array.isArray(rec.eblocks) || !Array.isArray(rec.entries)) return fail('missing fields');
    const dblock = parseDirectoryBlock(Buffer.from(rec.dblock, 'hex'));
    const prev = before[before.length - 1];
    if (dblock.header.dbHeight !== before.length) fail(`height ${dblock.header.dbHeight} out of sequence`);
    if (prev && (!prev.dblock.keyMr.equals(dblock.header.prevKeyMr) || !prev.dblock.fullHash.equals(dblock.header.prevFullHash))) {
      fail('previous-block link broken');
    }
    const eblocks = (rec.eblocks as unknown[]).map((h) => parseEntryBlock(Buffer.from(String(h), 'hex')));
    const listed = new Set(dblock.entries.map((e) => toHex(e.keyMr)));
    for (const eb of eblocks) if (!listed.has(toHex(eb.keyMr))) fail('entry block not listed in its directory block');
    const entries = new Map<string, Buffer>();
    for (const h of rec.entries as unknown[]) {
      const bytes = Buffer.from(String(h), 'hex');
      entries.set(toHex(entryHashOfBytes(bytes)), bytes);
    }
    return { dblock, eblocks, entries };
  }

  appendBlock(block: CompletedBlock): void {
    const line =
      JSON.stringify({
        height: block.dblock.header.dbHeight,
        dblock: toHex(block.dblock.bytes),
        eblocks: block.eblocks.map((e) => toHex(e.bytes)),
        entries: [...block.entries.values()].map((b) => toHex(b)),
      }) + '\n';
    const fd = openSync(this.blocksPath, 'a');
    try {
      writeSync(fd, line);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  loadState(): DevnetStateFile | undefined {
    if (!existsSync(this.statePath)) return undefined;
    try {
      const s = JSON.parse(readFileSync(this.statePath, 'utf8')) as DevnetStateFile;
      if (s.version !== 1 || typeof s.ec !== 'object' || typeof s.fct !== 'object') throw new ProsperError(DevnetErrorCode.Storage, 'unknown layout');
      return s;
    } catch (err) {
      throw new ProsperError(DevnetErrorCode.Storage, `devnet ${this.statePath} unreadable: ${(err as Error).message}`);
    }
  }

  saveState(state: DevnetStateFile): void {
    const tmp = this.statePath + '.tmp';
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.statePath);
  }
}
