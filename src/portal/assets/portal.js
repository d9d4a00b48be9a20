// @ts-check
// otpget portal: small progressive enhancements on server-rendered pages. No framework, no build step.
// `npm run typecheck` checks the dashboard's JSON calls against their contract
// (src/portal/portal-contract.ts): a renamed field or route fails the check.

/** @typedef {import('../portal-contract.js').PortalApi} PortalApi */

/**
 * Asks before money is spent: a modal <dialog> naming what is bought and its price. The native
 * dialog moves focus into itself, keeps Tab inside and closes on Escape; Cancel has the focus,
 * so a stray Enter or click-through buys nothing. Resolves true only for the buy button.
 */
const confirmPurchase = (() => {
  let dialog = null;
  return (question, action) => {
    if (!dialog) {
      dialog = document.createElement('dialog');
      dialog.className = 'confirm';
      dialog.setAttribute('aria-labelledby', 'confirm-h');
      dialog.setAttribute('aria-describedby', 'confirm-text');
      dialog.innerHTML = `<h2 id="confirm-h">Confirm your purchase</h2><p id="confirm-text"></p>
<form method="dialog"><button value="cancel" class="secondary" autofocus>Cancel</button> <button value="buy" id="confirm-buy"></button></form>`;
      document.body.append(dialog);
    }
    dialog.querySelector('#confirm-text').textContent = question;
    dialog.querySelector('#confirm-buy').textContent = action;
    dialog.returnValue = '';
    dialog.showModal();
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'buy'), { once: true });
    });
  };
})();

/** The selected option's words and the price in them ("… — 45.00 PKR"), for the confirm dialog. */
function offerOf(select) {
  const label = select?.selectedOptions[0]?.textContent.trim() ?? '';
  const price = /([\d,]+\.\d{2}) PKR/.exec(label)?.[1] ?? null;
  return { label, price };
}

(() => {
  const KEY_STORE = 'otpget.apiKey';
  // Signed in when the page offers "Log out". A signed-out browser keeps no key: it may be shared.
  const logout = document.querySelector('form[action="/logout"]');
  try {
    if (!logout) localStorage.removeItem(KEY_STORE);
    logout?.addEventListener('submit', () => localStorage.removeItem(KEY_STORE));
  } catch {
    // Storage disabled: nothing is kept either.
  }

  // A key shown once is remembered in this browser, so the docs can fill it into examples.
  const fresh = document.querySelector('[data-new-key]');
  if (fresh && logout) {
    try {
      localStorage.setItem(
        KEY_STORE,
        JSON.stringify({
          account: fresh.getAttribute('data-account'),
          key: fresh.getAttribute('data-new-key'),
        }),
      );
    } catch {
      // Storage disabled: the key is still on the page to copy.
    }
  }

  for (const button of document.querySelectorAll('[data-copy]')) {
    button.addEventListener('click', () => {
      const target = document.querySelector(button.getAttribute('data-copy') ?? '');
      if (!target || !navigator.clipboard) return;
      navigator.clipboard.writeText(target.textContent.trim()).then(
        () => {
          button.textContent = 'Copied';
        },
        () => {},
      );
    });
  }

  for (const button of document.querySelectorAll('[data-confirm]')) {
    button.addEventListener('click', (event) => {
      if (!window.confirm(button.getAttribute('data-confirm') ?? '')) event.preventDefault();
    });
  }

  // Server-rendered purchase forms (rent, renew, buy an email): sent only after the dialog says yes.
  for (const form of document.querySelectorAll('form[data-purchase]')) {
    if (!(form instanceof HTMLFormElement)) continue;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const { label, price } = offerOf(form.querySelector('select'));
      const verb = form.getAttribute('data-purchase');
      const question = `${form.getAttribute('data-purchase-what')}: ${label}. ${price ? `${price} PKR is taken from your balance.` : 'The price is taken from your balance.'}`;
      if (await confirmPurchase(question, price ? `${verb} for ${price} PKR` : verb)) form.submit();
    });
  }
})();

