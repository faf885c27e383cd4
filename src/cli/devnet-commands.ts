import { Command, InvalidArgumentError } from 'commander';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CompetitorMiners, Devnet, DEFAULT_EC_FUNDING, type BlockContributor, type EcFunding } from '../devnet/index.js';
import { chainsForNetwork } from '../pegnet/index.js';
import { createLogger, type Logger } from '../log.js';
import { isValidEcAddress, isValidEcPrivateAddress } from '../factom/index.js';
import { createHasher, loadOrCreateTable, mapBitsFromEnv, MAX_MAP_BITS, MIN_MAP_BITS } from '../lxr/index.js';
import { testingActivations } from '../pegnet/index.js';

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number 0..65535');
  return n;
}

function parseBlockTime(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0.1 || n > 86400) throw new InvalidArgumentError('must be seconds in [0.1, 86400]');
  return n;
}

function parseCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 10000) throw new InvalidArgumentError('must be an integer 0..10000');
  return n;
}

function parseBits(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < MIN_MAP_BITS || n > MAX_MAP_BITS) throw new InvalidArgumentError(`must be an integer in [${MIN_MAP_BITS}, ${MAX_MAP_BITS}]`);
  return n;
}

interface DevnetCliOptions {
  port: number;
  host: string;
  blocktime: number;
  datadir: string;
  pegnetNetwork: string;
  fundEc: EcFunding[];
  competitors: number;
  bits?: number;
  tableDir?: string;
  act: number;
}

/** Competitor miners over the LXRHash table of the chosen size (loaded or generated once). */
async function competitorsFor(opts: DevnetCliOptions, logger: Logger): Promise<BlockContributor[]> {
  if (opts.competitors === 0) return [];
  const table = await loadOrCreateTable({ bits: opts.bits ?? mapBitsFromEnv(), dir: opts.tableDir, logger });
  return [
    new CompetitorMiners({
      hasher: createHasher(table),
      oprChainId: chainsForNetwork(opts.pegnetNetwork).opr,
      activations: testingActivations(opts.act),
      count: opts.competitors,
      random: Math.random,
      logger,
    }),
  ];
}

function parseFunding(v: string, prev: EcFunding[]): EcFunding[] {
  const [address, amount] = v.split(':');
  if (!isValidEcAddress(address) && !isValidEcPrivateAddress(address)) throw new InvalidArgumentError('must be EC…[:credits] or Es…[:credits]');
  if (amount !== undefined && !/^\d+$/.test(amount)) throw new InvalidArgumentError('credits must be a whole number');
  return [...prev, { address, credits: BigInt(amount ?? '100000000') }];
}

/** `prosper-pool devnet`: run the simulated Factom network standalone until SIGINT/SIGTERM. */
export function registerDevnetCommands(program: Command): void {
  program
    .command('devnet')
    .description('run a simulated factomd (v2 API on /v2) with a block clock, EC balances and the PegNet chains')
    .option('--port <n>', 'HTTP port', parsePort, 8088)
    .option('--host <addr>', 'interface to bind', '127.0.0.1')
    .option('--blocktime <seconds>', 'seconds per directory block (10 minutes each)', parseBlockTime, 600)
    .option('--datadir <dir>', 'where blocks and balances persist', join(homedir(), '.prosper', 'devnet'))
    .option('--pegnet-network <name>', 'PegNet network name of the chains created at genesis', 'MainNet')
    .option('--fund-ec <address[:credits]>', 'EC or Es address funded at genesis (repeatable; default: the documented test keys)', parseFunding, [])
    .option('--competitors <n>', 'simulated competitor OPRs written per block (0 = none)', parseCount, 50)
    .option('--bits <n>', 'LXRHash table size for the competitors (default: LXRBITSIZE, else 30)', parseBits)
    .option('--table-dir <dir>', 'folder of the LXRHash table cache (default ~/.lxrhash)')
    .option('--act <height>', 'PegNet testing activation height (V5 from there on)', parseCount, 0)
    .action(async (opts: DevnetCliOptions) => {
      const logger = createLogger({ level: (program.opts().log as 'info' | undefined) ?? 'info', name: 'devnet' });
      const devnet = new Devnet({
        port: opts.port,
        host: opts.host,
        blockTimeSeconds: opts.blocktime,
        dataDir: opts.datadir,
        pegnetNetwork: opts.pegnetNetwork,
        ecFunding: opts.fundEc.length > 0 ? opts.fundEc : DEFAULT_EC_FUNDING,
        contributors: await competitorsFor(opts, logger),
        logger,
      });
      await devnet.start();
      logger.info({ url: devnet.url, blocktime: opts.blocktime, datadir: opts.datadir }, 'devnet running; Ctrl-C to stop');
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await devnet.stop();
      logger.info('devnet stopped');
    });
}
