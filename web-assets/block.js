import { api, setRows } from './api.js';
import { formatPeg } from './chart.js';
import { $, siteHeader, when } from './site.js';

const hex = (v) => BigInt(v).toString(16).padStart(16, '0');

async function start() {
  await siteHeader();
  const height = location.pathname.split('/')[2];
  $('height').textContent = height;
  const b = await api(`/api/blocks/${height}`);
  $('b-time').textContent = when(b.time);
  $('b-status').textContent = b.status;
  $('b-version').textContent = b.version ?? '-';
  $('b-accepted').textContent = b.accepted;
  $('b-spot').textContent = b.spot;
  $('b-cutoff').textContent = b.spot ? hex(b.cutoff) : '-';
  $('b-submitted').textContent = b.submitted;
  $('b-graded').textContent = b.inGraded;
  $('b-won').textContent = b.won;
  $('b-reward').textContent = formatPeg(b.reward);
  $('b-effort').textContent = b.effort === null ? '-' : `${(b.effort * 100).toFixed(0)} %`;
  // What a miner needs to check the effort (docs/web.md, Network figures).
  $('b-work').textContent = `${b.work.toExponential(3)} / ${b.competitorWork.toExponential(3)}`;
  const below = b.submissions.filter((s) => s.position === null).length;
  $('b-summary').textContent = b.graded
    ? `${b.submitted} pool OPRs were written; ${b.inGraded} made the graded set of ${b.spot}${below ? ` (${below} did not: see each one's reason)` : ''}, and ${b.won} won.`
    : 'This block was not graded.';
  const cutoff = BigInt(b.cutoff);
  setRows($('submissions'), b.submissions.map((s) => [
    { text: `${s.entryHash.slice(0, 16)}…` }, hex(s.target),
    b.spot ? (BigInt(s.target) >= cutoff ? 'at or above the cutoff' : 'below the cutoff') : '-',
    s.position === null ? '-' : s.position + 1, s.grade === null ? '-' : s.grade.toPrecision(4), { text: s.verdict, wrap: true },
  ]));
  if (b.settlement) {
    $('s-reward').textContent = formatPeg(b.settlement.reward);
    $('s-fee').textContent = formatPeg(b.settlement.fee);
    $('s-dust').textContent = formatPeg(b.settlement.dust);
    $('s-miners').textContent = b.settlement.miners;
  }
}
start().catch((err) => { $('b-summary').textContent = err.message; });
