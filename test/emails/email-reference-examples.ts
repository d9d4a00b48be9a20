/**
 * The Temp Email OTP API's PHP, cURL and Python examples, copied character for character from
 * the reference (sections 13-17). Tests run them as they are, changing only what a reader must:
 * the host (https://otpget.com), the key (YOUR_API_KEY) and the example email_id (7291834).
 */

export interface ReferenceExample {
  php: string;
  curl: string;
  python: string;
}

export const emailExamples = {
  servicesServer1: {
    php: "$url = 'https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=getEmailServices&server=1&domain=gmail.com';\n$data = json_decode(file_get_contents($url), true);\nforeach($data['services'] as $svc) { echo $svc['service_name'] . ' — ' . $svc['price'] . PHP_EOL; }",
    curl: 'curl "https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=getEmailServices&server=1&domain=gmail.com"',
    python:
      'import requests\nr = requests.get("https://otpget.com/stubs/email_handler.php", params={"api_key":"YOUR_API_KEY","action":"getEmailServices","server":"1","domain":"gmail.com"})\nfor svc in r.json()[\'services\']: print(svc[\'service_name\'], svc[\'price\'])',
  },
  domainsServer2: {
    php: "$url = 'https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=getEmailServices&server=2&site=telegram.com';\n$data = json_decode(file_get_contents($url), true);\nforeach($data['domains'] as $d) { echo $d['domain'] . ' — ' . $d['price'] . ' PKR (' . $d['count'] . ' available)' . PHP_EOL; }",
    curl: 'curl "https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=getEmailServices&server=2&site=telegram.com"',
    python:
      'import requests\nr = requests.get("https://otpget.com/stubs/email_handler.php", params={"api_key":"YOUR_API_KEY","action":"getEmailServices","server":"2","site":"telegram.com"})\nfor d in r.json()[\'domains\']: print(d[\'domain\'], d[\'price\'], \'PKR\')',
  },
  buyServer1: {
    php: "$url = 'https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=buyEmail&server=1&service_id=ig&domain=gmail.com';\n$data = json_decode(file_get_contents($url), true);\nif($data['status'] == '200') { echo 'Email: ' . $data['email'] . ' | ID: ' . $data['email_id']; }",
    curl: 'curl "https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=buyEmail&server=1&service_id=ig&domain=gmail.com"',
    python:
      'import requests\nr = requests.get("https://otpget.com/stubs/email_handler.php", params={"api_key":"YOUR_API_KEY","action":"buyEmail","server":"1","service_id":"ig","domain":"gmail.com"})\nd = r.json()\nif d[\'status\'] == \'200\': print(\'Email:\', d[\'email\'], \'ID:\', d[\'email_id\'])',
  },
  buyServer2: {
    php: "$url = 'https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=buyEmail&server=2&domain=gmail.com&site=telegram.com';\n$data = json_decode(file_get_contents($url), true);\nif($data['status'] == '200') { echo 'Email: ' . $data['email'] . ' | ID: ' . $data['email_id']; }",
    curl: 'curl "https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=buyEmail&server=2&domain=gmail.com&site=telegram.com"',
    python:
      'import requests\nr = requests.get("https://otpget.com/stubs/email_handler.php", params={"api_key":"YOUR_API_KEY","action":"buyEmail","server":"2","domain":"gmail.com","site":"telegram.com"})\nd = r.json()\nif d[\'status\'] == \'200\': print(\'Email:\', d[\'email\'], \'ID:\', d[\'email_id\'])',
  },
  getEmailCode: {
    php: "$url = 'https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=getEmailCode&email_id=7291834';\nfor($i=0; $i<24; $i++) {\n  $data = json_decode(file_get_contents($url), true);\n  if($data['status']=='200' && !empty($data['messages'])) { echo 'OTP: ' . $data['messages'][0]['code']; break; }\n  sleep(5);\n}",
    curl: 'curl "https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=getEmailCode&email_id=7291834"',
    python:
      'import requests, time\nparams = {"api_key":"YOUR_API_KEY","action":"getEmailCode","email_id":"7291834"}\nfor _ in range(24):\n  d = requests.get("https://otpget.com/stubs/email_handler.php", params=params).json()\n  if d[\'status\']==\'200\' and d.get(\'messages\'): print(\'OTP:\', d[\'messages\'][0][\'code\']); break\n  time.sleep(5)',
  },
  cancelEmail: {
    php: "$url = 'https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=cancelEmail&email_id=7291834';\n$data = json_decode(file_get_contents($url), true);\necho $data['message'];",
    curl: 'curl "https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=cancelEmail&email_id=7291834"',
    python:
      'import requests\nr = requests.get("https://otpget.com/stubs/email_handler.php", params={"api_key":"YOUR_API_KEY","action":"cancelEmail","email_id":"7291834"})\nprint(r.json()[\'message\'])',
  },
  getEmailHistory: {
    php: "$url = 'https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=getEmailHistory&page=1';\n$data = json_decode(file_get_contents($url), true);\nforeach($data['history'] as $h) { echo $h['email_address'] . ' | ' . $h['status'] . PHP_EOL; }",
    curl: 'curl "https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=getEmailHistory&page=1"',
    python:
      'import requests\nr = requests.get("https://otpget.com/stubs/email_handler.php", params={"api_key":"YOUR_API_KEY","action":"getEmailHistory","page":"1"})\nfor h in r.json()[\'history\']: print(h[\'email_address\'], h[\'status\'])',
  },
} satisfies Record<string, ReferenceExample>;

/**
 * The reader's substitutions: this server, this key, this email_id. The reference is a web page
 * whose code indentation is non-breaking spaces (U+00A0), which PHP and Python refuse; pasted
 * into an editor they are spaces, so they become spaces here too. Nothing else changes.
 */
export function substitute(
  code: string,
  values: { baseUrl: string; apiKey: string; emailId?: string },
): string {
  let result = code
    .replaceAll('\u00a0', ' ')
    .replaceAll('https://otpget.com', values.baseUrl)
    .replaceAll('YOUR_API_KEY', values.apiKey);
  if (values.emailId !== undefined) result = result.replaceAll('7291834', values.emailId);
  return result;
}
