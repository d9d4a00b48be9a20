/**
 * The Cheap Numbers API's PHP, cURL and Python examples, copied character for character from the
 * developer reference (../shared/spec/api-reference.txt, "Cheap Numbers API"). Tests run them
 * unchanged except for what the reference asks the reader to replace: the host, YOUR_API_KEY and
 * the example order id. The reference's text indents with no-break spaces (a web-page rendering
 * artefact no interpreter accepts); here they are plain spaces, every other character is the same.
 */
export const cheapExamples = {
  getBalance: {
    php: `$url = 'https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=getBalance';
echo file_get_contents($url);`,
    curl: `curl "https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=getBalance"`,
    python: `import requests
r = requests.get("https://otpget.com/stubs/cheap_handler.php", params={"api_key":"YOUR_API_KEY","action":"getBalance"})
print(r.text)`,
  },
  getServers: {
    php: `$url = 'https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=getServers&type=1';
$data = json_decode(file_get_contents($url), true);
foreach($data['1'] as $server) {
  echo $server['id'] . ' — ' . $server['name'] . PHP_EOL;
}`,
    curl: `curl "https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=getServers&type=1"`,
    python: `import requests
r = requests.get("https://otpget.com/stubs/cheap_handler.php", params={"api_key":"YOUR_API_KEY","action":"getServers","type":"1"})
for s in r.json().get("1", []): print(s['id'], '—', s['name'])`,
  },
  getServices: {
    php: `$url = 'https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=getServices&server=1&type=1';
$data = json_decode(file_get_contents($url), true);
foreach($data as $id => $label) { echo $id . ': ' . $label . PHP_EOL; }`,
    curl: `curl "https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=getServices&server=1&type=1"`,
    python: `import requests
r = requests.get("https://otpget.com/stubs/cheap_handler.php", params={"api_key":"YOUR_API_KEY","action":"getServices","server":"1","type":"1"})
for id, label in r.json().items(): print(id, ':', label)`,
  },
  buyNumber: {
    php: `$url = 'https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=buyNumber&server=1&type=1';
$res = file_get_contents($url);
// Success format: "ORDER_ID,PHONE_NUMBER,900"
if(strpos($res, ',') !== false) {
  [$order_id, $number, $expires] = explode(',', trim($res));
  echo 'Number: +' . $number . PHP_EOL;
  echo 'Order ID: ' . $order_id . PHP_EOL;
  echo 'Valid for: ' . ($expires/60) . ' minutes' . PHP_EOL;
} else {
  echo 'Error: ' . $res;
}`,
    curl: `curl "https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=buyNumber&server=1&type=1"`,
    python: `import requests
r = requests.get("https://otpget.com/stubs/cheap_handler.php", params={"api_key":"YOUR_API_KEY","action":"buyNumber","server":"1","type":"1"})
res = r.text.strip()
if ',' in res:
  order_id, number, expires = res.split(',')
  print('Number: +' + number)
  print('Order ID:', order_id)
else:
  print('Error:', res)`,
  },
  getStatus: {
    php: `$order_id = 'ORD_6830abc123_741';
$url = "https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=getStatus&id=$order_id";
// Poll every 5 seconds
for($i = 0; $i < 30; $i++) {
  $res = file_get_contents($url);
  if(strpos($res, 'STATUS_OK:') === 0) {
    $otp = explode(':', $res)[1];
    echo 'OTP: ' . $otp; break;
  } elseif($res === 'STATUS_CANCEL') {
    echo 'Expired or cancelled'; break;
  }
  sleep(5);
}`,
    curl: `curl "https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=getStatus&id=ORD_6830abc123_741"`,
    python: `import requests, time
params = {"api_key":"YOUR_API_KEY","action":"getStatus","id":"ORD_6830abc123_741"}
for _ in range(30):
  res = requests.get("https://otpget.com/stubs/cheap_handler.php", params=params).text.strip()
  if res.startswith('STATUS_OK:'): print('OTP:', res.split(':')[1]); break
  elif res == 'STATUS_CANCEL': print('Expired'); break
  time.sleep(5)`,
  },
  setStatus: {
    php: `// Cancel and refund (status=8)
$url = 'https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=setStatus&id=ORD_6830abc123_741&status=8';
$res = file_get_contents($url);
// ACCESS_READY = cancelled + refunded
// ACCESS_FINISH = completed successfully
// EARLY_CANCEL_DENIED = less than 2 min since purchase
echo $res;`,
    /** The reference's cURL block is two commands, a cancel and a complete, each runnable alone. */
    curlCancel: `# Cancel
curl "https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=setStatus&id=ORD_6830abc123_741&status=8"`,
    curlComplete: `# Complete
curl "https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=setStatus&id=ORD_6830abc123_741&status=6"`,
    python: `import requests
params = {"api_key":"YOUR_API_KEY","action":"setStatus","id":"ORD_6830abc123_741","status":"8"}
r = requests.get("https://otpget.com/stubs/cheap_handler.php", params=params)
print(r.text) # ACCESS_READY = cancelled & refunded`,
  },
} as const;

/** Replaces what the reference asks the reader to replace, and nothing else. */
export function substitute(
  code: string,
  values: { baseUrl: string; apiKey: string; orderId?: string },
): string {
  let out = code.replaceAll('https://otpget.com', values.baseUrl).replaceAll('YOUR_API_KEY', values.apiKey);
  if (values.orderId) out = out.replaceAll('ORD_6830abc123_741', values.orderId);
  return out;
}
