import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rawPost, startHarness } from './helpers.js';

test('malformed requests get factomd error shapes (HTTP 400), never a crash', async () => {
  const h = await startHarness();
  try {
    const invalidReq = '{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request"}}';
    for (const body of ['', '{', 'garbage', '[]', '[{"jsonrpc":"2.0","id":1,"method":"heights"}]', '{"jsonrpc":"1.0","id":1,"method":"heights"}', '{"id":1,"method":"heights"}', '{"jsonrpc":"2.0","id":1,"method":7}', '"str"', 'null']) {
      const r = await rawPost(h.url, body);
      assert.equal(r.status, 400, body);
      assert.equal(r.text, invalidReq, body);
    }
    let r = await rawPost(h.url, '{"jsonrpc":"2.0","id":7,"method":"nope"}');
    assert.equal(r.status, 400);
    assert.equal(r.text, '{"jsonrpc":"2.0","id":7,"error":{"code":-32601,"message":"Method not found"}}');
    r = await rawPost(h.url, '{"jsonrpc":"2.0","id":"abc","method":"entry","params":["x"]}');
    assert.equal(r.text, '{"jsonrpc":"2.0","id":"abc","error":{"code":-32602,"message":"Invalid params"}}');
    // No params at all: an all-empty struct, so `entry` says Invalid Hash (not a generic error).
    r = await rawPost(h.url, '{"jsonrpc":"2.0","id":3,"method":"entry"}');
    assert.equal(r.text, '{"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"Invalid params","data":"Invalid Hash"}}');
    // No id → id null in the reply; huge ids are echoed exactly.
    r = await rawPost(h.url, '{"jsonrpc":"2.0","method":"properties"}');
    assert.equal(r.status, 200);
    assert.equal(r.text, '{"jsonrpc":"2.0","id":null,"result":{"factomdversion":"6.17.1-prosper-devnet","factomdapiversion":"2.0"}}');
    r = await rawPost(h.url, '{"jsonrpc":"2.0","id":123456789012345678901,"method":"entry-credit-rate"}');
    assert.equal(r.text, '{"jsonrpc":"2.0","id":123456789012345678901,"result":{"rate":1000}}');
    // Field order as factomd emits it.
    r = await rawPost(h.url, '{"jsonrpc":"2.0","id":1,"method":"heights","params":{}}');
    assert.equal(r.text, '{"jsonrpc":"2.0","id":1,"result":{"directoryblockheight":0,"leaderheight":0,"entryblockheight":0,"entryheight":0}}');
    // current-minute ns fields are written as exact integers.
    r = await rawPost(h.url, '{"jsonrpc":"2.0","id":1,"method":"current-minute"}');
    assert.match(r.text, new RegExp(`"currenttime":${BigInt(h.clock.t) * 1_000_000n},`));
    // An oversized body is refused without killing the server.
    r = await rawPost(h.url, '{"jsonrpc":"2.0","id":1,"method":"entry","params":{"hash":"' + 'a'.repeat(2 << 20) + '"}}');
    assert.equal(r.status, 400);
    // Wrong path; any verb on /v2 works.
    assert.equal((await fetch(h.url.replace('/v2', '/v1'), { method: 'POST', body: '{}' })).status, 404);
    const put = await fetch(h.url, { method: 'PUT', body: '{"jsonrpc":"2.0","id":1,"method":"properties"}' });
    assert.equal(put.status, 200);
    assert.equal((await h.client.heights()).directoryBlockHeight, 0);
  } finally {
    await h.stop();
  }
});

test('basic auth: 401 with factomd body and header when credentials are wrong', async () => {
  const h = await startHarness({ rpcUser: 'u', rpcPassword: 'p' });
  try {
    const body = '{"jsonrpc":"2.0","id":1,"method":"properties"}';
    let r = await rawPost(h.url, body);
    assert.equal(r.status, 401);
    assert.equal(r.text, '401 Unauthorized.\n');
    assert.equal(r.headers.get('www-authenticate'), 'Basic realm="factomd RPC"');
    r = await rawPost(h.url, body, { authorization: 'Basic ' + Buffer.from('u:wrong').toString('base64') });
    assert.equal(r.status, 401);
    r = await rawPost(h.url, body, { authorization: 'Basic ' + Buffer.from('u:p').toString('base64') });
    assert.equal(r.status, 200);
    const { FactomdClient } = await import('../../src/factom/index.js');
    await assert.rejects(h.client.properties(), { code: 'PROSPER_E_FACTOM_HTTP' });
    const authed = new FactomdClient({ url: h.url, user: 'u', password: 'p' });
    assert.equal((await authed.properties()).factomdApiVersion, '2.0');
  } finally {
    await h.stop();
  }
});
