// The metric explorer: metric names with type and help (from /api/v1/metadata), the label names and
// values of a chosen metric; a click inserts the selector into the query editor.
import { api } from './api.js';
import { h, clear } from './dom.js';

export class ExplorerPage {
  constructor(root, insert) {
    this.insert = insert; // (selector) => void: puts the selector into the editor and opens the query page
    this.filter = h('input#metric-filter', { placeholder: 'Filter metric names', size: 40 });
    this.filter.addEventListener('input', () => this.paint());
    this.list = h('div.metric-list#metric-list');
    this.detail = h('div.metric-detail#metric-detail');
    root.append(h('h2', 'Metrics'), this.filter, h('div.explorer', this.list, this.detail));
    this.names = [];
    this.metadata = {};
  }

  async show() {
    clear(this.list, h('div.loading', 'Loading...'));
    try {
      const [names, meta] = await Promise.all([api('/api/v1/label/__name__/values'), api('/api/v1/metadata')]);
      this.names = names.data;
      this.metadata = meta.data || {};
      this.paint();
    } catch (e) {
      clear(this.list, h('div.error', e.message));
    }
  }

  paint() {
    const f = this.filter.value.trim().toLowerCase();
    const rows = this.names.filter((n) => n.toLowerCase().includes(f)).slice(0, 2000).map((name) => {
      const m = (this.metadata[name] || [])[0];
      return h('tr',
        h('td', h('a.metric', { href: '#', onclick: (e) => { e.preventDefault(); this.open(name); } }, name)),
        h('td.type', m ? m.type : ''),
        h('td.help', m ? m.help : ''),
        h('td', h('button.small', { title: 'Insert into the query editor', onclick: () => this.insert(name) }, 'insert')));
    });
    clear(this.list, h('table.data', h('thead', h('tr', h('th', 'Metric'), h('th', 'Type'), h('th', 'Help'), h('th', ''))),
      h('tbody', rows)));
  }

  async open(name) {
    clear(this.detail, h('h3', name), h('div.loading', 'Loading...'));
    try {
      const labels = (await api('/api/v1/labels', { 'match[]': name })).data.filter((l) => l !== '__name__');
      const sections = await Promise.all(labels.map(async (label) => {
        const values = (await api(`/api/v1/label/${encodeURIComponent(label)}/values`, { 'match[]': name })).data;
        return h('div.label',
          h('div.label-name', label, h('span.count', ` (${values.length})`)),
          h('div.values', values.slice(0, 200).map((v) => h('a.value', {
            href: '#', onclick: (e) => { e.preventDefault(); this.insert(`${name}{${label}=${JSON.stringify(v)}}`); },
          }, v))));
      }));
      clear(this.detail, h('h3', name), sections.length ? sections : h('div.empty', 'No labels besides the name.'));
    } catch (e) {
      clear(this.detail, h('h3', name), h('div.error', e.message));
    }
  }
}
