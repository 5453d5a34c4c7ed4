// The servers bench/server.sh compares ferrode-server against, each answering
// GET /hello with the seed's JSON:
//   node bench/server/peers.mjs http              Node's http, one process
//   node bench/server/peers.mjs cluster N         Node's cluster, N workers
//   node bench/server/peers.mjs page URL          the same handler running "in the page",
//                                                 behind the companion's tunnel (reference client)
// Each prints "listening PORT" once ready.
import http from 'node:http';
import cluster from 'node:cluster';
import { Companion } from '../../tests/support/companion-client.mjs';
import { NodeWebSocket } from '../../tests/support/ws-node.mjs';

const BODY = JSON.stringify({ message: 'Hello, World!' });
const [mode, arg] = process.argv.slice(2);

function handler(req, res) {
  if (req.url === '/hello' && req.method === 'GET') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(BODY);
    res.end();
  } else {
    res.writeHead(404);
    res.end();
  }
}

if (mode === 'http') {
  const s = http.createServer(handler).listen(0, '127.0.0.1', () => console.log(`listening ${s.address().port}`));
} else if (mode === 'cluster') {
  if (cluster.isPrimary) {
    const port = Number(process.env.PORT || 0) || 18000 + (process.pid % 1000);
    let ready = 0;
    for (let i = 0; i < Number(arg || 2); i++) {
      cluster.fork({ PORT: String(port) }).on('listening', () => {
        if (++ready === Number(arg || 2)) console.log(`listening ${port}`);
      });
    }
  } else {
    http.createServer(handler).listen(Number(process.env.PORT), '127.0.0.1');
  }
} else if (mode === 'page') {
  const u = new URL(arg);
  const c = await Companion.connect(arg, { WebSocket: NodeWebSocket, wsOptions: { headers: { origin: u.origin } } });
  const l = await c.listen({ kind: 'http', port: 0 });
  l.on('request', (req, head) => {
    // Like the handler above: answer once the (empty) body has ended, in one message.
    req.on('end', () => {
      if (head.url === '/hello' && head.method === 'GET') {
        c.respond(req, 200, [['content-type', 'application/json']], undefined, { end: true, data: BODY });
      } else {
        c.respond(req, 404, [], undefined, { end: true });
      }
    });
  });
  console.log(`listening ${l.port}`);
} else {
  console.error('usage: bench/server/peers.mjs http | cluster N | page URL');
  process.exit(2);
}
