// The supervisor dashboard: queues, agents and IVR exits, pushed live over the WebSocket.
import {$, el, api, signIn, signOut, live, statusIndicator, duration, since, percent, stateBadge, words} from '/assets/desk.js';

let link = null;
let snapshot = null;      // the last dashboard message
let receivedAt = 0;       // when it arrived (wait times grow from there)

signIn({
  form: $('#login-form'), idInput: $('#login-id'), passwordInput: $('#login-password'), error: $('#login-error'),
  requiredRole: 'supervisor', start, ends
});

function ends(message) {
  if (link) link.stop();
  link = null;
  $('#dash-view').hidden = true;
  $('#login-view').hidden = false;
  $('#sign-out').hidden = true;
  $('#conn').hidden = true;
  $('#who').textContent = '';
  $('#login-error').textContent = message || '';
}

$('#sign-out').addEventListener('click', async () => {
  await signOut();
  ends('');
});

function start(user) {
  $('#login-view').hidden = true;
  $('#dash-view').hidden = false;
  $('#sign-out').hidden = false;
  $('#conn').hidden = false;
  $('#who').textContent = user.name;
  link = live({
    onMessage: m => {
      if (m.type === 'dashboard') {
        snapshot = m;
        receivedAt = Date.now();
        render();
        document.dispatchEvent(new CustomEvent('ivr:dashboard', {detail: m}));
      }
    },
    status: statusIndicator($('#conn'))
  });
}

const BUSY = ['RESERVED', 'ON_CALL', 'WRAP_UP'];

function grown(seconds) {
  return seconds + (Date.now() - receivedAt) / 1000;
}

function render() {
  if (!snapshot) return;
  const d = snapshot;
  const waiting = d.queues.reduce((n, q) => n + q.waiting, 0);
  const longest = d.queues.reduce((n, q) => Math.max(n, q.waiting > 0 ? q.longestWaitSeconds : 0), 0);
  $('#kpi-waiting').textContent = waiting;
  $('#kpi-waiting-box').classList.toggle('alert', waiting > 0);
  $('#kpi-longest').textContent = waiting > 0 ? duration(grown(longest)) : '–';
  $('#kpi-abandoned').textContent = d.queues.reduce((n, q) => n + q.abandoned, 0);
  const s = d.agentsByState;
  $('#kpi-ready').textContent = s.READY;
  $('#kpi-busy').textContent = s.ON_CALL; // talking only: ringing and wrap-up have their own
  $('#kpi-ringing').textContent = s.RESERVED;
  $('#kpi-wrap-up').textContent = s.WRAP_UP;
  $('#kpi-not-ready').textContent = s.NOT_READY;
  renderQueues(d.queues);
  renderAgents(d.agents, s);
  renderExits(d.exits);
  $('#updated').textContent = 'Updated ' + new Date(d.at).toLocaleTimeString() + ' by server ' + d.node;
}

function renderQueues(queues) {
  const body = $('#queues-table tbody');
  if (queues.length === 0) {
    body.replaceChildren(el('tr', {class: 'empty-row'}, el('td', {colspan: 9}, 'No queues are configured.')));
    return;
  }
  body.replaceChildren(...queues.map(q => {
    const sl = q.serviceLevel;
    const below = sl !== null && sl < q.serviceLevelTarget;
    const a = q.agents || {};
    return el('tr', {'data-queue': q.id},
      el('th', {scope: 'row'}, q.name),
      el('td', {class: 'num waiting' + (q.waiting > 0 ? ' waiting-hot' : '')}, q.waiting),
      el('td', {class: 'num longest'}, q.waiting > 0 ? duration(grown(q.longestWaitSeconds)) : '–'),
      el('td', {class: 'num'}, el('span', {class: 'sl'},
        el('span', {class: below ? 'below' : ''}, percent(sl)),
        el('span', {class: 'hint'}, '/ ' + percent(q.serviceLevelTarget) + ' in ' + q.serviceLevelThresholdSeconds + 's'))),
      el('td', {class: 'num'}, q.answered),
      el('td', {class: 'num abandoned'}, q.abandoned),
      el('td', {class: 'num'}, a.READY || 0),
      el('td', {class: 'num'}, BUSY.reduce((n, k) => n + (a[k] || 0), 0)),
      el('td', {class: 'num'}, a.NOT_READY || 0));
  }));
}

function renderAgents(agents, byState) {
  $('#agent-chips').replaceChildren(...['READY', 'RESERVED', 'ON_CALL', 'WRAP_UP', 'NOT_READY', 'LOGGED_OUT']
    .filter(k => byState[k] > 0)
    .map(k => el('span', {class: 'badge st-' + k}, byState[k] + ' ' + words(k).toLowerCase().replace('reserved', 'ringing'))));
  const body = $('#agents-table tbody');
  const shown = agents.filter(a => a.state !== 'LOGGED_OUT');
  if (shown.length === 0) {
    body.replaceChildren(el('tr', {class: 'empty-row'}, el('td', {colspan: 5}, 'No agent is logged in.')));
    return;
  }
  body.replaceChildren(...shown.map(a => el('tr', {'data-agent': a.id},
    el('th', {scope: 'row'}, a.name, el('div', {class: 'hint'}, a.endpoint)),
    el('td', {}, stateBadge(a.state)),
    el('td', {class: 'num'}, duration(since(a.since))),
    el('td', {}, a.state === 'NOT_READY' ? words(a.reason) : a.callId ? (a.queue ? a.queue + ' · ' : '') + a.callId : ''),
    el('td', {}, ['READY', 'NOT_READY', 'WRAP_UP'].includes(a.state)
      ? el('button', {type: 'button', class: 'danger small', 'aria-label': 'Log out ' + a.name, onclick: () => forceLogout(a)}, 'Log out')
      : null))));
}

async function forceLogout(a) {
  $('#agent-error').textContent = '';
  if (!confirm('Log ' + a.name + ' out of routing?')) return;
  try {
    await api('POST', '/api/agents/' + encodeURIComponent(a.id) + '/logout');
  } catch (e) {
    $('#agent-error').textContent = e.message;
  }
}

function renderExits(x) {
  const hours = Math.round(x.windowSeconds / 3600);
  $('#exits-hint').textContent = x.totalExits + ' of ' + x.totalCalls + ' calls, last ' + (hours >= 1 ? hours + ' h' : Math.round(x.windowSeconds / 60) + ' min');
  const body = $('#exits-table tbody');
  if (x.nodes.length === 0) {
    body.replaceChildren(el('tr', {class: 'empty-row'}, el('td', {colspan: 4}, 'No caller hung up in the IVR.')));
    return;
  }
  body.replaceChildren(...x.nodes.map(n => el('tr', {'data-exit': n.flow + '/' + n.node},
    el('td', {}, n.flow), el('td', {}, el('code', {}, n.node)), el('td', {class: 'num'}, n.count),
    el('td', {}, el('div', {class: 'bar', role: 'img', 'aria-label': percent(n.share) + ' of exits'},
      el('span', {style: 'width:' + Math.round(n.share * 100) + '%'}))))));
}

setInterval(() => snapshot && render(), 1000);
