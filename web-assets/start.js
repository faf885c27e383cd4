import { api } from './api.js';
import { $, siteHeader } from './site.js';

async function start() {
  await siteHeader();
  const info = await api('/api/pool/info').catch(() => null);
  const port = info?.stratumPort || 1234;
  const url = `stratum+tcp://${location.hostname}:${port}`;
  $('stratum-url').textContent = url;
  // The first run registers (asks for a password with -p); later runs read the remembered config.
  $('miner-command').textContent = `prosper-miner -s ${location.hostname}:${port} -u you@example.com -p -i <invite code> -a <FA payout address> -m rig1`;
  if (info) {
    $('fee').textContent = `${(Number(info.feeRate) * 100).toFixed(2)} % of each reward`;
    $('scheme').textContent = info.schemeText;
  }
  $('minimum').textContent = info ? `${info.minPayout} PEG (you may set a higher one on your account page)` : '-';
  $('schedule').textContent = 'in batches the operator sends (every balance of at least the minimum, to its payout address)';
}
start();
