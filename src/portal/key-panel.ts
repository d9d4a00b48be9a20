import { type Html, html } from './html.js';

/**
 * A freshly issued API key, shown this once (only its hash is stored). The page script keeps it
 * in this browser's localStorage so the docs can fill it into examples and "try it" calls.
 */
export function newKeyPanel(apiKey: string, accountId: number): Html {
  return html`<div class="alert success new-key" data-new-key="${apiKey}" data-account="${accountId}">
<h2>Your API key</h2>
<p>Copy it now: it is shown only once. This browser remembers it for the docs' examples.</p>
<p><code class="key" id="api-key">${apiKey}</code>
<button type="button" class="small" data-copy="#api-key">Copy</button></p>
</div>`;
}
