import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_CONFIG_PATH, loadConfig, type ConfigFlags, type PoolConfig } from '../config/index.js';

const int = (name: string, min: number, max: number) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer in [${min}, ${max}]`);
  return n;
};
const bool = (value: string): boolean => {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new InvalidArgumentError('must be true or false');
};

/** The seed pool's persistent flags, on the root program. */
export function addGlobalOptions(program: Command): Command {
  return program
    .option('--config <path>', 'location of the TOML config', DEFAULT_CONFIG_PATH)
    .addOption(new Option('--log <level>', 'logging level').choices(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'))
    .option('--fhost <url>', 'factomd API URL (default: an embedded simulated network)')
    .option('--phost <host>', 'PostgreSQL host (default: the embedded PGlite database)')
    .option('--pport <port>', 'PostgreSQL port', int('--pport', 1, 65535), 5432)
    .option('--sport <port>', 'Stratum server port', int('--sport', 0, 65535), 1234)
    .option('--tlsport <port>', 'Stratum over TLS port, with [stratum] tlscert and tlskey', int('--tlsport', 0, 65535), 1235)
    .option('--rauth [bool]', 'require miners to authorize as registered users', bool, true)
    .option('--no-rauth', 'let any miner in (testing)')
    .option('--testing', 'testing mode: every activation height is --act', false)
    .option('--act <height>', 'activation height used in testing mode', int('--act', 0, 4294967295), 0)
    .addOption(new Option('--role <role>', 'pool process role: standalone, coordinator or edge ([cluster] role)').choices(['standalone', 'coordinator', 'edge']))
    .option('--edgeid <id>', "this edge's name ([cluster] edgeid)")
    .option('--nats <urls>', 'NATS servers linking coordinator and edges ([cluster] nats)');
}

/** Flags the user typed (not defaults), so config-file values win over unchanged flags. */
export function explicitFlags(program: Command): { configPath?: string; flags: ConfigFlags } {
  const opts = program.opts();
  const given = (name: string) => program.getOptionValueSource(name) === 'cli';
  const flags: ConfigFlags = {};
  if (given('log')) flags.log = opts.log;
  if (given('fhost')) flags.fhost = opts.fhost;
  if (given('phost')) flags.phost = opts.phost;
  if (given('pport')) flags.pport = opts.pport;
  if (given('sport')) flags.sport = opts.sport;
  if (given('tlsport')) flags.tlsport = opts.tlsport;
  if (given('rauth')) flags.rauth = opts.rauth;
  if (given('testing')) flags.testing = opts.testing;
  if (given('act')) flags.act = opts.act;
  if (given('role')) flags.role = opts.role;
  if (given('edgeid')) flags.edgeid = opts.edgeid;
  if (given('nats')) flags.nats = opts.nats;
  return { configPath: given('config') ? opts.config : undefined, flags };
}

/** The effective config of a command: defaults, file, then explicit flags. */
export function configFromProgram(program: Command): PoolConfig {
  const { configPath, flags } = explicitFlags(program);
  return loadConfig({ path: configPath, flags });
}
