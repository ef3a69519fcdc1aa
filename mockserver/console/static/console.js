'use strict';
// The console's helpers: DOM building by textContent only (everything shown is escaped by construction), calls to
// the public routes with the control token when one is set, API tokens issued through POST /_sim/tokens.
const FM = (() => {
  const KEY = 'fleetmock.controlToken';
  let accounts = null;
  const revealUsers = new Map();

  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children) {
      if (child === undefined || child === null) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function showTokenForm() {
    const form = document.getElementById('token-form');
    form.hidden = false;
    form.onsubmit = (event) => {
      event.preventDefault();
      sessionStorage.setItem(KEY, form.elements.token.value);
      location.reload();
    };
    say('page-error', 'The control plane asks for a token (serve --control-token): enter it above.');
  }

  async function call(path, options = {}) {
    const headers = new Headers(options.headers || {});
    const control = sessionStorage.getItem(KEY);
    if (control && path.startsWith('/_sim') && !headers.has('Authorization')) {
      headers.set('Authorization', 'Bearer ' + control);
    }
    const init = { ...options, headers };
    if (options.json !== undefined) {
      headers.set('Content-Type', 'application/json');
      init.body = JSON.stringify(options.json);
    }
    delete init.json;
    const response = await fetch(path, init);
    if (response.status === 401 && path.startsWith('/_sim')) showTokenForm();
    return response;
  }

  async function json(path, options = {}) {
    const response = await call(path, options);
    const type = response.headers.get('content-type') || '';
    const body = type.includes('json') ? await response.json() : await response.text();
    if (!response.ok) {
      const text = (body && (body.description || body.Message || body.error_description)) || String(body);
      const error = new Error(`${response.status}: ${text}`);
      error.status = response.status;
      error.body = body;
      throw error;
    }
    return body;
  }

  // The accounts' names and list sizes (GET /_sim/world/accounts), not the whole world: with 10,000 vehicles
  // GET /_sim/world is megabytes.
  async function getAccounts() {
    if (!accounts) accounts = (await json('/_sim/world/accounts')).accounts;
    return accounts;
  }

  // One list of an account's world summary, searched and paged by the control plane; with `state` (an API's name)
  // each item carries that API's answer about it now, and `status` keeps the items in that status.
  function worldList(account, name, { search = '', keys = [], offset = 0, limit = 50, state = '', status = '' } = {}) {
    const q = new URLSearchParams({ offset: String(offset), limit: String(limit) });
    if (search) q.set('search', search);
    if (keys.length) q.set('keys', keys.join(','));
    if (state) q.set('state', state);
    if (status) q.set('status', status);
    return json(`/_sim/world/accounts/${encodeURIComponent(account)}/${encodeURIComponent(name)}?${q}`);
  }

  // An account's TachoShare token is kept for the tab (sessionStorage) and renewed when the API refuses it: a page
  // load issues no token (a write, which would make the server rebuild its cached lists) while the last one works.
  async function tachoToken(account, fresh = false) {
    const key = `fleetmock.tachoToken.${account}`;
    let token = sessionStorage.getItem(key);
    if (!token || fresh) {
      token = (await json('/_sim/tokens', { method: 'POST', json: { account } })).access_token;
      sessionStorage.setItem(key, token);
    }
    return token;
  }

  // A TachoShare call as the account's full-view user; a token that expired with simulated time is renewed once.
  async function tachoshare(account, path, options = {}) {
    for (const fresh of [false, true]) {
      const headers = { Accept: 'application/json, application/octet-stream', ...(options.headers || {}) };
      headers.Authorization = 'Bearer ' + (await tachoToken(account, fresh));
      const response = await call('/tachoshare' + path, { ...options, headers });
      if (response.status !== 401 || fresh) return response;
    }
  }

  // A Reveal call as the account's first Reveal user. Its token is asked once (shared by calls made together) and
  // kept for the tab like TachoShare's; one that expired with simulated time (20 minutes) is renewed once.
  const revealTokens = new Map();
  const INVALID_TOKEN = 'The provided token has an invalid format.';
  async function revealToken(account, user, fresh) {
    const key = `fleetmock.revealToken.${account}`;
    if (!fresh && sessionStorage.getItem(key)) return sessionStorage.getItem(key);
    if (fresh || !revealTokens.has(account)) {
      const basic = 'Basic ' + btoa(`${user.username}:${user.password}`);
      revealTokens.set(account, call('/reveal/token', { headers: { Authorization: basic } }).then(async (response) => {
        const token = (await response.text()).trim();
        if (response.ok) sessionStorage.setItem(key, token);
        revealTokens.delete(account);
        return token;
      }));
    }
    return revealTokens.get(account);
  }

  async function reveal(account, path) {
    if (!revealUsers.has(account)) revealUsers.set(account, worldList(account, 'revealUsers', { limit: 1 }).then((a) => a.items[0]));
    const user = await revealUsers.get(account);
    if (!user) throw new Error(`account ${account} has no Reveal user`);
    for (const fresh of [false, true]) {
      const authorization = user.authorization.replace('<token>', await revealToken(account, user, fresh));
      try {
        return await json('/reveal' + path, { headers: { Authorization: authorization, Accept: 'application/json' } });
      } catch (error) {  // Reveal answers an expired or unknown token with this 400 (a missing one with a 401)
        const refused = error.status === 401 || (error.status === 400 && String(error.body).trim() === INVALID_TOKEN);
        if (!refused || fresh) throw error;
      }
    }
  }

  function say(id, text) {
    const node = document.getElementById(id);
    if (node) node.textContent = text || '';
  }

  async function fillAccounts(form) {
    const select = form.querySelector('[data-accounts]');
    if (!select) return;
    const params = new URLSearchParams(location.search);
    for (const account of await getAccounts()) {
      select.append(el('option', { value: account.name, text: account.name }));
    }
    if (params.get('account')) select.value = params.get('account');
  }

  // Rows in pages of `size`, with previous/next links: a 10,000-vehicle fleet stays usable. `before(shown)` may
  // fetch what the shown rows need (awaited before they are drawn); the answer is the first page's drawing.
  function paged(table, rows, render, size = 50, before = null) {
    const body = table.tBodies[0];
    const pager = table.parentElement.querySelector('.pager');
    let page = 0;
    const pages = Math.max(1, Math.ceil(rows.length / size));
    async function draw() {
      const shown = rows.slice(page * size, (page + 1) * size);
      if (before) await before(shown);
      body.replaceChildren(...shown.map(render));
      const go = (step) => () => { page += step; draw().catch((error) => say('page-error', error.message)); };
      pager.replaceChildren(
        el('button', { type: 'button', text: 'previous', disabled: page === 0 ? '' : null, onclick: go(-1) }),
        el('span', { text: ` page ${page + 1} of ${pages} (${rows.length} rows) ` }),
        el('button', { type: 'button', text: 'next', disabled: page >= pages - 1 ? '' : null, onclick: go(1) }),
      );
    }
    return draw();
  }

  // Rows paged on the server: `load(offset, size)` answers {items, total}, one page of them; the pager moves through
  // the pages. After each drawing the table's data-shown says which rows it shows (`offset/total`; tests wait on it).
  function serverPaged(table, load, render, size = 50) {
    const body = table.tBodies[0];
    const pager = table.parentElement.querySelector('.pager');
    let offset = 0;
    let latest = 0;
    async function draw() {
      const mine = ++latest;
      const answer = await load(offset, size);
      if (mine !== latest) return;  // a later filter or page was asked meanwhile: its answer is the one to show
      body.replaceChildren(...answer.items.map(render));
      const pages = Math.max(1, Math.ceil(answer.total / size));
      const page = Math.floor(offset / size);
      const go = (step) => () => { offset += step * size; draw().catch((error) => say('page-error', error.message)); };
      pager.replaceChildren(
        el('button', { type: 'button', text: 'previous', disabled: page === 0 ? '' : null, onclick: go(-1) }),
        el('span', { text: ` page ${page + 1} of ${pages} (${answer.total} rows) ` }),
        el('button', { type: 'button', text: 'next', disabled: page >= pages - 1 ? '' : null, onclick: go(1) }),
      );
      table.dataset.shown = `${offset}/${answer.total}`;
    }
    return { draw: () => { offset = 0; return draw(); } };
  }

  // A <select> that offers `size` items at a time of a list searched on the server: `load(search, offset, size)`
  // answers {items, total}; the search box redraws it as one types, the pager moves through the matches. After
  // each drawing the select's data-search holds the search it shows (tests wait on it).
  function picker(select, search, pager, load, option, { blank = null, size = 50 } = {}) {
    let offset = 0;
    let timer = null;
    let items = [];
    async function draw() {
      const wanted = search.value.trim();
      const answer = await load(wanted, offset, size);
      items = answer.items;
      const keep = select.value;
      select.replaceChildren(...(blank ? [blank()] : []), ...items.map(option));
      if ([...select.options].some((o) => o.value === keep)) select.value = keep;
      const last = Math.min(offset + items.length, answer.total);
      const go = (step) => () => { offset = Math.max(0, offset + step * size); draw().catch((e) => say('page-error', e.message)); };
      pager.replaceChildren(
        el('button', { type: 'button', text: '‹', title: 'previous', disabled: offset === 0 ? '' : null, onclick: go(-1) }),
        el('span', { text: ` ${answer.total ? offset + 1 : 0}-${last} of ${answer.total} ` }),
        el('button', { type: 'button', text: '›', title: 'next', disabled: last >= answer.total ? '' : null, onclick: go(1) }),
      );
      select.dataset.search = wanted;
      select.dataset.total = String(answer.total);
    }
    search.oninput = () => {
      clearTimeout(timer);
      timer = setTimeout(() => { offset = 0; draw().catch((e) => say('page-error', e.message)); }, 150);
    };
    search.onkeydown = (event) => { if (event.key === 'Enter') event.preventDefault(); };  // Enter searches, not submits
    return { draw: () => { offset = 0; return draw(); }, items: () => items };
  }

  function saveBlob(name, blob) {
    const link = el('a', { href: URL.createObjectURL(blob), download: name });
    document.body.append(link);
    link.click();
    link.remove();
  }

  function hhmm(minutes) {
    if (minutes === null || minutes === undefined) return 'n/a';
    return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
  }

  function row(...cells) {
    return el('tr', {}, ...cells.map((cell) => el('td', {}, cell)));
  }

  function link(href, text) {
    return el('a', { href, text });
  }

  // An SVG the server drew (every text in it escaped there), parsed as XML, never as HTML.
  function showSvg(container, svgText) {
    const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
    container.replaceChildren(document.importNode(doc.documentElement, true));
  }

  return { el, call, json, getAccounts, worldList, tachoshare, reveal, say, fillAccounts, paged, serverPaged, picker, saveBlob, hhmm, row, link, showSvg };
})();
