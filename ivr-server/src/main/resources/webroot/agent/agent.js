// The agent desktop: sign in, start a shift with chosen skills, change state, and see each
// offered call's context (the screen pop) with the customer's contact history.
import {$, el, api, signIn, signOut, live, statusIndicator, duration, since, dateTime, stateLabel, words} from '/assets/desk.js';

let me = null;      // GET /api/me
let agent = null;   // the agent's state
let call = null;    // {callId, status: offered|connected|ended, context, reason}
let link = null;

signIn({
  form: $('#login-form'), idInput: $('#login-id'), passwordInput: $('#login-password'), error: $('#login-error'),
  requiredRole: 'agent', start, ends
});

function ends(message) {
  if (link) link.stop();
  link = null;
  $('#desk-view').hidden = true;
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

async function start(user) {
  $('#login-view').hidden = true;
  $('#desk-view').hidden = false;
  $('#sign-out').hidden = false;
  $('#conn').hidden = false;
  $('#who').textContent = user.name;
  try {
    me = await api('GET', '/api/me');
    fillReasons(me.notReadyReasons);
    fillProfile(me.profile);
    agent = await api('GET', '/api/agents/' + encodeURIComponent(me.agentId));
    renderState();
  } catch (e) {
    $('#action-error').textContent = e.message;
  }
  link = live({onMessage, status: statusIndicator($('#conn'))});
}

// ------------------------------------------------------------------ live messages

function onMessage(m) {
  switch (m.type) {
    case 'agent': // the state on connect: unless a change arrived in the meantime
      if (!agent || !agent.since || !m.agent.since || Date.parse(m.agent.since) >= Date.parse(agent.since)) {
        agent = Object.assign(agent || {}, m.agent);
        renderState();
      }
      break;
    case 'state':
      agent = Object.assign(agent || {}, {state: m.agent.state, since: m.agent.since, reason: m.agent.reason,
        callId: m.agent.callId});
      renderState();
      break;
    case 'offered':
    case 'connected':
    case 'ended':
      onCall(m);
      break;
  }
}

function onCall(m) {
  const same = call && call.callId === m.callId;
  if (!same && m.type !== 'offered' && !m.context) {
    return; // the end of a call this page never showed
  }
  const context = m.context || (same ? call.context : null);
  call = {callId: m.callId, status: m.type, context, reason: m.reason || null};
  renderCall();
  document.dispatchEvent(new CustomEvent('ivr:call', {detail: {call, agentId: me && me.agentId}}));
  if (!same && context && context.customerId) {
    loadHistory(context.customerId);
  } else if (!same) {
    clearHistory('Unknown caller: no contact history.');
  }
}

// ------------------------------------------------------------------ state panel

function fillReasons(reasons) {
  const select = $('#not-ready-reason');
  select.replaceChildren(...reasons.map(r => el('option', {value: r}, capital(words(r)))));
}

function fillProfile(profile) {
  const list = $('#skill-list');
  list.replaceChildren(el('legend', {}, 'Skills for this shift'));
  if (!profile) {
    $('#profile').textContent = 'No agent profile: ask an admin to give you the agent role.';
    return;
  }
  const skills = Object.entries(profile.skills);
  for (const [skill, level] of skills) {
    const id = 'skill-' + skill;
    list.append(el('label', {for: id}, el('input', {type: 'checkbox', id, value: skill, checked: true}),
      capital(words(skill)) + ' (level ' + level + ')'));
  }
  if (skills.length === 0) list.append(el('p', {class: 'state-meta'}, 'No skills: you take calls of queues that need none.'));
  $('#profile').replaceChildren(
    el('div', {}, 'Phone: ', el('strong', {}, profile.endpoint)),
    el('div', {}, 'Languages: ' + (profile.languages.length ? profile.languages.join(', ') : '–')));
}

function renderState() {
  if (!agent) return;
  document.dispatchEvent(new CustomEvent('ivr:agent', {detail: {agent, agentId: me && me.agentId}}));
  const badge = $('#agent-state');
  badge.className = 'badge st-' + agent.state;
  badge.textContent = stateLabel(agent.state);
  const loggedOut = agent.state === 'LOGGED_OUT';
  $('#shift-start').hidden = !loggedOut;
  $('#shift-actions').hidden = loggedOut;
  const s = agent.state;
  $('#btn-ready').disabled = !(s === 'NOT_READY' || s === 'WRAP_UP');
  $('#btn-not-ready').disabled = !(s === 'READY' || s === 'NOT_READY' || s === 'WRAP_UP' || s === 'RESERVED' || s === 'ON_CALL');
  $('#btn-wrap-up-done').disabled = s !== 'WRAP_UP';
  $('#btn-logout').disabled = !(s === 'READY' || s === 'NOT_READY' || s === 'WRAP_UP');
  const meta = [];
  if (s === 'NOT_READY' && agent.reason) meta.push('Reason: ' + words(agent.reason));
  if (agent.pendingReason) meta.push('Not ready after this call (' + words(agent.pendingReason) + ')');
  if (s === 'READY') meta.push('Waiting for a call');
  $('#state-meta').textContent = meta.join(' · ');
  tick();
}

function tick() {
  $('#state-timer').textContent = agent && agent.since && agent.state !== 'LOGGED_OUT' ? duration(since(agent.since)) : '';
}
setInterval(tick, 1000);

async function act(path, body) {
  $('#action-error').textContent = '';
  try {
    agent = await api('POST', '/api/agents/' + encodeURIComponent(me.agentId) + path, body);
    renderState();
  } catch (e) {
    $('#action-error').textContent = e.message;
  }
}

$('#btn-login').addEventListener('click', () => {
  const skills = [...document.querySelectorAll('#skill-list input:checked')].map(i => i.value);
  act('/login', {skills});
});
$('#btn-ready').addEventListener('click', () => act('/ready'));
$('#btn-not-ready').addEventListener('click', () => act('/not-ready', {reason: $('#not-ready-reason').value}));
$('#btn-wrap-up-done').addEventListener('click', () => act('/wrap-up-done'));
// wrapup.js asks for a state change it made (saved and done, extended)
document.addEventListener('ivr:agent-changed', ev => {
  agent = Object.assign(agent || {}, ev.detail);
  renderState();
});
$('#btn-logout').addEventListener('click', () => act('/logout'));

// ------------------------------------------------------------------ the screen pop

const BANNERS = {offered: 'Incoming call — your phone is ringing', connected: 'On call', ended: 'Call ended'};
const AUTH = {
  OK: ['Verified', 'ok'], FAILED: ['Not verified', 'warn'], LOCKED: ['Account locked', 'warn'],
  UNAVAILABLE: ['Verification unavailable', 'neutral']
};

function renderCall() {
  $('#pop-empty').hidden = true;
  $('#pop-body').hidden = false;
  $('#pop-call-id').textContent = 'Call ' + call.callId;
  const banner = $('#pop-banner');
  banner.className = 'pop-banner ' + call.status;
  banner.textContent = BANNERS[call.status] + (call.status === 'ended' && call.reason ? ' (' + words(call.reason) + ')' : '');
  const c = call.context || {};
  $('#pop-customer').textContent = c.customerName || (c.customerId ? 'Customer ' + c.customerId : 'Unknown caller');
  const tier = $('#pop-tier');
  tier.hidden = !c.tier;
  tier.textContent = c.tier ? capital(c.tier) : '';
  tier.className = 'badge tier' + (c.tier ? ' tier-' + c.tier.toLowerCase() : '');
  const [authText, authClass] = AUTH[c.authResult] || ['Not authenticated', 'neutral'];
  const verified = $('#pop-verified');
  verified.textContent = authText;
  verified.className = 'badge ' + authClass;
  $('#pop-callback').hidden = !c.callback;
  $('#pop-ani').textContent = c.ani ? 'Calling from ' + c.ani : '';
  $('#pop-intent').textContent = c.intent ? capital(words(c.intent)) : '–';
  $('#pop-queue').textContent = c.queue || '–';
  $('#pop-ivr-time').textContent = duration(c.timeInIvrSeconds);
  $('#pop-queue-time').textContent = duration(c.timeInQueueSeconds);
  $('#pop-flow').textContent = c.flow || '–';
  $('#pop-customer-id').textContent = c.customerId || '–';
  $('#pop-path').replaceChildren(...(c.ivrPath || []).map(n => el('li', {}, n)));
  const details = [];
  for (const [title, map] of [['What the caller entered', c.inputs], ['Details', c.fields], ['Customer', c.attributes]]) {
    const entries = Object.entries(map || {});
    if (entries.length === 0) continue;
    details.push(el('section', {}, el('h3', {}, title), el('table', {class: 'kv'},
      el('tbody', {}, entries.map(([k, v]) => el('tr', {}, el('td', {}, capital(words(k))), el('td', {}, v)))))));
  }
  $('#pop-details').replaceChildren(...details);
}

// ------------------------------------------------------------------ contact history

const OUTCOMES = {
  SELF_SERVED: 'Self-served', ROUTED: 'Talked to an agent', ABANDONED_IN_IVR: 'Hung up in IVR',
  ABANDONED_IN_QUEUE: 'Hung up in queue', TRANSFERRED: 'Transferred', VOICEMAIL: 'Voicemail', FAILED: 'Failed'
};

// answering machine detection of a campaign call (Asterisk's AMDSTATUS)
const AMD = {
  HUMAN: 'a person answered', MACHINE: 'answering machine', NOTSURE: 'machine detection not sure',
  HANGUP: 'hung up during machine detection'
};

/** The campaign a call was placed for, its attempt, and what answered it; null for other calls. */
function campaignNote(c) {
  if (!c) {
    return null;
  }
  const amd = c.amd ? (AMD[c.amd] || c.amd) + (c.amdCause ? ' (' + c.amdCause + ')' : '') : null;
  return el('div', {class: 'campaign-call'}, 'Campaign ' + c.name + ', attempt ' + c.attempt + (amd ? ': ' + amd : ''));
}

function clearHistory(text) {
  $('#history-hint').textContent = '';
  $('#history-table tbody').replaceChildren(el('tr', {class: 'empty-row'}, el('td', {colspan: 8}, text)));
}

async function loadHistory(customerId) {
  clearHistory('Loading…');
  try {
    const page = await api('GET', '/api/customers/' + encodeURIComponent(customerId) + '/interactions?limit=10');
    const rows = page.items.filter(i => !call || i.callId !== call.callId);
    $('#history-hint').textContent = rows.length ? 'Newest first' : '';
    if (rows.length === 0) {
      clearHistory('No earlier calls on record.');
      return;
    }
    $('#history-table tbody').replaceChildren(...rows.map(i => el('tr', {},
      el('td', {}, dateTime(i.start)),
      el('td', {}, OUTCOMES[i.outcome] || i.outcome),
      el('td', {}, i.flow || '–', campaignNote(i.campaign)),
      el('td', {}, i.queue || '–'),
      el('td', {}, i.agentId || '–'),
      el('td', {class: 'num'}, duration(i.waitSeconds)),
      el('td', {class: 'num'}, duration(i.talkSeconds)),
      el('td', {class: 'wrap-ups'}, (i.wrapUps || []).map(w => el('div', {class: 'wrap-up-entry'},
        el('strong', {}, w.code ? capital(words(w.code)) : 'Note'), w.agentId ? ' (' + w.agentId + ')' : '',
        w.note ? el('div', {class: 'note'}, w.note) : null)),
        (i.transfers || []).map(t => el('div', {class: 'wrap-up-entry'},
          el('strong', {}, 'Transferred'), ' by ' + t.fromAgent + ' to ' + t.to + ' ' + t.target,
          t.note ? el('div', {class: 'note'}, t.note) : null))))));
  } catch (e) {
    clearHistory(e.status === 404 ? 'No earlier calls on record.'
      : e.status === 503 ? 'The customer database is unavailable right now.' : 'Contact history unavailable: ' + e.message);
  }
}

function capital(s) {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}
