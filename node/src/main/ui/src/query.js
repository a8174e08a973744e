// The query page: editor, instant table and range graph, time range and step, stacked toggle, a
// series limit with a warning, query stats, warnings and infos. The page's state lives in the URL
// (#/query?expr=...&tab=graph&range=1h&end=...&step=...&stacked=1&limit=...), so it can be shared.
import { api } from './api.js';
import { h, clear, seriesName } from './dom.js';
import { createEditor, insertText } from './editor.js';
import { drawGraph } from './graph.js';

const DEFAULTS = { expr: '', tab: 'table', range: '1h', end: '', step: '', stacked: '0', limit: '1000' };
const UNITS = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** "1h30m" -> 5400 (seconds); a plain number is seconds; null when it is not a duration. */
export function parseDuration(text) {
  const t = String(text).trim();
  if (/^\d+(\.\d+)?$/.test(t)) return parseFloat(t);
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let m;
  let seen = 0;
  while ((m = re.exec(t)) !== null) { total += parseInt(m[1], 10) * UNITS[m[2]]; seen = re.lastIndex; }
  return seen === t.length && seen > 0 ? total : null;
}

export class QueryPage {
  constructor(root) {
    this.root = root;
    this.state = { ...DEFAULTS };
    this.plot = null;
    this.el = {
      editor: h('div.editor#expr'),
      run: h('button.primary#run', { onclick: () => this.run() }, 'Execute'),
      tabs: h('div.tabs',
        h('button#tab-table', { onclick: () => this.setTab('table') }, 'Table'),
        h('button#tab-graph', { onclick: () => this.setTab('graph') }, 'Graph')),
      range: h('input#range', { size: 6, title: 'Range (e.g. 1h, 30m, 2d)' }),
      end: h('input#end', { size: 20, placeholder: 'now', title: 'End time: RFC 3339 or Unix seconds; empty = now' }),
      step: h('input#step', { size: 6, placeholder: 'auto', title: 'Resolution step (e.g. 15s); empty = range/250' }),
      stacked: h('input#stacked', { type: 'checkbox' }),
      limit: h('input#limit', { size: 6, title: 'Show at most this many series' }),
      messages: h('div.messages#messages'),
      stats: h('div.stats#stats'),
      result: h('div.result#result'),
    };
    for (const k of ['range', 'end', 'step', 'limit']) {
      this.el[k].addEventListener('change', () => { this.state[k] = this.el[k].value.trim(); this.run(); });
    }
    this.el.stacked.addEventListener('change', () => { this.state.stacked = this.el.stacked.checked ? '1' : '0'; this.run(); });
    this.el.graphControls = h('span.graph-controls',
      h('label', 'Range ', this.el.range), h('label', 'End ', this.el.end), h('label', 'Step ', this.el.step),
      h('label', this.el.stacked, ' stacked'));
    root.append(
      h('div.query-bar', this.el.editor, this.el.run),
      h('div.controls', this.el.tabs, this.el.graphControls, h('label', 'Series limit ', this.el.limit)),
      this.el.messages, this.el.stats, this.el.result);
    this.view = createEditor(this.el.editor, '', (text) => { this.state.expr = text; this.run(); },
      (text) => { this.state.expr = text; });
  }

