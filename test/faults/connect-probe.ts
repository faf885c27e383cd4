// A prober for the restart tests: connects in a loop (closing each connection at once) and counts
// refusals, so a port that stops listening for a moment is seen.
import { connect } from 'node:net';

export interface ProbeTally {
  ok: number;
  refused: number;
  other: Record<string, number>;
}

/** Connects to 127.0.0.1:port in a loop until stopped; the TCP connect is what is counted. */
export function probeConnects(port: number): { stop: () => Promise<ProbeTally> } {
  let running = true;
  const tally: ProbeTally = { ok: 0, refused: 0, other: {} };
  const once = () => new Promise<void>((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      tally.ok++;
      s.destroy();
      resolve();
    });
    s.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') tally.refused++;
      else tally.other[err.code ?? err.message] = (tally.other[err.code ?? err.message] ?? 0) + 1;
      resolve();
    });
  });
  const loop = (async () => {
    while (running) {
      await once();
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return { stop: async () => ((running = false), await loop, tally) };
}
