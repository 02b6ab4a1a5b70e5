// The supervisor dashboard's queue settings: a queue's settings changed at run time
// (GET /api/queue-settings, PUT|DELETE /api/queues/{id}/settings), effective cluster-wide on the
// next offer, with the latest changes and who made them. Values are written as in the
// configuration (30s, 2m); an emptied field goes back to the configured value.
import {$, el, api, dateTime} from '/assets/desk.js';

// the settings the form offers, in this order; others change over the API
const FIELDS = [
  ['ring-time', 'Ring time', 'duration'],
  ['wrap-up', 'Wrap-up time', 'duration'],
  ['wrap-up-extension', 'Wrap-up extension', 'duration'],
  ['wrap-up-codes', 'Wrap-up codes', 'list'],
  ['wrap-up-code-required', 'Wrap-up code required', 'boolean'],
  ['priority', 'Priority', 'number'],
  ['priority-aging', 'Priority aging step', 'duration'],
  ['service-level', 'Service level (0-1)', 'number'],
  ['service-level-time', 'Service-level time', 'duration'],
  ['preferred-agent-wait', 'Preferred-agent wait', 'duration'],
  ['max-wait', 'Maximum wait', 'duration'],
];

let queues = [];

function shown(value, kind) {
  if (value === null || value === undefined) return '';
  if (kind === 'list') return value.join(', ');
  return String(value);
}

async function load() {
  if ($('#dash-view').hidden || queues.length) return;
  try {
    queues = (await api('GET', '/api/queue-settings')).queues;
  } catch (e) {
    $('#qs-error').textContent = e.status === 403 ? '' : e.message;
    return;
  }
  $('#qs-queue').replaceChildren(...queues.map(q => el('option', {value: q.id}, q.id)));
  show();
}

function current() {
  return queues.find(q => q.id === $('#qs-queue').value);
}

function show() {
  const q = current();
  if (!q) return;
  $('#qs-fields').replaceChildren(...FIELDS.map(([key, label, kind]) => {
    const id = 'qs-' + key;
    const changed = Object.prototype.hasOwnProperty.call(q.changed, key);
    const input = kind === 'boolean'
      ? el('input', {id, type: 'checkbox', 'data-key': key, checked: q.settings[key] === true})
      : el('input', {id, type: 'text', 'data-key': key, value: shown(q.settings[key], kind),
          placeholder: kind === 'duration' ? 'e.g. 30s' : ''});
    return el('div', {class: 'field'}, el('label', {for: id}, label + (changed ? ' (changed)' : '')), input);
  }));
  history();
}

function parse(input, kind) {
  if (kind === 'boolean') return input.checked;
  const v = input.value.trim();
  if (v === '') return null;
  if (kind === 'number') return Number(v);
  if (kind === 'list') return v.split(',').map(s => s.trim()).filter(s => s);
  return v;
}

async function save(event) {
  event.preventDefault();
  const q = current();
  const body = {...q.changed};
  for (const [key, , kind] of FIELDS) {
    const input = $('#qs-' + key);
    const before = kind === 'boolean' ? q.settings[key] === true : shown(q.settings[key], kind);
    const now = kind === 'boolean' ? input.checked : input.value.trim();
    if (now !== before) body[key] = parse(input, kind);
  }
  await send('PUT', body);
}

async function send(method, body) {
  const q = current();
  try {
    const now = await api(method, '/api/queues/' + encodeURIComponent(q.id) + '/settings', body);
    queues = queues.map(x => x.id === now.id ? now : x);
    $('#qs-error').textContent = '';
    $('#qs-status').textContent = 'Saved: the next offer on every server uses these settings.';
    show();
  } catch (e) {
    $('#qs-status').textContent = '';
    $('#qs-error').textContent = e.message;
  }
}

async function history() {
  const q = current();
  try {
    const {changes} = await api('GET', '/api/queues/' + encodeURIComponent(q.id) + '/settings/history');
    $('#qs-history').replaceChildren(...(changes.length === 0 ? [el('li', {}, 'As configured: never changed')]
      : changes.slice(0, 5).map(c => el('li', {}, dateTime(c.at) + ' · ' + c.by + ': '
          + (Object.keys(c.after).length === 0 ? 'back to the configuration' : JSON.stringify(c.after))))));
  } catch (e) {
    $('#qs-error').textContent = e.message;
  }
}

$('#qs-queue').addEventListener('change', show);
$('#qs-form').addEventListener('submit', save);
$('#qs-reset').addEventListener('click', () => send('DELETE'));
new MutationObserver(load).observe($('#dash-view'), {attributes: true, attributeFilter: ['hidden']});
load();
