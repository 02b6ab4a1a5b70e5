// The supervisor dashboard's callbacks: the cluster's callbacks (GET /api/callbacks), refreshed every
// few seconds while the dashboard shows, each scheduled or waiting one cancellable.
import {$, el, api, dateTime, words} from '/assets/desk.js';

const EVERY = 5000;
const OPEN = new Set(['SCHEDULED', 'WAITING']);

async function refresh() {
  if ($('#dash-view').hidden) return;
  try {
    const {callbacks} = await api('GET', '/api/callbacks');
    render(callbacks);
    $('#callbacks-error').textContent = '';
  } catch (e) {
    $('#callbacks-error').textContent = e.status === 403 ? '' : e.message;
  }
}

function render(callbacks) {
  const body = $('#callbacks-table tbody');
  if (callbacks.length === 0) {
    body.replaceChildren(el('tr', {class: 'empty-row'}, el('td', {colspan: '7'}, 'No callbacks')));
    return;
  }
  body.replaceChildren(...callbacks.map(c => el('tr', {'data-id': c.id},
    el('td', {}, c.number),
    el('td', {}, c.queue),
    el('td', {class: 'cb-state'}, words(c.state.toLowerCase())),
    el('td', {}, dateTime(c.dueAt)),
    el('td', {class: 'num'}, String(c.attempts)),
    el('td', {}, c.reason ? words(c.reason) : ''),
    el('td', {}, OPEN.has(c.state)
      ? el('button', {type: 'button', class: 'link', 'aria-label': 'Cancel the callback to ' + c.number,
          onclick: () => cancel(c.id)}, 'Cancel')
      : ''))));
}

async function cancel(id) {
  try {
    await api('DELETE', '/api/callbacks/' + encodeURIComponent(id));
  } catch (e) {
    $('#callbacks-error').textContent = e.message;
  }
  refresh();
}

setInterval(refresh, EVERY);
new MutationObserver(refresh).observe($('#dash-view'), {attributes: true, attributeFilter: ['hidden']});
