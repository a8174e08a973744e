// Tiny DOM helpers: h('div.cls', {attr}, children...) builds elements; text is escaped by construction.
export function h(tag, attrs, ...children) {
  // tag is "name", optionally followed by ".class" parts and one "#id": "table.data#shards".
  const [head, id] = tag.split('#');
  const [name, ...classes] = head.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  if (id) el.id = id;
  if (attrs !== null && attrs !== undefined && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** {__name__="up", job="x"} as Prometheus prints a series: up{job="x"}. */
export function seriesName(metric) {
  const name = metric.__name__ || '';
  const labels = Object.entries(metric).filter(([k]) => k !== '__name__')
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return labels.length || !name ? `${name}{${labels.join(', ')}}` : name;
}

export function formatNumber(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '-';
  if (Math.abs(v) >= 1e6) return v.toExponential(3);
  return Math.round(v * 1000) / 1000 + '';
}

export function formatAge(seconds) {
  if (seconds === null || seconds === undefined || seconds < 0) return 'never';
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
