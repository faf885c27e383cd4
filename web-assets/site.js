// What every page shares: the header and its navigation, the session, the live feed, figures.
import { api } from './api.js';
import { formatBand, formatRate, hashrateChart } from './chart.js';

export const $ = (id) => document.getElementById(id);

const NAV = [['/', 'Dashboard'], ['/start', 'Start'], ['/blocks', 'Blocks'], ['/miners', 'Miners'], ['/payments', 'Payments'], ['/network', 'Network'], ['/account', 'Account']];

/** Fills <header id="site-header">; resolves to the session ({ user, csrf }). */
export async function siteHeader() {
  const header = $('site-header');
  const h1 = document.createElement('h1');
  const home = document.createElement('a');
  home.href = '/'; home.textContent = 'Prosper';
  h1.append(home);
  const nav = document.createElement('nav');
  const here = location.pathname === '/' ? '/' : `/${location.pathname.split('/')[1]}`;
  const link = ([href, text]) => {
    const a = document.createElement('a');
    a.href = href; a.textContent = text;
    if (href === here || (href === '/blocks' && here === '/blocks') || (href === '/miners' && here === '/miner')) a.className = 'active';
    return a;
  };
  nav.append(...NAV.map(link));
  const admin = link(['/admin', 'Admin']);
  admin.id = 'admin-link'; admin.hidden = true;
  const live = document.createElement('span');
  live.id = 'live'; live.className = 'off'; live.textContent = 'offline';
  nav.append(admin, live);
  header.replaceChildren(h1, nav);
  const session = await api('/api/session').catch(() => ({ user: null }));
  admin.hidden = session.user?.role !== 'admin';
  return session;
}

/** The live feed: calls onEvent for every pool event, reconnecting when it drops. */
export function connectLive(onEvent) {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  ws.onopen = () => { $('live').textContent = 'live'; $('live').className = 'on'; };
  ws.onclose = () => { $('live').textContent = 'offline'; $('live').className = 'off'; setTimeout(() => connectLive(onEvent), 3000); };
  ws.onmessage = (msg) => onEvent(JSON.parse(msg.data));
}

/** A hashrate figure as text: the estimate and its 95 % band; details on hover. */
export function showFigure(el, f) {
  el.textContent = `${formatRate(f.value)} (${formatBand(f)})`;
  el.title = `${f.shares} shares in the last ${f.windowSeconds} s; 95 % interval ${formatBand(f)}`;
}

export function figurePoint(t, f) {
  return { t, hashrate: f.value, low: f.low, high: f.high };
}

export const when = (v) => (v ? new Date(v).toLocaleString() : '-');

/**
 * A history chart with its range picker: `url(range)` gives the API path; the chart reloads on a
 * range change. Returns the chart (live points are pushed onto it).
 */
export function historyChart(el, select, url, opts) {
  const chart = hashrateChart(el, opts);
  const load = async () => chart.set((await api(url(select.value))).points);
  select.addEventListener('change', () => load().catch(() => {}));
  chart.reload = load;
  return chart;
}

/** The range options every history chart offers. */
export function rangeOptions(select) {
  for (const r of ['1h', '24h', '7d', '30d']) select.append(new Option(r, r));
}
