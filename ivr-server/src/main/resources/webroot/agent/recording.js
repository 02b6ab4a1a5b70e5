// The agent desktop's recording buttons: while on a call, start or stop recording it
// (POST /api/agents/{id}/recording {"action": "start"|"stop"}), for queues whose recording policy
// is on-demand. The server's answer (started, stopped) or its refusal (the queue's policy does
// not allow it, already recorded, the PBX did not take it) is said on the card, as text.
import {$, api} from '/assets/desk.js';

let agentId = null;
let lastCall = null;

document.addEventListener('ivr:agent', ev => {
  agentId = ev.detail.agentId;
  const agent = ev.detail.agent;
  const onCall = agent.state === 'ON_CALL';
  $('#record').hidden = !onCall;
  const call = onCall ? agent.callId : null;
  if (call !== lastCall) {
    $('#record-status').textContent = '';
    $('#record-error').textContent = '';
  }
  lastCall = call;
});

async function send(action) {
  $('#record-status').textContent = '';
  $('#record-error').textContent = '';
  try {
    const r = await api('POST', '/api/agents/' + encodeURIComponent(agentId) + '/recording', {action});
    $('#record-status').textContent = r.result === 'started' ? 'Recording this call.' : 'Recording stopped.';
  } catch (e) {
    $('#record-error').textContent = e.status === 503 ? 'Not now: ' + e.message : e.message;
  }
}

$('#record-start').addEventListener('click', () => send('start'));
$('#record-stop').addEventListener('click', () => send('stop'));
