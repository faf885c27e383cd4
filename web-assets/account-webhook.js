// The account page's webhook form (POST /api/me/webhook): set or remove the user's own URL; the
// signing secret is shown once, in the reply that made it. A web without a notifier behind it
// (`prosper-pool web` alone) answers 404: the form is hidden.
import { api } from './api.js';
import { $ } from './site.js';

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

api('/api/me/webhook').then((w) => { $('webhook-url').value = w.url ?? ''; }, (err) => {
  if (err.status === 404) $('webhook-form').hidden = true;
});
