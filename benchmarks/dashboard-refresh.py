#!/usr/bin/env python3
"""A Grafana-like dashboard refresh against Strata and VictoriaMetrics, side by side, while data keeps arriving.

Run after `strata bench compare --phases query` against the same systems (it reads the job="node" series that
phase loaded). A feeder thread sends one new sample per job="node" series every 15 s (aligned) to every system
over Influx line protocol (both name the series measurement_field: node_cpu_seconds + total =
node_cpu_seconds_total); counters grow, gauges stay. After --warmup seconds (at least the results caches'
uncached recent window, so the fresh tail holds live data), the 8 dashboard queries of bench compare
(CompareQueries.DASHBOARD) run over the last hour at 15 s with end = now (aligned to 15 s, as Grafana asks),
each system in turn (the first one rotating), rounds alternating results caches allowed / nocache=1.
Prints per query the median ms of each system, and the geometric mean of the medians with Strata's ratio.

usage: benchmarks/dashboard-refresh.py --strata URL --victoria URL [--rounds 15] [--warmup 400]
"""
import argparse
import json
import math
import random
import re
import statistics
import threading
import time
import urllib.parse
import urllib.request

DASHBOARD = [
    'sum by (instance) (rate(node_cpu_seconds_total{job="node",mode!="idle"}[5m]))',
    'sum by (mode) (rate(node_cpu_seconds_total{job="node"}[5m]))',
    'node_memory_MemAvailable_bytes{job="node"} / node_memory_MemTotal_bytes{job="node"}',
    'min by (instance) (node_filesystem_avail_bytes{job="node",fstype!="tmpfs"}'
    ' / node_filesystem_size_bytes{job="node",fstype!="tmpfs"})',
    'sum by (instance) (rate(node_network_receive_bytes_total{job="node",device!="lo"}[5m]))',
    'sum by (instance) (rate(node_network_transmit_bytes_total{job="node",device!="lo"}[5m]))',
    'node_load1{job="node"}',
    'sum by (instance) (rate(node_disk_io_time_seconds_total{job="node"}[5m]))',
]


def get(url):
    with urllib.request.urlopen(url) as r:
        return r.read()


def esc(s):
    return re.sub(r'([ ,=])', r'\\\1', s)


def feed(urls, series, stop):
    rnd = random.Random(1)
    while not stop.is_set():
        t = int(time.time()) // 15 * 15 + 15
        if stop.wait(max(0.0, t - time.time())):
            return
        for s in series:
            if s[3]:
                s[2] += rnd.random() * 10
        body = ('\n'.join(f'{s[0]} {s[1]}={s[2]!r} {t * 1000}' for s in series) + '\n').encode()
        for u in urls:
            urllib.request.urlopen(urllib.request.Request(u + '/write?precision=ms', data=body, method='POST')).read()


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--strata', required=True)
    p.add_argument('--victoria', required=True)
    p.add_argument('--rounds', type=int, default=15)
    p.add_argument('--warmup', type=float, default=400)
    a = p.parse_args()
    systems = {'victoria': a.victoria.rstrip('/'), 'strata': a.strata.rstrip('/')}
    # every series with its newest sample of the last 15 min (a range selector keeps the names)
    q = urllib.parse.urlencode({'query': '{job="node"}[15m]', 'time': int(time.time()), 'nocache': 1})
    raw = json.loads(get(systems['strata'] + '/api/v1/query?' + q))['data']['result']
    if not raw:
        raise SystemExit('no job="node" samples in Strata in the last 15 min: run bench compare --phases query first')
    series = []
    for r in raw:
        m = r['metric']
        name = m['__name__']
        i = name.rfind('_')
        tags = ','.join(esc(k) + '=' + esc(v) for k, v in sorted(m.items()) if k != '__name__')
        series.append([esc(name[:i]) + ',' + tags, name[i + 1:], float(r['values'][-1][1]), name.endswith('_total')])
    print(f'feeding {len(series)} series every 15 s to {list(systems)}; measuring after {a.warmup:.0f} s', flush=True)
    stop = threading.Event()
    feeder = threading.Thread(target=feed, args=(list(systems.values()), series, stop), name='feeder', daemon=True)
    feeder.start()
    time.sleep(a.warmup)
    names = list(systems)
    lat = {(s, k, q): [] for s in systems for k in ('cached', 'nocache') for q in DASHBOARD}
    for r in range(2 * a.rounds):
        kind = 'cached' if r % 2 == 0 else 'nocache'
        end = int(time.time()) // 15 * 15
        first = (r // 2) % len(names)
        for q in DASHBOARD:
            for s in names[first:] + names[:first]:
                u = systems[s] + '/api/v1/query_range?' + urllib.parse.urlencode(
                    {'query': q, 'start': end - 3600, 'end': end, 'step': 15}) + ('&nocache=1' if kind == 'nocache' else '')
                t0 = time.perf_counter()
                get(u)
                lat[(s, kind, q)].append((time.perf_counter() - t0) * 1000)
    stop.set()
    for kind in ('cached', 'nocache'):
        med = {s: [statistics.median(lat[(s, kind, q)]) for q in DASHBOARD] for s in systems}
        gm = {s: math.exp(sum(math.log(x) for x in med[s]) / len(med[s])) for s in systems}
        label = 'results caches allowed' if kind == 'cached' else 'nocache=1'
        print(f'{label}: geometric mean of medians: VictoriaMetrics {gm["victoria"]:.1f} ms, Strata {gm["strata"]:.1f} ms,'
              f' Strata {gm["strata"] / gm["victoria"]:.2f}x')
        for i, q in enumerate(DASHBOARD):
            print(f'   {med["victoria"][i]:7.1f} {med["strata"][i]:7.1f}  {q}')


if __name__ == '__main__':
    main()
