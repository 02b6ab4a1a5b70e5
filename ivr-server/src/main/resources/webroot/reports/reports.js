// The reports page: a report from /api/reports/..., as a table, with the previous period and a CSV download.
import {$, el, api, signIn, signOut, session} from '/assets/desk.js';
import {chartsOf} from '/reports/charts.js';

// the filter parameter of each report (before signIn: a stored session starts the page at once)
const FILTER = {queues: 'queue', agents: 'agent', flows: 'flow', funnel: 'flow', campaigns: 'campaign'};

signIn({
  form: $('#login-form'), idInput: $('#login-id'), passwordInput: $('#login-password'), error: $('#login-error'),
  requiredRole: 'supervisor', start, ends
});

function ends(message) {
  $('#report-view').hidden = true;
  $('#login-view').hidden = false;
  $('#sign-out').hidden = true;
  $('#who').textContent = '';
  $('#login-error').textContent = message || '';
}

$('#sign-out').addEventListener('click', async () => {
  await signOut();
  ends('');
});

function local(d) {
  const p = n => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());
}

function start(user) {
  $('#login-view').hidden = true;
  $('#report-view').hidden = false;
  $('#sign-out').hidden = false;
  $('#who').textContent = user.name;
  const params = new URLSearchParams(location.search);
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  $('#f-from').value = params.get('from') || local(today);
  $('#f-to').value = params.get('to') || local(new Date(today.getTime() + 86400000));
  if (params.get('kind')) $('#f-kind').value = params.get('kind');
  if (params.get('interval')) $('#f-interval').value = params.get('interval');
  if (params.get('tz')) $('#f-tz').value = params.get('tz');
  else $('#f-tz').value = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  if (params.get('filter')) $('#f-filter').value = params.get('filter');
  if (params.get('from')) show();
}

function query(format) {
  const kind = $('#f-kind').value;
  const q = new URLSearchParams({from: $('#f-from').value, to: $('#f-to').value, interval: $('#f-interval').value,
    tz: $('#f-tz').value.trim() || 'UTC', format});
  const f = $('#f-filter').value.trim();
  if (f) q.set(FILTER[kind], f);
  return '/api/reports/' + kind + '?' + q.toString();
}

$('#filters').addEventListener('submit', ev => {
  ev.preventDefault();
  show();
});

async function show() {
  $('#report-error').textContent = '';
  try {
    const kind = $('#f-kind').value;
    const r = await api('GET', query('json'));
    render(r, kind);
  } catch (e) {
    $('#report-error').textContent = e.message;
  }
}

function cell(v) {
  return v === null || v === undefined ? '' : String(v);
}

function charts(kind, r) {
  const c = chartsOf(kind, r);
  $('#chart-card').hidden = c.charts.length === 0;
  $('#chart-title').textContent = c.title || 'Chart';
  $('#chart-hint').textContent = kind === 'funnel' ? 'bars: calls that reached each node, and callers who hung up there'
    : kind === 'flows' ? 'self-served ÷ entered per interval (self-served/entered below)' : 'per interval';
  $('#charts').replaceChildren(...c.charts);
}

function render(r, kind) {
  charts(kind, r);
  const table = $('#report-table');
  const thead = table.querySelector('thead');
  const tbody = table.querySelector('tbody');
  thead.replaceChildren(el('tr', {}, ...r.columns.map(c => el('th', {scope: 'col'}, c.replaceAll('_', ' ')))));
  tbody.replaceChildren(...(r.rows.length === 0
    ? [el('tr', {class: 'empty-row'}, el('td', {colspan: String(r.columns.length)}, 'No events in this period.'))]
    : r.rows.map(row => el('tr', {}, ...r.columns.map(c => el('td', {class: typeof row[c] === 'number' ? 'num' : ''},
        c.startsWith('interval_') ? new Date(row[c]).toLocaleString() : cell(row[c])))))));
  $('#table-hint').textContent = r.rows.length + ' row(s), ' + new Date(r.from).toLocaleString() + ' – '
    + new Date(r.to).toLocaleString() + ' (' + r.timeZone + ')';
  const compare = $('#compare');
  if (r.totals && r.previous) {
    compare.hidden = false;
    const pct = x => x === null || x === undefined ? '–' : (x * 100).toFixed(1) + ' %';
    const secs = x => x === null || x === undefined ? '–' : (x / 1000).toFixed(1) + ' s';
    const box = (label, now, before) => el('div', {class: 'kpi'}, el('div', {class: 'label'}, label),
      el('div', {class: 'value'}, now), el('div', {class: 'label'}, 'previous period: ' + before));
    const t = r.totals, p = r.previous;
    compare.replaceChildren(...(kind === 'campaigns' ? [
      box('Attempts', String(t.attempts), String(p.attempts)),
      box('Contacts', String(t.contacts), String(p.contacts)),
      box('Contact rate', pct(t.contactRate), pct(p.contactRate)),
      box('Abandon rate', pct(t.abandonRate), pct(p.abandonRate)),
      box('Agent-handled', String(t.agentHandled), String(p.agentHandled)),
      box('Avg handle time', secs(t.ahtMs), secs(p.ahtMs)),
      box('Opt-outs', String(t.optOuts), String(p.optOuts))] : [
      box('Offered', String(t.offered), String(p.offered)),
      box('Service level', pct(t.serviceLevel), pct(p.serviceLevel)),
      box('Abandon rate', pct(t.abandonRate), pct(p.abandonRate)),
      box('Avg speed of answer', secs(t.asaMs), secs(p.asaMs)),
      box('Avg handle time', secs(t.ahtMs), secs(p.ahtMs)),
      box('CSAT', pct(t.csat), pct(p.csat))]));
  } else {
    compare.hidden = true;
  }
}

$('#csv').addEventListener('click', async () => {
  $('#report-error').textContent = '';
  const s = session();
  const res = await fetch(query('csv'), {headers: s ? {'Authorization': 'Bearer ' + s.token} : {}});
  if (!res.ok) {
    const data = await res.json().catch(() => ({}));
    $('#report-error').textContent = data.error || ('HTTP ' + res.status);
    return;
  }
  const url = URL.createObjectURL(await res.blob());
  const a = el('a', {href: url, download: $('#f-kind').value + '-' + $('#f-from').value.slice(0, 10) + '.csv'});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
});
