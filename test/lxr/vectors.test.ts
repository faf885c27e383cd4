import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createHasher, createTableInMemory, availableKernels, loadOrCreateTable, tableFileName, defaultTableDir, type LxrTable } from '../../src/lxr/index.js';
import { lxrVectorFile } from '../helpers/lxr-vectors.js';

const data = lxrVectorFile();

const full = process.env.PROSPER_TEST_FULL === '1';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const kernels = availableKernels();

async function tableFor(bits: number): Promise<LxrTable | undefined> {
  if (bits <= 24) return createTableInMemory(bits);
  // The 1 GiB table: only when asked for (npm run test:full) or already cached.
  const cached = existsSync(`${defaultTableDir()}/${tableFileName(bits)}`);
  if (!full && !cached) return undefined;
  return loadOrCreateTable({ bits });
}

for (const t of data.tables) {
  describe(`LXRHash ${t.map_size_bits}-bit table`, async () => {
    const table = await tableFor(t.map_size_bits);
    it('matches the reference file name, sha256 and first bytes', { skip: table ? false : 'the 30-bit table is not cached; run npm run test:full' }, () => {
      assert.equal(tableFileName(t.map_size_bits), t.table_file_name);
      assert.equal(table!.sha256, t.table_sha256);
      // The vectors file gives the first bytes for the small tables only.
      if (t.table_first_32_bytes_hex !== undefined) assert.equal(hex(table!.bytes.subarray(0, 32)), t.table_first_32_bytes_hex);
      else assert.equal(t.map_size_bits, 30);
    });
    for (const kernel of kernels) {
      it(`kernel ${kernel.name} reproduces every vector`, { skip: table ? false : 'the 30-bit table is not cached' }, () => {
        const hasher = createHasher(table!, kernel.name);
        for (const v of t.vectors) {
          assert.equal(hex(hasher.hash(Buffer.from(v.input_hex, 'hex'))), v.output_hex, `${v.name} with ${kernel.name}`);
        }
      });
      it(`kernel ${kernel.name} batches equal-length inputs lane by lane`, { skip: table ? false : 'the 30-bit table is not cached' }, () => {
        const hasher = createHasher(table!, kernel.name);
        const inputs = t.vectors.map((v) => Buffer.from(v.input_hex, 'hex'));
        // 40-byte variants: two full groups of lanes plus a remainder.
        const base = Buffer.from(t.vectors.find((v) => v.name === 'pattern_0x00..0x27')!.input_hex, 'hex');
        const variants = Array.from({ length: 2 * kernel.lanes + 3 }, (_, i) => { const b = Buffer.from(base); b[39] = i; return b; });
        const batched = hasher.hashMany([...inputs, ...variants]);
        const single = [...inputs, ...variants].map((b) => hasher.hash(b));
        assert.deepEqual(batched.map(hex), single.map(hex));
      });
    }
  });
}

describe('LXRHash known hashes of the reference tests (30 bits)', async () => {
  const table = await tableFor(30);
  for (const kernel of kernels) {
    it(`kernel ${kernel.name}`, { skip: table ? false : 'the 30-bit table is not cached; run npm run test:full' }, () => {
      const hasher = createHasher(table!, kernel.name);
      const known = data.known_hashes_30_bits_from_reference_tests.vectors;
      assert.ok(known.length >= 20);
      const got = hasher.hashMany(known.map((v) => Buffer.from(v.input_hex, 'hex')));
      known.forEach((v, i) => assert.equal(hex(got[i]!), v.output_hex, `input ${v.input_hex}`));
    });
  }
});
