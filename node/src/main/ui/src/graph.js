// The range graph: uPlot (canvas; tens of thousands of points stay smooth) with one line per series,
// stacked on demand, and a legend of label sets.
import uPlot from 'uplot';
import { seriesName } from './dom.js';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
  '#bcbd22', '#17becf'];

/**
 * Draws `result` (a query_range matrix) on a grid from `start` to `end` (seconds) every `step`
 * seconds into `parent`; answers the uPlot instance (destroy it before drawing again).
 */
export function drawGraph(parent, result, start, end, step, stacked) {
  const n = Math.floor((end - start) / step) + 1;
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = start + i * step;
  const ys = result.map((s) => {
    const col = new Array(n).fill(null);
    for (const [t, v] of s.values || []) {
      const i = Math.round((t - start) / step);
      if (i >= 0 && i < n) col[i] = parseFloat(v);
    }
    return col;
  });
  if (stacked) {
    for (let k = 1; k < ys.length; k++) {
      for (let i = 0; i < n; i++) {
        if (ys[k][i] !== null) ys[k][i] += ys[k - 1][i] ?? 0;
        else ys[k][i] = ys[k - 1][i];
      }
    }
  }
  const opts = {
    width: Math.max(400, parent.clientWidth || 900),
    height: 360,
    scales: { x: { time: true } },
    legend: { live: true },
    cursor: { points: { size: 6 } },
    series: [{}, ...result.map((s, k) => ({
      label: seriesName(s.metric),
      stroke: PALETTE[k % PALETTE.length],
      fill: stacked ? PALETTE[k % PALETTE.length] + '40' : undefined,
      width: 1.5,
      spanGaps: false,
      points: { show: false },
    }))],
    axes: [{}, { size: 70 }],
  };
  return new uPlot(opts, [xs, ...ys], parent);
}
