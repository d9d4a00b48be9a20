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
