// Call recordings on the desktop and the dashboard: a card (any <section data-recordings>) that lists a
// call's recordings (GET /api/calls/{callId}/recordings) and plays or downloads one
// (GET /api/recordings/{id}/audio, with the session's token: fetched, then handed to an <audio> element
// as a blob). The server decides who may (recording.access-roles) and logs every access; the card shows
// its refusal as it is.
import {el, api, session, dateTime, words} from '/assets/desk.js';

async function audio(id, download) {
  const s = session();
  const res = await fetch('/api/recordings/' + encodeURIComponent(id) + '/audio' + (download ? '?download=true' : ''),
    {headers: s ? {'Authorization': 'Bearer ' + s.token} : {}});
  if (!res.ok) {
    const data = await res.json().catch(() => ({}));
    throw new Error(data.error || ('HTTP ' + res.status));
  }
  return res.blob();
}

function card(section) {
  const input = el('input', {id: 'recordings-call', type: 'text', autocomplete: 'off', required: '',
    'aria-describedby': 'recordings-hint'});
  const list = el('ul', {id: 'recordings-list', class: 'plain'});
  const player = el('audio', {id: 'recordings-player', controls: '', hidden: ''});
  const error = el('p', {id: 'recordings-error', class: 'error', role: 'alert'});
  const form = el('form', {id: 'recordings-form', novalidate: ''},
    el('div', {class: 'field'}, el('label', {for: 'recordings-call'}, 'Call id'), input),
    el('button', {type: 'submit', id: 'recordings-find'}, 'Find recordings'));
  section.replaceChildren(
    el('header', {}, el('h2', {id: 'recordings-title'}, 'Recordings'),
      el('span', {class: 'hint', id: 'recordings-hint'}, 'Playback is logged; your role must be allowed to listen')),
    form, list, player, error);
  section.setAttribute('aria-labelledby', 'recordings-title');

  async function play(r, download) {
    error.textContent = '';
    try {
      const blob = await audio(r.id, download);
      const url = URL.createObjectURL(blob);
      if (download) {
        const a = el('a', {href: url, download: 'recording-' + r.id + '.wav'});
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
      } else {
        player.src = url;
        player.hidden = false;
        player.play().catch(() => {});
      }
    } catch (e) {
      error.textContent = e.message;
    }
  }

  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    error.textContent = '';
    list.replaceChildren();
    const callId = input.value.trim();
    if (!callId) return;
    try {
      const {recordings} = await api('GET', '/api/calls/' + encodeURIComponent(callId) + '/recordings');
      if (recordings.length === 0) {
        list.replaceChildren(el('li', {}, 'No recordings of this call'));
        return;
      }
      list.replaceChildren(...recordings.map(r => el('li', {'data-id': r.id},
        el('span', {}, dateTime(r.startedAt) + ' · ' + (r.agentId || '') + ' · ' + words(r.state)),
        ' ',
        r.audio ? el('button', {type: 'button', class: 'link rec-play', onclick: () => play(r, false)}, 'Play') : '',
        ' ',
        r.audio ? el('button', {type: 'button', class: 'link rec-download', onclick: () => play(r, true)}, 'Download') : '')));
    } catch (e) {
      error.textContent = e.message;
    }
  });
}

document.querySelectorAll('section[data-recordings]').forEach(card);

