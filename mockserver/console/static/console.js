'use strict';
// The console's helpers: DOM building by textContent only (everything shown is escaped by construction), calls to
// the public routes with the control token when one is set, API tokens issued through POST /_sim/tokens.
const FM = (() => {
  const KEY = 'fleetmock.controlToken';
  const apiTokens = new Map();
  let world = null;

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

  async function getWorld(fresh = false) {
    if (!world || fresh) world = await json('/_sim/world');
    return world;
  }

  async function tachoToken(account, fresh = false) {
    if (!apiTokens.has(account) || fresh) {
      const issued = await json('/_sim/tokens', { method: 'POST', json: { account } });
      apiTokens.set(account, issued.access_token);
    }
    return apiTokens.get(account);
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

  async function reveal(account, path) {
    const user = ((await getWorld()).accounts.find((a) => a.name === account) || {}).revealUsers?.[0];
    if (!user) throw new Error(`account ${account} has no Reveal user`);
    const basic = 'Basic ' + btoa(`${user.username}:${user.password}`);
    const token = await (await call('/reveal/token', { headers: { Authorization: basic } })).text();
    const authorization = user.authorization.replace('<token>', token.trim());
    return json('/reveal' + path, { headers: { Authorization: authorization, Accept: 'application/json' } });
  }

  function say(id, text) {
    const node = document.getElementById(id);
    if (node) node.textContent = text || '';
  }

  async function fillAccounts(form) {
    const select = form.querySelector('[data-accounts]');
    if (!select) return;
    const params = new URLSearchParams(location.search);
    for (const account of (await getWorld()).accounts) {
      select.append(el('option', { value: account.name, text: account.name }));
    }
    if (params.get('account')) select.value = params.get('account');
  }

  // Rows in pages of `size`, with previous/next links: a 10,000-vehicle fleet stays usable.
  function paged(table, rows, render, size = 50) {
    const body = table.tBodies[0];
    const pager = table.parentElement.querySelector('.pager');
    let page = 0;
    const pages = Math.max(1, Math.ceil(rows.length / size));
    function draw() {
      body.replaceChildren(...rows.slice(page * size, (page + 1) * size).map(render));
      pager.replaceChildren(
        el('button', { type: 'button', text: 'previous', disabled: page === 0 ? '' : null, onclick: () => { page--; draw(); } }),
        el('span', { text: ` page ${page + 1} of ${pages} (${rows.length} rows) ` }),
        el('button', { type: 'button', text: 'next', disabled: page >= pages - 1 ? '' : null, onclick: () => { page++; draw(); } }),
      );
    }
    draw();
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

  return { el, call, json, getWorld, tachoshare, reveal, say, fillAccounts, paged, saveBlob, hhmm, row, link, showSvg };
})();
