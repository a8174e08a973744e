// The node's own HTTP API. Every call answers the parsed Prometheus-style body ({status, data,
// warnings, infos}) or throws an Error with the server's message.
export async function api(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(params)) {
    for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined && one !== '') url.searchParams.append(k, one);
  }
  let resp;
  try {
    resp = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new Error(`cannot reach ${url.pathname}: ${e.message}`);
  }
  let body = null;
  try {
    body = await resp.json();
  } catch (e) {
    throw new Error(`${url.pathname}: ${resp.status} ${resp.statusText}`);
  }
  if (body.status !== 'success') throw new Error(body.error || `${url.pathname}: ${resp.status}`);
  return body;
}
