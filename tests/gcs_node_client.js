// Google's official Node client (@google-cloud/storage, from .cache/npm) against a Cloud
// Storage endpoint, for the gs:// tests: it proves tests/gcs_fake_server.py honest and reads
// and writes what the product reads and writes.
//
//   node gcs_node_client.js ENDPOINT check            uploads (multipart, resumable in chunks
//                                                     and in one stream), lists in pages,
//                                                     downloads (CRC32C checked by the client),
//                                                     generation preconditions, deletes
//   node gcs_node_client.js ENDPOINT put gs://b/k FILE
//   node gcs_node_client.js ENDPOINT get gs://b/k OUT
//   node gcs_node_client.js ENDPOINT ls gs://b/prefix  one name a line, sorted
// GCS_TOKEN, when set, is sent as the bearer token (the fake's --require-auth).
'use strict';
const assert = require('assert');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const modules = path.join(process.env.SWEEP_SOURCE_DIR || '.', '.cache/npm/node_modules');
const {Storage} = require(path.join(modules, '@google-cloud/storage'));
const {OAuth2Client} = require(path.join(modules, 'google-auth-library'));

function client(endpoint) {
  const options = {apiEndpoint: endpoint, projectId: 'sweep-test',
                   retryOptions: {maxRetries: 1}};
  if (process.env.GCS_TOKEN) {
    const auth = new OAuth2Client();
    auth.setCredentials({access_token: process.env.GCS_TOKEN,
                         expiry_date: Date.now() + 3600 * 1000});
    Object.assign(options, {authClient: auth, useAuthWithCustomEndpoint: true});
  }
  return new Storage(options);
}

function parseUri(uri) {
  const m = /^gs:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`not a gs:// URI: ${uri}`);
  return {bucket: m[1], key: m[2]};
}

async function expectStatus(promise, code, what) {
  try {
    await promise;
  } catch (e) {
    assert.strictEqual(e.code, code, `${what}: ${e.message}`);
    return;
  }
  throw new Error(`${what}: succeeded, expected HTTP ${code}`);
}

async function check(storage) {
  const bucket = storage.bucket('honest');
  const small = Buffer.from('x,y\n1,2\n');
  const file = bucket.file('dir/small.csv');
  await file.save(small, {resumable: false});                       // uploadType=multipart
  const [meta] = await file.getMetadata();
  assert.strictEqual(Number(meta.size), small.length);
  assert.ok(Number(meta.generation) > 0, 'generation');
  const [back] = await file.download();                             // alt=media, CRC32C checked
  assert.ok(back.equals(small), 'small download');
  console.log('ok: multipart upload, metadata, download');

  await expectStatus(file.save(Buffer.from('other'), {resumable: false,
                     preconditionOpts: {ifGenerationMatch: 0}}), 412, 'create-only over an object');
  await bucket.file('dir/new.txt').save('new', {resumable: false,
                                               preconditionOpts: {ifGenerationMatch: 0}});
  await expectStatus(bucket.file('dir/small.csv', {generation: 1}).download(), 404,
                     'read of a generation that is not there');
  await file.save(Buffer.from('replaced'), {resumable: false,
                  preconditionOpts: {ifGenerationMatch: Number(meta.generation)}});
  console.log('ok: ifGenerationMatch=0 creates only, =N replaces only generation N');

  const big = crypto.randomBytes(700 * 1024 + 17);
  await bucket.file('big/chunked.bin').save(big, {resumable: true, chunkSize: 256 * 1024});
  const [bigBack] = await bucket.file('big/chunked.bin').download();
  assert.ok(bigBack.equals(big), 'chunked resumable download');
  const streamed = crypto.randomBytes(300 * 1024);
  await bucket.file('big/streamed.bin').save(streamed, {resumable: true});
  assert.ok((await bucket.file('big/streamed.bin').download())[0].equals(streamed));
  console.log('ok: resumable upload in 256 KiB chunks and in one stream');

  for (let i = 0; i < 5; i++) await bucket.file(`list/${i}.txt`).save(`${i}`, {resumable: false});
  let names = [], query = {prefix: 'list/', maxResults: 2, autoPaginate: false}, pages = 0;
  while (query) {
    const [files, next] = await bucket.getFiles(query);
    names = names.concat(files.map(f => f.name));
    pages++;
    query = next;
  }
  assert.deepStrictEqual(names, [0, 1, 2, 3, 4].map(i => `list/${i}.txt`));
  assert.strictEqual(pages, 3);
  const [all] = await bucket.getFiles({prefix: 'big/'});
  assert.deepStrictEqual(all.map(f => f.name), ['big/chunked.bin', 'big/streamed.bin']);
  console.log('ok: listing by prefix, 3 pages of 2');

  await bucket.file('list/0.txt').delete();
  assert.strictEqual((await bucket.file('list/0.txt').exists())[0], false);
  await expectStatus(bucket.file('list/0.txt').download(), 404, 'deleted object');
  console.log('ok: delete, exists, 404');
}

async function main() {
  const [endpoint, command, ...args] = process.argv.slice(2);
  const storage = client(endpoint);
  if (command === 'check') return check(storage);
  const {bucket, key} = parseUri(args[0]);
  if (command === 'put') {
    // Multipart: 7.17.1's resumable path drops a custom authClient on a custom endpoint (401),
    // and `check` already covers resumable uploads.
    await storage.bucket(bucket).file(key).save(fs.readFileSync(args[1]), {resumable: false});
  } else if (command === 'get') {
    fs.writeFileSync(args[1], (await storage.bucket(bucket).file(key).download())[0]);
  } else if (command === 'ls') {
    const [files] = await storage.bucket(bucket).getFiles({prefix: key});
    for (const name of files.map(f => f.name).sort()) console.log(name);
  } else {
    throw new Error(`unknown command ${command}`);
  }
}

main().catch(e => {
  console.error(`gcs_node_client: ${e.message}`);
  process.exit(1);
});
