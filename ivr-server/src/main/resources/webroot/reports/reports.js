// The reports page: a report from /api/reports/..., as a table, with the previous period and a CSV download.
import {$, el, api, signIn, signOut, session} from '/assets/desk.js';

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
  if (params.get('from')) show();
}

const FILTER = {queues: 'queue', agents: 'agent', flows: 'flow', funnel: 'flow'};

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
    const r = await api('GET', query('json'));
    render(r);
  } catch (e) {
    $('#report-error').textContent = e.message;
  }
}

function cell(v) {
  return v === null || v === undefined ? '' : String(v);
}

function render(r) {
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
    compare.replaceChildren(
      box('Offered', String(r.totals.offered), String(r.previous.offered)),
      box('Service level', pct(r.totals.serviceLevel), pct(r.previous.serviceLevel)),
      box('Abandon rate', pct(r.totals.abandonRate), pct(r.previous.abandonRate)),
      box('Avg speed of answer', secs(r.totals.asaMs), secs(r.previous.asaMs)),
      box('Avg handle time', secs(r.totals.ahtMs), secs(r.previous.ahtMs)),
      box('CSAT', pct(r.totals.csat), pct(r.previous.csat)));
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
