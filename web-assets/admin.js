import { api, setRows } from './api.js';
import { formatBand, formatPeg, formatRate } from './chart.js';

const $ = (id) => document.getElementById(id);

async function load() {
  await api('/api/session');
  const m = await api('/api/admin/miners');
  $('miner-count').textContent = `${m.total} total`;
  setRows($('miners'), m.miners.map((x) => [`${x.email}/${x.miner}`, x.agent, x.ip, x.sessionId, x.authorized, x.subscribed, x.target, x.nonce]));
  const e = await api('/api/admin/edges');
  $('edge-count').textContent = e.total ? `${e.total} edges, ${e.sessions} sessions` : 'none (standalone pool)';
  setRows($('edges'), e.edges.map((x) => [x.edgeId, x.sessions, `${formatRate(x.hashrate.value)} (${formatBand(x.hashrate)})`, x.sharesPerSecond.toFixed(1), x.lastJobId ?? '', x.spooled, x.validationPending, x.accepted, x.rejected, x.lastSeen, x.stale ? 'silent' : 'up']));
  const u = await api('/api/admin/users');
  setRows($('users'), u.users.map((x) => [
    x.id, x.email, x.role, x.payoutAddress, ...['earned', 'paid', 'pending', 'owed'].map((k) => formatPeg(x.balance[k])), `${formatRate(x.hashrate.value)} (${formatBand(x.hashrate)})`,
  ]));
  const i = await api('/api/admin/invites');
  setRows($('invites'), i.invites.map((x) => [x.code, x.claimedBy ?? '']));
  const b = await api('/api/admin/bans');
  setRows($('bans'), b.bans.map((x) => [x.ip, x.reason, x.until]));
  const s = await api('/api/admin/submissions?limit=50');
  setRows($('submissions'), s.data.map((x) => [x.jobId, `${x.email}/${x.miner}`, x.entryHash, x.blocked ? 'yes' : 'no']));
  await loadScheme();
  const p = await api('/api/admin/payouts');
  setRows($('payouts'), p.batches.map((x) => [x.id, x.status, x.items, formatPeg(x.total), x.entryHash ?? '']));
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

load().catch((err) => { document.querySelector('main').textContent = err.message; });
