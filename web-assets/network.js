import { api } from './api.js';
import { formatRate } from './chart.js';
import { $, connectLive, siteHeader, when } from './site.js';

const hex = (v) => BigInt(v).toString(16).padStart(16, '0');

async function load() {
  const n = await api('/api/network');
  $('n-sync').textContent = n.syncedHeight ?? n.syncHeight;
  $('n-job').textContent = n.currentJob ? n.currentJob.height : '-';
  $('n-lag').textContent = n.currentJob && n.syncedHeight !== null ? Math.max(0, n.currentJob.height - 1 - n.syncedHeight) : '-';
  $('n-hashrate').textContent = n.lastGraded ? formatRate(n.lastGraded.networkHashrate) : '-';
  $('n-cutoff').textContent = n.lastGraded ? hex(n.lastGraded.cutoff) : '-';
  $('n-ema').textContent = BigInt(n.ema) > 0n ? hex(n.ema) : '-';
  $('n-version').textContent = n.lastGraded ? `V${n.lastGraded.version}` : '-';
  $('n-graded-at').textContent = n.lastGraded ? `${n.lastGraded.height} (${when(n.lastGraded.time)})` : '-';
  $('n-ec').textContent = `${n.ecBalance} EC`;
  $('n-submit').textContent = n.submitSync.submitting ? `yes (height ${n.submitSync.submitHeight})` : 'no';
  const errors = Object.entries(n.datasourceErrors);
  $('n-health').textContent = errors.length ? errors.map(([source, count]) => `${source}: ${count} errors`).join(', ') : 'no datasource errors since start';
}

async function start() {
  await siteHeader();
  await load();
  connectLive((ev) => { if (ev.type === 'block' || ev.type === 'job') load().catch(() => {}); });
}
start();
