/**
 * The SMS OTP API's PHP, cURL and Python examples, copied character for character from the
 * developer reference (../shared/spec/api-reference.txt, "SMS OTP API — Endpoints"). Tests run
 * them unchanged except for what the reader is told to replace: the host, YOUR_API_KEY and the
 * example order id abc123xyz.
 */
export const smsExamples = {
  getBalance: {
    php: `$url = 'https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=getBalance';
echo file_get_contents($url);`,
    curl: `curl "https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=getBalance"`,
    python: `import requests
url = "https://otpget.com/stubs/handler_api.php"
params = {"api_key": "YOUR_API_KEY", "action": "getBalance"}
print(requests.get(url, params=params).text)`,
  },
  getCountries: {
    php: `$url = 'https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=getCountries&type=1';
echo file_get_contents($url);`,
    curl: `curl "https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=getCountries&type=1"`,
    python: `import requests
url = "https://otpget.com/stubs/handler_api.php"
params = {"api_key": "YOUR_API_KEY", "action": "getCountries", "type": "1"}
print(requests.get(url, params=params).text)`,
  },
  getServices: {
    php: `$url = 'https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=getServices&country=61&type=1';
echo file_get_contents($url);`,
    curl: `curl "https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=getServices&country=61&type=1"`,
    python: `import requests
url = "https://otpget.com/stubs/handler_api.php"
params = {"api_key": "YOUR_API_KEY", "action": "getServices", "country": "61", "type": "1"}
print(requests.get(url, params=params).text)`,
  },
  getNumber: {
    php: `$url = 'https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=getNumber&service=101&country=61&type=1';
echo file_get_contents($url);`,
    curl: `curl "https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=getNumber&service=101&country=61&type=1"`,
    python: `import requests
url = "https://otpget.com/stubs/handler_api.php"
params = {"api_key": "YOUR_API_KEY", "action": "getNumber", "service": "101", "country": "61", "type": "1"}
print(requests.get(url, params=params).text)`,
  },
  getStatus: {
    php: `$url = 'https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=getStatus&id=abc123xyz';
echo file_get_contents($url);`,
    curl: `curl "https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=getStatus&id=abc123xyz"`,
    python: `import requests
url = "https://otpget.com/stubs/handler_api.php"
params = {"api_key": "YOUR_API_KEY", "action": "getStatus", "id": "abc123xyz"}
print(requests.get(url, params=params).text)`,
  },
  setStatus: {
    php: `$url = 'https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=setStatus&id=abc123xyz&status=8';
echo file_get_contents($url);`,
    curl: `curl "https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=setStatus&id=abc123xyz&status=8"`,
    python: `import requests
url = "https://otpget.com/stubs/handler_api.php"
params = {"api_key": "YOUR_API_KEY", "action": "setStatus", "id": "abc123xyz", "status": "8"}
print(requests.get(url, params=params).text)`,
  },
} as const;

/** Replaces the reference's placeholders: host, key and (when given) the example order id. */
export function substituteSms(
  code: string,
  values: { baseUrl: string; apiKey: string; orderId?: string },
): string {
  let out = code.replaceAll('https://otpget.com', values.baseUrl).replaceAll('YOUR_API_KEY', values.apiKey);
  if (values.orderId !== undefined) out = out.replaceAll('abc123xyz', values.orderId);
  return out;
}
