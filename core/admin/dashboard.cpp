#include "admin/dashboard.hpp"

namespace cg::admin {

const std::string& dashboard_html() {
  static const std::string page = R"HTML(<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Credit Gateway</title>
<style>
body{font:14px/1.4 system-ui,"Noto Sans CJK SC",sans-serif;margin:0;background:#f4f6f8;color:#1d2733}
header{background:#1f4e79;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:center}
header h1{font-size:18px;margin:0;flex:1}
main{padding:16px 20px;display:grid;gap:16px}
section{background:#fff;border-radius:6px;padding:12px 16px;box-shadow:0 1px 2px #0002}
h2{font-size:15px;margin:0 0 8px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e3e7eb;vertical-align:top}
th{color:#55606b;font-weight:600}
.ok{color:#1a7f37}.bad{color:#c62828}.warn{color:#b26a00}
button{cursor:pointer}
input{padding:3px 6px}
pre{background:#f4f6f8;padding:8px;overflow:auto;max-height:300px}
</style></head><body>
<header><h1>Credit Gateway 信用信息交换网关 <span id="node"></span></h1>
<label>Token <input id="token" type="password" size="24"></label><button id="save">Use</button>
<span id="msg"></span></header>
<main>
<section><h2>Departments 部门适配器</h2><table id="plugins"><thead><tr><th>Plugin</th><th>Department</th><th>Version</th><th>State</th><th>Units</th><th>Records</th><th>Quarantined</th><th>Restarts</th><th>Last error</th></tr></thead><tbody></tbody></table></section>
<section><h2>Destinations 平台</h2><table id="dests"><thead><tr><th>Destination</th><th>Circuit</th><th>Outbox</th><th>Oldest (s)</th><th>Dead letters</th><th>Delivered</th><th>Last success</th><th>Last error</th></tr></thead><tbody></tbody></table></section>
<section><h2>Jobs 定时任务</h2><table id="jobs"><thead><tr><th>Job</th><th>Cron</th><th>Next run</th><th>Last</th><th>Counts</th><th></th></tr></thead><tbody></tbody></table></section>
<section><h2>Quarantine 隔离区</h2><table id="quarantine"><thead><tr><th>#</th><th>Department</th><th>Mapping</th><th>Rule</th><th>Field</th><th>Message</th><th>Source</th><th></th></tr></thead><tbody></tbody></table></section>
<section><h2>Record history 记录历史</h2><input id="rid" size="36" placeholder="record_id"><button id="lookup">Show</button><div id="history"></div></section>
</main>
<script>
const $ = s => document.querySelector(s);
const esc = v => String(v ?? '').replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
if (location.hash.startsWith('#token=')) {  // a link that carries the token: kept for this tab only
  sessionStorage.setItem('cg-token', decodeURIComponent(location.hash.slice(7)));
  history.replaceState(null, '', location.pathname);
}
$('#token').value = sessionStorage.getItem('cg-token') || '';
$('#save').onclick = () => { sessionStorage.setItem('cg-token', $('#token').value); refresh(); };
async function api(path, opts = {}) {
  const r = await fetch(path, {...opts, headers: {'Authorization': 'Bearer ' + (sessionStorage.getItem('cg-token') || ''), 'Content-Type': 'application/json'}});
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error((body.error && body.error.message) || r.status);
  return body;
}
function rows(sel, items, f) { $(sel + ' tbody').innerHTML = items.map(f).join('') || '<tr><td colspan="9">none</td></tr>'; }
async function refresh() {
  try {
    const s = await api('/api/v1/status');
    $('#node').textContent = '· ' + s.node_id;
    rows('#plugins', s.plugins, p => `<tr><td>${esc(p.plugin || p.file)}</td><td>${esc(p.department)}</td><td>${esc(p.version)}</td><td class="${p.state === 'running' ? 'ok' : 'bad'}">${esc(p.state)}</td><td>${p.units}</td><td>${p.records}</td><td>${p.quarantined}</td><td>${p.restarts}</td><td>${esc(p.last_error)}</td></tr>`);
    rows('#dests', s.destinations, d => `<tr><td>${esc(d.name)}</td><td class="${d.circuit === 'closed' ? 'ok' : 'bad'}">${esc(d.circuit)}</td><td>${d.outbox ? d.outbox.pending + d.outbox.inflight : ''}</td><td>${d.outbox ? d.outbox.oldest_age_s : ''}</td><td class="${d.outbox && d.outbox.dead ? 'warn' : ''}">${d.outbox ? d.outbox.dead : ''}</td><td>${d.records_delivered}</td><td>${esc(d.last_success_at)}</td><td>${esc(d.last_error)}</td></tr>`);
    rows('#jobs', s.jobs, j => `<tr><td>${esc(j.job)}</td><td>${esc(j.cron)}</td><td>${esc(j.next_run)}</td><td class="${j.last_status === 'error' ? 'bad' : 'ok'}">${esc(j.last_status)} ${esc(j.last_finished_at)}</td><td>${esc(JSON.stringify(j.last_counts || {}))}</td><td><button data-job="${esc(j.job)}">Run now</button></td></tr>`);
    document.querySelectorAll('[data-job]').forEach(b => b.onclick = async () => { try { await api('/api/v1/jobs/' + b.dataset.job + '/run', {method: 'POST'}); say('started ' + b.dataset.job); } catch (e) { say(e.message, true); } });
    const q = await api('/api/v1/quarantine?limit=200');
    rows('#quarantine', q, e => `<tr><td>${e.id}</td><td>${esc(e.department)}</td><td>${esc(e.mapping)}</td><td class="bad">${esc(e.rule)}</td><td>${esc(e.field)}</td><td>${esc(e.message)}</td><td>${esc((e.source || {}).file)}${(e.source || {}).line ? ':' + e.source.line : ''}</td><td><button data-replay="${e.id}">Replay</button></td></tr>`);
    document.querySelectorAll('[data-replay]').forEach(b => b.onclick = async () => { try { const r = await api('/api/v1/quarantine/replay', {method: 'POST', body: JSON.stringify({id: Number(b.dataset.replay)})}); say('#' + b.dataset.replay + ': ' + r[0].result + (r[0].reason ? ' (' + r[0].reason + ')' : '')); refresh(); } catch (e) { say(e.message, true); } });
    say('updated ' + new Date().toLocaleTimeString());
  } catch (e) { say(e.message, true); }
}
function say(t, bad) { $('#msg').textContent = t; $('#msg').className = bad ? 'bad' : ''; }
$('#lookup').onclick = async () => {
  try {
    const r = await api('/api/v1/records/' + encodeURIComponent($('#rid').value.trim()));
    $('#history').innerHTML = '<table><thead><tr><th>Version</th><th>Status</th><th>Updated</th><th>valid_until</th></tr></thead><tbody>' +
      r.history.map(v => `<tr><td>${v.version}</td><td>${esc(v.status)}</td><td>${esc(v.updated_at)}</td><td>${esc((v.decision || {}).valid_until)}</td></tr>`).join('') +
      '</tbody></table><h2>Audit</h2><table><tbody>' + r.audit.map(a => `<tr><td>${esc(a.at)}</td><td>${esc(a.actor)}</td><td>${esc(a.action)}</td><td>${esc(JSON.stringify(a.detail))}</td></tr>`).join('') + '</tbody></table>';
  } catch (e) { $('#history').textContent = e.message; }
};
refresh();
setInterval(refresh, 5000);
</script></body></html>
)HTML";
  return page;
}

}  // namespace cg::admin
