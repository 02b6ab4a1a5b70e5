// The supervisor dashboard's campaigns (GET /api/campaigns, role supervisor): each configured campaign with
// its status, a progress bar (contacts finished of all), the live rates (contact rate, abandon rate over
// 24 h, contacts per hour), what remains and the estimated finish, and buttons to start, pause, resume
// and stop it (POST /api/campaigns/{name}/start|pause|resume|stop; every server sees it within a poll).
import {$, el, api, dateTime, percent, words} from '/assets/desk.js';

const EVERY = 3000;
const ACTIONS = {
  'not-started': ['start'], running: ['pause', 'stop'], paused: ['resume', 'stop'], stopped: ['start'], finished: []
};
const LABELS = {start: 'Start', pause: 'Pause', resume: 'Resume', stop: 'Stop'};

async function refresh() {
  if ($('#dash-view').hidden) return;
  try {
    const {campaigns} = await api('GET', '/api/campaigns');
    render(campaigns);
    $('#campaigns-error').textContent = '';
  } catch (e) {
    $('#campaigns-error').textContent = e.status === 403 ? '' : e.message;
  }
}

function rate(x) {
  return x === null || x === undefined ? '–' : percent(x);
}

function render(campaigns) {
  const body = $('#campaigns-table tbody');
  if (campaigns.length === 0) {
    body.replaceChildren(el('tr', {class: 'empty-row'}, el('td', {colspan: '9'}, 'No campaigns are configured (outbound.campaigns)')));
    return;
  }
  body.replaceChildren(...campaigns.map(c => {
    const total = c.total || 0;
    const finished = total - (c.remaining || 0);
    const bar = el('progress', {max: String(Math.max(total, 1)), value: String(finished),
      'aria-label': c.name + ': ' + finished + ' of ' + total + ' contacts finished'});
    return el('tr', {'data-campaign': c.name},
      el('th', {scope: 'row'}, c.name, el('div', {class: 'hint'}, words(c.mode) + (c.queue ? ' · ' + c.queue : ''))),
      el('td', {class: 'cp-status'}, words(c.status)),
      el('td', {class: 'cp-progress'}, bar, el('span', {class: 'hint'}, ' ' + finished + ' / ' + total)),
      el('td', {class: 'num cp-contact-rate'}, rate(c.contactRate)),
      el('td', {class: 'num cp-abandon-rate'}, rate(c.abandonRate)),
      el('td', {class: 'num cp-per-hour'}, c.contactsPerHour === undefined ? '–' : String(c.contactsPerHour)),
      el('td', {class: 'num cp-remaining'}, c.remaining === undefined ? '–' : String(c.remaining)),
      el('td', {class: 'cp-finish'}, c.estimatedFinish ? dateTime(c.estimatedFinish) : '–'),
      el('td', {class: 'cp-actions'}, (ACTIONS[c.status] || []).map(a => el('button', {type: 'button',
        class: a === 'stop' ? 'link danger' : 'link', 'data-action': a, 'aria-label': LABELS[a] + ' campaign ' + c.name,
        onclick: () => act(c.name, a)}, LABELS[a]))));
  }));
}

async function act(name, action) {
  try {
    await api('POST', '/api/campaigns/' + encodeURIComponent(name) + '/' + action);
    $('#campaigns-error').textContent = '';
  } catch (e) {
    $('#campaigns-error').textContent = e.message;
  }
  refresh();
}

setInterval(refresh, EVERY);
new MutationObserver(refresh).observe($('#dash-view'), {attributes: true, attributeFilter: ['hidden']});
