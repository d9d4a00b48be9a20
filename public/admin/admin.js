// @ts-check
// otpget operator console: fills the server-rendered page shells from the JSON admin API.
// Plain browser script, no build step. Builds DOM nodes (never innerHTML), so names and notes
// typed by customers cannot inject markup. `npm run typecheck` checks it against the API's
// contract (src/admin/contract/routes.ts): a renamed field or route fails the check.

/** @typedef {import('../../src/admin/contract/routes.js').AdminApi} AdminApi */

(() => {
  const page = document.body.dataset.page;
  // Both are in every page shell (src/admin/web/pages.ts).
  const content = /** @type {HTMLElement} */ (document.getElementById('content'));
  const message = /** @type {HTMLElement} */ (document.getElementById('message'));

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes ?? {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  /** The switch search on the Upstreams page, kept while the page re-renders. */
  let switchSearch = '';

  function pkr(paisa) {
    const sign = paisa < 0 ? '-' : '';
    const abs = Math.abs(paisa);
    return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  }
  const time = (ms) => (ms ? new Date(ms).toISOString().slice(0, 19).replace('T', ' ') : '');

  function say(text, kind = 'ok') {
    message.textContent = text;
    message.className = kind;
  }

  /**
   * Calls one route of the console API by its contract name, e.g.
   * `api('GET /accounts/:id', { params: { id } })`; the reply has the route's contract type.
   * @template {keyof AdminApi} R
   * @param {R} route
   * @param {AdminApi[R]['request']} [request]
   * @returns {Promise<AdminApi[R]['reply']>}
   */
  async function api(route, request) {
    const [method, pattern] = route.split(' ');
    /** @type {Record<string, string | number>} */
    const params = request?.params ?? {};
    const path = pattern.replace(/:(\w+)/g, (_, name) => {
      if (params[name] === undefined) throw new Error(`${route} needs ${name}`);
      return encodeURIComponent(String(params[name]));
    });
    const query = new URLSearchParams(
      Object.entries(request?.query ?? {}).filter(([, value]) => value !== undefined && value !== ''),
    ).toString();
    /** @type {RequestInit & { headers: Record<string, string> }} */
    const init = { method, credentials: 'same-origin', headers: {} };
    // Changes always go as JSON: the API refuses cookie-authenticated changes in any other type.
    if (method !== 'GET') {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(request?.body ?? {});
    }
    const response = await fetch(`/admin/api${path}${query ? `?${query}` : ''}`, init);
    if (response.status === 401 && page !== 'login') {
      location.href = '/admin/login';
      throw new Error('login required');
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error ?? `HTTP ${response.status}`);
    return data;
  }

  /**
   * Runs an action from a button or form, shows its outcome, then re-renders the page.
   * @template T
   * @param {(event?: any) => Promise<T>} run
   * @param {(result: T) => string} [done]
   */
  function action(run, done) {
    return async (event) => {
      event?.preventDefault?.();
      try {
        const result = await run(event);
        say(done ? done(result) : 'Saved.');
        await render();
      } catch (error) {
        say(error.message, 'error');
      }
    };
  }

  function table(headers, rows, id) {
    return el(
      'table',
      { id },
      el(
        'thead',
        null,
        el(
          'tr',
          null,
          headers.map((h) => el('th', null, h)),
        ),
      ),
      el(
        'tbody',
        null,
        rows.map((cells) =>
          el(
            'tr',
            null,
            cells.map((c) => el('td', null, c)),
          ),
        ),
      ),
    );
  }

  function field(label, name, attributes = {}) {
    return el('label', null, label, el('input', { name, ...attributes }));
  }

  /**
   * A form's fields as text (the console's forms have no file inputs).
   * @param {HTMLFormElement} form
   * @returns {Record<string, string>}
   */
  const formValues = (form) =>
    Object.fromEntries([...new FormData(form).entries()].map(([name, value]) => [name, String(value)]));

  /**
   * A comma-separated field as its items, blanks dropped.
   * @param {string} text
   */
  const commaList = (text) =>
    text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');

  /**
   * What an import changed, as the console words it.
   * @param {{ added: number; updated: number; unchanged: number; disabled: number }} counts
   */
  const importCounts = (counts) =>
    `${counts.added} added, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.disabled} disabled`;

  const pages = {
    async login() {
      const form = el(
        'form',
        { id: 'login-form' },
        field('Email', 'email', { type: 'email', required: true, autocomplete: 'username' }),
        field('Password', 'password', { type: 'password', required: true, autocomplete: 'current-password' }),
        el('button', { type: 'submit' }, 'Sign in'),
      );
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
          const v = formValues(form);
          await api('POST /login', { body: { email: v.email, password: v.password } });
          location.href = '/admin/';
        } catch (error) {
          say(error.message, 'error');
        }
      });
      return form;
    },

    async overview() {
      const data = await api('GET /overview', { query: { days: '30' } });
      const t = data.totals;
      const cards = el(
        'div',
        { class: 'cards' },
        [
          ['Sales, 30 days', `${pkr(t.sales)} PKR`],
          ['Refunds, 30 days', `${pkr(t.refunds)} PKR`],
          ['Top-ups, 30 days', `${pkr(t.topups)} PKR`],
          ['Upstream cost, 30 days', `${pkr(t.upstreamCost)} PKR`],
          ['Margin, 30 days', `${pkr(t.margin)} PKR`],
          ['Customer balances', `${pkr(t.customerBalances)} PKR`],
          ['Accounts', t.accounts],
          ['Pending top-ups', data.pendingTopups],
        ].map(([label, value]) =>
          el('div', { class: 'card' }, el('span', null, label), el('b', null, value)),
        ),
      );
      const chart = el('div', { id: 'chart' });
      queueMicrotask(() => {
        if (typeof uPlot === 'undefined') return;
        const days = data.days.map((d) => d.day / 1000);
        new uPlot(
          {
            width: Math.min(900, content.clientWidth || 900),
            height: 280,
            series: [
              {},
              { label: 'Sales PKR', stroke: '#1f6feb', width: 2 },
              { label: 'Top-ups PKR', stroke: '#2da44e', width: 2 },
              { label: 'Refunds PKR', stroke: '#cf222e', width: 1 },
              { label: 'Margin PKR', stroke: '#8250df', width: 2 },
            ],
          },
          [
            days,
            data.days.map((d) => d.sales / 100),
            data.days.map((d) => d.topups / 100),
            data.days.map((d) => d.refunds / 100),
            data.days.map((d) => d.margin / 100),
          ],
          chart,
        );
      });
      const warning = data.missingRates.length
        ? el(
            'p',
            { class: 'error' },
            `No exchange rate for ${data.missingRates.join(', ')}: those costs are left out.`,
          )
        : null;
      return el(
        'div',
        null,
        cards,
        warning,
        el('h2', null, 'Per day'),
        chart,
        el('h2', null, 'Orders by state'),
        table(
          ['line', 'state', 'orders'],
          data.ordersByState.map((s) => [s.line, s.state, s.count]),
          'states-table',
        ),
        el('h2', null, 'Code delivery, 30 days'),
        table(
          [
            'line',
            'upstream',
            'service',
            'settled orders',
            'with a code',
            'rate',
            'mean time to code',
            'median',
          ],
          data.delivery.map((d) => [
            d.line,
            d.upstream,
            d.service,
            d.settled,
            d.delivered,
            d.settled ? `${Math.round((d.delivered * 100) / d.settled)} %` : '',
            d.meanSeconds === null ? '' : `${d.meanSeconds} s`,
            d.medianSeconds === null ? '' : `${d.medianSeconds} s`,
          ]),
          'delivery-table',
        ),
      );
    },

    async accounts() {
      const params = new URLSearchParams(location.search);
      const search = params.get('search') ?? '';
      const data = await api('GET /accounts', { query: { search } });
      const searchForm = el(
        'form',
        { method: 'get', class: 'inline' },
        field('Search', 'search', { value: search, placeholder: 'id, name or email' }),
        el('button', { type: 'submit' }, 'Search'),
      );
      const createForm = el(
        'form',
        { id: 'create-account', class: 'inline' },
        field('Name', 'name'),
        field('Email', 'email', { type: 'email' }),
        field('Opening balance PKR', 'balance', { inputmode: 'decimal', placeholder: '0' }),
        el('button', { type: 'submit' }, 'Create account'),
      );
      createForm.addEventListener(
        'submit',
        action(
          () => {
            const v = formValues(createForm);
            return api('POST /accounts', { body: { name: v.name, email: v.email, balance: v.balance } });
          },
          (r) => `Account ${r.account.id} created. API key (shown once): ${r.apiKey}`,
        ),
      );
      const rows = data.accounts.map((a) => [
        el('a', { href: `/admin/accounts/${a.id}` }, a.id),
        a.name ?? '',
        a.email ?? '',
        a.status,
        pkr(a.balance),
      ]);
      return el(
        'div',
        null,
        searchForm,
        table(['id', 'name', 'email', 'status', 'balance PKR'], rows, 'accounts-table'),
        el('h2', null, 'New account'),
        createForm,
      );
    },

    async account() {
      const id = document.body.dataset.id ?? '';
      const [data, orders] = await Promise.all([
        api('GET /accounts/:id', { params: { id } }),
        api('GET /orders', { query: { account: id, limit: '10' } }),
      ]);
      const a = data.account;
      const adjust = el(
        'form',
        { id: 'adjust-form', class: 'inline' },
        field('Amount PKR', 'amount', { required: true, inputmode: 'decimal' }),
        field('Reference', 'reference', { placeholder: 'payment id (optional)' }),
        field('Note', 'note'),
        el('button', { type: 'submit', value: 'credit' }, 'Credit'),
        el('button', { type: 'submit', value: 'debit' }, 'Debit'),
      );
      adjust.addEventListener(
        'submit',
        action(
          (event) => {
            const v = formValues(adjust);
            const route =
              event.submitter?.value === 'debit' ? 'POST /accounts/:id/debit' : 'POST /accounts/:id/credit';
            return api(route, {
              params: { id },
              body: { amount: v.amount, reference: v.reference, note: v.note },
            });
          },
          (r) => `Done. Balance now ${pkr(r.balance)} PKR.`,
        ),
      );
      const blockButton = el(
        'button',
        { id: 'toggle-block', type: 'button' },
        a.status === 'active' ? 'Block' : 'Unblock',
      );
      blockButton.addEventListener(
        'click',
        action(() =>
          api(a.status === 'active' ? 'POST /accounts/:id/block' : 'POST /accounts/:id/unblock', {
            params: { id },
          }),
        ),
      );
      const rotate = el('button', { id: 'rotate-key', type: 'button' }, 'Rotate API key');
      rotate.addEventListener(
        'click',
        action(
          () => api('POST /accounts/:id/rotate-key', { params: { id } }),
          (r) => `New API key (shown once): ${r.apiKey}`,
        ),
      );
      return el(
        'div',
        null,
        el(
          'p',
          { id: 'account-summary' },
          `#${a.id} ${a.name ?? ''} ${a.email ?? ''} · ${a.status} · balance `,
          el('b', { id: 'account-balance' }, pkr(a.balance)),
          ' PKR',
        ),
        el(
          'p',
          null,
          blockButton,
          ' ',
          rotate,
          ' ',
          el('a', { href: `/admin/orders?account=${id}` }, 'Orders'),
        ),
        adjust,
        el('h2', null, 'Ledger ', el('a', { href: `/admin/api/accounts/${id}/ledger?format=csv` }, 'CSV')),
        table(
          ['time', 'kind', 'reference', 'amount', 'balance after', 'note'],
          data.ledger.map((l) => [
            time(l.createdAt),
            l.kind,
            l.reference,
            pkr(l.amount),
            pkr(l.balanceAfter),
            l.note ?? '',
          ]),
          'ledger-table',
        ),
        el('h2', null, 'Latest orders ', el('a', { href: `/admin/orders?account=${id}` }, 'all')),
        table(
          ['order', 'item', 'number / email', 'state', 'PKR', 'created'],
          orders.orders.map((o) => [
            el('a', { href: `/admin/orders/${o.line}/${o.id}` }, `${o.line}/${o.id}`),
            o.item,
            o.address ?? '',
            o.state,
            pkr(o.price),
            time(o.createdAt),
          ]),
          'account-orders-table',
        ),
        el('h2', null, 'Top-up requests'),
        table(
          ['id', 'amount', 'method', 'reference', 'state'],
          data.topups.map((t) => [t.id, pkr(t.amount), t.method, t.paymentReference, t.state]),
        ),
      );
    },

    async orders() {
      const params = new URLSearchParams(location.search);
      const q = params.get('q') ?? '';
      const account = params.get('account') ?? '';
      const data = await api('GET /orders', { query: { q, account } });
      const search = el(
        'form',
        { method: 'get', class: 'inline' },
        field('Order id, phone or email', 'q', { value: q }),
        field('Account', 'account', { value: account, inputmode: 'numeric' }),
        el('button', { type: 'submit' }, 'Find'),
      );
      const rows = data.orders.map((o) => [
        el('a', { href: `/admin/orders/${o.line}/${o.id}` }, `${o.line}/${o.id}`),
        o.publicId,
        el('a', { href: `/admin/accounts/${o.accountId}` }, o.accountId),
        o.item,
        o.address ?? '',
        o.state,
        pkr(o.price),
        o.code ?? '',
        time(o.createdAt),
      ]);
      return el(
        'div',
        null,
        search,
        table(
          ['order', 'public id', 'account', 'item', 'number / email', 'state', 'PKR', 'code', 'created'],
          rows,
          'orders-table',
        ),
      );
    },

    async order() {
      const { line = '', id = '' } = document.body.dataset;
      const data = await api('GET /orders/:line/:id', { params: { line, id } });
      const o = data.order;
      // The operator's refund ignores the customer's cancel lock; end states are refused by the API.
      const refund = el(
        'form',
        { id: 'refund-form', class: 'inline' },
        field('Reason', 'reason', { maxlength: 200 }),
        el('button', { id: 'refund', type: 'submit' }, 'Refund'),
      );
      refund.addEventListener(
        'submit',
        action(
          (event) =>
            api('POST /orders/:line/:id/refund', {
              params: { line, id },
              body: { reason: formValues(event.target).reason },
            }),
          () => 'Refunded.',
        ),
      );
      return el(
        'div',
        null,
        el(
          'p',
          { id: 'order-summary' },
          `${o.line}/${o.id} (${o.publicId}) · account `,
          el('a', { href: `/admin/accounts/${o.accountId}` }, o.accountId),
          ` · ${o.item} · ${o.address ?? ''} · ${pkr(o.price)} PKR · `,
          el('b', null, o.state),
        ),
        refund,
        el('h2', null, 'Timeline'),
        table(
          ['time', 'what', 'detail'],
          data.timeline.map((e) => [time(e.at), e.what, e.detail ?? '']),
          'timeline-table',
        ),
      );
    },

    async topups() {
      const state = new URLSearchParams(location.search).get('state') ?? 'pending';
      const data = await api('GET /topups', { query: { state } });
      const filter = el(
        'p',
        null,
        ['pending', 'approved', 'rejected', 'all'].map((s) =>
          el('a', { href: `?state=${s}`, class: s === state ? 'current' : null }, s, ' '),
        ),
      );
      const rows = data.topups.map((t) => {
        const buttons =
          t.state === 'pending'
            ? [
                el(
                  'button',
                  {
                    type: 'button',
                    'data-approve': t.id,
                    onclick: action(
                      () => api('POST /topups/:id/approve', { params: { id: String(t.id) }, body: {} }),
                      (r) => `Approved; account ${r.request.accountId} balance ${pkr(r.balance)} PKR.`,
                    ),
                  },
                  'Approve',
                ),
                ' ',
                el(
                  'button',
                  {
                    type: 'button',
                    'data-reject': t.id,
                    onclick: action(
                      () => api('POST /topups/:id/reject', { params: { id: String(t.id) }, body: {} }),
                      () => 'Rejected.',
                    ),
                  },
                  'Reject',
                ),
              ]
            : [t.state];
        return [
          t.id,
          el('a', { href: `/admin/accounts/${t.accountId}` }, t.accountId),
          pkr(t.amount),
          t.method,
          t.paymentReference,
          t.note ?? '',
          time(t.createdAt),
          el('span', null, buttons),
        ];
      });
      return el(
        'div',
        null,
        filter,
        table(
          ['id', 'account', 'PKR', 'method', 'payment reference', 'note', 'submitted', ''],
          rows,
          'topups-table',
        ),
      );
    },

    async upstreams() {
      const [data, switches] = await Promise.all([api('GET /upstreams'), api('GET /catalog/switches')]);
      /**
       * @param {'rental/servers' | 'rental/countries' | 'email/servers' | 'email/services'} path
       * @param {number | string} key
       * @param {boolean} enabled
       */
      const switchButton = (path, key, enabled) =>
        el(
          'button',
          {
            type: 'button',
            'data-switch': `${path}/${key}`,
            onclick: action(() =>
              api(`PATCH /catalog/${path}/:key`, {
                params: { key: String(key) },
                body: { enabled: !enabled },
              }),
            ),
          },
          enabled ? 'On: switch off' : 'Off: switch on',
        );
      /**
       * "Import from upstream" for a rental or email server: its countries and tiers, or its
       * domains, from the upstream it runs on (refused, with the reason, on the sandbox).
       * @param {'rental' | 'email'} line
       * @param {number} server
       */
      const importButton = (line, server) =>
        el(
          'button',
          {
            type: 'button',
            'data-import': `${line}/${server}`,
            onclick: action(
              // What changed: a rental server's price tiers, or an email server's offers.
              async () =>
                line === 'rental'
                  ? (
                      await api('POST /catalog/rental/import/:server', {
                        params: { server: String(server) },
                        body: {},
                      })
                    ).import.tiers
                  : (
                      await api('POST /catalog/email/import/:server', {
                        params: { server: String(server) },
                        body: {},
                      })
                    ).import.offers,
              (changed) => `Imported ${line} server ${server}: ${importCounts(changed)}.`,
            ),
          },
          'Import from upstream',
        );
      // The switches, one group per line and server (a rental server with its countries), and a
      // search box that narrows every group to the rows naming what was typed.
      const groups = [
        ...switches.rentalServers.map((r) => ({
          title: `Rental · ${r.name}`,
          rows: [
            [
              `rental server ${r.name}`,
              switchButton('rental/servers', r.id, r.enabled),
              importButton('rental', r.id),
            ],
            ...switches.rentalCountries
              .filter((c) => c.serverId === r.id)
              .map((c) => [
                `country ${c.countryCode} (${c.name})`,
                switchButton('rental/countries', c.id, c.enabled),
              ]),
          ],
        })),
        {
          title: 'Email · servers',
          rows: switches.emailServers.map((e) => [
            `email server ${e.server}`,
            switchButton('email/servers', e.server, e.enabled),
            importButton('email', e.server),
          ]),
        },
        {
          title: 'Email · services',
          rows: switches.emailServices.map((e) => [
            `email service ${e.code} (${e.name})`,
            switchButton('email/services', e.code, e.enabled),
          ]),
        },
      ].filter((g) => g.rows.length > 0);
      const groupBoxes = groups.map((g) => {
        const on = g.rows.filter(([, button]) => button.textContent.startsWith('On')).length;
        return el(
          'details',
          { class: 'switch-group', 'data-group': g.title },
          el('summary', null, `${g.title} — ${on} of ${g.rows.length} on`),
          table(['what', 'state', ''], g.rows),
        );
      });
      const search = el('input', {
        type: 'search',
        id: 'switch-search',
        placeholder: 'Search switches: a server, country or service',
        'aria-label': 'Search switches',
      });
      const narrow = () => {
        switchSearch = search.value;
        const words = search.value.trim().toLowerCase();
        for (const box of groupBoxes) {
          let shown = 0;
          for (const row of box.querySelectorAll('tbody tr')) {
            const match =
              words === '' || `${box.dataset.group} ${row.textContent}`.toLowerCase().includes(words);
            row.hidden = !match;
            if (match) shown++;
          }
          box.hidden = shown === 0;
          box.open = words !== '';
        }
      };
      search.addEventListener('input', narrow);
      // A switch re-renders the page: the search the operator typed stays.
      search.value = switchSearch;
      narrow();
      // The upstream-call log: one upstream's recent calls, shown under the table on demand.
      const callsBox = el('div', { id: 'upstream-calls' });
      const showCalls = async (u) => {
        try {
          const { calls } = await api('GET /upstreams/:id/calls', {
            params: { id: String(u.id) },
            query: { limit: '50' },
          });
          callsBox.replaceChildren(
            el('h2', null, `Recent calls to ${u.name}`),
            table(
              ['started', 'operation', 'order', 'outcome', 'ms', 'error'],
              calls.map((c) => [
                time(c.startedAt),
                c.operation,
                c.orderRef ?? c.upstreamOrderId ?? '',
                c.outcome,
                c.durationMs,
                c.error ?? '',
              ]),
              'calls-table',
            ),
          );
        } catch (error) {
          say(error.message, 'error');
        }
      };
      const rows = data.upstreams.map((u) => [
        u.id,
        u.name,
        u.kind,
        u.protocol,
        u.baseUrl ?? '',
        u.apiKeyHint ?? '',
        u.currency,
        u.timeoutMs,
        `${u.last24h.failed} / ${u.last24h.orders}`,
        el(
          'button',
          {
            type: 'button',
            'data-check': u.name,
            onclick: async () => {
              try {
                const { check } = await api('GET /upstreams/:id/check', { params: { id: String(u.id) } });
                const balance =
                  check.ok && check.balanceMicros !== null
                    ? `, balance ${check.balanceMicros / 1e6} ${check.currency}`
                    : '';
                say(
                  check.ok
                    ? `${u.name}: ${check.probe} answered in ${check.ms} ms${balance}`
                    : `${u.name}: ${check.error}`,
                  check.ok ? 'ok' : 'error',
                );
              } catch (error) {
                say(error.message, 'error');
              }
            },
          },
          'Check',
        ),
        el('button', { type: 'button', 'data-calls': u.name, onclick: () => showCalls(u) }, 'Calls'),
        el(
          'button',
          {
            type: 'button',
            'data-toggle': u.name,
            onclick: action(() =>
              api(u.enabled ? 'POST /upstreams/:id/disable' : 'POST /upstreams/:id/enable', {
                params: { id: String(u.id) },
              }),
            ),
          },
          u.enabled ? 'Enabled: disable' : 'Disabled: enable',
        ),
      ]);
      const add = el(
        'form',
        { id: 'add-upstream', class: 'inline' },
        field('Name', 'name', { required: true }),
        el(
          'label',
          null,
          'Kind',
          el(
            'select',
            { name: 'kind' },
            ['sms', 'rental', 'email'].map((k) => el('option', null, k)),
          ),
        ),
        field('Protocol', 'protocol', { required: true, placeholder: 'sms-activate' }),
        field('Base URL', 'baseUrl', { type: 'url' }),
        field('API key', 'apiKey', { type: 'password', autocomplete: 'off' }),
        field('Currency', 'currency', { value: 'USD', maxlength: 3 }),
        el('button', { type: 'submit' }, 'Add upstream'),
      );
      add.addEventListener(
        'submit',
        action(() => {
          const v = formValues(add);
          const kind = /** @type {'sms' | 'rental' | 'email'} */ (v.kind);
          return api('POST /upstreams', {
            body: {
              name: v.name,
              kind,
              protocol: v.protocol,
              baseUrl: v.baseUrl,
              apiKey: v.apiKey,
              currency: v.currency,
            },
          });
        }),
      );
      return el(
        'div',
        null,
        table(
          [
            'id',
            'name',
            'kind',
            'protocol',
            'base URL',
            'key',
            'currency',
            'timeout ms',
            'failed / orders, 24 h',
            '',
            '',
            'state',
          ],
          rows,
          'upstreams-table',
        ),
        callsBox,
        el('h2', null, 'Add an upstream'),
        add,
        el('h2', null, 'Servers and catalogue switches'),
        el('div', { id: 'switches' }, search, groupBoxes),
      );
    },

    async prices() {
      const type = new URLSearchParams(location.search).get('type') ?? '1';
      const [data, catalog, routes, entries] = await Promise.all([
        api('GET /prices'),
        api('GET /catalog/sms', { query: { type } }),
        api('GET /catalog/sms/routes'),
        api('GET /catalog/sms/routes/:type/entries', { params: { type } }),
      ]);
      const route = routes.routes.find((r) => String(r.type) === type);
      const routeForm = el(
        'form',
        { id: 'route-form', class: 'inline' },
        field('Upstreams, first tried first', 'upstreams', {
          required: true,
          size: 40,
          value: route ? route.upstreams.map((u) => u.name).join(',') : '',
        }),
        el(
          'label',
          null,
          'Policy',
          el(
            'select',
            { name: 'policy' },
            ['priority', 'cheapest', 'best'].map((p) =>
              el('option', { value: p, ...(route?.policy === p ? { selected: '' } : {}) }, p),
            ),
          ),
        ),
        el('button', { type: 'submit' }, 'Set route'),
      );
      routeForm.addEventListener(
        'submit',
        action(() => {
          const v = formValues(routeForm);
          return api('PUT /catalog/sms/routes/:type', {
            params: { type },
            body: {
              upstreams: commaList(v.upstreams),
              policy: /** @type {'priority' | 'cheapest' | 'best'} */ (v.policy),
            },
          });
        }),
      );
      // The catalogue import: from one upstream, or each of the route's; blank lists import all.
      const importForm = el(
        'form',
        { id: 'import-form', class: 'inline' },
        field('Upstream (empty: each of the route)', 'upstream', { size: 16 }),
        field('Upstream countries', 'countries', { size: 12, placeholder: 'all, or 0,16,…' }),
        field('Upstream services', 'services', { size: 12, placeholder: 'all, or tg,wa,…' }),
        el('button', { type: 'submit' }, `Import type ${type} from upstream`),
      );
      importForm.addEventListener(
        'submit',
        action(
          () => {
            const v = formValues(importForm);
            const [countries, services] = [commaList(v.countries), commaList(v.services)];
            return api('POST /catalog/sms/import/:type', {
              params: { type },
              body: {
                ...(v.upstream.trim() === '' ? {} : { upstream: v.upstream.trim() }),
                ...(countries.length > 0 ? { countries } : {}),
                ...(services.length > 0 ? { services } : {}),
              },
            });
          },
          (r) =>
            r.imports.length === 0
              ? `Type ${type} has no upstreams on its route: nothing imported.`
              : r.imports
                  .map(
                    ({ upstream, offers, ms }) =>
                      `Imported from ${upstream}: offers ${importCounts(offers)} (${ms} ms).`,
                  )
                  .join(' '),
        ),
      );
      const routeRows = (route?.upstreams ?? []).map((u, i) => [
        String(i + 1),
        u.name,
        u.enabled ? 'on' : 'off',
        String(u.settled),
        u.settled === 0 ? '—' : `${Math.round((100 * u.delivered) / u.settled)}%`,
        u.medianSecondsToCode === null ? '—' : `${u.medianSecondsToCode} s`,
      ]);
      // Per country and service: each upstream's figures, in the order `best` would try them.
      const entryRows = entries.entries.map((e) => [
        `${e.country} (${e.countryId})`,
        `${e.service} (${e.serviceId})`,
        e.upstreams
          .map(
            (u) =>
              `${u.name}: ${u.delivered}/${u.settled} got a code (${u.successPercent}%)` +
              (u.medianSecondsToCode === null ? '' : `, median ${u.medianSecondsToCode} s`),
          )
          .join(' · '),
      ]);
      const offerRows = catalog.offers.map((o) => {
        const params = { type: String(o.type), country: String(o.countryId), service: String(o.serviceId) };
        const fixed = el('input', {
          name: 'fixedPrice',
          value: o.fixedPricePaisa === null ? '' : pkr(o.fixedPricePaisa),
          size: 7,
        });
        const save = el('form', { class: 'inline' }, fixed, el('button', { type: 'submit' }, 'Set'));
        save.addEventListener(
          'submit',
          action(() =>
            api('PATCH /catalog/sms/:type/:country/:service', {
              params,
              body: {
                upstreamId: o.upstreamId,
                fixedPrice: fixed.value.trim() === '' ? null : fixed.value.trim(),
              },
            }),
          ),
        );
        return [
          `${o.country} (${o.countryId})`,
          `${o.service} (${o.serviceId})`,
          o.upstream,
          `${o.costMicros / 1e6}`,
          o.pricePaisa === null ? '—' : pkr(o.pricePaisa),
          save,
          el(
            'button',
            {
              type: 'button',
              onclick: action(() =>
                api('PATCH /catalog/sms/:type/:country/:service', {
                  params,
                  body: { upstreamId: o.upstreamId, enabled: !o.enabled },
                }),
              ),
            },
            o.enabled ? 'On: switch off' : 'Off: switch on',
          ),
        ];
      });
      const rate = el(
        'form',
        { id: 'rate-form', class: 'inline' },
        field('Currency', 'currency', { required: true, maxlength: 3, placeholder: 'USD' }),
        field('PKR per unit', 'pkr', { required: true, inputmode: 'decimal' }),
        el('button', { type: 'submit' }, 'Set rate'),
      );
      rate.addEventListener(
        'submit',
        action(() => {
          const v = formValues(rate);
          return api('PUT /prices/rates/:currency', {
            params: { currency: v.currency },
            body: { pkr: v.pkr },
          });
        }),
      );
      const markup = el(
        'form',
        { id: 'markup-form', class: 'inline' },
        field('Scope', 'scope', { required: true, placeholder: 'sms, sms:type:1, rental …' }),
        field('Markup %', 'percent', { required: true, inputmode: 'decimal' }),
        el('button', { type: 'submit' }, 'Set markup'),
      );
      markup.addEventListener(
        'submit',
        action(() => {
          const v = formValues(markup);
          return api('PUT /prices/markups/:scope', {
            params: { scope: v.scope },
            body: { percent: v.percent },
          });
        }),
      );
      const preview = el(
        'form',
        { id: 'preview-form', class: 'inline' },
        field('Upstream cost', 'cost', { required: true, inputmode: 'decimal' }),
        field('Currency', 'currency', { value: 'USD', maxlength: 3 }),
        field('Scopes', 'scopes', { placeholder: 'sms:type:1,sms' }),
        el('button', { type: 'submit' }, 'Preview'),
        el('output', { id: 'preview-result' }),
      );
      preview.addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
          const r = await api('GET /prices/preview', { query: formValues(preview) });
          preview.querySelector('output').textContent = `${pkr(r.pricePaisa)} PKR`;
        } catch (error) {
          say(error.message, 'error');
        }
      });
      return el(
        'div',
        null,
        el('h2', null, 'Exchange rates'),
        table(
          ['currency', 'PKR per unit', 'updated'],
          data.rates.map((r) => [r.currency, (r.pkrPerUnitMicros / 1e6).toString(), time(r.updatedAt)]),
          'rates-table',
        ),
        rate,
        el('h2', null, 'Markups'),
        table(
          ['scope', 'markup %', 'updated'],
          data.markups.map((m) => [m.scope, (m.basisPoints / 100).toString(), time(m.updatedAt)]),
          'markups-table',
        ),
        markup,
        el('h2', null, 'Price preview'),
        preview,
        el(
          'h2',
          null,
          `SMS offers, provider type ${type} `,
          [1, 2, 3, 4, 5, 6].map((t) => el('a', { href: `?type=${t}` }, ` ${t}`)),
        ),
        el('h3', null, 'Route: the upstreams a purchase tries, and their last 24 hours on this type'),
        table(
          ['#', 'upstream', 'state', 'settled', 'got a code', 'median to code'],
          routeRows,
          'route-table',
        ),
        routeForm,
        el(
          'h3',
          null,
          'Per country and service, last 24 hours: the upstreams in the order `best` tries them (cost breaks ties)',
        ),
        table(['country', 'service', 'upstreams'], entryRows, 'route-entries-table'),
        importForm,
        table(
          [
            'country',
            'service',
            'upstream',
            'upstream cost',
            'price PKR (— on a fallback offer)',
            'fixed price PKR (empty: from cost)',
            'on sale',
          ],
          offerRows,
          'offers-table',
        ),
      );
    },

    async audit() {
      const data = await api('GET /audit', { query: { limit: '200' } });
      return table(
        ['time', 'who', 'from', 'what', 'target', 'before', 'after'],
        data.entries.map((e) => [
          time(e.createdAt),
          e.actor,
          e.address ?? '',
          e.action,
          e.target,
          el('code', null, e.before === null ? '' : JSON.stringify(e.before)),
          el('code', null, e.after === null ? '' : JSON.stringify(e.after)),
        ]),
        'audit-table',
      );
    },
  };

  async function render() {
    try {
      const node = await pages[page]();
      content.replaceChildren(node);
      document.body.dataset.ready = 'true';
    } catch (error) {
      if (error.message !== 'login required') {
        content.replaceChildren(el('p', { class: 'error' }, error.message));
      }
    }
  }

  document.getElementById('logout')?.addEventListener('click', async () => {
    await api('POST /logout').catch(() => {});
    location.href = '/admin/login';
  });

  void render();
})();
