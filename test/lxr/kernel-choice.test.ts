import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoKernelName, autoKernelReason, l2CacheBytes } from '../../src/lxr/kernels/index.js';
import { createHasher, createTableInMemory, loadNativeAddon } from '../../src/lxr/index.js';

describe("the 'auto' kernel", () => {
  const native = loadNativeAddon() !== null;
  it('is 16 lockstep lanes for a table in L2, 32 prefetching lanes beyond, js4 without the addon', () => {
    const l2Bits = Math.log2(l2CacheBytes());
    assert.ok(l2Bits >= 10 && l2Bits <= 30, `L2 of ${l2CacheBytes()} bytes`);
    assert.equal(autoKernelName(Math.floor(l2Bits), true), 'native16');
    assert.equal(autoKernelName(30, true), 'native32p');
    assert.equal(autoKernelName(30, false), 'js4');
    assert.match(autoKernelReason(30, true), /prefetching/);
  });
  it('is what a hasher gets by default, so the miner threads and validation workers (both createHasher with auto) use it', () => {
    for (const bits of [12, 16]) {
      const table = createTableInMemory(bits);
      assert.equal(createHasher(table).kernel.name, autoKernelName(bits, native));
      assert.equal(createHasher(table, 'auto').kernel.name, autoKernelName(bits, native));
    }
  });
});
