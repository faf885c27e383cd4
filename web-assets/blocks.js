import { api, setRows } from './api.js';
import { blockRowsOf } from './blocks-table.js';
import { $, connectLive, siteHeader } from './site.js';

const PER_PAGE = 25;
let offset = Number(new URLSearchParams(location.search).get('offset') ?? 0) || 0;

async function load() {
  const b = await api(`/api/blocks?limit=${PER_PAGE}&offset=${offset}`);
  $('block-total').textContent = `${b.total} blocks`;
  setRows($('blocks'), blockRowsOf(b.data));
  $('page-no').textContent = `${Math.floor(offset / PER_PAGE) + 1} of ${Math.max(1, Math.ceil(b.total / PER_PAGE))}`;
  $('prev').disabled = offset === 0;
  $('next').disabled = offset + PER_PAGE >= b.total;
}

$('prev').addEventListener('click', () => { offset = Math.max(0, offset - PER_PAGE); load().catch(() => {}); });
$('next').addEventListener('click', () => { offset += PER_PAGE; load().catch(() => {}); });

async function start() {
  await siteHeader();
  await load();
  connectLive((ev) => { if (ev.type === 'block' && offset === 0) load().catch(() => {}); });
}
start();
