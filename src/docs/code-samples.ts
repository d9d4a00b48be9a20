import type { ActionDoc, ApiDoc } from './api-catalog.js';

/** Stands for the visitor's key in every sample; the docs script swaps in the real one when it knows it. */
export const KEY_PLACEHOLDER = 'YOUR_API_KEY';

export interface CodeSamples {
  url: string;
  php: string;
  curl: string;
  python: string;
}

/** The example's parameters in the reference's order: key, action, then the action's own. */
export function exampleParams(action: ActionDoc): [string, string][] {
  const own = action.params.filter((p) => p.example !== '').map((p): [string, string] => [p.name, p.example]);
  return [['api_key', KEY_PLACEHOLDER], ['action', action.name], ...own];
}

function query(params: [string, string][]): string {
  return params.map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/g, ',')}`).join('&');
}

function pyDict(params: [string, string][]): string {
  return `{${params.map(([k, v]) => `"${k}": ${JSON.stringify(v)}`).join(', ')}}`;
}

/**
 * PHP, cURL and Python for one action, in the reference's style: file_get_contents and requests,
 * JSON decoded on the JSON replies, printed as text on the plain-text ones.
 */
export function codeSamples(baseUrl: string, api: ApiDoc, action: ActionDoc): CodeSamples {
  const params = exampleParams(action);
  const endpoint = `${baseUrl}${api.path}`;
  const url = `${endpoint}?${query(params)}`;
  const isJson = api.format === 'json' || (api.jsonActions ?? []).includes(action.name);
  const php = isJson
    ? `$url = '${url}';\n$data = json_decode(file_get_contents($url), true);\nprint_r($data);`
    : `$url = '${url}';\necho file_get_contents($url);`;
  const python = [
    'import requests',
    `url = "${endpoint}"`,
    `params = ${pyDict(params)}`,
    isJson
      ? 'print(requests.get(url, params=params).json())'
      : 'print(requests.get(url, params=params).text)',
  ].join('\n');
  return { url, php, curl: `curl "${url}"`, python };
}
