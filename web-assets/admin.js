import { api, setRows } from './api.js';
import { formatBand, formatPeg, formatRate } from './chart.js';
import './admin-webhooks.js';
import { $, connectLive, showFigure, siteHeader } from './site.js';

const figure = (f) => `${formatRate(f.value)} (${formatBand(f)})`;

async function load() {
  const [stats, m, e, u, i, b, s, p] = await Promise.all([
    api('/api/pool/stats'), api('/api/admin/miners'), api('/api/admin/edges'), api('/api/admin/users'), api('/api/admin/invites'),
    api('/api/admin/bans'), api('/api/admin/submissions?limit=50'), api('/api/admin/payouts'),
  ]);
  showFigure($('a-hashrate'), stats.hashrate);
  $('a-sessions').textContent = stats.connectedMiners;
  $('a-users').textContent = stats.activeUsers;
  $('a-job').textContent = stats.currentJob ? stats.currentJob.height : '-';
  $('admin-updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
  $('miner-count').textContent = `${m.total} total`;
  // A session's hashrate is its miner's figure (a miner's sessions share one figure).
  setRows($('miners'), m.miners.map((x) => [`${x.email}/${x.miner}`, x.hashrate ? figure(x.hashrate) : '-', x.agent, x.ip, x.sessionId, x.authorized, x.subscribed, x.target, x.nonce]));
  $('edge-count').textContent = e.total ? `${e.total} edges, ${e.sessions} sessions` : 'none (standalone pool)';
  setRows($('edges'), e.edges.map((x) => [x.edgeId, x.sessions, figure(x.hashrate), x.sharesPerSecond.toFixed(1), x.lastJobId ?? '', x.spooled, x.validationPending, x.accepted, x.rejected, x.lastSeen, x.stale ? 'silent' : 'up']));
  setRows($('users'), u.users.map((x) => [
    x.id, x.email, x.role, { text: x.payoutAddress, wrap: true }, ...['earned', 'paid', 'pending', 'owed'].map((k) => formatPeg(x.balance[k])), figure(x.hashrate),
  ]));
  setRows($('invites'), i.invites.map((x) => [x.code, x.claimedBy ?? '']));
  setRows($('bans'), b.bans.map((x) => [x.ip, x.reason, x.until]));
  setRows($('submissions'), s.data.map((x) => [x.jobId, `${x.email}/${x.miner}`, { text: x.entryHash, wrap: true }, x.blocked ? 'yes' : 'no']));
  setRows($('payouts'), p.batches.map((x) => [x.id, x.status, x.items, formatPeg(x.total), { text: x.entryHash ?? '', wrap: true }]));
  await loadScheme();
}

// The payout scheme and the PPS reserve: what /metrics also exports (prosper_pps_*).
async function loadScheme() {
  let f;
  try { f = await api('/api/admin/payout-scheme'); } catch { $('scheme-panel').hidden = true; return; }
  $('scheme').textContent = f.scheme.toUpperCase();
  $('scheme-last').textContent = f.lastJobId === null ? 'none yet' : `${f.lastJobId}: ${f.lastScheme.toUpperCase()}${f.fallback ? ' (PPS fell back to PPLNS)' : ''}`;
  $('pps-reserve').textContent = f.reserve;
  $('pps-floor').textContent = f.floor;
  $('pps-ruin').textContent = `${(f.ruin * 100).toPrecision(3)} %`;
  $('pps-rate').textContent = f.ppsPerShare ?? 'no estimate yet';
  $('min-payout').textContent = f.minPayout;
  const warn = $('pps-warning');
  warn.hidden = !f.fallback;
  warn.textContent = f.fallback ? `PPS is not paying: block ${f.lastJobId} was paid by PPLNS (reserve ${f.reserve} PEG, floor ${f.floor} PEG). Deposit with prosper-pool db reserve add.` : '';
}

$('invite-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    const r = await api('/api/admin/invites', { method: 'POST', body: { count: Number(new FormData(e.target).get('count')) } });
    await load();
    $('invite-msg').textContent = `created ${r.codes.length}`;
  } catch (err) { $('invite-msg').textContent = err.message; }
});

async function start() {
  await siteHeader();
  await load();
  // Live: every snapshot of the figures, job and block refreshes the page's tables.
  let pending = false;
  connectLive(() => {
    if (pending) return;
    pending = true;
    setTimeout(() => { pending = false; load().catch(() => {}); }, 500);
  });
}
start().catch((err) => { document.querySelector('main').textContent = err.message; });
