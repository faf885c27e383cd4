import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { clusterNames, deleteClusterStreams, ensureClusterStreams, type ClusterNames } from '../../src/cluster/index.js';
import type { AcceptedShare } from '../../src/stratum/index.js';

export const NATS_HOST = '127.0.0.1';
export const NATS_PORT = Number(process.env.PROSPER_NATS_PORT ?? 4222);

/** A prefix no other test run uses, so parallel runs never see each other's streams. */
export function uniquePrefix(): string {
  return `pt${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

/** The real nats-server with this run's streams; `close()` deletes them. */
export async function clusterFixture(opts: { duplicateWindowMs?: number } = {}): Promise<{ names: ClusterNames; nc: NatsConnection; jsm: JetStreamManager; close: () => Promise<void> }> {
  const names = clusterNames(uniquePrefix());
  const nc = await connect({ servers: `${NATS_HOST}:${NATS_PORT}` });
  const jsm = await nc.jetstreamManager();
  await ensureClusterStreams(jsm, names, { duplicateWindowMs: opts.duplicateWindowMs ?? 60_000 });
  return {
    names, nc, jsm,
    close: async () => {
      await deleteClusterStreams(jsm, names);
      await nc.close();
    },
  };
}

export async function streamCount(jsm: JetStreamManager, stream: string): Promise<number> {
  return (await jsm.streams.info(stream)).state.messages;
}

/**
 * A loopback TCP relay in front of nats-server that a test can cut (listener closed, every
 * connection reset) and restore on the same port: a real network outage for one client only.
 */
export class TcpProxy {
  port = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  /** Picks a free port without listening on it yet ("NATS unreachable" from the start). */
  async reserve(): Promise<number> {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    this.port = (s.address() as { port: number }).port;
    await new Promise<void>((r) => s.close(() => r()));
    return this.port;
  }

  async open(): Promise<number> {
    const server = createServer((client) => {
      const upstream = tcpConnect(NATS_PORT, NATS_HOST);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((r) => server.listen(this.port, '127.0.0.1', r));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
    return this.port;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}

export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'prosper-cluster-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function makeShare(i: number, over: Partial<AcceptedShare> = {}): AcceptedShare {
  const nonce = new Uint8Array(8);
  new DataView(nonce.buffer).setUint32(4, i);
  return {
    jobId: 1000, userId: String(1 + (i % 3)), username: `user${1 + (i % 3)}`, minerId: `rig${i % 2}`, sessionId: `s${i % 4}`, ip: '10.0.0.1',
    nonce, target: 0xffff000000000000n + BigInt(i), assignedTarget: 0xff00000000000000n, submit: i % 5 === 0, receivedAt: 1_700_000_000_000 + i,
    ...over,
  };
}
