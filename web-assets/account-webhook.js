// The account page's webhook form (POST /api/me/webhook): set or remove the user's own URL; the
// signing secret is shown once, in the reply that made it. Loads when the account box shows.
import { api } from './api.js';

const $ = (id) => document.getElementById(id);

async function loadHook() {
  try {
    const w = await api('/api/me/webhook');
    $('webhook-url').value = w.url ?? '';
  } catch (err) {
    if (err.status === 404) $('webhook-form').hidden = true; // no notifier behind this web
  }
}

async function save(url) {
  const msg = $('webhook-msg');
  try {
    const r = await api('/api/me/webhook', { method: 'POST', body: { url } });
    $('webhook-url').value = r.url ?? '';
    $('webhook-secret').textContent = r.secret ?? '';
    $('webhook-secret-box').hidden = r.secret === null;
    msg.textContent = r.url ? 'saved' : 'removed';
  } catch (err) {
    msg.textContent = `${err.code ?? ''} ${err.message}`.trim();
  }
}

$('webhook-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void save($('webhook-url').value);
});
$('webhook-remove').addEventListener('click', () => void save(null));

const box = $('me-box');
new MutationObserver(() => { if (!box.hidden) void loadHook(); }).observe(box, { attributes: true, attributeFilter: ['hidden'] });
if (!box.hidden) void loadHook();
