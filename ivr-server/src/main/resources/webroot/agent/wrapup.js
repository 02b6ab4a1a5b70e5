// The agent desktop's wrap-up card: the call's outcome (a wrap-up code of its queue, required
// where the queue says so) and a note for the customer's history, saved to
// PUT /api/agents/{id}/calls/{callId}/wrap-up; the wrap-up countdown and "More time".
// agent.js tells this file about calls and states with 'ivr:call' and 'ivr:agent' events.
import {$, el, api, duration, words} from '/assets/desk.js';

let policies = null;   // queue id -> {codes, codeRequired, wrapUpSeconds, maxExtensionSeconds}
let maxNote = 2000;
let agentId = null;
let call = null;       // {callId, queue}
let agent = null;
let savedFor = null;   // the call id whose wrap-up was saved
let lastState = null;  // agent.js hands over its own (mutated) object: keep the state seen last apart

async function loadPolicies() {
  if (policies) return policies;
  const res = await api('GET', '/api/wrap-up/policies');
  policies = {};
  for (const q of res.queues) policies[q.queue] = q;
  maxNote = res.maxNoteLength;
  $('#wrap-up-note').setAttribute('maxlength', String(maxNote));
  return policies;
}

function policy() {
  return (policies && call && policies[call.queue]) || {codes: [], codeRequired: false, maxExtensionSeconds: 0};
}

document.addEventListener('ivr:call', async ev => {
  agentId = ev.detail.agentId;
  const c = ev.detail.call;
  const fresh = !call || call.callId !== c.callId;
  call = {callId: c.callId, queue: (c.context && c.context.queue) || (agent && agent.queue) || null, status: c.status};
  if (fresh) {
    savedFor = null;
    await loadPolicies().catch(() => null);
    fill();
  }
  render();
});

document.addEventListener('ivr:agent', ev => {
  agentId = ev.detail.agentId;
  const before = lastState;
  agent = ev.detail.agent;
  lastState = agent.state;
  if (agent.state === 'WRAP_UP' && agent.callId && (!call || call.callId !== agent.callId)) {
    call = {callId: agent.callId, queue: agent.queue, status: 'ended'};
    savedFor = null;
    loadPolicies().catch(() => null).then(() => { fill(); render(); });
  }
  if (agent.state === 'WRAP_UP' && (before !== 'WRAP_UP' || !agent.wrapUpUntil)) {
    // the live message has no wrap-up end: ask once
    api('GET', '/api/agents/' + encodeURIComponent(agentId)).then(a => {
      if (a.state === 'WRAP_UP') { agent = Object.assign(agent, {wrapUpUntil: a.wrapUpUntil, queue: a.queue}); render(); }
    }).catch(() => null);
  }
  render();
});

function fill() {
  const p = policy();
  const select = $('#wrap-up-code');
  select.replaceChildren(el('option', {value: ''}, p.codes.length ? 'Choose an outcome…' : 'No outcome codes for this queue'),
    ...p.codes.map(code => el('option', {value: code}, capital(words(code)))));
  select.closest('.field').hidden = p.codes.length === 0;
  $('#wrap-up-required').hidden = !p.codeRequired;
  select.required = p.codeRequired;
  $('#wrap-up-note').value = '';
  $('#wrap-up-status').textContent = '';
  $('#wrap-up-error').textContent = '';
  count();
}

function render() {
  const card = $('#wrap-up');
  const active = call && (call.status === 'connected' || call.status === 'ended'
    || (agent && agent.callId === call.callId && (agent.state === 'ON_CALL' || agent.state === 'WRAP_UP')));
  card.hidden = !active;
  const inWrapUp = agent && agent.state === 'WRAP_UP' && call && agent.callId === call.callId;
  $('#wrap-up-extend').hidden = !inWrapUp || policy().maxExtensionSeconds <= 0;
  tick();
}

function tick() {
  const inWrapUp = agent && agent.state === 'WRAP_UP' && agent.wrapUpUntil;
  $('#wrap-up-timer').textContent = inWrapUp
    ? 'Ready in ' + duration((Date.parse(agent.wrapUpUntil) - Date.now()) / 1000) : '';
}
setInterval(tick, 1000);

function count() {
  const n = $('#wrap-up-note').value.length;
  $('#wrap-up-count').textContent = n + ' / ' + maxNote;
}
$('#wrap-up-note').addEventListener('input', count);

$('#wrap-up-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  if (!call) return;
  $('#wrap-up-error').textContent = '';
  const code = $('#wrap-up-code').value || null;
  if (!code && policy().codeRequired) {
    $('#wrap-up-error').textContent = 'Choose an outcome: this queue requires one.';
    $('#wrap-up-code').focus();
    return;
  }
  const button = $('#wrap-up-save');
  button.disabled = true;
  try {
    const res = await api('PUT', '/api/agents/' + encodeURIComponent(agentId) + '/calls/'
      + encodeURIComponent(call.callId) + '/wrap-up', {code, note: $('#wrap-up-note').value});
    savedFor = call.callId;
    document.querySelector('#action-error').textContent = '';
    $('#wrap-up-status').textContent = 'Saved' + (res.wrapUp.code ? ': ' + capital(words(res.wrapUp.code)) : '')
      + ' at ' + new Date(res.wrapUp.savedAt).toLocaleTimeString(undefined, {hour: '2-digit', minute: '2-digit'});
  } catch (e) {
    $('#wrap-up-error').textContent = e.message;
  } finally {
    button.disabled = false;
  }
});

$('#wrap-up-extend').addEventListener('click', async () => {
  $('#wrap-up-error').textContent = '';
  try {
    const a = await api('POST', '/api/agents/' + encodeURIComponent(agentId) + '/wrap-up/extend', {seconds: 60});
    agent = Object.assign(agent || {}, a);
    document.dispatchEvent(new CustomEvent('ivr:agent-changed', {detail: a}));
    render();
  } catch (e) {
    $('#wrap-up-error').textContent = e.message;
  }
});

function capital(s) {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}
