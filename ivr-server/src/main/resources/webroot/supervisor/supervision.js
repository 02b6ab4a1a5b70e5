// The supervisor dashboard's supervision card: pick a logged-in agent, then listen to, whisper to
// (coach) or barge into their call (POST /api/agents/{id}/spy: the PBX rings the supervisor's own
// phone into ChanSpy), force them not ready with a reason or sign them out
// (POST /api/agents/{id}/force-state), or change their skills and levels (PUT /api/agents/{id}/skills,
// until they log in again). The agents come from the live dashboard messages; refusals (role, no
// call, no phone, PBX unavailable) are said on the card. Text goes in as text only.
import {$, el, api, stateLabel, words} from '/assets/desk.js';

let agents = [];
let reasonsLoaded = false;
let editedFor = null; // the agent whose skills the field holds (kept while the supervisor types)

document.addEventListener('ivr:dashboard', ev => {
  agents = ev.detail.agents.filter(a => a.state !== 'LOGGED_OUT');
  const select = $('#sv-agent');
  const before = select.value;
  const ids = agents.map(a => a.id).join('\n');
  if (select.dataset.ids !== ids) {
    select.replaceChildren(...agents.map(a => el('option', {value: a.id}, a.name + ' (' + a.id + ')')));
    select.dataset.ids = ids;
    if (agents.some(a => a.id === before)) select.value = before;
  }
  show();
  if (!reasonsLoaded) loadReasons();
});

async function loadReasons() {
  reasonsLoaded = true;
  try {
    const me = await api('GET', '/api/me');
    $('#sv-reason').replaceChildren(...me.notReadyReasons.map(r => el('option', {value: r}, words(r))));
  } catch (e) {
    reasonsLoaded = false;
    $('#sv-error').textContent = e.message;
  }
}

function current() {
  return agents.find(a => a.id === $('#sv-agent').value);
}

function skillsText(skills) {
  return Object.entries(skills || {}).map(([k, v]) => k + '=' + v).join(', ');
}

function show() {
  const a = current();
  const none = !a;
  for (const b of document.querySelectorAll('#supervision button')) b.disabled = none;
  if (none) {
    $('#sv-state').textContent = agents.length ? '' : 'No agent is logged in.';
    return;
  }
  const onCall = !!a.callId && ['RESERVED', 'ON_CALL'].includes(a.state);
  for (const b of document.querySelectorAll('#supervision .sv-spy')) b.disabled = !onCall;
  $('#sv-state').textContent = stateLabel(a.state)
    + (a.state === 'NOT_READY' && a.reason ? ' · ' + words(a.reason) : '')
    + (a.pendingReason ? ' · not ready (' + words(a.pendingReason) + ') after this call' : '')
    + (a.callId ? ' · call ' + a.callId : '');
  if (editedFor !== a.id) {
    $('#sv-skills').value = skillsText(a.skills);
    editedFor = a.id;
  }
}

function refused(e) {
  if (e.status === 403) return 'Refused: your role may not do this (supervisors only).';
  if (e.status === 503) return 'The PBX is unavailable: ' + e.message;
  return e.message;
}

async function act(method, path, body, done) {
  const a = current();
  if (!a) return;
  $('#sv-status').textContent = '';
  $('#sv-error').textContent = '';
  try {
    const r = await api(method, '/api/agents/' + encodeURIComponent(a.id) + path, body);
    $('#sv-status').textContent = done(a, r);
  } catch (e) {
    $('#sv-error').textContent = refused(e);
  }
}

function spy(mode) {
  return act('POST', '/spy', {mode}, (a, r) => 'Your phone (' + r.phone + ') rings: answer it to '
    + {listen: 'listen to', whisper: 'coach', barge: 'join'}[mode] + ' ' + a.name + "'s call.");
}

function parseSkills(text) {
  const skills = {};
  for (const part of text.split(',').map(s => s.trim()).filter(s => s)) {
    const m = /^([^=\s]+)\s*=\s*(\d+)$/.exec(part);
    if (!m) throw new Error('Write skills as name=level, e.g. billing=5, sales=3 (not "' + part + '").');
    skills[m[1]] = Number(m[2]);
  }
  return skills;
}

$('#sv-agent').addEventListener('change', () => {
  $('#sv-status').textContent = '';
  $('#sv-error').textContent = '';
  show();
});
$('#sv-listen').addEventListener('click', () => spy('listen'));
$('#sv-whisper').addEventListener('click', () => spy('whisper'));
$('#sv-barge').addEventListener('click', () => spy('barge'));
$('#sv-not-ready').addEventListener('click', () => act('POST', '/force-state',
  {state: 'not-ready', reason: $('#sv-reason').value},
  (a, r) => r.state === 'NOT_READY' ? a.name + ' is not ready.' : a.name + ' will be not ready after this call.'));
$('#sv-logout').addEventListener('click', () => {
  const a = current();
  if (a && confirm('Sign ' + a.name + ' out of routing?')) {
    act('POST', '/force-state', {state: 'logout'}, x => x.name + ' is signed out.');
  }
});
$('#sv-skills-form').addEventListener('submit', ev => {
  ev.preventDefault();
  let skills;
  try {
    skills = parseSkills($('#sv-skills').value);
  } catch (e) {
    $('#sv-status').textContent = '';
    $('#sv-error').textContent = e.message;
    return;
  }
  act('PUT', '/skills', {skills}, (a, r) => {
    editedFor = null;
    return a.name + "'s skills are now " + (skillsText(r.skills) || 'none') + ', from the next offer.';
  });
});
