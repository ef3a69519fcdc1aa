'use strict';
// Each page of the console, keyed by <body data-page>. Only public routes: /_sim (control plane), /tachoshare,
// /reveal, and the console's own chart and stream routes.
(() => {
  const { el, json, worldList, tachoshare, reveal, say, fillAccounts, paged, serverPaged, picker, saveBlob, hhmm, row, link, showSvg } = FM;
  const $ = (selector) => document.querySelector(selector);
  const params = new URLSearchParams(location.search);
  const DAY = 86400 * 1000;
  const isoDay = (date) => date.toISOString().slice(0, 10);

  async function overview() {
    // independent reads, asked together: the page waits for the slowest, not for their sum
    const [clock, journal, faults, limits, tenants] = await Promise.all(
      ['/_sim/clock', '/_sim/journal', '/_sim/faults', '/_sim/ratelimits', '/_sim/tenants'].map((path) => json(path)));
    $('#now').textContent = clock.now;
    $('#rate').textContent = clock.rate;
    const hourAgo = new Date(Date.parse(clock.now) - 3600 * 1000);
    const counts = {};
    for (const entry of journal.entries) {
      if (Date.parse(entry.simulatedTime) >= hourAgo) counts[entry.api] = (counts[entry.api] || 0) + 1;
    }
    paged($('#counts'), Object.entries(counts), ([api, n]) => row(api, n));
    $('#fault-count').textContent = faults.rules.length;
    $('#limit-count').textContent = limits.rules.length;
    $('#tenants').replaceChildren(...(tenants.tenants || []).map((t) => el('li', { text: t.name || JSON.stringify(t) })));
  }

  function wireOverview() {
    const act = (id, work) => async (event) => {
      event.preventDefault();
      try { await work(event); say(id, ''); await overview(); } catch (error) { say(id, error.message); }
    };
    for (const button of document.querySelectorAll('[data-advance]')) {
      button.onclick = act('clock-error', () => json('/_sim/clock/advance', { method: 'POST', json: { seconds: Number(button.dataset.advance) } }));
    }
    $('#advance-form').onsubmit = act('clock-error', (e) => json('/_sim/clock/advance', { method: 'POST', json: { seconds: Number(e.target.elements.seconds.value) } }));
    $('#clock-form').onsubmit = act('clock-error', (e) => {
      const body = {};
      if (e.target.elements.now.value) body.now = e.target.elements.now.value;
      if (e.target.elements.rate.value !== '') body.rate = Number(e.target.elements.rate.value);
      return json('/_sim/clock', { method: 'PUT', json: body });
    });
    $('#reset').onclick = act('clock-error', () => json('/_sim/reset', { method: 'POST' }));
    $('#tenant-form').onsubmit = act('tenant-error', (e) => json('/_sim/tenants', { method: 'POST', json: { name: e.target.elements.name.value } }));
    return overview();
  }

  // The fleet, drivers and company cards tables: one page of an account's world list at a time, each row with
  // TachoShare's answer about it now (`state=tachoshare`), filtered by status on the server (TachoShare's lists have
  // no paging: 10,000 vehicles were read whole to show 50).
  const TABLES = {
    fleet: ['vehicles', (account, v, t) => row(link(`/_sim/console/pages/vehicle?account=${encodeURIComponent(account)}&vin=${encodeURIComponent(v.vin)}`, v.vin),
      v.licensePlate, t.rdlStatus, t.rdlHealthStatus ? `${t.rdlHealthStatus.result} (${t.rdlHealthStatus.level})` : '',
      t.manualAttemptsRemaining, t.nextScheduledDate, t.lastActivityDate, v.generation, t.lockedCompanyCardNumber || '')],
    drivers: ['drivers', (account, d, t) => row(link(`/_sim/console/pages/driver?account=${encodeURIComponent(account)}&card=${encodeURIComponent(d.cardNumber)}&country=${encodeURIComponent(d.countryCode)}`, d.cardNumber),
      d.countryCode, d.name, t.rdlStatus, t.lastDownloadDate, t.nextScheduledDate, t.firstAvailableDownloadDate)],
    cards: ['companyCards', (account, c, t) => row(link(`/_sim/console/pages/card?account=${encodeURIComponent(account)}&card=${encodeURIComponent(c.cardNumber)}`, c.cardNumber),
      t.companyName, t.status, t.companyCardGroup || '', t.insertionDate || '', t.expirationDate || '')],
  };

  async function table(kind) {
    const form = $('#filters');
    await fillAccounts(form);
    const [list, render] = TABLES[kind];
    if (params.get('status')) form.elements.status.value = params.get('status');  // a link may name the filter
    const rows = serverPaged($('#rows'), (offset, limit) => worldList(form.elements.account.value, list,
      { offset, limit, state: 'tachoshare', status: form.elements.status.value }),
    (item) => render(form.elements.account.value, item, item.tachoshare || {}));
    form.onchange = () => rows.draw().catch((error) => say('page-error', error.message));
    await rows.draw();
  }

  async function facts(list, object) {
    list.replaceChildren(...Object.entries(object).flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: typeof v === 'object' && v !== null ? JSON.stringify(v) : v })]));
  }

  async function drawTacho(account, filePath, day, container, totals) {
    const response = await tachoshare(account, filePath, { headers: { Accept: 'application/octet-stream, application/json' } });
    if (response.status === 204) throw new Error('no file covers that day');
    if (!response.ok) throw new Error(`${response.status}: ${(await response.json()).description}`);
    const chart = await json(`/_sim/console/charts/tachograph?day=${day}&name=${encodeURIComponent(filePath.split('/')[2])}`,
      { method: 'POST', body: await response.blob(), headers: { 'Content-Type': 'application/octet-stream' } });
    showSvg(container, chart.svg);
    if (totals) facts(totals, Object.fromEntries(Object.entries(chart.totals).map(([k, v]) => [k, typeof v === 'number' ? hhmm(v) : v])));
    return chart;
  }

  function fileRange(day) {
    const from = new Date(Date.parse(day));
    return [isoDay(from), isoDay(new Date(from.getTime() + 28 * DAY))];
  }

  // The subject's download timeline as the console's timeline route answers it (events and the server's drawing).
  function timeline(kind, account, key) {
    const form = $('#timeline-form');
    const draw = async () => {
      const q = new URLSearchParams({ account });
      for (const name of ['from', 'to']) if (form.elements[name].value) q.set(name, form.elements[name].value);
      const line = await json(`/_sim/console/timelines/${kind}/${encodeURIComponent(key)}?${q}`);
      form.elements.from.value = line.from;
      form.elements.to.value = line.to;
      showSvg($('#timeline'), line.svg);
      const count = (k, ok) => line.events.filter((e) => e.kind === k && (ok === undefined || e.ok === ok)).length;
      if (kind === 'companyCard') {
        const statuses = line.events.filter((e) => e.kind === 'status' && e.at <= line.now);
        const vins = new Set(line.events.filter((e) => e.related).map((e) => e.related));
        say('timeline-summary', `status now ${statuses.length ? statuses[statuses.length - 1].detail : 'unknown'}; `
          + `${count('scheduled') + count('manual')} RDL attempts of ${vins.size} vehicles locked with it `
          + `(${count('scheduled', true) + count('manual', true)} downloaded, ${count('scheduled', false) + count('manual', false)} failed), now ${line.now}`);
        return line;
      }
      say('timeline-summary', `${count('scheduled') + count('manual')} attempts (${count('scheduled', true) + count('manual', true)} downloaded, `
        + `${count('scheduled', false) + count('manual', false)} failed, ${count('manual')} manual), ${count('request')} manual requests, `
        + `${count('generation')} generation marks, now ${line.now}`);
      return line;
    };
    form.onsubmit = (event) => { event.preventDefault(); draw().catch((e) => say('page-error', e.message)); };
    return draw;
  }

  async function vehicle() {
    const account = params.get('account');
    const vin = params.get('vin');
    const redraw = timeline('vehicle', account, vin);
    const show = async (response) => {
      const body = await response.json();
      facts($('#facts'), body.items ? body.items[0] || {} : body);  // GET answers {items: [...]}, the RDL the vehicle
    };
    // the facts and the timeline are independent reads: asked together, the page waits for the slower only
    await Promise.all([tachoshare(account, `/vehicles/${encodeURIComponent(vin)}`).then(show), redraw()]);
    $('#rdl').onclick = async () => {
      const response = await tachoshare(account, `/vehicles/${encodeURIComponent(vin)}/rdl`, { method: 'POST' });
      if (response.ok) { await show(response); say('rdl-result', 'requested'); await redraw(); } else say('rdl-result', (await response.json()).description);
    };
    $('#files-form').onsubmit = async (event) => {
      event.preventDefault();
      const q = new URLSearchParams({ 'activityDate-from': event.target.elements.from.value, 'activityDate-to': event.target.elements.to.value });
      const response = await tachoshare(account, `/vehicles/${encodeURIComponent(vin)}/files?${q}`, { headers: { Accept: 'application/octet-stream, application/json' } });
      if (response.status === 200) saveBlob(`${vin}.DDD`, await response.blob()); else say('vehicle-error', `${response.status}: ${await response.text()}`);
    };
    $('#day-form').onsubmit = (event) => {
      event.preventDefault();
      const day = event.target.elements.day.value;
      const q = new URLSearchParams({ 'activityDate-from': day, 'activityDate-to': isoDay(new Date(Date.parse(day) + DAY)) });
      drawTacho(account, `/vehicles/${encodeURIComponent(vin)}/files?${q}`, day, $('#chart')).catch((e) => say('vehicle-error', e.message));
    };
  }

  async function driver() {
    const account = params.get('account');
    const card = params.get('card');
    const one = worldList(account, 'drivers', { keys: [card], limit: 1, state: 'tachoshare' });  // not all 10,000
    const [answer] = await Promise.all([one, timeline('driver', account, card)()]);
    facts($('#facts'), (answer.items[0] && answer.items[0].tachoshare) || {});  // TachoShare's answer about the card
    $('#day-link').href = `/_sim/console/pages/tachograph?account=${encodeURIComponent(account)}&card=${encodeURIComponent(card)}`;
    $('#files-form').onsubmit = async (event) => {
      event.preventDefault();
      const q = new URLSearchParams({ countryCode: params.get('country'), 'downloadDate-from': event.target.elements.from.value, 'downloadDate-to': event.target.elements.to.value });
      const files = await tachoshare(account, `/drivers/${encodeURIComponent(card)}/files?${q}`, { headers: { Accept: 'application/octet-stream, application/json' } });
      if (files.status === 200) saveBlob(`${card}.zip`, await files.blob()); else say('driver-error', `${files.status}: ${await files.text()}`);
    };
  }

  // A picker of one list of the chosen account's world summary, searched on the server (10,000 drivers stay usable).
  function worldPicker(form, field, list, option, blank = null) {
    const f = form.elements;
    return picker(f[field], f[`${field}-search`], form.querySelector(`.picker[data-for=${field}]`),
      (search, offset, limit) => worldList(f.account.value, list, { search, offset, limit }), option, { blank });
  }

  async function card() {
    const account = params.get('account');
    const number = params.get('card');
    const one = worldList(account, 'companyCards', { keys: [number], limit: 1, state: 'tachoshare' });
    const [answer] = await Promise.all([one, timeline('companyCard', account, number)()]);
    facts($('#facts'), (answer.items[0] && answer.items[0].tachoshare) || {});
  }

  async function tachograph() {
    const form = $('#day-form');
    await fillAccounts(form);
    if (params.get('card')) form.elements['card-search'].value = params.get('card');
    const cards = worldPicker(form, 'card', 'drivers',
      (d) => el('option', { value: `${d.cardNumber}|${d.countryCode}`, text: `${d.cardNumber} ${d.name || ''}` }));
    const vins = worldPicker(form, 'vin', 'vehicles', (v) => el('option', { value: v.vin, text: `${v.vin} ${v.licensePlate}` }),
      () => el('option', { value: '', text: '(the card)' }));
    const fill = () => Promise.all([cards.draw(), vins.draw()]);
    form.elements.account.onchange = () => fill().catch((error) => say('page-error', error.message));
    await fill();
    if (!form.elements.day.value) form.elements.day.value = isoDay(new Date(Date.parse((await json('/_sim/clock')).now) - DAY));
    form.onsubmit = async (event) => {
      event.preventDefault();
      say('day-error', '');
      const account = form.elements.account.value;
      const day = form.elements.day.value;
      let path;
      if (form.elements.vin.value) {
        const q = new URLSearchParams({ 'activityDate-from': day, 'activityDate-to': isoDay(new Date(Date.parse(day) + DAY)) });
        path = `/vehicles/${encodeURIComponent(form.elements.vin.value)}/files?${q}`;
      } else {
        const [card, country] = form.elements.card.value.split('|');
        const [from, to] = fileRange(day);
        path = `/drivers/${encodeURIComponent(card)}/files?${new URLSearchParams({ countryCode: country, 'downloadDate-from': from, 'downloadDate-to': to })}`;
      }
      try { await drawTacho(account, path, day, $('#chart'), $('#totals')); } catch (error) { $('#chart').replaceChildren(); say('day-error', error.message); }
    };
  }

  // The statuses of the 9 days up to the end of `day` (the rules look back over the last daily reset and the 7/8-day
  // cycle), each window as statushistory answers it; windows before the 6-month limit or after now are left out.
  async function historyUpTo(account, number, dayStart, nowMs) {
    const starts = [];
    for (let back = 8; back >= 0; back--) if (dayStart - back * DAY <= nowMs) starts.push(new Date(dayStart - back * DAY));
    const windows = await Promise.all(starts.map((start) => reveal(account,
      `/logbook/v1/driver/${encodeURIComponent(number)}/statushistory?startDateTimeUtc=${start.toISOString().slice(0, 19)}Z`)
      .catch((error) => { if (error.status === 400) return []; throw error; })));
    return windows.flat().map(({ Status, SubStatus, StatusDateTimeUTC, ModifiedBy, TimeRemainingSinceLastStatus }) =>
      ({ Status, SubStatus, StatusDateTimeUTC, ModifiedBy, TimeRemainingSinceLastStatus }));
  }

  const CLOCK_NAMES = { driveLeft: 'Drive', windowLeft: 'Window', breakLeft: 'Break', cycleLeft: 'Cycle' };

  async function drawEld(form, drivers) {
    const account = form.elements.account.value;
    const number = form.elements.driver.value;
    const day = form.elements.day.value;
    const now = (await json('/_sim/clock')).now;
    const nowMs = Date.parse(now);
    const dayStart = Date.parse(`${day}T00:00:00Z`);
    const time = form.elements.at.value;
    const at = time ? new Date(Date.parse(`${day}T${time.slice(0, 5)}:00Z`)) : new Date(Math.min(dayStart + DAY, nowMs));
    if (at.getTime() > nowMs) throw new Error(`the instant ${at.toISOString()} is after now (${now}): Reveal has no statuses yet`);
    const driver = drivers.find((d) => d.driverNumber === number) || {};
    const history = await historyUpTo(account, number, dayStart, nowMs);
    const chart = await json('/_sim/console/charts/eld', { method: 'POST', json: { day, history, until: now, at: at.toISOString(), driver } });
    showSvg($('#chart'), chart.svg);
    $('#clocks-at').textContent = chart.at;
    facts($('#clocks'), Object.fromEntries(Object.entries(CLOCK_NAMES).map(([key, label]) => [label, hhmm(chart.clocks[key])])));
    const remaining = await reveal(account, `/logbook/v1/driver/${encodeURIComponent(number)}/remainingtime`);
    const hours = remaining.HoursAgainstRuleSet || {};
    const minutes = (h) => Math.floor(Math.round(h * 60 * 1000) / 1000);
    facts($('#remaining'), { 'Driving left today': hhmm(minutes(hours.DrivingLeftForToday)), 'Cycle left': hhmm(minutes(hours.CycleTimeLeft)),
      'Last status': `${remaining.LastStatus} since ${remaining.LastStatusDateTimeUTC}` });
    const flagged = chart.violations.map((v) => el('li', { class: 'violation', 'data-rule': v.rule, text: `${v.rule} from ${hhmm(v.start)} to ${hhmm(v.end)}` }));
    $('#violations').replaceChildren(...(flagged.length ? flagged : [el('li', { class: 'none', text: 'No violations' })]));
  }

  async function eld() {
    const form = $('#eld-form');
    await fillAccounts(form);
    const drivers = worldPicker(form, 'driver', 'revealDrivers', (d) => el('option', { value: d.driverNumber, text: `${d.driverNumber} ${d.name}` }));
    form.elements.account.onchange = () => drivers.draw().catch((error) => say('page-error', error.message));
    await drivers.draw();
    const wanted = params.get('driver');
    if (wanted && ![...form.elements.driver.options].some((o) => o.value === wanted)) {
      form.elements['driver-search'].value = wanted;  // not on the first page: search for it
      await drivers.draw();
    }
    if (wanted) form.elements.driver.value = wanted;
    const now = (await json('/_sim/clock')).now;
    if (!form.elements.day.value) form.elements.day.value = now.slice(0, 10);
    form.onsubmit = async (event) => {
      event.preventDefault();
      say('eld-error', '');
      document.body.dataset.drawn = 'false';
      try { await drawEld(form, drivers.items()); } catch (error) { say('eld-error', error.message); }
      document.body.dataset.drawn = 'true';
    };
    $('#log-form').onsubmit = async (event) => {
      event.preventDefault();
      const file = event.target.elements.log.files[0];
      if (!file) return;
      try {
        const account = encodeURIComponent(form.elements.account.value);
        await json(`/_sim/reveal/drivers/${encodeURIComponent(form.elements.driver.value)}/log?account=${account}`, { method: 'PUT', body: await file.text(), headers: { 'Content-Type': 'application/json' } });
        form.requestSubmit();
      } catch (error) { say('eld-error', error.message); }
    };
  }

  function faultBody(f) {
    const rule = { match: { api: f.api.value, method: f.method.value || '*', path: f.path.value || '*' } };
    const number = (value) => (value === '' ? undefined : Number.isNaN(Number(value)) ? value : Number(value));
    if (f.times.value !== '') rule.times = number(f.times.value);
    if (f.probability.value !== '') rule.probability = number(f.probability.value);
    const effect = f.effect.value;
    if (effect === 'respond') rule.respond = { status: number(f.status.value) };
    else if (effect === 'latencyMs') rule.latencyMs = number(f.latencyMs.value);
    else if (effect === 'trickle') rule.trickle = {};
    else rule[effect] = true;
    return rule;
  }

  function showFieldError(message) {
    // The control plane names the field last ("...: 0 is less than the minimum of 1 - 'times'").
    const found = /specified: (.*) - '([\w.]+)'$/.exec(message);
    const slot = found && document.querySelector(`.field-error[data-field="${CSS.escape(found[2])}"]`);
    if (slot) slot.textContent = found[1]; else say('fault-error', message);
  }

  async function faults() {
    const load = async () => {
      const [faults, limits] = await Promise.all([json('/_sim/faults'), json('/_sim/ratelimits')]);
      paged($('#rules'), faults.rules, (r) => {
        const effect = ['respond', 'latencyMs', 'drop', 'truncate', 'trickle'].find((k) => k in r);
        const remove = el('button', { type: 'button', text: 'delete', onclick: async () => { await json(`/_sim/faults/${encodeURIComponent(r.id)}`, { method: 'DELETE' }); await load(); } });
        return row(r.id, JSON.stringify(r.match), `${effect} ${JSON.stringify(r[effect])}`, r.times ?? '', r.probability ?? '', remove);
      });
      paged($('#limits'), limits.rules, (l) => row(l.api, l.per, l.rate, l.burst));
      paged($('#buckets'), limits.buckets || [], (b) => row(b.api, b.per, b.key, b.tokens, b.burst));
    };
    $('#fault-form').onsubmit = async (event) => {
      event.preventDefault();
      for (const slot of document.querySelectorAll('.field-error')) slot.textContent = '';
      say('fault-error', '');
      try { await json('/_sim/faults', { method: 'POST', json: faultBody(event.target.elements) }); await load(); } catch (error) { showFieldError(error.message); }
    };
    $('#limit-form').onsubmit = async (event) => {
      event.preventDefault();
      try { await json('/_sim/ratelimits', { method: 'PUT', json: { rules: JSON.parse(event.target.elements.rules.value || '[]') } }); say('limit-error', ''); await load(); } catch (error) { say('limit-error', error.message); }
    };
    await load();
  }

  // A line opens to the whole entry: the list holds entries without their bodies (GET /_sim/journal?bodies=false),
  // so opening one fetches it (before=seq+1&limit=1); entries that came live through the stream are whole already.
  async function wholeEntry(entry) {
    if ('responseBody' in entry || 'requestHeaders' in entry) return entry;
    const [found] = (await json(`/_sim/journal?before=${entry.seq + 1}&limit=1`)).entries;
    if (found && found.seq === entry.seq) Object.assign(entry, found);
    else entry.responseBody = '(no longer in the journal)';
    return entry;
  }

  function journalLine(entry) {
    const summary = el('summary', { text: `${entry.simulatedTime} ${entry.api} ${entry.method} ${entry.path}${entry.query ? '?' + entry.query : ''} → ${entry.status}${entry.account ? ' [' + entry.account + ']' : ''}${entry.fault ? ' fault ' + entry.fault : ''}` });
    const details = el('details', {}, summary);
    details.addEventListener('toggle', async () => {  // the request and response are built when a line is opened
      if (!details.open || details.dataset.filled) return;
      details.dataset.filled = 'true';
      const whole = await wholeEntry(entry);
      const { requestBody, responseBody, ...rest } = whole;
      details.append(
        el('h4', { text: 'Request' }), el('pre', { class: 'request', text: `${whole.method} ${whole.path}${whole.query ? '?' + whole.query : ''}\n\n${requestBody ?? '(no body)'}` }),
        el('h4', { text: `Response ${whole.status}` }), el('pre', { class: 'response', text: responseBody ?? '(no body)' }),
        el('pre', { class: 'entry', text: JSON.stringify(rest, null, 2) }));
    });
    return el('li', { class: entry.fault ? 'fault' : '', 'data-seq': entry.seq, 'data-api': entry.api }, details);
  }

  const JOURNAL_PAGE = 100;

  async function journal() {
    const form = $('#filters');
    const kept = [];
    let since = 0;
    const accepts = (e) => {
      const f = form.elements;
      const glob = f.path.value ? new RegExp('^' + f.path.value.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$') : null;
      return (!f.api.value || e.api === f.api.value) && (!f.method.value || e.method === f.method.value.toUpperCase())
        && (!glob || glob.test(e.path)) && (!f.status.value || String(e.status) === f.status.value) && (!f.account.value || e.account === f.account.value);
    };
    let shown = JOURNAL_PAGE;  // lines on the screen: a page more with each "older" click
    const redraw = () => $('#lines').replaceChildren(...kept.filter(accepts).slice(-shown).reverse().map(journalLine));
    form.oninput = redraw;
    // the export is every entry the journal still holds that the filters accept, whole
    $('#export').onclick = async () => {
      const all = (await json('/_sim/journal')).entries.filter(accepts);
      saveBlob('journal.jsonl', new Blob(all.map((e) => JSON.stringify(e) + '\n'), { type: 'application/x-ndjson' }));
    };
    const older = $('#older');
    older.onclick = async () => {
      shown += JOURNAL_PAGE;
      if (kept.filter(accepts).length < shown) {
        const page = (await json(`/_sim/journal?before=${kept.length ? kept[0].seq : since + 1}&limit=${JOURNAL_PAGE}&bodies=false`)).entries;
        kept.unshift(...page);
        older.disabled = page.length < JOURNAL_PAGE;
      }
      redraw();
      older.dataset.shown = String(shown);
    };
    // the newest entries first, without their bodies (a line fetches its own when opened), then the stream from there
    const recent = (await json(`/_sim/journal?limit=${JOURNAL_PAGE}&bodies=false`)).entries;
    if (recent.length) { kept.push(...recent); since = recent[recent.length - 1].seq; }
    older.disabled = recent.length < JOURNAL_PAGE;
    redraw();
    document.body.dataset.ready = 'true';
    for (;;) {
      if (form.elements.pause.checked) { await new Promise((resolve) => setTimeout(resolve, 250)); continue; }
      try {
        const text = await (await FM.call(`/_sim/console/journal/stream?since=${since}&wait=0.5`)).text();
        const fresh = text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)));
        if (fresh.length) {
          since = fresh[fresh.length - 1].seq;
          kept.push(...fresh);
          if (kept.length > 5000) kept.splice(0, kept.length - 5000);
          redraw();
        }
      } catch (error) { say('page-error', error.message); await new Promise((resolve) => setTimeout(resolve, 1000)); }
      document.body.dataset.ready = 'true';
    }
  }

  async function scenarios() {
    const list = (await json('/_sim/scenarios')).scenarios;
    $('#scenarios').replaceChildren(...list.map((s) => el('li', {}, el('b', { text: s.name }), ' ', s.description, ' ',
      el('button', { type: 'button', text: 'apply', onclick: async () => { try { await json(`/_sim/scenarios/${encodeURIComponent(s.name)}`, { method: 'POST' }); say('scenario-error', `applied ${s.name}`); } catch (error) { say('scenario-error', error.message); } } }))));
    $('#snapshot').onclick = async () => saveBlob('fleetmock-state.json', await (await FM.call('/_sim/state')).blob());
    $('#restore-form').onsubmit = async (event) => {
      event.preventDefault();
      const file = event.target.elements.file.files[0];
      if (!file) return;
      try { await json('/_sim/state', { method: 'PUT', body: await file.text(), headers: { 'Content-Type': 'application/json' } }); say('restore-result', 'restored'); } catch (error) { say('restore-result', error.message); }
    };
  }

  const PAGES = { overview: wireOverview, fleet: () => table('fleet'), drivers: () => table('drivers'), cards: () => table('cards'), card, vehicle, driver, tachograph, eld, faults, journal, scenarios };
  const page = document.body.dataset.page;
  (PAGES[page] || (() => Promise.resolve()))().then(() => { document.body.dataset.ready = 'true'; }).catch((error) => say('page-error', error.message));
})();
