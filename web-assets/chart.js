// Hashrate charts with uPlot (served as /assets/uplot.js): time axis, gridlines, hover values in
// the legend, and the 95 % band shaded between its low and high series.
/* global uPlot */

// The 95 % interval of a hashrate figure, e.g. "3.10 - 5.20 kH/s".
export function formatBand(f) {
  return `${formatRate(f.low)} - ${formatRate(f.high)}`;
}

export function formatRate(hps) {
  const units = ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s', 'PH/s'];
  let i = 0;
  while (hps >= 1000 && i < units.length - 1) { hps /= 1000; i++; }
  return `${hps.toFixed(hps < 10 ? 2 : 1)} ${units[i]}`;
}

/** PEG amounts arrive as decimal strings of 1e-8 units. */
export function formatPeg(units) {
  const v = BigInt(units);
  const sign = v < 0n ? '-' : '';
  const a = v < 0n ? -v : v;
  return `${sign}${a / 100000000n}.${(a % 100000000n).toString().padStart(8, '0')}`;
}

/**
 * A chart of history points ({t, hashrate, low, high}) in `el`; returns { set(points), push(point) }.
 * The chart follows the width of its box (phones included).
 */
export function hashrateChart(el, { label = 'Hashrate', color = '#2767b0', band = 'rgba(39, 103, 176, 0.18)', height = 220 } = {}) {
  let points = [];
  const data = () => [points.map((p) => p.t / 1000), points.map((p) => p.low), points.map((p) => p.high), points.map((p) => p.hashrate)];
  const rate = (u, v) => (v == null ? '-' : formatRate(v));
  const opts = {
    width: Math.max(200, el.clientWidth), height,
    series: [
      {},
      { label: '95 % low', stroke: 'rgba(0,0,0,0)', value: rate, points: { show: false } },
      { label: '95 % high', stroke: 'rgba(0,0,0,0)', value: rate, points: { show: false } },
      { label, stroke: color, width: 2, value: rate },
    ],
    bands: [{ series: [2, 1], fill: band }],
    axes: [{}, { values: (u, ticks) => ticks.map((v) => formatRate(v)), size: 70 }],
    scales: { y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] } },
  };
  if (typeof uPlot === 'undefined') {
    // The chart library is not installed (npm install): the page works without its chart.
    el.textContent = 'chart unavailable';
    return { set(list) { points = [...list]; }, push(p) { points.push(p); }, get points() { return points; } };
  }
  const plot = new uPlot(opts, data(), el);
  new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height })).observe(el);
  return {
    set(list) { points = [...list]; plot.setData(data()); },
    push(p, max = 2000) { points.push(p); if (points.length > max) points.shift(); plot.setData(data()); },
    get points() { return points; },
  };
}
