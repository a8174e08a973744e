// The cluster page (nodes, shards with owners and state, lag in records and time, flush and checkpoint ages, ingest rate)
// and the ingestion page (samples/s accepted and rejected by reason, per shard). Both refresh
// themselves while shown, from /api/v1/status/shards (ownership and owner states, asked of every
// node) and /api/v1/status/cluster (every node's consumers and flushes).
import { api } from './api.js';
import { h, clear, formatAge, formatNumber } from './dom.js';

const REFRESH_MS = 5000;

/** Polls while shown; subclasses paint. */
class Refreshing {
  constructor(root, title) {
    this.updated = h('span.updated');
    this.body = h('div');
    root.append(h('h2', title, ' ', this.updated), this.body);
  }

  show() {
    this.hide();
    this.refresh();
    this.timer = setInterval(() => this.refresh(), REFRESH_MS);
  }

  hide() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async refresh() {
    try {
      const [shards, cluster] = await Promise.all([api('/api/v1/status/shards'), api('/api/v1/status/cluster')]);
      this.paint(shards.data, cluster.data);
      this.updated.textContent = `updated ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      clear(this.body, h('div.error', e.message));
    }
  }
}

/** node -> shard -> {consumer, flush} from /api/v1/status/cluster. */
function details(cluster) {
  const out = new Map();
  for (const n of cluster.nodes) {
    const byShard = new Map();
    const o = n.overview;
    for (const s of o?.ingest?.data?.shards || []) byShard.set(s.shard, { consumer: s });
    for (const f of o?.flush || []) byShard.set(f.shard, { ...(byShard.get(f.shard) || {}), flush: f });
    out.set(n.node, byShard);
  }
  return out;
}

/**
 * Consumer lag in time (the consumer's lagSeconds: how old the oldest record not yet applied is,
 * approximated by the age of the last record applied; 0 when caught up); '-' while unknown (-1).
 */
function formatLag(seconds) {
  return seconds === undefined || seconds === null || seconds < 0 ? '-' : formatAge(seconds);
}

/** A shard's memory against its budget: "12.3 / 128 MiB (10%)". */
function formatMemory(used, budget) {
  const mib = (b) => (b / 1048576).toFixed(b < 10485760 ? 1 : 0);
  return `${mib(used)} / ${mib(budget)} MiB (${Math.round((used * 100) / budget)}%)`;
}

function ownerBadge(o) {
  if (o.state === 'ready') return h('span.badge.ready', `node ${o.node}: ready`);
  if (o.state === 'recovering') {
    return h('span.badge.recovering', `node ${o.node}: replaying ${Math.round((o.progress || 0) * 100)}%`
      + (o.eta !== undefined && o.eta >= 0 ? `, ETA ${formatAge(o.eta)}` : ''));
  }
  return h('span.badge.down', `node ${o.node}: down`);
}

export class ClusterPage extends Refreshing {
  constructor(root) {
    super(root, 'Cluster');
  }

  paint(shards, cluster) {
    const d = details(cluster);
    const nodes = shards.nodes.map((n) => {
      const mine = d.get(n.node) || new Map();
      let rate = 0;
      for (const v of mine.values()) rate += v.consumer?.samplesPerSecond > 0 ? v.consumer.samplesPerSecond : 0;
      const owned = shards.shards.filter((s) => s.owners.some((o) => o.node === n.node)).length;
      return h('tr', { 'data-node': n.node }, h('td', `node ${n.node}`, n.node === shards.self ? ' (this node)' : ''),
        h('td', n.address), h('td', h(`span.badge.${n.up ? 'ready' : 'down'}`, n.up ? 'up' : 'down')),
        h('td.num', owned), h('td.num', n.up ? formatNumber(rate) : '-'), h('td.error-text', n.error));
    });
    const rows = shards.shards.map((s) => {
      const owners = s.owners.map((o) => {
        const c = d.get(o.node)?.get(s.shard)?.consumer;
        return { ...o, eta: c?.recovery?.etaSeconds };
      });
      const serving = owners.find((o) => o.state === 'ready');
      const info = serving ? d.get(serving.node)?.get(s.shard) : null;
      return h('tr', { 'data-shard': s.shard, 'data-served-by': serving ? serving.node : 'missing' },
        h('td.num', s.shard),
        h('td.served', serving ? h('span.badge.ready', `node ${serving.node}`) : h('span.badge.down', 'missing')),
        h('td', owners.map(ownerBadge)),
        h('td.num', serving && serving.lag >= 0 ? serving.lag : '-'),
        h('td.num.lag-seconds', formatLag(info?.consumer?.lagSeconds)),
        h('td.num', info?.consumer ? formatNumber(info.consumer.samplesPerSecond) : '-'),
        h('td.num', info?.consumer ? info.consumer.seriesCount : '-'),
        h('td.num.memory', info?.consumer?.memoryBudgetBytes > 0 ? formatMemory(info.consumer.memoryUsedBytes, info.consumer.memoryBudgetBytes) : '-'),
        h('td.num', info?.flush ? formatAge(info.flush.lastFlushAgeSeconds) : '-'),
        h('td.num', info?.flush ? formatAge(info.flush.oldestCheckpointAgeSeconds) : '-'));
    });
    const ready = shards.shards.filter((s) => s.readyOwners > 0).length;
    clear(this.body,
      h('div.summary#cluster-summary', `${ready} of ${shards.shards.length} shards served; `
        + `${shards.nodes.filter((n) => n.up).length} of ${shards.nodes.length} nodes up`),
      h('h3', 'Nodes'),
      h('table.data#nodes', h('thead', h('tr', h('th', 'Node'), h('th', 'Address'), h('th', 'State'),
        h('th.num', 'Shards owned'), h('th.num', 'Samples/s'), h('th', 'Error'))), h('tbody', nodes)),
      h('h3', 'Shards'),
      h('table.data#shards', h('thead', h('tr', h('th.num', 'Shard'), h('th', 'Served by'), h('th', 'Owners'),
        h('th.num', 'Lag (records)'), h('th.num', 'Lag (time)'), h('th.num', 'Samples/s'), h('th.num', 'Series'), h('th.num', 'Memory (used / budget)'), h('th.num', 'Last flush'),
        h('th.num', 'Oldest checkpoint'))), h('tbody', rows)));
  }
}

export class IngestionPage extends Refreshing {
  constructor(root) {
    super(root, 'Ingestion');
    this.previous = new Map(); // node/shard -> {at, rejected}
  }

  paint(shards, cluster) {
    const now = Date.now();
    const rows = [];
    let accepted = 0;
    for (const n of cluster.nodes) {
      for (const s of n.overview?.ingest?.data?.shards || []) {
        const key = `${n.node}/${s.shard}`;
        const prev = this.previous.get(key);
        const rates = {};
        for (const [reason, count] of Object.entries(s.rejected || {})) {
          const before = prev?.rejected?.[reason] ?? count;
          rates[reason] = prev ? Math.max(0, count - before) / ((now - prev.at) / 1000) : null;
        }
        this.previous.set(key, { at: now, rejected: { ...(s.rejected || {}) } });
        accepted += s.samplesPerSecond > 0 ? s.samplesPerSecond : 0;
        const reasons = Object.keys(s.rejected || {}).sort();
        rows.push(h('tr', { 'data-node': n.node, 'data-shard': s.shard },
          h('td', `node ${n.node}`), h('td.num', s.shard),
          h('td.num', formatNumber(s.samplesPerSecond)),
          h('td.num', s.samplesTotal),
          h('td', reasons.length ? reasons.map((r) => h('div', `${r}: ${rates[r] === null ? '…' : formatNumber(rates[r])}/s`)) : 'none'),
          h('td', reasons.length ? reasons.map((r) => h('div', `${r}: ${s.rejected[r]}`)) : '0'),
          h('td.num', s.lag), h('td.num', formatLag(s.lagSeconds)), h('td.error-text', s.lastError || '')));
      }
    }
    clear(this.body,
      h('div.summary', `${formatNumber(accepted)} samples/s appended on all shards (every owner counts its copy)`),
      h('table.data#ingestion', h('thead', h('tr', h('th', 'Node'), h('th.num', 'Shard'), h('th.num', 'Accepted samples/s'),
        h('th.num', 'Samples total'), h('th', 'Rejected/s by reason'), h('th', 'Rejected total by reason'),
        h('th.num', 'Lag (records)'), h('th.num', 'Lag (time)'), h('th', 'Last error'))), h('tbody', rows)));
  }
}
