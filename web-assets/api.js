// Fetch helpers shared by every page.
let csrf = null;

export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const json = await res.json();
  if (!res.ok) throw Object.assign(new Error(json.error?.message ?? res.statusText), { code: json.error?.code, status: res.status });
  if (json.csrf !== undefined) csrf = json.csrf;
  return json;
}

/** Table rows; a cell is text, or { text, href } for a link, or { text, wrap: true } for long text. */
export function setRows(tbody, rows) {
  tbody.replaceChildren(...rows.map((cells) => {
    const tr = document.createElement('tr');
    for (const c of cells) {
      const td = document.createElement('td');
      if (c !== null && typeof c === 'object') {
        if (c.href) { const a = document.createElement('a'); a.href = c.href; a.textContent = String(c.text); td.append(a); } else td.textContent = String(c.text);
        if (c.wrap) td.className = 'wrap';
      } else td.textContent = String(c);
      tr.append(td);
    }
    return tr;
  }));
}
