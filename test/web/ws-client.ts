import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A minimal WebSocket client for tests (Node 20 has no global WebSocket): opens the upgrade
 * with real HTTP, then decodes the server's unmasked text frames into messages.
 */
export interface TestWs {
  /** The next message (waits up to timeoutMs). */
  next(timeoutMs?: number): Promise<unknown>;
  /** The next message matching pred, skipping others. */
  nextMatching(pred: (m: any) => boolean, timeoutMs?: number): Promise<any>;
  close(): void;
}

export function openWs(port: number, headers: Record<string, string> = {}): Promise<TestWs> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, path: '/ws',
      headers: {
        Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'), ...headers,
      },
    });
    req.on('response', (res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
    req.on('error', reject);
    req.on('upgrade', (_res, socket: Socket, head: Buffer) => {
      let buf = head;
      const queue: unknown[] = [];
      const waiters: ((m: unknown) => void)[] = [];
      const deliver = (m: unknown) => {
        const w = waiters.shift();
        if (w) w(m);
        else queue.push(m);
      };
      const pump = () => {
        for (;;) {
          if (buf.length < 2) return;
          const opcode = buf[0] & 0x0f;
          let len = buf[1] & 0x7f;
          let off = 2;
          if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); off = 4; }
          else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); off = 10; }
          if (buf.length < off + len) return;
          const payload = buf.subarray(off, off + len);
          buf = buf.subarray(off + len);
          if (opcode === 1) deliver(JSON.parse(payload.toString('utf8')));
        }
      };
      socket.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        pump();
      });
      // Frames the server sent with the 101 arrive in `head`.
      pump();
      const next = (timeoutMs = 3000) => new Promise<unknown>((res, rej) => {
        const m = queue.shift();
        if (m !== undefined) return res(m);
        const t = setTimeout(() => rej(new Error('no WebSocket message in time')), timeoutMs);
        waiters.push((v) => { clearTimeout(t); res(v); });
      });
      resolve({
        next,
        async nextMatching(pred, timeoutMs = 3000) {
          const end = Date.now() + timeoutMs;
          for (;;) {
            const m = await next(Math.max(1, end - Date.now()));
            if (pred(m)) return m;
          }
        },
        close: () => socket.destroy(),
      });
    });
    req.end();
  });
}
