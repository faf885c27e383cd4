// A tiny line chart on a canvas: time on x, hashrate on y. No dependencies.
export function drawLineChart(canvas, points, opts = {}) {
  const ctx = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height, pad = 34;
  ctx.clearRect(0, 0, w, h);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#5b6570';
  if (points.length === 0) { ctx.fillText('no data yet', pad, h / 2); return; }
  const t0 = points[0].t, t1 = Math.max(points[points.length - 1].t, t0 + 1);
  const yMax = Math.max(...points.map((p) => p.high ?? p.hashrate), 1) * 1.1;
  const x = (t) => pad + ((t - t0) / (t1 - t0)) * (w - pad - 8);
  const y = (v) => h - 16 - (v / yMax) * (h - 28);
  ctx.strokeStyle = '#e3e6ea';
  ctx.beginPath(); ctx.moveTo(pad, y(0)); ctx.lineTo(w - 8, y(0)); ctx.stroke();
  ctx.fillText(formatRate(yMax), 2, 12);
  ctx.fillText(new Date(t0).toLocaleTimeString(), pad, h - 2);
  ctx.fillText(new Date(t1).toLocaleTimeString(), w - 70, h - 2);
  // The 95 % band under the line.
  if (points.every((p) => p.low !== undefined && p.high !== undefined)) {
    ctx.fillStyle = opts.band ?? 'rgba(39, 103, 176, 0.15)';
    ctx.beginPath();
    points.forEach((p, i) => (i ? ctx.lineTo(x(p.t), y(p.high)) : ctx.moveTo(x(p.t), y(p.high))));
    for (let i = points.length - 1; i >= 0; i--) ctx.lineTo(x(points[i].t), y(points[i].low));
    ctx.closePath();
    ctx.fill();
  }
  ctx.strokeStyle = opts.color ?? '#2767b0';
  ctx.lineWidth = 2;
  ctx.beginPath();
  points.forEach((p, i) => (i ? ctx.lineTo(x(p.t), y(p.hashrate)) : ctx.moveTo(x(p.t), y(p.hashrate))));
  ctx.stroke();
}

// The 95 % interval of a hashrate figure, e.g. "3.10 - 5.20 kH/s".
export function formatBand(f) {
  return `${formatRate(f.low)} - ${formatRate(f.high)}`;
}

export function formatRate(hps) {
  const units = ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s'];
  let i = 0;
  while (hps >= 1000 && i < units.length - 1) { hps /= 1000; i++; }
  return `${hps.toFixed(hps < 10 ? 2 : 1)} ${units[i]}`;
}

/** PEG amounts arrive as decimal strings of 1e-8 units. */
export function formatPeg(units) {
  const v = BigInt(units);
  const whole = v / 100000000n, frac = (v % 100000000n).toString().padStart(8, '0');
  return `${whole}.${frac}`;
}
