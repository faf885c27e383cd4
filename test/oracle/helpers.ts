import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A recorded request to the fake provider. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
}

export type Reply =
  | { kind: 'body'; status?: number; body: string; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'stall-body'; body: string };

/** A real HTTP server on 127.0.0.1, port 0, answering with whatever `reply` says next. */
export interface FakeProvider {
  base: string;
  seen: SeenRequest[];
  reply: Reply;
  close(): Promise<void>;
}

export async function startFakeProvider(initial: Reply = { kind: 'body', body: '{}' }): Promise<FakeProvider> {
  const seen: SeenRequest[] = [];
  const state: { reply: Reply } = { reply: initial };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push({ method: req.method ?? '', url: new URL(req.url ?? '/', 'http://127.0.0.1'), headers: req.headers });
    const r = state.reply;
    if (r.kind === 'hang') return; // never answer
    if (r.kind === 'stall-body') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(r.body.slice(0, Math.floor(r.body.length / 2)));
      return; // headers and half a body, then nothing
    }
    res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...r.headers });
    res.end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    seen,
    get reply() { return state.reply; },
    set reply(r: Reply) { state.reply = r; },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Wednesday 2026-11-25 12:00 UTC: markets open. */
export const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
export const NOW_S = Math.floor(NOW / 1000);

/** Units of X per 1 USD, as forex APIs quote them. */
export const FX_PER_USD: Readonly<Record<string, number>> = {
  USD: 1, EUR: 0.92, JPY: 149.5, GBP: 0.79, CAD: 1.36, CHF: 0.88, INR: 83.2, SGD: 1.34, CNY: 7.24, HKD: 7.82,
  KRW: 1330, BRL: 4.95, PHP: 56.1, MXN: 17.1, AUD: 1.52, NZD: 1.66, SEK: 10.5, NOK: 10.7, RUB: 91.5, ZAR: 18.6,
  TRY: 32.1, AED: 3.6725, ARS: 870, TWD: 31.9, RWF: 1290, KES: 131, UGX: 3790, TZS: 2590, BIF: 2860, ETB: 57,
  NGN: 1480, XAU: 0.000425, XAG: 0.0357, XPD: 0.001, XPT: 0.00105,
};

/** USD price of one unit of each crypto asset. */
export const CRYPTO_USD: Readonly<Record<string, number>> = {
  PEG: 0.00061, XBT: 64000.12, ETH: 3100.5, LTC: 81.2, RVN: 0.021, XBC: 410.3, FCT: 0.051, BNB: 560.7, XLM: 0.105,
  ADA: 0.41, XMR: 161.1, DASH: 28.4, ZEC: 30.2, DCR: 15.3, EOS: 0.61, LINK: 14.2, ATOM: 6.1, BAT: 0.21, XTZ: 0.81,
  HBAR: 0.071, NEO: 10.2, CRO: 0.091, ETC: 22.3, ONT: 0.21, DOGE: 0.121, VET: 0.026, HT: 0.51, ALGO: 0.151, DGB: 0.0081,
};
