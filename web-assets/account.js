import { api, setRows } from './api.js';
import { formatBand, formatPeg, formatRate } from './chart.js';
import './account-webhook.js';
import { $, connectLive, figurePoint, historyChart, rangeOptions, showFigure, siteHeader, when } from './site.js';
import { workerCharts } from './worker-charts.js';

rangeOptions($('range'));
// The charts read the history the pool keeps in the store (they span restarts).
const chart = historyChart($('me-chart'), $('range'), (r) => {
  const w = $('chart-miner').value;
  return `/api/me/history?range=${r}${w === '' ? '' : `&worker=${encodeURIComponent(w)}`}`;
}, { label: 'Mine', color: '#1f8a4c', band: 'rgba(31, 138, 76, 0.18)' });
const loadChart = () => chart.reload().catch(() => {});

const workers = workerCharts($('worker-charts'));
let minerList = [];
const loadWorkers = () => workers.show(minerList, $('range').value).catch(() => {});
$('range').addEventListener('change', loadWorkers);

const minerRow = (x) => [x.name || '(default)', formatRate(x.hashrate.value), formatBand(x.hashrate), x.hashrate.shares, x.connected ? 'yes' : 'no', when(x.lastShareAt)];

async function loadMe() {
  const m = await api('/api/me');
  $('me-email').textContent = m.user.email;
  $('address').value = m.user.payoutAddress;
  for (const k of ['earned', 'paid', 'pending', 'owed', 'accruing']) $(`me-${k}`).textContent = formatPeg(m.balance[k]);
  showFigure($('me-hashrate'), m.hashrate);
  $('me-credit-key').textContent = m.creditKey ?? 'not available on this server';
  const miners = await api('/api/me/miners');
  setRows($('miners'), miners.miners.map(minerRow));
  minerList = miners.miners;
  loadWorkers();
  const select = $('chart-miner');
  for (const x of miners.miners) if (![...select.options].some((o) => o.value === x.name)) select.append(new Option(x.name || '(default)', x.name));
  const [earnings, payouts, handle] = await Promise.all([api('/api/me/earnings?limit=20'), api('/api/me/payouts'), api('/api/me/handle').catch(() => null)]);
  setRows($('earnings'), earnings.data.map((r) => [{ text: r.jobId, href: `/blocks/${r.jobId}` }, formatPeg(r.amount)]));
  setRows($('payouts'), payouts.payouts.map((p) => [p.batchId, p.status, formatPeg(p.amount), { text: p.address, wrap: true }, when(p.createdAt), { text: p.entryHash ?? '-', wrap: true }]));
  if (handle && document.activeElement !== $('handle')) $('handle').value = handle.handle ?? '';
  await loadThreshold();
}

// The user's own payout threshold (absent on a web without the pool's payouts behind it).
async function loadThreshold() {
  try {
    const t = await api('/api/me/payout-threshold');
    if (document.activeElement !== $('min-payout')) $('min-payout').value = t.minPayout ?? '';
    $('pool-min-payout').textContent = t.poolMinimum;
  } catch { $('threshold-form').hidden = true; }
}

function onLive(ev) {
  if (ev.type === 'my-miners') {
    const picked = $('chart-miner').value;
    const figure = picked === '' ? ev.hashrate : ev.miners.find((m) => m.miner === picked)?.hashrate;
    if (figure) chart.push(figurePoint(ev.at, figure));
    workers.push(ev);
    showFigure($('me-hashrate'), ev.hashrate);
    const rows = [...$('miners').rows];
    for (const row of rows) {
      const m = ev.miners.find((x) => row.cells[0].textContent === (x.miner || '(default)'));
      const f = m?.hashrate ?? { value: 0, low: 0, high: 0, shares: 0 };
      if (m || row.cells[1].textContent !== formatRate(0)) {
        row.cells[1].textContent = formatRate(f.value);
        row.cells[2].textContent = m ? formatBand(f) : '-';
        row.cells[3].textContent = String(f.shares);
      }
    }
    if (ev.miners.some((m) => !rows.some((r) => r.cells[0].textContent === (m.miner || '(default)')))) loadMe().catch(() => {});
  } else if (ev.type === 'block') {
    loadMe().catch(() => {});
  }
}

$('chart-miner').addEventListener('change', () => loadChart());

$('logout').addEventListener('click', async () => {
  await api('/api/logout', { method: 'POST', body: {} });
  location.reload();
});

function form(id, msgId, send, done) {
  $(id).addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await send(new FormData(e.target));
      $(msgId).textContent = done;
      $(msgId).className = '';
    } catch (err) { $(msgId).textContent = err.message; $(msgId).className = 'error'; }
  });
}
form('handle-form', 'handle-msg', (f) => api('/api/me/handle', { method: 'POST', body: { handle: String(f.get('handle')).trim() || null } }), 'saved');
form('address-form', 'address-msg', () => api('/api/me/payout-address', { method: 'POST', body: { address: $('address').value } }), 'saved');
$('threshold-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    const t = await api('/api/me/payout-threshold', { method: 'POST', body: { minPayout: $('min-payout').value.trim() } });
    $('threshold-msg').textContent = `saved: paid from ${t.effective} PEG`;
  } catch (err) { $('threshold-msg').textContent = err.message; }
});
form('password-form', 'password-msg', async (f) => {
  await api('/api/me/password', { method: 'POST', body: { current: f.get('current'), next: f.get('next') } });
  $('password-form').reset();
}, 'changed');

async function start() {
  await siteHeader();
  await loadMe();
  await loadChart();
  connectLive(onLive);
}
start();
