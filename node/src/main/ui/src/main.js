// The UI's entry: one page per hash route (#/query, #/explore, #/cardinality, #/cluster,
// #/ingestion). Pages are built once and shown or hidden, so the editor keeps its state.
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { h } from './dom.js';
import { QueryPage } from './query.js';
import { ExplorerPage } from './explorer.js';
import { CardinalityPage } from './cardinality.js';
import { ClusterPage, IngestionPage } from './cluster.js';

const container = document.getElementById('pages');
const pages = {};
function section(name) {
  const el = h(`section.page#page-${name}`);
  container.append(el);
  return el;
}
pages.query = new QueryPage(section('query'));
pages.explore = new ExplorerPage(section('explore'), (selector) => {
  pages.query.insert(selector);
  pages.query.run();
});
pages.cardinality = new CardinalityPage(section('cardinality'));
pages.cluster = new ClusterPage(section('cluster'));
pages.ingestion = new IngestionPage(section('ingestion'));

let current = null;
function route() {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const [name, query] = hash.split('?');
  const page = pages[name] ? name : 'query';
  if (current && current !== page) pages[current].hide?.();
  for (const el of container.children) el.hidden = el.id !== `page-${page}`;
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.page === page);
  current = page;
  pages[page].show(new URLSearchParams(query || ''));
}
window.addEventListener('hashchange', route);
route();
