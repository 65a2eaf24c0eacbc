// The npm etcd3 client over mutual TLS. ETCD_ENDPOINTS: "https://127.0.0.1:2379,..."; ETCD_CA, ETCD_CERT, ETCD_KEY:
// PEM files. ETCD_USER, ETCD_PASSWORD (optional): log in as that user, who must have readwrite on the prefix "js-tls"
// and nothing on "js-outside/" (step "auth" checks the refusal). Prints "ok <step>" per step and exits non-zero on
// the first failure.
const { Etcd3 } = require('etcd3');
const assert = require('assert');
const fs = require('fs');

const hosts = process.env.ETCD_ENDPOINTS.split(',');
const client = new Etcd3({
  hosts,
  dialTimeout: 5000,
  credentials: {
    rootCertificate: fs.readFileSync(process.env.ETCD_CA),
    certChain: fs.readFileSync(process.env.ETCD_CERT),
    privateKey: fs.readFileSync(process.env.ETCD_KEY),
  },
  ...(process.env.ETCD_USER ? { auth: { username: process.env.ETCD_USER, password: process.env.ETCD_PASSWORD } } : {}),
});
const step = name => console.log('ok ' + name);

async function main() {
  await client.put('js-tls/a').value('1');
  assert.strictEqual(await client.get('js-tls/a').string(), '1');
  step('kv');

  const watcher = await client.watch().prefix('js-tls-w/').create();
  const seen = new Promise(resolve => watcher.on('put', kv => resolve(kv.value.toString())));
  await client.put('js-tls-w/x').value('hello');
  assert.strictEqual(await seen, 'hello');
  await watcher.cancel();
  step('watch');

  const lease = client.lease(10);
  await lease.put('js-tls-l/k').value('leased');
  assert.ok(Number(await lease.grant()) > 0);
  await lease.revoke();
  step('lease');

  if (process.env.ETCD_USER) {
    await assert.rejects(client.put('js-outside/x').value('1'), /permission denied/);
    step('auth');
  }
}

main().then(() => { client.close(); process.exit(0); }, err => { console.error(err); process.exit(1); });
