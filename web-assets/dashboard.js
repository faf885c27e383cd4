import { api, setRows } from './api.js';
import { formatPeg, formatRate } from './chart.js';
import { blockRowsOf } from './blocks-table.js';
import { $, connectLive, figurePoint, historyChart, rangeOptions, showFigure, siteHeader } from './site.js';

rangeOptions($('range'));
const chart = historyChart($('pool-chart'), $('range'), (r) => `/api/pool/history?range=${r}`, { label: 'Pool' });

/** The share and the network it is of, as /api/network defines them (src/web/network-figures.ts). */
function showShare(net) {
  $('pool-share').textContent = net && net.poolShare !== null ? `${(net.poolShare * 100).toFixed(2)} % of ${formatRate(net.networkHashrate)}` : '-';
}

async function loadPool() {
  const s = await api('/api/pool/stats');
  showFigure($('pool-hashrate'), s.hashrate);
  $('pool-miners').textContent = `${s.activeUsers} miners, ${s.connectedMiners} workers`;
  $('pool-job').textContent = s.currentJob ? `${s.currentJob.jobId} (height ${s.currentJob.height})` : '-';
  $('pool-accept').textContent = `${(s.acceptRate * 100).toFixed(1)}%`;
  const [net, info, blocks] = await Promise.all([api('/api/network').catch(() => null), api('/api/pool/info').catch(() => null), api('/api/blocks?limit=10').catch(() => ({ data: [] }))]);
  $('net-height').textContent = net?.syncedHeight ?? s.syncHeight;
  $('net-difficulty').textContent = net?.lastGraded ? `${BigInt(net.lastGraded.cutoff).toString(16)} (hex)` : '-';
  showShare(net);
  if (info) $('pool-fee').textContent = `${(Number(info.feeRate) * 100).toFixed(2)} %, ${info.scheme.toUpperCase()}`;
  const won = blocks.data.find((b) => b.won > 0);
  $('last-won').textContent = won ? `${won.height} (${won.won} OPRs, ${formatPeg(won.reward)} PEG)` : 'none yet';
  setRows($('blocks'), blockRowsOf(blocks.data));
}

async function start() {
  await siteHeader();
  await Promise.all([loadPool(), chart.reload()]).catch(() => {});
  connectLive((ev) => {
    if (ev.type === 'shares') {
      showFigure($('pool-hashrate'), ev.hashrate);
      api('/api/network').then(showShare, () => {});
      chart.push(figurePoint(ev.at, ev.hashrate));
    } else if (ev.type === 'job') {
      $('pool-job').textContent = `${ev.jobId} (height ${ev.height})`;
    } else if (ev.type === 'block') {
      loadPool().catch(() => {});
    }
  });
}
start();
