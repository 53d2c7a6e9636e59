// A fresh, seeded Clearway database for each test, from the test-database service (IntegreSQL's API):
// `clearway test-server` prints the base URL, or the AppHost's `testdbs` resource shows it.
import { IntegreSQLClient } from '@devoxa/integresql-client';
import pg from 'pg';

const url = process.env.INTEGRESQL_URL;
if (!url) {
  throw new Error('INTEGRESQL_URL is not set: start `clearway test-server` and set it to the base URL it prints');
}

// Clearway's tiny seed, ready-made: nothing to migrate or seed here.
export const template = 'clearway-tiny';
const integresql = new IntegreSQLClient({ url });

/** A client connected to a database of this test's own; `done()` closes it and lets the service recycle the database. */
export async function freshDatabase() {
  const { id, database } = await integresql.api.getTestDatabase(template);
  const client = new pg.Client({ ...database.config, user: database.config.username });
  await client.connect();
  return {
    client,
    async done() {
      await client.end();
      await integresql.api.recreateTestDatabase(template, id);
    },
  };
}
