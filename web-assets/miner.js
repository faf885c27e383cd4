import { api, setRows } from './api.js';
import { formatBand, formatPeg, formatRate } from './chart.js';
import { $, connectLive, historyChart, rangeOptions, showFigure, siteHeader, when } from './site.js';

const handle = decodeURIComponent(location.pathname.split('/')[2]);
const base = `/api/miner/${encodeURIComponent(handle)}`;
rangeOptions($('range'));
const chart = historyChart($('miner-chart'), $('range'), (r) => `${base}/history?range=${r}${$('worker').value ? `&worker=${encodeURIComponent($('worker').value)}` : ''}`, { label: handle, color: '#1f8a4c', band: 'rgba(31, 138, 76, 0.18)' });
$('worker').addEventListener('change', () => chart.reload().catch(() => {}));
const peg = (v) => formatPeg(BigInt(Math.round(v)));

async function load() {
  const m = await api(base);
  $('handle').textContent = m.handle;
  showFigure($('m-hashrate'), m.hashrate);
  $('m-workers').textContent = `${m.workers.filter((w) => w.hashrate.shares > 0).length} mining of ${m.workers.length}`;
  const e = m.expectedPerDay;
  $('m-expected').textContent = e ? `${peg(e.value)} PEG (${peg(e.low)} - ${peg(e.high)})` : '-';
  if (e) $('m-expected').title = `at the pool's earnings per hash of the last ${e.lookbackDays} days`;
  setRows($('workers'), m.workers.map((w) => [w.name || '(default)', formatRate(w.hashrate.value), formatBand(w.hashrate), w.hashrate.shares, w.connected ? 'yes' : 'no', when(w.lastShareAt)]));
  for (const w of m.workers) if (![...$('worker').options].some((o) => o.value === w.name)) $('worker').append(new Option(w.name || '(default)', w.name));
  setRows($('earnings'), m.earnings.map((r) => [{ text: r.jobId, href: `/blocks/${r.jobId}` }, formatPeg(r.amount)]));
  setRows($('payments'), m.payments.map((p) => [p.batchId, p.status, formatPeg(p.amount), when(p.createdAt), { text: p.entryHash ?? '-', wrap: true }]));
}

async function start() {
  await siteHeader();
  await Promise.all([load(), chart.reload()]);
  connectLive((ev) => { if (ev.type === 'shares' || ev.type === 'block') load().catch(() => {}); });
}
start();
