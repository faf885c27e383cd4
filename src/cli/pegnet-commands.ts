import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { ProsperError } from '../errors.js';
import { createTableInMemory, loadOrCreateTable, MAX_MAP_BITS, MIN_MAP_BITS, type LxrTable } from '../lxr/index.js';
import { activationsFromFlags, gradeBlock, inThreadDifficultyComputer, parseBlockFile } from '../pegnet/index.js';
import { parseBits } from './lxr-commands.js';

/** --bits, else LXRBITSIZE, else the size the file says it was graded with, else 30. */
function chooseBits(flag: number | undefined, fileBits: number | undefined): number {
  if (flag !== undefined) return flag;
  const env = process.env.LXRBITSIZE;
  if (env !== undefined && env !== '') {
    if (!/^\d+$/.test(env) || Number(env) < MIN_MAP_BITS || Number(env) > MAX_MAP_BITS) {
      throw new ProsperError('PROSPER_E_PEGNET_BITS', `LXRBITSIZE must be an integer in [${MIN_MAP_BITS}, ${MAX_MAP_BITS}], got '${env}'`);
    }
    return Number(env);
  }
  return fileBits ?? 30;
}

async function tableOf(bits: number): Promise<LxrTable> {
  // Small tables are generated in a moment; big ones come from (or go to) the ~/.lxrhash
  // cache. No logger: stdout carries only the JSON answer.
  if (bits <= 24) return createTableInMemory(bits);
  return loadOrCreateTable({ bits });
}

/** `prosper-pool pegnet ...`: PegNet consensus developer commands. */
export function registerPegnetCommands(program: Command): void {
  const pegnet = program.command('pegnet').description('PegNet consensus developer tools');
  pegnet
    .command('grade')
    .description('grade an OPR block file (grader testdata format) and print {"height", "winners"} as JSON')
    .argument('<file>', 'block JSON: Height, PreviousWinners, Entries [{Hash, ExtIDs, Content}] (Version optional)')
    .addOption(new Option('--bits <n>', 'LXRHash table size (default: LXRBITSIZE, else the file\'s LxrBits, else 30)').argParser(parseBits))
    .option('--verbose', 'also print the graded list and the rejected entries')
    .action(async (file: string, opts: { bits?: number; verbose?: boolean }) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new ProsperError('PROSPER_E_PEGNET_BLOCK_FILE', `cannot read ${file}: ${(err as Error).message}`);
      }
      // A file without Version is graded with the version of its height (MainNet, or --testing/--act).
      const block = parseBlockFile(text, activationsFromFlags(program.opts()));
      const table = await tableOf(chooseBits(opts.bits, block.lxrBits));
      const g = await gradeBlock({
        version: block.version,
        height: block.height,
        previousWinners: block.previousWinners,
        entries: block.entries,
        computer: inThreadDifficultyComputer(table),
      });
      const out: Record<string, unknown> = { height: g.height, winners: g.winnersShortHashes };
      if (opts.verbose) {
        out.version = g.version;
        out.graded = g.graded.map((o) => ({
          position: o.position,
          entryhash: Buffer.from(o.entryHash).toString('hex'),
          difficulty: o.selfReportedDifficulty.toString(),
          grade: o.grade,
          payout: o.payout.toString(),
        }));
        out.rejected = Object.fromEntries(g.rejected.map((r) => [r.entryHash, r.reason]));
      }
      process.stdout.write(JSON.stringify(out) + '\n');
    });
}
