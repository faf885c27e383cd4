import { api } from './api.js';
import { $, siteHeader, when } from './site.js';

/** Seconds as the largest whole unit that fits: 3 days, 5 hours, 20 minutes. */
function span(seconds) {
  for (const [unit, n] of [['day', 86400], ['hour', 3600], ['minute', 60]]) {
    const v = Math.round(seconds / n);
    if (v >= 1 && seconds >= n) return `${v} ${unit}${v === 1 ? '' : 's'}`;
  }
  return `${Math.round(seconds)} seconds`;
}

/** The pool has no payout timer: the operator pays in batches; their history gives the cadence. */
function scheduleText(info) {
  const base = `paid by the operator in batches (every balance of at least ${info.minPayout} PEG, to its payout address)`;
  const p = info.payouts;
  if (!p || p.batches === 0) return `${base}; no batch has been paid yet`;
  const typical = p.typicalIntervalSeconds === null ? '' : `, typically every ${span(p.typicalIntervalSeconds)}`;
  return `${base}: ${p.batches} paid so far, the last written ${when(p.lastBatchAt)}${typical}`;
}

async function start() {
  await siteHeader();
  const info = await api('/api/pool/info').catch(() => null);
  const port = info?.stratumPort || 1234;
  const url = `stratum+tcp://${location.hostname}:${port}`;
  $('stratum-url').textContent = url;
  if (info?.tlsPort) {
    $('stratum-tls-url').textContent = `stratum+ssl://${location.hostname}:${info.tlsPort}`;
    $('tls-line').hidden = false;
  }
  // The first run registers (asks for a password with -p); later runs read the remembered config.
  $('miner-command').textContent = `prosper-miner -s ${location.hostname}:${port} -u you@example.com -p -i <invite code> -a <FA payout address> -m rig1`;
  if (info) {
    $('fee').textContent = `${(Number(info.feeRate) * 100).toFixed(2)} % of each reward`;
    $('scheme').textContent = info.schemeText;
  }
  $('minimum').textContent = info ? `${info.minPayout} PEG (you may set a higher one on your account page)` : '-';
  $('schedule').textContent = info ? scheduleText(info) : '-';
}
start();
