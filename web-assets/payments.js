import { api, setRows } from './api.js';
import { formatPeg } from './chart.js';
import { $, siteHeader, when } from './site.js';

const miner = (h) => (h ? { text: h, href: `/miner/${encodeURIComponent(h)}` } : '(no public handle)');

async function start() {
  await siteHeader();
  const p = await api('/api/payments');
  setRows($('batches'), p.batches.map((b) => [b.batchId, b.status, when(b.createdAt), b.entries.length, formatPeg(b.total), { text: b.entryHash ?? '-', wrap: true }]));
  setRows($('entries'), p.batches.flatMap((b) => b.entries.map((e) => [b.batchId, miner(e.handle), formatPeg(e.amount)])));
}
start();