  /** Called with the URL's parameters when the page is shown. */
  show(params) {
    const next = { ...DEFAULTS };
    for (const k of Object.keys(DEFAULTS)) if (params.has(k)) next[k] = params.get(k);
    const changed = JSON.stringify(next) !== this.lastExecuted;
    this.state = next;
    if (this.view.state.doc.toString() !== next.expr) {
      this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: next.expr } });
    }
    this.el.range.value = next.range;
    this.el.end.value = next.end;
    this.el.step.value = next.step;
    this.el.limit.value = next.limit;
    this.el.stacked.checked = next.stacked === '1';
    this.paintTabs();
    if (changed && next.expr) this.execute();
  }

  insert(text) {
    insertText(this.view, text);
    this.state.expr = this.view.state.doc.toString();
  }

  setTab(tab) {
    this.state.tab = tab;
    this.run();
  }

  paintTabs() {
    this.el.tabs.querySelector('#tab-table').classList.toggle('active', this.state.tab === 'table');
    this.el.tabs.querySelector('#tab-graph').classList.toggle('active', this.state.tab === 'graph');
    this.el.graphControls.style.display = this.state.tab === 'graph' ? '' : 'none';
  }

  /** Writes the state into the URL (which shows the page again and executes). */
  run() {
    this.state.expr = this.view.state.doc.toString();
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(this.state)) if (v !== DEFAULTS[k] || k === 'expr') p.set(k, v);
    const hash = `#/query?${p.toString()}`;
    if (window.location.hash === hash) this.execute();
    else window.location.hash = hash;
  }

  async execute() {
    this.lastExecuted = JSON.stringify(this.state);
    const { expr, tab } = this.state;
    clear(this.el.messages);
    clear(this.el.stats);
    if (this.plot) { this.plot.destroy(); this.plot = null; }
    clear(this.el.result, h('div.loading', 'Loading...'));
    if (!expr.trim()) { clear(this.el.result); return; }
    const limit = parseInt(this.state.limit, 10) > 0 ? parseInt(this.state.limit, 10) : 1000;
    const t0 = performance.now();
    try {
      let body;
      let grid;
      if (tab === 'graph') {
        grid = this.grid();
        body = await api('/api/v1/query_range', { query: expr, start: grid.start, end: grid.end, step: grid.step, stats: 'all' });
      } else {
        body = await api('/api/v1/query', { query: expr, time: this.endSeconds() ?? '', stats: 'all' });
      }
      const elapsed = performance.now() - t0;
      this.showMessages(body);
      const data = body.data;
      const shown = Array.isArray(data.result) ? data.result.slice(0, limit) : data.result;
      if (Array.isArray(data.result) && data.result.length > limit) {
        this.el.messages.append(h('div.warning#series-limit',
          `Showing ${limit} of ${data.result.length} series: raise the series limit or narrow the query.`));
      }
      this.showStats(body, elapsed, Array.isArray(data.result) ? data.result.length : 1);
      if (tab === 'graph') this.showGraph(data, shown, grid);
      else this.showTable(data, shown);
    } catch (e) {
      clear(this.el.result);
      this.el.messages.append(h('div.error#error', e.message));
    }
  }

  endSeconds() {
    const t = this.state.end.trim();
    if (!t || t === 'now') return null;
    if (/^\d+(\.\d+)?$/.test(t)) return parseFloat(t);
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? null : ms / 1000;
  }

  grid() {
    const range = parseDuration(this.state.range) ?? 3600;
    const end = this.endSeconds() ?? Math.floor(Date.now() / 1000);
    const stepIn = parseDuration(this.state.step);
    const step = stepIn && stepIn > 0 ? stepIn : Math.max(1, Math.round(range / 250));
    const start = end - range;
    return { start, end, step };
  }

  showMessages(body) {
    for (const w of body.warnings || []) this.el.messages.append(h('div.warning', 'Warning: ', w));
    for (const i of body.infos || []) this.el.messages.append(h('div.info', 'Info: ', i));
  }

  showStats(body, elapsedMs, series) {
    const s = body.data.stats;
    const parts = [`Load time: ${Math.round(elapsedMs)} ms`, `Result series: ${series}`];
    if (s?.timings?.evalTotalTime !== undefined) parts.push(`Evaluation: ${(s.timings.evalTotalTime * 1000).toFixed(1)} ms`);
    if (s?.samples?.totalQueryableSamples !== undefined) parts.push(`Samples: ${s.samples.totalQueryableSamples}`);
    if (s?.samples?.peakSamples !== undefined) parts.push(`Peak samples: ${s.samples.peakSamples}`);
    this.el.stats.textContent = parts.join(' · ');
  }

  showTable(data, shown) {
    const rows = [];
    if (data.resultType === 'scalar' || data.resultType === 'string') {
      rows.push(h('tr', h('td', data.resultType), h('td.value', String(shown[1]))));
    } else if (data.resultType === 'vector') {
      for (const s of shown) rows.push(h('tr', h('td.series', seriesName(s.metric)), h('td.value', s.value[1])));
    } else {
      for (const s of shown) {
        rows.push(h('tr', h('td.series', seriesName(s.metric)),
          h('td.value', (s.values || []).map(([t, v]) => `${v} @${t}`).join('\n'))));
      }
    }
    if (!rows.length) { clear(this.el.result, h('div.empty', 'Empty query result')); return; }
    clear(this.el.result, h('table.data#result-table', h('thead', h('tr', h('th', 'Series'), h('th', 'Value'))),
      h('tbody', rows)));
  }

  showGraph(data, shown, grid) {
    if (data.resultType !== 'matrix') {
      clear(this.el.result, h('div.error', `A graph needs a range query result; got ${data.resultType}.`));
      return;
    }
    if (!shown.length) { clear(this.el.result, h('div.empty', 'Empty query result')); return; }
    const box = h('div.graph#graph', { 'data-series': shown.length });
    clear(this.el.result, box);
    this.plot = drawGraph(box, shown, grid.start, grid.end, grid.step, this.state.stacked === '1');
  }
}

