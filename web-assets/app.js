import { api, setRows } from './api.js';
import { drawLineChart, formatBand, formatPeg, formatRate } from './chart.js';

const $ = (id) => document.getElementById(id);
const MAX_POINTS = 720;
const poolPoints = [];
const myPoints = [];
let me = null;

async function loadPool() {
  const s = await api('/api/pool/stats');
  showFigure('pool-hashrate', s.hashrate);
  $('pool-miners').textContent = `${s.connectedMiners} (${s.activeUsers} users)`;
  $('pool-job').textContent = s.currentJob ? `${s.currentJob.jobId} (height ${s.currentJob.height})` : '-';
  $('pool-sync').textContent = s.syncHeight;
  $('pool-accept').textContent = `${(s.acceptRate * 100).toFixed(1)}%`;
  const h = await api('/api/pool/hashrate?seconds=3600');
  poolPoints.splice(0, poolPoints.length, ...h.points);
  drawLineChart($('pool-chart'), poolPoints);
  const b = await api('/api/pool/blocks?limit=10&order=desc&column=height');
  setRows($('blocks'), b.data.map((r) => [r.height, r.won, formatPeg(r.reward)]));
}

async function loadMe() {
  const m = await api('/api/me');
  me = m.user;
  $('me-email').textContent = me.email;
  $('address').value = me.payoutAddress;
  $('admin-link').hidden = me.role !== 'admin';
  for (const k of ['earned', 'paid', 'pending', 'owed']) $(`me-${k}`).textContent = formatPeg(m.balance[k]);
  showFigure('me-hashrate', m.hashrate);
  $('me-credit-key').textContent = m.creditKey ?? 'not available on this server';
  const miners = await api('/api/me/miners');
  setRows($('miners'), miners.miners.map((x) => [
    x.name || '(default)', formatRate(x.hashrate.value), formatBand(x.hashrate), x.hashrate.shares, x.connected ? 'yes' : 'no', x.lastShareAt ? new Date(x.lastShareAt).toLocaleString() : '-',
  ]));
  const select = $('chart-miner');
  for (const x of miners.miners) {
    if (![...select.options].some((o) => o.value === x.name)) select.append(new Option(x.name || '(default)', x.name));
  }
  await loadMyChart();
  await loadThreshold();
  const e = await api('/api/me/earnings?limit=20');
  setRows($('earnings'), e.data.map((r) => [r.jobId, formatPeg(r.amount)]));
}

// The user's own payout threshold (absent on a web without the pool's payouts behind it).
async function loadThreshold() {
  try {
    const t = await api('/api/me/payout-threshold');
    $('min-payout').value = t.minPayout ?? '';
    $('pool-min-payout').textContent = t.poolMinimum;
  } catch { $('threshold-form').hidden = true; }
}

// The user's chart shows all their miners, or the one picked in the select.
async function loadMyChart() {
  const miner = $('chart-miner').value;
  const h = await api(`/api/me/hashrate?seconds=3600${miner === '' ? '' : `&miner=${encodeURIComponent(miner)}`}`);
  myPoints.splice(0, myPoints.length, ...h.points);
  drawLineChart($('me-chart'), myPoints, { color: '#1f8a4c' });
}

function showAccount(loggedIn) {
  $('login-box').hidden = loggedIn;
  $('me-box').hidden = !loggedIn;
}

// A hashrate figure: the estimate, and its 95 % band on hover and beside it.
function showFigure(id, f) {
  $(id).textContent = `${formatRate(f.value)} (${formatBand(f)})`;
  $(id).title = `${f.shares} shares in the last ${f.windowSeconds} s; 95 % interval ${formatBand(f)}`;
}

function figurePoint(t, f) {
  return { t, hashrate: f.value, low: f.low, high: f.high };
}

function push(points, p) {
  points.push(p);
  if (points.length > MAX_POINTS) points.shift();
}

function connectLive() {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  ws.onopen = () => { $('live').textContent = 'live'; $('live').className = 'on'; };
  ws.onclose = () => { $('live').textContent = 'offline'; $('live').className = 'off'; setTimeout(connectLive, 3000); };
  ws.onmessage = (msg) => {
    const ev = JSON.parse(msg.data);
    if (ev.type === 'shares') {
      push(poolPoints, figurePoint(ev.at, ev.hashrate));
      showFigure('pool-hashrate', ev.hashrate);
      drawLineChart($('pool-chart'), poolPoints);
    } else if (ev.type === 'my-miners') {
      const picked = $('chart-miner').value;
      const figure = picked === '' ? ev.hashrate : ev.miners.find((m) => m.miner === picked)?.hashrate;
      if (figure) push(myPoints, figurePoint(ev.at, figure));
      showFigure('me-hashrate', ev.hashrate);
      drawLineChart($('me-chart'), myPoints, { color: '#1f8a4c' });
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
    } else if (ev.type === 'job') {
      $('pool-job').textContent = `${ev.jobId} (height ${ev.height})`;
    } else if (ev.type === 'block') {
      loadPool().catch(() => {});
      if (me) loadMe().catch(() => {});
    }
  };
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  try {
    await api('/api/login', { method: 'POST', body: { email: f.get('email'), password: f.get('password') } });
    // Reload so the page and the live feed (which reads the session once) include this user.
    location.reload();
  } catch (err) {
    $('login-error').textContent = err.message;
  }
});

$('chart-miner').addEventListener('change', () => loadMyChart().catch(() => {}));

$('logout').addEventListener('click', async () => {
  await api('/api/logout', { method: 'POST', body: {} });
  location.reload();
});

$('address-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    await api('/api/me/payout-address', { method: 'POST', body: { address: $('address').value } });
    $('address-msg').textContent = 'saved';
  } catch (err) { $('address-msg').textContent = err.message; }
});

$('threshold-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    const t = await api('/api/me/payout-threshold', { method: 'POST', body: { minPayout: $('min-payout').value.trim() } });
    $('threshold-msg').textContent = `saved: paid from ${t.effective} PEG`;
  } catch (err) { $('threshold-msg').textContent = err.message; }
});

$('password-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  try {
    await api('/api/me/password', { method: 'POST', body: { current: f.get('current'), next: f.get('next') } });
    $('password-msg').textContent = 'changed';
    e.target.reset();
  } catch (err) { $('password-msg').textContent = err.message; }
});

async function start() {
  await loadPool().catch(() => {});
  const s = await api('/api/session');
  showAccount(s.user !== null);
  if (s.user) await loadMe();
  connectLive();
}
start();
