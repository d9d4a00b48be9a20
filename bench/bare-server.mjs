// The machine's own ceiling for the status-poll benchmark: a bare node:http server answering a
// constant string, in its own process like the real server. Plain JavaScript so it runs on node
// with nothing loaded (no tsx), exactly as the compiled otpget runs.
import { createServer } from 'node:http';

const body = process.argv[2] ?? 'STATUS_WAIT_CODE';
const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`bare server listening on http://127.0.0.1:${address.port}\n`);
});
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
