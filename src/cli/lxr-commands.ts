import { Command, InvalidArgumentError, Option } from 'commander';
import { createLogger } from '../log.js';
import { KERNEL_NAMES, createHasher, loadOrCreateTable, mapBitsFromEnv, MAX_MAP_BITS, MIN_MAP_BITS, type LxrTable } from '../lxr/index.js';
import { runKernelBench } from '../lxr/bench.js';

/** A --bits value: the LXRHash table size, decimal digits only, within [MIN_MAP_BITS, MAX_MAP_BITS]. Every command's --bits parses with it. */
export function parseBits(value: string): number {
  const bits = Number(value);
  if (!/^\d+$/.test(value) || bits < MIN_MAP_BITS || bits > MAX_MAP_BITS) {
    throw new InvalidArgumentError(`must be an integer in [${MIN_MAP_BITS}, ${MAX_MAP_BITS}]`);
  }
  return bits;
}

function parseHexInput(value: string): Buffer {
  const clean = value.startsWith('0x') ? value.slice(2) : value;
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) throw new InvalidArgumentError('must be an even-length hex string');
  return Buffer.from(clean, 'hex');
}

const bitsOption = () =>
  new Option('--bits <n>', 'table size in bits (default: LXRBITSIZE, else 30)').argParser(parseBits);
const dirOption = () => new Option('--table-dir <dir>', 'folder of the table cache (default ~/.lxrhash)');

async function tableFromOptions(opts: { bits?: number; tableDir?: string }, level: string): Promise<LxrTable> {
  const logger = createLogger({ level: level as 'info', name: 'lxr' });
  return loadOrCreateTable({ bits: opts.bits ?? mapBitsFromEnv(), dir: opts.tableDir, logger });
}

/** `prosper-pool lxr ...`: developer commands for the hash, its table and its kernels. */
export function registerLxrCommands(program: Command): void {
  const lxr = program.command('lxr').description('LXRHash developer tools: hash, table, benchmark');
  lxr
    .command('hash')
    .description('print the 64-hex LXRHash of the input bytes')
    .argument('<hex>', 'input bytes as hex ("" for empty)', parseHexInput)
    .addOption(bitsOption())
    .addOption(dirOption())
    .addOption(new Option('--kernel <name>', 'kernel to use').choices(['auto', ...KERNEL_NAMES]).default('auto'))
    .action(async (input: Buffer, opts: { bits?: number; tableDir?: string; kernel: string }) => {
      const table = await tableFromOptions(opts, 'warn');
      process.stdout.write(Buffer.from(createHasher(table, opts.kernel).hash(input)).toString('hex') + '\n');
    });
  lxr
    .command('gen')
    .description('generate (or load and verify) the table in the cache and print its sha256')
    .addOption(bitsOption())
    .addOption(dirOption())
    .action(async (opts: { bits?: number; tableDir?: string }) => {
      const table = await tableFromOptions(opts, program.opts().log ?? 'info');
      process.stdout.write(table.sha256 + '\n');
    });
  lxr
    .command('bench')
    .description('measure every available kernel (hashes per second, one thread and all cores)')
    .addOption(bitsOption())
    .addOption(dirOption())
    .option('--seconds <s>', 'time per measurement', (v) => Number(v), 2)
    .option('--len <bytes>', 'input length (40 = oprhash + 8-byte nonce)', (v) => Number(v), 40)
    .option('--threads <list>', 'thread counts to measure, comma-separated', (v) => v.split(',').map(Number), [1])
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { bits?: number; tableDir?: string; seconds: number; len: number; threads: number[]; json?: boolean }) => {
      const table = await tableFromOptions(opts, program.opts().log ?? 'info');
      const results = await runKernelBench({ table, seconds: opts.seconds, len: opts.len, threads: opts.threads });
      if (opts.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
      else console.table(results.map((r) => ({ kernel: r.kernel, threads: r.threads, 'hashes/s': Math.round(r.hashesPerSecond), 'per thread': Math.round(r.hashesPerSecond / r.threads) })));
    });
}
