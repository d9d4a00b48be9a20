// otpget portal: small progressive enhancements on server-rendered pages. No framework, no build step.
(() => {
  const KEY_STORE = 'otpget.apiKey';

  // A key shown once is remembered in this browser, so the docs can fill it into examples.
  const fresh = document.querySelector('[data-new-key]');
  if (fresh) {
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
      const target = document.querySelector(button.getAttribute('data-copy'));
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
      if (!window.confirm(button.getAttribute('data-confirm'))) event.preventDefault();
    });
  }
})();

// Buying SMS numbers from the dashboard: JSON calls to /portal/api/sms/*, polled while a code is awaited.
(() => {
  const panel = document.getElementById('buy-sms');
  if (!panel) return;
  const token = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
  const form = document.getElementById('sms-buy');
  const typeSelect = document.getElementById('sms-type');
  const countrySelect = document.getElementById('sms-country');
  const serviceSelect = document.getElementById('sms-service');
  const message = document.getElementById('sms-buy-message');
  const list = document.getElementById('sms-orders');
  const balance = document.getElementById('balance');
  const POLL_MS = 1500;
  const cards = new Map();
  // A network failure must say so on the page, not vanish into the console.
  const report = (error) => {
    message.textContent = `Could not reach otpget: ${error.message}`;
  };

  async function call(method, url, body) {
    const response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body
        ? { 'content-type': 'application/json', 'x-csrf-token': token }
        : { 'x-csrf-token': token },
      body: body ? JSON.stringify(body) : undefined,
    });
    let data = { ok: false, error: `The server answered ${response.status}.` };
    try {
      data = await response.json();
    } catch {
      // Not JSON (a proxy error page): keep the generic message.
    }
    return data;
  }

  function fillSelect(select, items, placeholder) {
    select.replaceChildren(new Option(placeholder, ''), ...items.map((i) => new Option(i.label, i.value)));
    select.disabled = items.length === 0;
  }

  async function loadCountries() {
    fillSelect(countrySelect, [], 'Loading…');
    fillSelect(serviceSelect, [], 'Choose a country first');
    const data = await call('GET', `/portal/api/sms/countries?type=${encodeURIComponent(typeSelect.value)}`);
    if (!data.ok) {
      fillSelect(countrySelect, [], data.error);
      return;
    }
    fillSelect(
      countrySelect,
      data.countries.map((c) => ({ value: c.id, label: c.name })),
      data.countries.length ? 'Choose a country' : 'No countries for this provider',
    );
  }

  async function loadServices() {
    fillSelect(serviceSelect, [], 'Loading…');
    if (!countrySelect.value) return fillSelect(serviceSelect, [], 'Choose a country first');
    const query = `type=${encodeURIComponent(typeSelect.value)}&country=${encodeURIComponent(countrySelect.value)}`;
    const data = await call('GET', `/portal/api/sms/services?${query}`);
    if (!data.ok) return fillSelect(serviceSelect, [], data.error);
    fillSelect(
      serviceSelect,
      data.services.map((s) => ({ value: s.id, label: `${s.name} — ${s.price} PKR` })),
      data.services.length ? 'Choose a service' : 'Nothing on sale here',
    );
  }

  const time = (ms) => `${new Date(ms).toISOString().slice(11, 19)} UTC`;

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
    const phone = order.phone ? `+${order.phone}` : 'number pending…';
    const head = document.createElement('p');
    head.innerHTML =
      '<strong class="phone"></strong> · <span class="state"></span> · <span class="price"></span> PKR';
    head.querySelector('.phone').textContent = phone;
    head.querySelector('.state').textContent = order.state.replace('_', ' ');
    head.querySelector('.price').textContent = order.price;
    const parts = [head];
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
    const buttons = document.createElement('p');
    if (order.state === 'active') {
      const cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.className = 'danger small';
      cancel.textContent = 'Cancel and refund';
      cancel.disabled = !order.canCancel;
      cancel.addEventListener('click', () => act(order.id, 'cancel').catch(report));
      buttons.append(cancel);
      if (!order.canCancel) buttons.append(` You can cancel from ${time(order.cancelAllowedAt)}.`);
    }
    if (order.canComplete) {
      const done = document.createElement('button');
      done.type = 'button';
      done.className = 'small';
      done.textContent = 'Mark as done';
      done.addEventListener('click', () => act(order.id, 'complete').catch(report));
      buttons.append(done);
    }
    parts.push(buttons);
    if (note) {
      const p = document.createElement('p');
      p.className = 'form-message';
      p.setAttribute('role', 'status');
      p.textContent = note;
      parts.push(p);
    }
    card.replaceChildren(...parts);
  }

  async function act(id, verb) {
    const data = await call('POST', `/portal/api/sms/orders/${encodeURIComponent(id)}/${verb}`, {});
    if (data.balance && balance) balance.textContent = data.balance;
    if (data.order) render(data.order, data.message);
    else if (!data.ok) {
      const current = await call('GET', `/portal/api/sms/orders/${encodeURIComponent(id)}`);
      if (current.ok) render(current.order, data.error);
    }
  }

  async function poll(id) {
    const data = await call('GET', `/portal/api/sms/orders/${encodeURIComponent(id)}`);
    if (!data.ok) return;
    const card = cards.get(id);
    const note = card?.querySelector('.form-message')?.textContent;
    render(data.order, note);
    if (data.order.state === 'active' || data.order.state === 'pending')
      setTimeout(() => poll(id).catch(report), POLL_MS);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!serviceSelect.value) {
      message.textContent = 'Choose a country and a service first.';
      return;
    }
    const button = document.getElementById('sms-buy-button');
    button.disabled = true;
    message.textContent = 'Buying…';
    try {
      const data = await call('POST', '/portal/api/sms/orders', {
        type: typeSelect.value,
        country: countrySelect.value,
        service: serviceSelect.value,
      });
      if (!data.ok) {
        message.textContent = data.error;
        return;
      }
      message.textContent = `Bought +${data.order.phone}. The code appears below when it arrives.`;
      if (balance) balance.textContent = data.balance;
      render(data.order);
      setTimeout(() => poll(data.order.id).catch(report), POLL_MS);
    } finally {
      button.disabled = false;
    }
  });

  typeSelect.addEventListener('change', () => loadCountries().catch(report));
  countrySelect.addEventListener('change', () => loadServices().catch(report));
  loadCountries().catch(report);
  for (const id of JSON.parse(panel.getAttribute('data-sms-orders') || '[]').reverse())
    poll(id).catch(report);
})();
