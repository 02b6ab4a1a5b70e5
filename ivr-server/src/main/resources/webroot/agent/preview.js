// Preview campaigns on the agent desktop: routing has reserved this agent for a campaign's customer and
// nothing is dialled yet. The card shows who is to be called and why, counts down to the preview's
// timeout, and sends the agent's choice (POST /api/agents/{id}/preview/accept|skip). Accepted, the
// agent's phone rings first and the customer is dialled on it; the screen pop then shows the call.
import {$, el, api, words} from '/assets/desk.js';

let agentId = null;
let preview = null; // {callId, until, fields}
let timer = null;

document.addEventListener('ivr:call', ev => {
  agentId = ev.detail.agentId;
  const call = ev.detail.call;
  const fields = (call.context && call.context.fields) || {};
  if (call.status === 'offered' && fields['preview-until']) {
    show(call, fields);
  } else if (preview && call.callId === preview.callId) {
    if (call.status === 'connected') {
      banner('On the call with the customer (campaign ' + fields.campaign + ')');
    }
    hide();
  }
});

function banner(text) {
  const b = $('#pop-banner');
  if (b) b.textContent = text;
}

function show(call, fields) {
  preview = {callId: call.callId, until: Date.parse(fields['preview-until']), fields};
  const c = call.context;
  banner('Preview — nothing is dialled until you choose');
  $('#preview-customer').textContent = c.customerName || (c.customerId ? 'Customer ' + c.customerId : 'Unknown customer');
  $('#preview-number').textContent = fields.phone || '–';
  $('#preview-campaign').textContent = fields.campaign || '–';
  $('#preview-reason').textContent = fields.reason ? capital(words(fields.reason)) : '–';
  $('#preview-attempt').textContent = fields.attempt || '–';
  const history = $('#preview-history');
  history.hidden = !c.customerId;
  $('#preview-error').textContent = '';
  $('#preview-status').textContent = '';
  for (const b of document.querySelectorAll('#preview button')) b.disabled = false;
  $('#preview').hidden = false;
  tick();
  clearInterval(timer);
  timer = setInterval(tick, 500);
}

function hide() {
  preview = null;
  clearInterval(timer);
  timer = null;
  $('#preview').hidden = true;
}

function tick() {
  if (!preview) return;
  const left = Math.max(0, Math.ceil((preview.until - Date.now()) / 1000));
  $('#preview-timer').textContent = left > 0 ? left + ' s left to choose' : 'Time is up';
}

async function decide(action) {
  if (!preview || !agentId) return;
  const callId = preview.callId;
  for (const b of document.querySelectorAll('#preview button')) b.disabled = true;
  $('#preview-error').textContent = '';
  try {
    await api('POST', '/api/agents/' + encodeURIComponent(agentId) + '/preview/' + action);
    if (preview && preview.callId === callId) {
      if (action === 'accept') {
        $('#preview-status').textContent = 'Your phone rings now; answer it and the customer is dialled.';
        banner('Accepted — your phone is ringing, then the customer');
      } else {
        hide();
      }
    }
  } catch (e) {
    $('#preview-error').textContent = e.message;
    for (const b of document.querySelectorAll('#preview button')) b.disabled = false;
  }
}

$('#preview-accept').addEventListener('click', () => decide('accept'));
$('#preview-skip').addEventListener('click', () => decide('skip'));
$('#preview-history').addEventListener('click', () => {
  const h = $('#history');
  if (h) h.scrollIntoView({behavior: 'smooth'});
});

function capital(s) {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}
