// The baseline for the signer benchmark: a bare Fastify route that parses the same JSON body and
// answers a JSON object of the same shape, with no signing. Prints its URL once listening.
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
app.post('/api/v1/sign', async (request) => ({
  success: true,
  data: { echo: request.body.accountId, signature: 'x'.repeat(64) },
}));
await app.listen({ host: '127.0.0.1', port: 0 });
process.stderr.write(`listening on http://127.0.0.1:${app.server.address().port}\n`);
