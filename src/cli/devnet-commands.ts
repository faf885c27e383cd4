import { Command, InvalidArgumentError } from 'commander';
import { CONFIG_SCHEMA, defaultConfig, type PoolConfig } from '../config/index.js';
import { tableBits } from '../engine/context.js';
import { CompetitorMiners, Devnet, DEFAULT_EC_FUNDING, type BlockContributor, type EcFunding } from '../devnet/index.js';
import { chainsForNetwork } from '../pegnet/index.js';
import { createLogger, type Logger } from '../log.js';
import { isValidEcAddress, isValidEcPrivateAddress } from '../factom/index.js';
import { createHasher, loadOrCreateTable } from '../lxr/index.js';
import { testingActivations } from '../pegnet/index.js';
import { configFromProgram } from './global-options.js';
import { parseBits } from './lxr-commands.js';

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

/** The flags as typed; an absent one takes the [devnet] value of the config (file, else built-in). */
interface DevnetFlags {
  port?: number;
  host: string;
  blocktime?: number;
  datadir?: string;
  pegnetNetwork: string;
  fundEc: EcFunding[];
  competitors?: number;
  bits?: number;
  tableDir?: string;
  act: number;
}

export interface DevnetSettings {
  port: number;
  host: string;
  blockTimeSeconds: number;
  dataDir: string;
  pegnetNetwork: string;
  fundEc: EcFunding[];
  competitors: number;
  bits: number;
  tableDir?: string;
  act: number;
}

/**
 * The standalone devnet's settings: flags, else the config's [devnet] section, the same values
 * the pool's embedded devnet runs on (table size: LXRBITSIZE, else [devnet] lxrbits).
 */
export function devnetSettings(flags: DevnetFlags, config: PoolConfig): DevnetSettings {
  const d = config.devnet;
  return {
    port: flags.port ?? d.port,
    host: flags.host,
    blockTimeSeconds: flags.blocktime ?? d.blocktime,
    dataDir: flags.datadir ?? d.datadir,
    pegnetNetwork: flags.pegnetNetwork,
    fundEc: flags.fundEc,
    competitors: flags.competitors ?? d.competitors,
    bits: flags.bits ?? tableBits(config, true),
    tableDir: flags.tableDir,
    act: flags.act,
  };
}

/** Competitor miners over the LXRHash table of the chosen size (loaded or generated once). */
async function competitorsFor(s: DevnetSettings, logger: Logger): Promise<BlockContributor[]> {
  if (s.competitors === 0) return [];
  const table = await loadOrCreateTable({ bits: s.bits, dir: s.tableDir, logger });
  return [
    new CompetitorMiners({
      hasher: createHasher(table),
      oprChainId: chainsForNetwork(s.pegnetNetwork).opr,
      activations: testingActivations(s.act),
      count: s.competitors,
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

/** The [devnet] datadir default as written in the schema (before $HOME is expanded). */
const CONFIG_DATADIR = String(CONFIG_SCHEMA.devnet.datadir.default);

/** `prosper-pool devnet`: run the simulated Factom network standalone until SIGINT/SIGTERM. */
export function registerDevnetCommands(program: Command): void {
  const d = defaultConfig().devnet;
  program
    .command('devnet')
    .description('run a simulated factomd (v2 API on /v2) with a block clock, EC balances and the PegNet chains; '
      + 'unset options take the [devnet] config values, the ones the pool\'s embedded devnet runs on')
    .option('--port <n>', `HTTP port (default: [devnet] port, ${d.port})`, parsePort)
    .option('--host <addr>', 'interface to bind', '127.0.0.1')
    .option('--blocktime <seconds>', `seconds per directory block of 10 minutes (default: [devnet] blocktime, ${d.blocktime} s; factomd: 600)`, parseBlockTime)
    .option('--datadir <dir>', `where blocks and balances persist (default: [devnet] datadir, ${CONFIG_DATADIR})`)
    .option('--pegnet-network <name>', 'PegNet network name of the chains created at genesis', 'MainNet')
    .option('--fund-ec <address[:credits]>', 'EC or Es address funded at genesis (repeatable; default: the documented test keys)', parseFunding, [])
    .option('--competitors <n>', `simulated competitor OPRs written per block, 0 = none (default: [devnet] competitors, ${d.competitors})`, parseCount)
    .option('--bits <n>', `LXRHash table size of the competitors; a pool grading them needs the same (default: LXRBITSIZE, else [devnet] lxrbits, ${d.lxrbits})`, parseBits)
    .option('--table-dir <dir>', 'folder of the LXRHash table cache (default ~/.lxrhash)')
    .option('--act <height>', 'PegNet testing activation height (V5 from there on)', parseCount, 0)
    .action(async (flags: DevnetFlags) => {
      const logger = createLogger({ level: (program.opts().log as 'info' | undefined) ?? 'info', name: 'devnet' });
      const s = devnetSettings(flags, configFromProgram(program));
      const devnet = new Devnet({
        port: s.port,
        host: s.host,
        blockTimeSeconds: s.blockTimeSeconds,
        dataDir: s.dataDir,
        pegnetNetwork: s.pegnetNetwork,
        ecFunding: s.fundEc.length > 0 ? s.fundEc : DEFAULT_EC_FUNDING,
        contributors: await competitorsFor(s, logger),
        logger,
      });
      await devnet.start();
      logger.info({ url: devnet.url, blocktime: s.blockTimeSeconds, competitors: s.competitors, lxrbits: s.bits, datadir: s.dataDir }, 'devnet running; Ctrl-C to stop');
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await devnet.stop();
      logger.info('devnet stopped');
    });
}