// Buying from the dashboard: JSON calls to /portal/api/<line>/*, order cards polled while a code is awaited.
(() => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const balance = document.getElementById('balance');
  if (!meta || !balance) return;
  const balanceShown = balance;
  const token = meta.getAttribute('content') ?? '';
  const POLL_MS = 1500;
  const time = (ms) => `${new Date(ms).toISOString().slice(11, 19)} UTC`;

  /**
   * Calls one route of the dashboard's JSON API by its contract name, e.g.
   * `api('GET /portal/api/sms/orders/:id', { params: { id } })`: the reply is the route's success
   * type, or a refusal `{ ok: false, error }` (also for an answer that is not JSON).
   * @template {keyof PortalApi} R
   * @param {R} route
   * @param {PortalApi[R]['request']} [request]
   * @returns {Promise<PortalApi[R]['reply'] | { ok: false, error: string }>}
   */
  async function api(route, request) {
    const [method, pattern] = route.split(' ');
    /** @type {Record<string, string>} */
    const params = request && 'params' in request ? (request.params ?? {}) : {};
    const path = pattern.replace(/:(\w+)/g, (_, name) => encodeURIComponent(params[name] ?? ''));
    /** @type {Record<string, string | undefined>} */
    const query = request && 'query' in request ? (request.query ?? {}) : {};
    const search = new URLSearchParams(
      /** @type {[string, string][]} */ (Object.entries(query).filter(([, value]) => value !== undefined)),
    ).toString();
    const body =
      method === 'GET' ? undefined : JSON.stringify((request && 'body' in request && request.body) || {});
    const response = await fetch(`${path}${search ? `?${search}` : ''}`, {
      method,
      credentials: 'same-origin',
      headers: body
        ? { 'content-type': 'application/json', 'x-csrf-token': token }
        : { 'x-csrf-token': token },
      body,
    });
    try {
      return await response.json();
    } catch {
      // Not JSON (a proxy error page): a generic refusal.
      return { ok: false, error: `The server answered ${response.status}.` };
    }
  }

  /** Re-reads the statement from the dashboard page, so a purchase or refund shows at once. */
  async function refreshStatement() {
    const current = document.getElementById('statement-h')?.closest('section');
    if (!current) return;
    const response = await fetch('/dashboard', { credentials: 'same-origin' });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    const fresh = page.getElementById('statement-h')?.closest('section');
    if (fresh) current.replaceChildren(...Array.from(fresh.childNodes, (n) => document.importNode(n, true)));
  }

  /** Each line's routes of the contract. */
  const ROUTES = /** @type {const} */ ({
    sms: {
      buy: 'POST /portal/api/sms/orders',
      read: 'GET /portal/api/sms/orders/:id',
      verb: 'POST /portal/api/sms/orders/:id/:verb',
    },
    cheap: {
      buy: 'POST /portal/api/cheap/orders',
      read: 'GET /portal/api/cheap/orders/:id',
      verb: 'POST /portal/api/cheap/orders/:id/:verb',
    },
  });
  /** @typedef {PortalApi['GET /portal/api/sms/orders/:id']['reply']['order']} Order */

  /** The routes of a panel's line (`data-line="sms"`). @param {Element} panel */
  const routesOf = (panel) => ROUTES[panel.getAttribute('data-line') === 'cheap' ? 'cheap' : 'sms'];

  /**
   * The live list of one line's orders inside its dashboard panel.
   * @param {Element} panel
   * @param {(error: Error) => void} report
   */
  function orderList(panel, report) {
    const routes = routesOf(panel);
    const list = /** @type {Element} */ (panel.querySelector('[data-order-list]'));
    /** @type {Map<string, HTMLElement>} */
    const cards = new Map();

    /** @param {Order} order */
    function line1(order) {
      const head = document.createElement('p');
      const phone = document.createElement('strong');
      phone.className = 'phone';
      phone.textContent = order.phone ? `+${order.phone}` : 'number pending…';
      head.append(phone, ` · ${order.state.replace('_', ' ')} · ${order.price} PKR`);
      return head;
    }

    function button(label, className, onClick) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = className;
      b.textContent = label;
      b.addEventListener('click', () => onClick().catch(report));
      return b;
    }

    /**
     * @param {Order} order
     * @param {string | null} [note]
     */
    function render(order, note) {
      let card = cards.get(order.id);
      if (!card) {
        card = document.createElement('article');
        card.className = 'order';
        card.setAttribute('data-order', order.id);
        list.querySelector('[data-empty]')?.remove();
        list.prepend(card);
        cards.set(order.id, card);
      }
      card.setAttribute('data-state', order.state);
      const parts = [line1(order)];
      if (order.code) {
        const code = document.createElement('p');
        code.className = 'code';
        code.setAttribute('data-code', order.code);
        code.textContent = order.code;
        parts.push(code);
        if (order.text) {
          const text = document.createElement('p');
          text.className = 'hint';
          text.textContent = order.text;
          parts.push(text);
        }
      } else if (order.waiting) {
        const wait = document.createElement('p');
        wait.className = 'hint';
        wait.textContent = `Waiting for the code… (expires ${time(order.expiresAt)})`;
        parts.push(wait);
      }
      const actions = document.createElement('p');
      if (order.state === 'active') {
        const cancel = button('Cancel and refund', 'danger small', () => act(order.id, 'cancel'));
        cancel.disabled = !order.canCancel;
        actions.append(cancel);
        if (!order.canCancel) actions.append(` You can cancel from ${time(order.cancelAllowedAt)}.`);
      }
      if (order.canComplete) actions.append(button('Mark as done', 'small', () => act(order.id, 'complete')));
      parts.push(actions);
      if (note) {
        const p = document.createElement('p');
        p.className = 'form-message';
        p.setAttribute('role', 'status');
        p.textContent = note;
        parts.push(p);
      }
      card.replaceChildren(...parts);
    }

    /**
     * @param {string} id
     * @param {'cancel' | 'complete'} verb
     */
    async function act(id, verb) {
      const data = await api(routes.verb, { params: { id, verb }, body: {} });
      if (data.ok) {
        balanceShown.textContent = data.balance;
        await refreshStatement();
        if (data.order) return render(data.order, data.message);
      }
      const current = await api(routes.read, { params: { id } });
      if (current.ok) render(current.order, data.ok ? data.message : data.error);
    }

    /** @param {string} id */
    async function poll(id) {
      const data = await api(routes.read, { params: { id } });
      if (!data.ok) return;
      render(data.order, cards.get(id)?.querySelector('.form-message')?.textContent);
      if (data.order.state === 'active' || data.order.state === 'pending') {
        setTimeout(() => poll(id).catch(report), POLL_MS);
      }
    }

    for (const id of JSON.parse(panel.getAttribute('data-orders') || '[]').reverse()) poll(id).catch(report);
    return {
      /** @param {Order} order */
      add(order) {
        render(order);
        setTimeout(() => poll(order.id).catch(report), POLL_MS);
      },
    };
  }

  /**
   * Wires a panel's buy form: `order()` gives the purchase to send, or a message to show instead;
   * `offer` is the select whose chosen option (with its price) the confirm dialog names.
   * @param {Element} panel
   * @param {HTMLFormElement | null} form
   * @param {Element} message
   * @param {HTMLSelectElement | null | undefined} offer
   * @param {() => (() => ReturnType<typeof api<typeof ROUTES.sms.buy | typeof ROUTES.cheap.buy>>) | string} order
   */
  function buyForm(panel, form, message, offer, order) {
    const report = (error) => {
      message.textContent = `Could not reach otpget: ${error.message}`;
    };
    const orders = orderList(panel, report);
    form?.addEventListener('submit', async (event) => {
      event.preventDefault();
      const buy = order();
      if (typeof buy === 'string') {
        message.textContent = buy;
        return;
      }
      const { label, price } = offerOf(offer);
      const yes = await confirmPurchase(
        `Buy a number: ${label}. ${price ? `${price} PKR is` : 'The price is'} taken from your balance.`,
        price ? `Buy for ${price} PKR` : 'Buy',
      );
      if (!yes) {
        message.textContent = 'Not bought.';
        return;
      }
      const submit = /** @type {HTMLButtonElement} */ (form?.querySelector('button[type="submit"]'));
      submit.disabled = true;
      message.textContent = 'Buying…';
      buy()
        .then((data) => {
          if (!data.ok) {
            message.textContent = data.error;
            return;
          }
          balanceShown.textContent = data.balance;
          if (!data.order) return refreshStatement();
          message.textContent = `Bought +${data.order.phone}. The code appears below when it arrives.`;
          orders.add(data.order);
          return refreshStatement();
        })
        .catch(report)
        .finally(() => {
          submit.disabled = false;
        });
    });
    return report;
  }

  const sms = document.getElementById('buy-sms');
  if (sms) {
    // The panel's selects (src/portal/sms-orders.routes.ts renders them with the panel).
    const typeSelect = /** @type {HTMLSelectElement} */ (document.getElementById('sms-type'));
    const countrySelect = /** @type {HTMLSelectElement} */ (document.getElementById('sms-country'));
    const serviceSelect = /** @type {HTMLSelectElement} */ (document.getElementById('sms-service'));
    /**
     * @param {HTMLSelectElement} select
     * @param {{ value: string | number, label: string }[]} items
     * @param {string} placeholder
     */
    const fill = (select, items, placeholder) => {
      select.replaceChildren(
        new Option(placeholder, ''),
        ...items.map((i) => new Option(i.label, String(i.value))),
      );
      select.disabled = items.length === 0;
    };
    const loadCountries = async () => {
      fill(countrySelect, [], 'Loading…');
      fill(serviceSelect, [], 'Choose a country first');
      const data = await api('GET /portal/api/sms/countries', { query: { type: typeSelect.value } });
      if (!data.ok) return fill(countrySelect, [], data.error);
      const items = data.countries.map((c) => ({ value: c.id, label: c.name }));
      fill(countrySelect, items, items.length ? 'Choose a country' : 'No countries for this provider');
    };
    const loadServices = async () => {
      if (!countrySelect.value) return fill(serviceSelect, [], 'Choose a country first');
      fill(serviceSelect, [], 'Loading…');
      const data = await api('GET /portal/api/sms/services', {
        query: { type: typeSelect.value, country: countrySelect.value },
      });
      if (!data.ok) return fill(serviceSelect, [], data.error);
      const items = data.services.map((s) => ({ value: s.id, label: `${s.name} — ${s.price} PKR` }));
      fill(serviceSelect, items, items.length ? 'Choose a service' : 'Nothing on sale here');
    };
    const report = buyForm(
      sms,
      /** @type {HTMLFormElement} */ (document.getElementById('sms-buy')),
      /** @type {HTMLElement} */ (document.getElementById('sms-buy-message')),
      serviceSelect,
      () =>
        serviceSelect.value
          ? () =>
              api('POST /portal/api/sms/orders', {
                body: { type: typeSelect.value, country: countrySelect.value, service: serviceSelect.value },
              })
          : 'Choose a country and a service first.',
    );
    typeSelect.addEventListener('change', () => loadCountries().catch(report));
    countrySelect.addEventListener('change', () => loadServices().catch(report));
    loadCountries().catch(report);
  }

  const cheap = document.getElementById('buy-cheap');
  if (cheap) {
    const form = cheap.querySelector('form[data-buy]');
    const message = cheap.querySelector('[data-buy-message]') ?? document.createElement('p');
    const select = form?.querySelector('select');
    buyForm(
      cheap,
      form instanceof HTMLFormElement ? form : null,
      message,
      select,
      () => () => api('POST /portal/api/cheap/orders', { body: { server: select?.value ?? '' } }),
    );
  }
})();
