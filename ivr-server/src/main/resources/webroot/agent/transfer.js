// The agent desktop's transfer card: while on a call, hand it to a queue, a named agent or an
// outside number with a note for the next agent (POST /api/agents/{id}/transfer). The next
// agent's screen pop shows the same caller, path and inputs, and who transferred and why.
// "Consult first" (POST /api/agents/{id}/consult) puts the caller on hold and rings the target
// for the agent alone; the agent then completes the transfer or goes back to the caller.
import {$, el, api} from '/assets/desk.js';

let agentId = null;
let lastState = null; // agent.js hands over its own (mutated) object: keep the state seen last apart
let targets = null;

async function loadTargets() {
  targets = await api('GET', '/api/transfer/targets');
  $('#transfer-note').setAttribute('maxlength', String(targets.maxNoteLength));
  $('#transfer-to').querySelector('option[value=number]').disabled = !targets.numbers;
  $('#consult-submit').hidden = !targets.consult;
  fill();
}

function fill() {
  const to = $('#transfer-to').value;
  const select = $('#transfer-target');
  const number = $('#transfer-number');
  select.hidden = to === 'number';
  number.hidden = to !== 'number';
  $('#transfer-target-label').htmlFor = to === 'number' ? 'transfer-number' : 'transfer-target';
  if (!targets) return;
  if (to === 'queue') {
    select.replaceChildren(...targets.queues.map(q => el('option', {value: q}, q)));
  } else if (to === 'agent') {
    select.replaceChildren(...targets.agents.filter(a => a.id !== agentId)
      .map(a => el('option', {value: a.id}, a.name + ' (' + a.state.toLowerCase().replace('_', ' ') + ')')));
  }
}
$('#transfer-to').addEventListener('change', fill);

document.addEventListener('ivr:agent', ev => {
  agentId = ev.detail.agentId;
  const before = lastState;
  const agent = ev.detail.agent;
  lastState = agent.state;
  const onCall = agent.state === 'ON_CALL';
  $('#transfer').hidden = !onCall;
  if (!onCall) stopPolling();
  if (onCall && before !== 'ON_CALL') {
    $('#transfer-status').textContent = '';
    $('#transfer-error').textContent = '';
    $('#transfer-note').value = '';
    showConsult(null);
    loadTargets().catch(e => { $('#transfer-error').textContent = e.message; });
  }
});

function chosen() {
  $('#transfer-error').textContent = '';
  const to = $('#transfer-to').value;
  const target = to === 'number' ? $('#transfer-number').value.trim() : $('#transfer-target').value;
  if (!target) {
    $('#transfer-error').textContent = 'Choose where to transfer the call.';
    return null;
  }
  return {to, target, note: $('#transfer-note').value};
}

// ---- consult transfer
let polling = null;

function stopPolling() {
  if (polling) clearInterval(polling);
  polling = null;
}

function who(c) {
  const a = c.targetAgent && targets ? targets.agents.find(x => x.id === c.targetAgent) : null;
  return a ? a.name : (c.targetAgent || c.target);
}

const PHASES = {
  calling: c => 'Calling ' + who(c) + '... The caller is on hold.',
  talking: c => 'You are talking to ' + who(c) + '. The caller is on hold.',
  complete: () => 'Connecting the caller...',
  cancel: () => 'Going back to the caller...',
  failed: c => 'The consult ended: ' + (c.detail || 'the target could not be reached') + '. Back to the caller.',
};

function showConsult(c) {
  $('#consult').hidden = !c;
  $('#transfer-form').hidden = !!c;
  if (!c) return;
  $('#consult-status').textContent = (PHASES[c.phase] || (() => c.phase))(c);
  $('#consult-complete').disabled = c.phase !== 'talking';
  $('#consult-cancel').disabled = !(c.phase === 'calling' || c.phase === 'talking');
}

async function poll() {
  try {
    showConsult(await api('GET', '/api/agents/' + encodeURIComponent(agentId) + '/consult'));
  } catch (e) {
    stopPolling();
    showConsult(null);
    if ($('#transfer-status').textContent === '') $('#transfer-status').textContent = 'The consult is over: you are back with the caller.';
  }
}

$('#consult-submit').addEventListener('click', async () => {
  const body = chosen();
  if (!body) return;
  $('#consult-submit').disabled = true;
  try {
    showConsult(await api('POST', '/api/agents/' + encodeURIComponent(agentId) + '/consult', body));
    $('#transfer-status').textContent = '';
    stopPolling();
    polling = setInterval(poll, 1000);
  } catch (e) {
    $('#transfer-error').textContent = e.message;
  } finally {
    $('#consult-submit').disabled = false;
  }
});

async function decide(what, done) {
  try {
    showConsult(await api('POST', '/api/agents/' + encodeURIComponent(agentId) + '/consult/' + what, null));
    $('#transfer-status').textContent = done;
  } catch (e) {
    $('#consult-status').textContent = e.message;
  }
}
$('#consult-complete').addEventListener('click', () => decide('complete', 'Transferred: your wrap-up starts now.'));
$('#consult-cancel').addEventListener('click', () => decide('cancel', 'Back with the caller.'));

$('#transfer-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const body = chosen();
  if (!body) return;
  const {to, target} = body;
  const button = $('#transfer-submit');
  button.disabled = true;
  try {
    await api('POST', '/api/agents/' + encodeURIComponent(agentId) + '/transfer',
      {to, target, note: $('#transfer-note').value});
    $('#transfer-status').textContent = 'Transferred: your wrap-up starts now.';
  } catch (e) {
    $('#transfer-error').textContent = e.message;
  } finally {
    button.disabled = false;
  }
});
