import { api, setRows } from './api.js';
import { formatBand, formatRate } from './chart.js';
import { connectLive, $, siteHeader, when } from './site.js';

async function load() {
  const m = await api('/api/miners');
  setRows($('leaders'), m.miners.map((x, i) => [
    i + 1, { text: x.handle, href: `/miner/${encodeURIComponent(x.handle)}` }, formatRate(x.hashrate.value), formatBand(x.hashrate), x.workers, x.hashrate.shares, when(x.lastShareAt),
  ]));
}

async function start() {
  await siteHeader();
  await load();
  // The leaderboard follows each new snapshot of the figures.
  connectLive((ev) => { if (ev.type === 'shares') load().catch(() => {}); });
}
start();
