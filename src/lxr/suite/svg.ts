/** A small line chart as standalone SVG (no dependencies): one line per series, log2 x when it spans widely. */
export interface ChartSeries {
  name: string;
  points: { x: number; y: number; lo: number; hi: number }[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function ticks(max: number): number[] {
  if (!(max > 0)) return [0];
  const step = 10 ** Math.floor(Math.log10(max / 4));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => max / s <= 6) ?? step * 10;
  return Array.from({ length: Math.floor(max / nice) + 1 }, (_, i) => i * nice);
}

export function lineChartSvg(title: string, xLabel: string, yLabel: string, series: ChartSeries[]): string {
  const W = 640, H = 360, L = 80, R = 170, T = 36, B = 48;
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const log = xs.length > 2 && xs[xs.length - 1]! / Math.max(xs[0]!, 1) >= 16;
  const fx = (x: number) => (log ? Math.log2(Math.max(x, 1)) : x);
  const x0 = fx(xs[0] ?? 0), x1 = fx(xs[xs.length - 1] ?? 1);
  const yMax = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.hi))) * 1.05;
  const px = (x: number) => L + (x1 === x0 ? (W - L - R) / 2 : ((fx(x) - x0) / (x1 - x0)) * (W - L - R));
  const py = (y: number) => H - B - (y / yMax) * (H - T - B);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="13">${esc(title)}</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="black"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="black"/>`,
    `<text x="${(L + W - R) / 2}" y="${H - 10}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`,
  ];
  for (const x of xs) parts.push(`<text x="${px(x).toFixed(1)}" y="${H - B + 15}" text-anchor="middle">${x}</text>`);
  for (const y of ticks(yMax)) {
    parts.push(`<line x1="${L - 4}" y1="${py(y).toFixed(1)}" x2="${W - R}" y2="${py(y).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${L - 6}" y="${(py(y) + 4).toFixed(1)}" text-anchor="end">${y.toLocaleString('en-US')}</text>`);
  }
  series.forEach((s, i) => {
    const c = COLORS[i % COLORS.length]!;
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    parts.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}"/>`);
    for (const p of pts) {
      parts.push(`<line x1="${px(p.x).toFixed(1)}" y1="${py(p.lo).toFixed(1)}" x2="${px(p.x).toFixed(1)}" y2="${py(p.hi).toFixed(1)}" stroke="${c}"/>`);
      parts.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${c}"/>`);
    }
    parts.push(`<rect x="${W - R + 12}" y="${T + i * 18}" width="12" height="3" fill="${c}"/>`);
    parts.push(`<text x="${W - R + 30}" y="${T + i * 18 + 5}">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
