import { api, setRows } from './api.js';
import { drawLineChart, formatPeg, formatRate } from './chart.js';

const $ = (id) => document.getElementById(id);
const MAX_POINTS = 720;
const poolPoints = [];
const myPoints = [];
let me = null;

async function loadPool() {
  const s = await api('/api/pool/stats');
  $('pool-hashrate').textContent = formatRate(s.hashrate);
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
  $('me-owed').textContent = formatPeg(m.balance.owed);
  $('me-paid').textContent = formatPeg(m.balance.paid);
  $('me-pending').textContent = formatPeg(m.balance.pending);
  $('me-credit-key').textContent = m.creditKey ?? 'not available on this server';
  const miners = await api('/api/me/miners');
  setRows($('miners'), miners.miners.map((x) => [x.name || '(default)', formatRate(x.hashrate), x.shares, x.connected ? 'yes' : 'no']));
  const select = $('chart-miner');
  for (const x of miners.miners) {
    if (![...select.options].some((o) => o.value === x.name)) select.append(new Option(x.name || '(default)', x.name));
  }
  await loadMyChart();
  const e = await api('/api/me/earnings?limit=20');
  setRows($('earnings'), e.data.map((r) => [r.jobId, formatPeg(r.amount)]));
}

// The user's chart shows all their miners, or the one picked in the select.
async function loadMyChart() {
  const miner = $('chart-miner').value;
  const all = await api('/api/me/hashrate?seconds=3600');
  $('me-hashrate').textContent = formatRate(all.points.at(-1)?.hashrate ?? 0);
  const h = miner === '' ? all : await api(`/api/me/hashrate?seconds=3600&miner=${encodeURIComponent(miner)}`);
  myPoints.splice(0, myPoints.length, ...h.points);
  drawLineChart($('me-chart'), myPoints, { color: '#1f8a4c' });
}

function showAccount(loggedIn) {
  $('login-box').hidden = loggedIn;
  $('me-box').hidden = !loggedIn;
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
      push(poolPoints, { t: ev.at, hashrate: ev.hashrate });
      $('pool-hashrate').textContent = formatRate(ev.hashrate);
      drawLineChart($('pool-chart'), poolPoints);
    } else if (ev.type === 'my-miners') {
      const picked = $('chart-miner').value;
      const rate = picked === '' ? ev.hashrate : (ev.miners.find((m) => m.miner === picked)?.hashrate ?? 0);
      push(myPoints, { t: ev.at, hashrate: rate });
      $('me-hashrate').textContent = formatRate(ev.hashrate);
      drawLineChart($('me-chart'), myPoints, { color: '#1f8a4c' });
      const rows = [...$('miners').rows];
      for (const m of ev.miners) {
        const row = rows.find((r) => r.cells[0].textContent === (m.miner || '(default)'));
        if (row) row.cells[1].textContent = formatRate(m.hashrate);
        else loadMe().catch(() => {});
      }
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
