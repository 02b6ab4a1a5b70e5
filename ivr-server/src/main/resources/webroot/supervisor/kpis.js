// The dashboard's "Today's KPIs" section: /api/reports/live (cluster-wide, from the journal) every 10 s,
// with sparklines of service level and offered calls over the last hour this page has been open.
import {$, el, api} from '/assets/desk.js';

const history = [];
let timer = null;

function pct(x) {
  return x === null || x === undefined ? '–' : (x * 100).toFixed(1) + ' %';
}

function secs(ms) {
  return ms === null || ms === undefined ? '–' : Math.round(ms / 1000) + ' s';
}

function sparkline(values) {
  const w = 120, h = 28;
  const nums = values.map(v => v === null || v === undefined ? 0 : v);
  const max = Math.max(1, ...nums);
  const pts = nums.map((v, i) => (nums.length < 2 ? 0 : i * w / (nums.length - 1)).toFixed(1) + ','
    + (h - v / max * (h - 2) - 1).toFixed(1)).join(' ');
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', pts);
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', 'currentColor');
  svg.append(line);
  return svg;
}

function render(r) {
  const c = r.center;
  history.push({sl: c.serviceLevel, offered: c.offered});
  if (history.length > 360) history.shift();
  const box = (label, value, series) => el('div', {class: 'kpi'}, el('div', {class: 'label'}, label),
    el('div', {class: 'value'}, value), series ? sparkline(series) : '');
  $('#live-kpis').replaceChildren(
    box('Service level', pct(c.serviceLevel), history.map(h => h.sl)),
    box('Abandon rate', pct(c.abandonRate)),
    box('Avg speed of answer', secs(c.asaMs)),
    box('Avg handle time', secs(c.ahtMs)),
    box('Offered', String(c.offered), history.map(h => h.offered)),
    box('Answered', String(c.answered)),
    box('Transferred', String(c.transferred)),
    box('Callbacks', String(c.callbacks)));
  const rows = Object.values(r.queues).map(q => el('tr', {},
    el('th', {scope: 'row'}, q.queue), el('td', {class: 'num'}, pct(q.serviceLevel)), el('td', {class: 'num'}, pct(q.abandonRate)),
    el('td', {class: 'num'}, secs(q.asaMs)), el('td', {class: 'num'}, secs(q.longestWaitMs)),
    el('td', {class: 'num'}, secs(q.ahtMs)), el('td', {class: 'num'}, String(q.offered)),
    el('td', {class: 'num'}, String(q.answered)), el('td', {class: 'num'}, String(q.abandoned))));
  $('#live-queues tbody').replaceChildren(...(rows.length ? rows
    : [el('tr', {class: 'empty-row'}, el('td', {colspan: '9'}, 'No queue calls in the window.'))]));
  $('#live-hint').textContent = 'Last ' + Math.round(r.windowSeconds / 60) + ' min, all servers';
}

async function refresh() {
  if ($('#dash-view').hidden) return;
  try {
    render(await api('GET', '/api/reports/live'));
  } catch (e) {
    $('#live-hint').textContent = 'KPIs unavailable: ' + e.message;
  }
}

// the dashboard's own sign-in shows #dash-view; follow it
new MutationObserver(() => {
  if (!$('#dash-view').hidden && timer === null) {
    refresh();
    timer = setInterval(refresh, 10000);
  } else if ($('#dash-view').hidden && timer !== null) {
    clearInterval(timer);
    timer = null;
  }
}).observe($('#dash-view'), {attributes: true, attributeFilter: ['hidden']});
if (!$('#dash-view').hidden) {
  refresh();
  timer = setInterval(refresh, 10000);
}
