// Shared by the agent desktop and the supervisor dashboard: sign-in, the API, the live
// WebSocket, and small DOM helpers. No framework, no build step. Text always goes into the
// page as text (textContent), never as HTML.

const TOKEN = 'ivr.token';
const USER = 'ivr.user';

/** Creates an element: el('td', {class: 'num'}, 'text', child, ...). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k === 'style') e.style.cssText = v; // CSSOM: allowed by the Content-Security-Policy, unlike style=
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export const $ = (sel, root = document) => root.querySelector(sel);

/** 75 -> "1:15", 3725 -> "1:02:05". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || isNaN(seconds)) return '–';
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return (h > 0 ? h + ':' : '') + mm + ':' + String(r).padStart(2, '0');
}

export function since(iso) {
  return iso ? (Date.now() - Date.parse(iso)) / 1000 : null;
}

export function dateTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toLocaleDateString(undefined, {year: 'numeric', month: 'short', day: 'numeric'}) + ' '
    + d.toLocaleTimeString(undefined, {hour: '2-digit', minute: '2-digit'});
}

export function percent(x) {
  return x === null || x === undefined ? '–' : Math.round(x * 100) + '%';
}

const STATE_LABELS = {
  LOGGED_OUT: 'Logged out', NOT_READY: 'Not ready', READY: 'Ready', RESERVED: 'Ringing',
  ON_CALL: 'On call', WRAP_UP: 'Wrap-up'
};
export function stateLabel(state) {
  return STATE_LABELS[state] || state;
}
export function stateBadge(state, id) {
  return el('span', {class: 'badge st-' + state, id}, stateLabel(state));
}
export function words(code) {
  return code ? code.replace(/[-_]/g, ' ') : '';
}

// ------------------------------------------------------------------ session and API

export function session() {
  const token = sessionStorage.getItem(TOKEN);
  const user = sessionStorage.getItem(USER);
  return token && user ? {token, user: JSON.parse(user)} : null;
}

function forget() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(USER);
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let onSignedOut = () => location.reload();

/** Calls the API with the session's token; a 401 ends the session on this page. */
export async function api(method, path, body) {
  const s = session();
  const headers = {'Accept': 'application/json'};
  if (s) headers['Authorization'] = 'Bearer ' + s.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  if (res.status === 204) return null;
  const data = await res.json().catch(() => ({}));
  if (res.status === 401 && s) {
    forget();
    onSignedOut('Your session ended. Please sign in again.');
  }
  if (!res.ok) throw new ApiError(res.status, data.error || ('HTTP ' + res.status));
  return data;
}

/**
 * Wires the sign-in form; calls start(user) once signed in (now or from an earlier page load),
 * and ends(message) when the session ends.
 */
export function signIn({form, idInput, passwordInput, error, requiredRole, start, ends}) {
  onSignedOut = ends;
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    error.textContent = '';
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    try {
      const res = await fetch('/api/login', {
        method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({id: idInput.value.trim(), password: passwordInput.value})
      });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(data.error || 'Sign-in failed (HTTP ' + res.status + ')');
      const roles = data.user.roles;
      if (requiredRole && !roles.includes(requiredRole) && !roles.includes('admin')) {
        await fetch('/api/logout', {method: 'POST', headers: {'Authorization': 'Bearer ' + data.token}});
        throw new Error('This page is for users with the ' + requiredRole + ' role.');
      }
      sessionStorage.setItem(TOKEN, data.token);
      sessionStorage.setItem(USER, JSON.stringify(data.user));
      passwordInput.value = '';
      start(data.user);
    } catch (e) {
      error.textContent = e.message;
      passwordInput.select();
    } finally {
      submit.disabled = false;
    }
  });
  const s = session();
  if (s) start(s.user);
}

export async function signOut() {
  try {
    await api('POST', '/api/logout');
  } catch (e) {
    // the session may be gone already
  }
  forget();
}

// ------------------------------------------------------------------ live connection

/**
 * Keeps a WebSocket open (a fresh one-time ticket for each attempt, backing off up to 10 s) and
 * hands every message to onMessage. status(text, kind) reports live / connecting / offline.
 *
 * An agent's desk messages are numbered (seq). The number of the last one applied survives
 * reconnections: after one (to this server or another), and whenever a number is skipped, the
 * page asks for what it missed ({"type":"resume","since":N}) and gets those messages again, or a
 * fresh snapshot followed by {"type":"resync","seq":M} when more was missed than the cluster
 * keeps. A message seen already is not applied twice.
 */
export function live({onMessage, status}) {
  let ws = null;
  let attempt = 0;
  let stopped = false;
  let pinger = null;
  let lastSeq = 0;

  function resume() {
    if (ws && ws.readyState === 1 && lastSeq > 0) {
      ws.send(JSON.stringify({type: 'resume', since: lastSeq}));
    }
  }

  /** Whether a numbered message is to be applied now; keeps lastSeq. */
  function inOrder(m) {
    if (m.type === 'resync') {
      lastSeq = m.seq;
      return false;
    }
    if (m.type === 'agent') {
      if (lastSeq === 0 && typeof m.seq === 'number') lastSeq = m.seq;
      return true;
    }
    if (typeof m.seq !== 'number') return true;
    if (m.seq <= lastSeq) return false; // seen already (a replay)
    if (lastSeq > 0 && m.seq > lastSeq + 1) {
      resume(); // a gap: the missed ones come first, this one with them
      return false;
    }
    lastSeq = m.seq;
    return true;
  }

  async function connect() {
    if (stopped) return;
    status('Connecting…', 'connecting');
    try {
      const {ticket} = await api('POST', '/api/ws-ticket');
      const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
      ws = new WebSocket(scheme + '//' + location.host + '/api/ws?ticket=' + encodeURIComponent(ticket));
    } catch (e) {
      if (e.status === 401) return;
      return retry();
    }
    ws.onopen = () => {
      attempt = 0;
      status('Live', 'live');
      pinger = setInterval(() => ws.readyState === 1 && ws.send('{"type":"ping"}'), 25000);
      resume(); // a reconnection: what was missed meanwhile
    };
    ws.onmessage = ev => {
      let m;
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      if (m.type === 'session-ended') {
        stopped = true;
        forget();
        onSignedOut('Your session ended. Please sign in again.');
        return;
      }
      if (inOrder(m)) onMessage(m);
    };
    ws.onclose = ev => {
      clearInterval(pinger);
      if (stopped || ev.code === 4401) return;
      retry();
    };
  }

  function retry() {
    status('Reconnecting…', 'offline');
    const wait = Math.min(10000, 1000 * Math.pow(2, attempt++));
    setTimeout(connect, wait);
  }

  connect();
  return {
    stop() {
      stopped = true;
      if (ws) ws.close(1000);
    }
  };
}

/** The top bar's connection indicator. */
export function statusIndicator(node) {
  return (text, kind) => {
    node.textContent = text;
    node.className = 'conn ' + kind;
  };
}
