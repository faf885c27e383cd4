// The admin page's webhook section: the delivery log (GET /api/admin/webhooks). A web without a
// notifier (`prosper-pool web` alone) has no such API: the section is hidden.
import { api, setRows } from './api.js';
import { $ } from './site.js';

async function loadWebhooks() {
  const w = await api('/api/admin/webhooks?limit=100');
  $('webhook-queued').textContent = `${w.queued} waiting`;
  setRows($('webhook-log'), w.deliveries.map((d) => [
    new Date(d.at).toISOString(), d.event, d.url, d.userId ?? 'operator', d.attempt, d.outcome, d.status ?? '', d.error ?? '', d.ms,
  ]));
}

loadWebhooks().catch((err) => {
  if (err.status === 404) $('webhooks-box').hidden = true;
  else $('webhook-queued').textContent = err.message;
});
