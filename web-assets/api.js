// Fetch helpers shared by the dashboard and the admin page.
let csrf = null;

export async function api(path, { method = 'GET', body } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const json = await res.json();
  if (!res.ok) throw Object.assign(new Error(json.error?.message ?? res.statusText), { code: json.error?.code, status: res.status });
  if (json.csrf !== undefined) csrf = json.csrf;
  return json;
}

export function setRows(tbody, rows) {
  tbody.replaceChildren(...rows.map((cells) => {
    const tr = document.createElement('tr');
    for (const c of cells) { const td = document.createElement('td'); td.textContent = String(c); tr.append(td); }
    return tr;
  }));
}
