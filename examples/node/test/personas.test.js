import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { freshDatabase } from '../support/database.js';

let db;
beforeEach(async () => { db = await freshDatabase(); });
afterEach(async () => { await db.done(); });

const personas = ['admin@demo-ria.example', 'analyst@demo-ria.example', 'viewer@demo-ria.example'];

test('the seeded personas are there, whatever the seed', async () => {
  const { rows } = await db.client.query(`SELECT email FROM "User" WHERE email = ANY($1) ORDER BY email`, [personas]);
  assert.deepEqual(rows.map((r) => r.email), personas);
});

test('a test may write to its database', async () => {
  const { rowCount } = await db.client.query(`UPDATE "Organization" SET name = 'Renamed by a test' WHERE slug = 'demo-ria'`);
  assert.equal(rowCount, 1);
});

test('the next test does not see the write', async () => {
  const { rows } = await db.client.query(`SELECT name FROM "Organization" WHERE slug = 'demo-ria'`);
  assert.deepEqual(rows, [{ name: 'Demo RIA Advisors' }]);
});
