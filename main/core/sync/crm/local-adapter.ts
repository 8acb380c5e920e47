// The default "CRM": none. The local database is the system of record (seeded with demo
// customers so the app works out of the box); pushes are acknowledged at once and there is
// nothing to pull.
import type { CrmAdapter } from './adapter';

export function createLocalAdapter(): CrmAdapter {
  const empty = { records: [], cursor: null, done: true, total: 0 };
  return {
    kind: 'local',
    check: async () => ({ ok: true, detail: 'local database (no CRM)' }),
    push: async (item) => ({ remoteId: item.key, revision: null }),
    pullCustomers: async () => empty,
    pullActivities: async () => empty,
  };
}
