/**
 * The Rental API examples of the OTPGet developer reference (api-reference.txt), copied verbatim:
 * PHP, cURL and Python code and the documented reply of each action. Generated from the reference;
 * do not edit by hand. Tests run them against a real server, changing only the host, the API key and
 * the example ids (order_id 2673093356180000583, rental_id 5) to ones that exist there.
 */
export interface ReferenceExample {
  action: string;
  php: string;
  curl: string;
  python: string;
  /** The reply as the reference prints it. */
  reply: string;
}

export const RENTAL_EXAMPLES: ReferenceExample[] = [
  {
    action: 'getRentalCountries',
    php: "$url = 'https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=getRentalCountries&provider=2';\n$data = json_decode(file_get_contents($url), true);\nforeach($data['countries'] as $c) { echo $c['name'] . ' (' . $c['country_code'] . ')' . PHP_EOL; }",
    curl: 'curl "https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=getRentalCountries&provider=2"',
    python:
      'import requests\nr = requests.get("https://otpget.com/stubs/rental-handler.php", params={"api_key":"YOUR_API_KEY","action":"getRentalCountries","provider":"2"})\nfor c in r.json()[\'countries\']: print(c[\'name\'], c[\'country_code\'])',
    reply:
      '{"status":"200","countries":[\n  {"id":"1","provider":"2","name":"Canada","country_code":"ca"},\n  {"id":"6","provider":"2","name":"United States of America","country_code":"us"}\n]}',
  },
  {
    action: 'getRentalPricing',
    php: "$url = 'https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=getRentalPricing&country_code=ca&provider=2';\n$data = json_decode(file_get_contents($url), true);\nforeach($data['pricing'] as $p) { echo $p['duration_hours'] . 'h — ' . $p['price'] . ' PKR' . PHP_EOL; }",
    curl: 'curl "https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=getRentalPricing&country_code=ca&provider=2"',
    python:
      'import requests\nr = requests.get("https://otpget.com/stubs/rental-handler.php", params={"api_key":"YOUR_API_KEY","action":"getRentalPricing","country_code":"ca","provider":"2"})\nfor p in r.json()[\'pricing\']: print(p[\'duration_hours\']+\'h —\', p[\'price\'], \'PKR\')',
    reply:
      '{"status":"200","pricing":[\n  {"id":"1","duration_hours":"720","price":"840.00","country_name":"Canada"},\n  {"id":"2","duration_hours":"4320","price":"5040.00","country_name":"Canada"}\n]}',
  },
  {
    action: 'getAvailableRentals',
    php: "$url = 'https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=getAvailableRentals&country_code=ca&provider=2';\n$data = json_decode(file_get_contents($url), true);\nforeach($data['available'] as $a) { echo $a['area_title'] . ': ' . $a['available'] . ' numbers' . PHP_EOL; }",
    curl: 'curl "https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=getAvailableRentals&country_code=ca&provider=2"',
    python:
      'import requests\nr = requests.get("https://otpget.com/stubs/rental-handler.php", params={"api_key":"YOUR_API_KEY","action":"getAvailableRentals","country_code":"ca","provider":"2"})\nfor a in r.json()[\'available\']: print(a[\'area_title\'], a[\'available\'], \'available\')',
    reply:
      '{"status":"200","available":[\n  {"area_code":"ca","area_title":"Canada","available":3338,"min_month":1}\n]}',
  },
  {
    action: 'rentNumber',
    php: "$url = 'https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=rentNumber&country_code=ca&provider=2&duration_hours=720';\n$data = json_decode(file_get_contents($url), true);\nif($data['status'] == '200') {\n  echo 'Phone: ' . $data['phone'] . PHP_EOL;\n  echo 'Order ID: ' . $data['order_id'] . PHP_EOL;\n}",
    curl: 'curl "https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=rentNumber&country_code=ca&provider=2&duration_hours=720"',
    python:
      'import requests\nr = requests.get("https://otpget.com/stubs/rental-handler.php", params={"api_key":"YOUR_API_KEY","action":"rentNumber","country_code":"ca","provider":"2","duration_hours":"720"})\nd = r.json()\nif d[\'status\'] == \'200\': print(\'Phone:\', d[\'phone\'])',
    reply:
      '{"status":"200","message":"Number rented successfully",\n "phone":"3434337545","order_id":"2673093356180000583",\n "duration_hours":720,"price_paid":"840.00","new_balance":"4220.00",\n "expires":"2026-04-09 21:55:55"}',
  },
  {
    action: 'getMyRentals',
    php: "$url = 'https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=getMyRentals';\n$data = json_decode(file_get_contents($url), true);\nforeach($data['rentals'] as $r) { echo $r['phone_number'] . ' | ' . $r['status'] . PHP_EOL; }",
    curl: 'curl "https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=getMyRentals"',
    python:
      'import requests\nr = requests.get("https://otpget.com/stubs/rental-handler.php", params={"api_key":"YOUR_API_KEY","action":"getMyRentals"})\nfor rental in r.json()[\'rentals\']: print(rental[\'phone_number\'], rental[\'status\'])',
    reply:
      '{"status":"200","total":5,"rentals":[{\n "id":"27","server":"Server 2","phone_number":"3434337545",\n "order_id":"2673093356180000583","status":"active",\n "country_code":"ca","expiry_time":"2026-04-09 21:55:55"\n}]}',
  },
  {
    action: 'getRentalSMS',
    php: "$url = 'https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=getRentalSMS&order_id=2673093356180000583';\n$data = json_decode(file_get_contents($url), true);\nforeach($data['messages'] as $msg) { echo 'Code: ' . $msg['code'] . ' | Text: ' . $msg['text'] . PHP_EOL; }",
    curl: 'curl "https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=getRentalSMS&order_id=2673093356180000583"',
    python:
      'import requests\nr = requests.get("https://otpget.com/stubs/rental-handler.php", params={"api_key":"YOUR_API_KEY","action":"getRentalSMS","order_id":"2673093356180000583"})\nfor msg in r.json()[\'messages\']: print(\'Code:\', msg[\'code\'])',
    reply:
      '{"status":"200","phone_number":"5812822291","total":1,"messages":[{\n "from":"Server 2","text":"Your WhatsApp code 740-279","code":"","timestamp":"2026-03-09T20:57:32Z"\n}]}',
  },
  {
    action: 'renewRental',
    php: "$url = 'https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=renewRental&rental_id=5&duration_hours=720';\n$data = json_decode(file_get_contents($url), true);\nif($data['status'] == '200') { echo 'New expiry: ' . $data['new_expiry'] . PHP_EOL; }",
    curl: 'curl "https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=renewRental&rental_id=5&duration_hours=720"',
    python:
      'import requests\nr = requests.get("https://otpget.com/stubs/rental-handler.php", params={"api_key":"YOUR_API_KEY","action":"renewRental","rental_id":"5","duration_hours":"720"})\nd = r.json()\nif d[\'status\'] == \'200\': print(\'New expiry:\', d[\'new_expiry\'])',
    reply:
      '{"status":"200","message":"Renewed successfully","rental_id":27,\n "phone_number":"3434337545","duration_hours":720,\n "price_paid":"840.00","new_balance":"3440.00","new_expiry":"2026-05-09 21:55:55"}',
  },
];
