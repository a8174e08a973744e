// The cardinality page: where the series come from, from /api/v1/status/tsdb.
import { api } from './api.js';
import { h, clear } from './dom.js';

const TABLES = [
  ['seriesCountByMetricName', 'Top metric names by series', 'Metric name', 'Series'],
  ['labelValueCountByLabelName', 'Top label names by value count', 'Label name', 'Values'],
  ['seriesCountByLabelValuePair', 'Top label pairs by series', 'Label pair', 'Series'],
  ['memoryInBytesByLabelName', 'Label names by bytes of their values', 'Label name', 'Bytes'],
];

export class CardinalityPage {
  constructor(root) {
    this.limit = h('input#tsdb-limit', { value: '10', size: 4 });
    this.limit.addEventListener('change', () => this.show());
    this.body = h('div#cardinality');
    root.append(h('h2', 'Cardinality'), h('label', 'Top ', this.limit), this.body);
  }

  async show() {
    clear(this.body, h('div.loading', 'Loading...'));
    try {
      const r = await api('/api/v1/status/tsdb', { limit: this.limit.value });
      const d = r.data;
      const hs = d.headStats;
      const range = hs.numSeries > 0 && hs.minTime <= hs.maxTime
        ? `${new Date(hs.minTime).toISOString()} to ${new Date(hs.maxTime).toISOString()}` : 'no samples in memory';
      clear(this.body,
        (r.warnings || []).map((w) => h('div.warning', w)),
        h('table.data.head-stats', h('tbody',
          h('tr', h('th', 'Series'), h('td#num-series', hs.numSeries)),
          h('tr', h('th', 'Label pairs'), h('td', hs.numLabelPairs)),
          h('tr', h('th', 'Chunks in memory'), h('td', hs.chunkCount)),
          h('tr', h('th', 'Samples in memory'), h('td', range)))),
        h('div.grid2', TABLES.map(([key, title, col, val]) => this.table(key, title, col, val, d[key] || [], hs.numSeries))));
    } catch (e) {
      clear(this.body, h('div.error', e.message));
    }
  }

  table(key, title, col, val, rows, total) {
    const max = Math.max(1, ...rows.map((r) => r.value));
    return h('section', h('h3', title), h(`table.data#${key}`,
      h('thead', h('tr', h('th', col), h('th.num', val), h('th', ''))),
      h('tbody', rows.map((r) => h('tr', h('td', r.name), h('td.num', r.value),
        h('td.barcell', h('div.bar', { style: `width:${(100 * r.value) / max}%`,
          title: total && val === 'Series' ? `${((100 * r.value) / total).toFixed(1)}% of all series` : '' })))))));
  }
}
