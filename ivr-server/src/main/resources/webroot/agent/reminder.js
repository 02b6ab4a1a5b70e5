// The agent desktop's "Schedule a reminder" card: for the identified customer of the call on
// screen, one of the configured campaigns calls them at the time chosen (the browser's local
// time, sent with its offset) through POST /api/agents/{id}/calls/{callId}/reminder. The server
// takes the customer from the call, and only for a call offered to or held by this agent.
import {$, el, api} from '/assets/desk.js';

let agentId = null;
let call = null;       // {callId, customerId, customerName}
let campaigns = null;

async function loadCampaigns() {
  if (campaigns) return campaigns;
  const res = await api('GET', '/api/desk/reminder-campaigns');
  campaigns = res.campaigns;
  $('#reminder-campaign').replaceChildren(...campaigns.map(c => el('option', {value: c.name}, c.name)));
  return campaigns;
}

document.addEventListener('ivr:call', async ev => {
  agentId = ev.detail.agentId;
  const c = ev.detail.call;
  const customerId = c.context && c.context.customerId;
  const fresh = !call || call.callId !== c.callId;
  call = customerId ? {callId: c.callId, customerId, customerName: c.context.customerName} : null;
  if (fresh) {
    $('#reminder-status').textContent = '';
    $('#reminder-error').textContent = '';
  }
  if (call) {
    await loadCampaigns().catch(() => null);
  }
  render();
});

function render() {
  const usable = call && campaigns && campaigns.length > 0;
  $('#reminder').hidden = !usable;
  if (usable) {
    $('#reminder-customer').textContent = 'for ' + (call.customerName || 'customer ' + call.customerId);
  }
}

$('#reminder-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  if (!call) return;
  $('#reminder-error').textContent = '';
  $('#reminder-status').textContent = '';
  const local = $('#reminder-at').value;
  if (!local) {
    $('#reminder-error').textContent = 'Choose the day and time of the reminder.';
    $('#reminder-at').focus();
    return;
  }
  const when = new Date(local);
  const button = $('#reminder-save');
  button.disabled = true;
  try {
    const res = await api('POST', '/api/agents/' + encodeURIComponent(agentId) + '/calls/'
      + encodeURIComponent(call.callId) + '/reminder', {campaign: $('#reminder-campaign').value, at: when.toISOString()});
    $('#reminder-status').textContent = 'Scheduled: ' + res.campaign + ' on '
      + new Date(res.at).toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'});
  } catch (e) {
    $('#reminder-error').textContent = e.message;
  } finally {
    button.disabled = false;
  }
});
