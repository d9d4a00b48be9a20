// otpget docs: code tabs, the visitor's key in every sample, and "try it" calls to the real API.
(() => {
  const KEY_STORE = 'otpget.apiKey';
  const PLACEHOLDER = 'YOUR_API_KEY';
  const box = document.querySelector('.key-box');
  const input = document.getElementById('docs-key');
  const account = box ? box.getAttribute('data-account') : '';
  const prefix = box ? box.getAttribute('data-key-prefix') : '';

  function storedKey() {
    // Signed out: nothing is filled in (portal.js has already dropped the stored key).
    if (!account) return '';
    try {
      const saved = JSON.parse(localStorage.getItem(KEY_STORE) || 'null');
      if (!saved || typeof saved.key !== 'string') return '';
      // Only the key of this account that is still live (same prefix) is used.
      if (saved.account !== account || !prefix || !saved.key.startsWith(prefix)) return '';
      return saved.key;
    } catch {
      return '';
    }
  }

  const samples = Array.from(document.querySelectorAll('[data-sample]'));
  for (const el of samples) el.setAttribute('data-template', el.textContent);

  function applyKey(key) {
    for (const el of samples) {
      el.textContent = el
        .getAttribute('data-template')
        .split(PLACEHOLDER)
        .join(key || PLACEHOLDER);
    }
  }

  if (input) {
    input.value = storedKey();
    applyKey(input.value.trim());
    input.addEventListener('input', () => {
      const key = input.value.trim();
      applyKey(key);
      try {
        // Remembered for a signed-in visitor only; a signed-out one's key lives on this page alone.
        if (key && account) localStorage.setItem(KEY_STORE, JSON.stringify({ account, key }));
      } catch {
        // Storage disabled: the key still works on this page.
      }
    });
  }

  // Tabs: arrow keys move between PHP / cURL / Python, as the WAI-ARIA tabs pattern describes.
  for (const group of document.querySelectorAll('[data-tabs]')) {
    const tabs = Array.from(group.querySelectorAll('[role="tab"]'));
    const select = (tab, focus) => {
      for (const t of tabs) {
        const selected = t === tab;
        t.setAttribute('aria-selected', String(selected));
        t.tabIndex = selected ? 0 : -1;
        document.getElementById(t.getAttribute('aria-controls')).hidden = !selected;
      }
      if (focus) tab.focus();
    };
    tabs.forEach((tab, i) => {
      tab.addEventListener('click', () => select(tab, false));
      tab.addEventListener('keydown', (event) => {
        const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        if (step) select(tabs[(i + step + tabs.length) % tabs.length], true);
        if (event.key === 'Home') select(tabs[0], true);
        if (event.key === 'End') select(tabs[tabs.length - 1], true);
      });
    });
    if (tabs[0]) select(tabs[0], false);
  }

  // Try it: a real call to this server's API with the key from the box above.
  for (const form of document.querySelectorAll('[data-tryit]')) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const out = form.querySelector('output');
      const key = input ? input.value.trim() : '';
      if (!key) {
        out.textContent = 'Enter your API key at the top of the page first.';
        input?.focus();
        return;
      }
      if (form.hasAttribute('data-spends') && !window.confirm('This call spends from your balance. Send it?'))
        return;
      const params = new URLSearchParams({ api_key: key, action: form.getAttribute('data-action') });
      for (const field of form.querySelectorAll('input[name]')) {
        if (field.value.trim() !== '') params.set(field.name, field.value.trim());
      }
      out.textContent = 'Sending…';
      try {
        const response = await fetch(`${form.getAttribute('data-path')}?${params}`, { credentials: 'omit' });
        const text = await response.text();
        let shown = text;
        try {
          shown = JSON.stringify(JSON.parse(text), null, 2);
        } catch {
          // Plain-text reply: show it as it came.
        }
        out.textContent = `HTTP ${response.status}\n${shown}`;
      } catch (error) {
        out.textContent = `The request failed: ${error.message}`;
      }
    });
  }
})();
