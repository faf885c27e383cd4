import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProsperError } from '../errors.js';
import { NETWORK_ID } from '../factom/index.js';
import { silentLogger, type Logger } from '../log.js';
import { ChainStore } from './chain-store.js';
import { DEFAULT_EC_FUNDING, DEFAULT_FCT_FUNDING, type BlockContributor, type DevnetOptions } from './config.js';
import { createHandlers } from './handlers.js';
import { Ledger, ecKeyHex, fctKeyHex } from './ledger.js';
import { DevnetNetwork } from './network.js';
import { pegnetChainFirstEntries } from './pegnet-chains.js';
import { DevnetDataDir, DevnetErrorCode } from './persistence.js';
import { createRpcServer } from './rpc-server.js';

/**
 * A simulated factomd: the v2 API on HTTP (path /v2) over a block clock, a commit/reveal process
 * list and persisted blocks. Embeddable: `await new Devnet(opts).start()` returns the bound port.
 */
export class Devnet {
  readonly network: DevnetNetwork;
  private readonly opts: DevnetOptions;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly contributors: BlockContributor[];
  private server?: Server;
  private timer?: NodeJS.Timeout;
  private boundPort?: number;

  constructor(opts: DevnetOptions = {}) {
    this.opts = opts;
    this.log = opts.logger ?? silentLogger();
    this.now = opts.now ?? Date.now;
    const blockSeconds = opts.blockTimeSeconds ?? 600;
    if (!(blockSeconds >= 0.1) || blockSeconds > 86400) throw new ProsperError(DevnetErrorCode.Config, `devnet block time ${blockSeconds} s is out of range (0.1..86400)`);
    this.contributors = [...(opts.contributors ?? [])];
    const store = new ChainStore();
    const ledger = new Ledger();
    const dataDir = opts.dataDir === undefined ? undefined : new DevnetDataDir(opts.dataDir);
    const networkId = opts.networkId ?? NETWORK_ID.LOCAL;
    let fresh = true;
    if (dataDir) {
      for (const b of dataDir.loadBlocks()) store.add(b);
      const state = dataDir.loadState();
      if (state) {
        if (state.networkId !== networkId) throw new ProsperError(DevnetErrorCode.Config, `devnet data dir ${opts.dataDir} belongs to network id ${state.networkId}`);
        ledger.load(state);
      }
      fresh = store.completedHeight < 0;
      if (!fresh && store.blockAt(0)?.dblock.header.networkId !== networkId) {
        throw new ProsperError(DevnetErrorCode.Config, `devnet data dir ${opts.dataDir} holds another network's blocks`);
      }
    }
    if (fresh) this.fund(ledger);
    this.network = new DevnetNetwork({
      now: this.now,
      blockMs: blockSeconds * 1000,
      networkId,
      minuteZeroLag: opts.minuteZeroLag ?? true,
      ecRate: opts.ecRate ?? 1000n,
      store,
      ledger,
      dataDir,
      contributors: this.contributors,
      log: this.log,
    });
    if (fresh) this.network.genesis(pegnetChainFirstEntries(opts.pegnetNetwork ?? 'MainNet'));
  }

  private fund(ledger: Ledger): void {
    for (const f of this.opts.ecFunding ?? DEFAULT_EC_FUNDING) {
      const key = ecKeyHex(f.address);
      if (!key) throw new ProsperError(DevnetErrorCode.Config, `devnet EC funding address ${f.address} is not an EC/Es address or 64-hex key`);
      ledger.creditEc(key, f.credits);
    }
    for (const f of this.opts.fctFunding ?? DEFAULT_FCT_FUNDING) {
      const key = fctKeyHex(f.address);
      if (!key) throw new ProsperError(DevnetErrorCode.Config, `devnet FCT funding address ${f.address} is not an FA/Fs address or 64-hex key`);
      ledger.creditFct(key, f.factoshis);
    }
  }

  /** Add a simulated participant (takes effect from the next block). */
  addContributor(c: BlockContributor): void {
    this.contributors.push(c);
  }

  /** Credit EC to an EC/Es address or public key (devnet only; like buying EC). */
  fundEntryCredits(address: string, credits: bigint): void {
    const key = ecKeyHex(address);
    if (!key) throw new ProsperError(DevnetErrorCode.Config, `${address} is not an EC/Es address or 64-hex key`);
    this.network.ledger.creditEc(key, credits);
  }

  /** Advance the clock now (the timer does this on its own unless autoTick is false). */
  tick(): void {
    this.network.tick();
  }

  get port(): number | undefined {
    return this.boundPort;
  }

  get url(): string {
    return `http://${this.opts.host ?? '127.0.0.1'}:${this.boundPort ?? this.opts.port ?? 8088}/v2`;
  }

  async start(): Promise<number> {
    if (this.server) return this.boundPort as number;
    this.network.begin();
    const server = createRpcServer({
      handlers: createHandlers({ net: this.network, now: this.now, version: this.opts.version ?? '6.17.1-prosper-devnet', ecRate: this.opts.ecRate ?? 1000n }),
      beforeRequest: () => this.network.tick(),
      log: this.log,
      user: this.opts.rpcUser,
      password: this.opts.rpcPassword,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(new ProsperError(DevnetErrorCode.Listen, `devnet cannot listen: ${err.message}`, { cause: err })));
      server.listen(this.opts.port ?? 8088, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
    if (this.opts.autoTick ?? true) {
      const every = Math.max(20, Math.min(1000, this.network.blockMs / 40));
      this.timer = setInterval(() => {
        try {
          this.network.tick();
        } catch (err) {
          this.log.error({ err }, 'devnet tick failed');
        }
      }, every);
      this.timer.unref();
    }
    this.log.info({ port: this.boundPort, height: this.network.store.completedHeight }, 'devnet listening');
    return this.boundPort;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const server = this.server;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    this.network.persistState();
  }
}
