/**
 * The grader testdata block format (pegnet/pegnet modules/grader/testdata, and
 * test/fixtures/grader; docs/pegnet.md section 7): Height, PreviousWinners, Entries [{Hash hex, ExtIDs base64,
 * Content base64}], optional Version and LxrBits. Bad input is a coded error.
 */
import { ProsperError } from '../errors.js';
import { isOprVersion, MAINNET_ACTIVATIONS, oprVersionAt, type ActivationHeights, type OprVersion } from './activation.js';
import type { OprEntryInput } from './grade.js';

export interface BlockFile {
  readonly height: number;
  readonly version: OprVersion;
  readonly previousWinners: string[];
  readonly entries: OprEntryInput[];
  /** The table size the file was graded with, when it says. */
  readonly lxrBits?: number;
  /** Expected winners, when the file carries them. */
  readonly winners?: string[];
}

const bad = (msg: string) => new ProsperError('PROSPER_E_PEGNET_BLOCK_FILE', msg);
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

function b64(v: unknown, what: string): Uint8Array {
  if (typeof v !== 'string' || v.length % 4 !== 0 || !B64.test(v)) throw bad(`${what} is not standard base64`);
  return new Uint8Array(Buffer.from(v, 'base64'));
}

function stringList(v: unknown, what: string): string[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw bad(`${what} must be a list of strings`);
  return v as string[];
}

export function parseBlockFile(text: string, acts: ActivationHeights = MAINNET_ACTIVATIONS): BlockFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw bad(`not JSON: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad('block file must be a JSON object');
  const d = doc as Record<string, unknown>;
  const height = d.Height;
  if (typeof height !== 'number' || !Number.isInteger(height) || height < 0 || height > 0x7fffffff) throw bad('Height must be an int32 >= 0');
  let version: OprVersion;
  if (d.Version === undefined) version = oprVersionAt(height, acts);
  else if (isOprVersion(d.Version)) version = d.Version;
  else throw bad('Version must be 1..5');
  if (!Array.isArray(d.Entries)) throw bad('Entries must be a list');
  const entries = d.Entries.map((e: unknown, i: number): OprEntryInput => {
    if (typeof e !== 'object' || e === null) throw bad(`Entries[${i}] must be an object`);
    const r = e as Record<string, unknown>;
    if (typeof r.Hash !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(r.Hash)) throw bad(`Entries[${i}].Hash must be hex`);
    if (!Array.isArray(r.ExtIDs)) throw bad(`Entries[${i}].ExtIDs must be a list`);
    return {
      entryHash: new Uint8Array(Buffer.from(r.Hash, 'hex')),
      extIds: r.ExtIDs.map((x: unknown, k: number) => b64(x, `Entries[${i}].ExtIDs[${k}]`)),
      content: r.Content === null || r.Content === undefined ? new Uint8Array(0) : b64(r.Content, `Entries[${i}].Content`),
    };
  });
  const lxrBits = d.LxrBits;
  if (lxrBits !== undefined && (typeof lxrBits !== 'number' || !Number.isInteger(lxrBits))) throw bad('LxrBits must be an integer');
  return {
    height,
    version,
    previousWinners: stringList(d.PreviousWinners, 'PreviousWinners'),
    entries,
    ...(lxrBits !== undefined ? { lxrBits } : {}),
    ...(d.Winners !== undefined ? { winners: stringList(d.Winners, 'Winners') } : {}),
  };
}
