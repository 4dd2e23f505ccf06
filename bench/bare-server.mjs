// The baseline for the signer benchmark: a bare Fastify route that parses the same JSON body and
// answers a JSON object of the same shape and size as a sign result, with no signing, no audit,
// no metrics. Prints its URL once listening.
import Fastify from 'fastify';

const result = {
  signature: 'x'.repeat(44),
  algorithm: 'hmac-sha256',
  encoding: 'base64',
  publicKey: null,
  signedAt: new Date().toISOString(),
  payload: `${new Date().toISOString()}POST/api/v5/trade/order{"instId":"BTC-USDT","side":"buy","ordType":"limit","sz":"0.001","px":"65000"}`,
  body: '{"instId":"BTC-USDT","side":"buy","ordType":"limit","sz":"0.001","px":"65000"}',
  headers: {
    'OK-ACCESS-KEY': 'bench-key',
    'OK-ACCESS-SIGN': 'x'.repeat(44),
    'OK-ACCESS-TIMESTAMP': new Date().toISOString(),
    'OK-ACCESS-PASSPHRASE': 'pass',
    'Content-Type': 'application/json',
  },
};
const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
app.post('/api/v1/sign', async (request) => ({
  success: true,
  data: { ...result, requestId: request.body.accountId },
}));
await app.listen({ host: '127.0.0.1', port: 0 });
process.stderr.write(`listening on http://127.0.0.1:${app.server.address().port}\n`);
