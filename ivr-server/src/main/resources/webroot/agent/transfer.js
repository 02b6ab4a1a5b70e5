// The agent desktop's transfer card: while on a call, hand it to a queue, a named agent or an
// outside number with a note for the next agent (POST /api/agents/{id}/transfer). The next
// agent's screen pop shows the same caller, path and inputs, and who transferred and why.
import {$, el, api} from '/assets/desk.js';

let agentId = null;
let lastState = null; // agent.js hands over its own (mutated) object: keep the state seen last apart
let targets = null;

async function loadTargets() {
  targets = await api('GET', '/api/transfer/targets');
  $('#transfer-note').setAttribute('maxlength', String(targets.maxNoteLength));
  $('#transfer-to').querySelector('option[value=number]').disabled = !targets.numbers;
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
  if (onCall && before !== 'ON_CALL') {
    $('#transfer-status').textContent = '';
    $('#transfer-error').textContent = '';
    $('#transfer-note').value = '';
    loadTargets().catch(e => { $('#transfer-error').textContent = e.message; });
  }
});

$('#transfer-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  $('#transfer-error').textContent = '';
  const to = $('#transfer-to').value;
  const target = to === 'number' ? $('#transfer-number').value.trim() : $('#transfer-target').value;
  if (!target) {
    $('#transfer-error').textContent = 'Choose where to transfer the call.';
    return;
  }
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
