// The npm etcd3 client over mutual TLS. ETCD_ENDPOINTS: "https://127.0.0.1:2379,..."; ETCD_CA, ETCD_CERT, ETCD_KEY:
// PEM files. Prints "ok <step>" per step and exits non-zero on the first failure.
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
}

main().then(() => { client.close(); process.exit(0); }, err => { console.error(err); process.exit(1); });
