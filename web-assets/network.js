import { api } from './api.js';
import { formatRate } from './chart.js';
import { $, connectLive, siteHeader, when } from './site.js';

const hex = (v) => BigInt(v).toString(16).padStart(16, '0');

const ago = (ms) => (ms === null ? 'never' : when(ms));

/** One source's health in words: last success, failures in a row, last error. */
function healthText(h) {
  const failing = h.consecutiveFailures > 0 ? `, ${h.consecutiveFailures} failed in a row` : '';
  const last = h.lastError ? `, last error ${h.lastError.code} at ${when(h.lastError.at)}` : '';
  return `${h.source}: last success ${ago(h.lastSuccessAt)}${failing}${last} (${h.errors} errors since start)`;
}

async function load() {
  const n = await api('/api/network');
  $('n-sync').textContent = n.syncedHeight ?? n.syncHeight;
  $('n-head').textContent = n.headHeight > 0 ? n.headHeight : '-';
  $('n-job').textContent = n.currentJob ? n.currentJob.height : '-';
  $('n-lag').textContent = n.syncLag ?? '-';
  $('n-hashrate').textContent = n.networkHashrate === null ? '-' : formatRate(n.networkHashrate);
  $('n-share').textContent = n.poolShare === null ? '-' : `${(n.poolShare * 100).toFixed(2)} %`;
  $('n-cutoff').textContent = n.lastGraded ? hex(n.lastGraded.cutoff) : '-';
  $('n-ema').textContent = BigInt(n.ema) > 0n ? hex(n.ema) : '-';
  $('n-version').textContent = n.lastGraded ? `V${n.lastGraded.version}` : '-';
  $('n-graded-at').textContent = n.lastGraded ? `${n.lastGraded.height} (${when(n.lastGraded.time)})` : '-';
  $('n-ec').textContent = `${n.ecBalance} EC`;
  $('n-submit').textContent = n.submitSync.submitting ? `yes (height ${n.submitSync.submitHeight})` : 'no';
  const list = $('n-health');
  const items = n.datasources.map((h) => {
    const li = document.createElement('li');
    li.textContent = healthText(h);
    li.className = h.consecutiveFailures > 0 ? 'bad' : 'ok';
    return li;
  });
  if (items.length === 0) items.push(Object.assign(document.createElement('li'), { textContent: 'no price source read yet' }));
  list.replaceChildren(...items);
}

async function start() {
  await siteHeader();
  await load();
  connectLive((ev) => { if (ev.type === 'block' || ev.type === 'job') load().catch(() => {}); });
}
start();
