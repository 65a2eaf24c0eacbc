// Exercises a cluster through the npm etcd3 client. Endpoints come from ETCD_ENDPOINTS
// ("127.0.0.1:2379,..."). Prints "ok <step>" per step and exits non-zero on the first failure.
const { Etcd3 } = require('etcd3');
const assert = require('assert');

const hosts = (process.env.ETCD_ENDPOINTS || '127.0.0.1:2379').split(',').map(h => 'http://' + h);
const client = new Etcd3({ hosts, dialTimeout: 5000 });
const step = name => console.log('ok ' + name);

async function main() {
  await client.put('js/a').value('1');
  await client.put('js/b').value('2');
  assert.strictEqual(await client.get('js/a').string(), '1');
  assert.deepStrictEqual(await client.getAll().prefix('js/').strings(), { 'js/a': '1', 'js/b': '2' });
  assert.strictEqual(await client.delete().key('js/a').then(r => Number(r.deleted)), 1);
  step('kv');

  const watcher = await client.watch().prefix('jsw/').create();
  const seen = new Promise(resolve => watcher.on('put', kv => resolve(kv.value.toString())));
  await client.put('jsw/x').value('hello');
  assert.strictEqual(await seen, 'hello');
  await watcher.cancel();
  step('watch');

  const lease = client.lease(10);
  await lease.put('jsl/k').value('leased');
  assert.strictEqual(await client.get('jsl/k').string(), 'leased');
  assert.ok(Number((await lease.grant())) > 0);
  await lease.revoke();
  assert.strictEqual(await client.get('jsl/k').string(), null);
  step('lease');

  const order = [];
  const lock = client.lock('js-lock');
  await lock.do(async () => { order.push('first'); });
  const l2 = client.lock('js-lock');
  await l2.acquire();
  order.push('second');
  await l2.release();
  assert.deepStrictEqual(order, ['first', 'second']);
  step('lock');

  const election = client.election('js-election');
  const campaign = election.campaign('candidate-1');
  await new Promise((resolve, reject) => { campaign.on('elected', resolve); campaign.on('error', reject); });
  assert.strictEqual(await election.leader(), 'candidate-1');
  await campaign.resign();
  step('election');

  client.close();
}

main().catch(e => { console.error('FAILED: ' + (e && e.stack || e)); process.exit(1); });
