import { api } from './api.js';
import { $, siteHeader } from './site.js';

siteHeader();
$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  try {
    await api('/api/login', { method: 'POST', body: { email: f.get('email'), password: f.get('password') } });
    // The same address now shows the page asked for (account or admin), with the live feed for this user.
    location.reload();
  } catch (err) {
    $('login-error').textContent = err.message;
  }
});
