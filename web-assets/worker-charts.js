// The account page's per-worker charts: one small chart per worker, the most active first (at
// most WORKER_CHARTS; the chart above picks any worker), each with its 95 % band.
import { api } from './api.js';
import { hashrateChart } from './chart.js';
import { figurePoint } from './site.js';

export const WORKER_CHARTS = 12;

const IDLE = { value: 0, low: 0, high: 0 };

/** The workers charted: highest hashrate first, then the latest share, then by name. */
export function mostActive(miners) {
  const last = (m) => (m.lastShareAt ? new Date(m.lastShareAt).getTime() : 0);
  return [...miners].sort((a, b) => b.hashrate.value - a.hashrate.value || last(b) - last(a) || a.name.localeCompare(b.name)).slice(0, WORKER_CHARTS);
}

export function workerCharts(box) {
  let charts = new Map();
  return {
    /** Shows the charts of `miners` (as /api/me/miners lists them) over `range`. */
    async show(miners, range) {
      const names = mostActive(miners).map((m) => m.name);
      if (names.join('\n') !== [...charts.keys()].join('\n')) {
        box.replaceChildren(...names.map((name) => {
          const fig = document.createElement('figure');
          fig.className = 'worker-chart';
          fig.dataset.worker = name;
          const caption = document.createElement('figcaption');
          caption.textContent = name || '(default)';
          const el = document.createElement('div');
          el.className = 'chart small';
          el.setAttribute('aria-label', `hashrate of ${name || '(default)'}`);
          fig.append(caption, el);
          return fig;
        }));
        // Built once they are in the page: a chart takes its box's width.
        charts = new Map([...box.children].map((fig) => [fig.dataset.worker, hashrateChart(fig.lastChild, { label: fig.dataset.worker || '(default)', height: 130 })]));
      }
      await Promise.all([...charts].map(async ([name, chart]) => chart.set((await api(`/api/me/history?range=${range}&worker=${encodeURIComponent(name)}`)).points)));
    },
    /** A live figures event: each charted worker's point (0 for a worker without shares in the window). */
    push(ev) {
      for (const [name, chart] of charts) chart.push(figurePoint(ev.at, ev.miners.find((m) => m.miner === name)?.hashrate ?? IDLE));
    },
  };
}
