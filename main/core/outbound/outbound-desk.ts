// The outbound desk's parts on one database, wired once for core, the tests and the bench:
// the repositories, the queue, and the service. The opt-out repository is made here because
// an opt-out from any source (the agent, a CRM pull, an import) must cancel the pending
// callbacks in its own transaction — the service is its hook, and exists only once the
// phone side is known (start()).
import type { CustomerSummary } from '../../../preload/contract';
import type { Logger } from '../log';
import { createAttemptRepo, type AttemptRepo } from '../store/attempts';
import { createCallbackRepo, type CallbackRepo } from '../store/callbacks';
import { createCampaignRepo, type CampaignRepo } from '../store/campaigns';
import type { Database } from '../store/db';
import { createNoticeRepo, type NoticeRepo } from '../store/notices';
import { createOptOutRepo, type OptOutRepo } from '../store/opt-outs';
import type { OutboxRepo } from '../store/outbox';
import { createOutboundService, type OutboundDeps, type OutboundService } from './outbound-service';
import { createQueue, type Queue } from './queue';

export interface OutboundDesk {
  optOuts: OptOutRepo;
  callbacks: CallbackRepo;
  attempts: AttemptRepo;
  campaigns: CampaignRepo;
  notices: NoticeRepo;
  queue: Queue;
  /** Makes the service (once): from then on opt-outs cancel callbacks through it. */
  start(deps: Pick<OutboundDeps, 'dial' | 'customerFor' | 'agent' | 'onChanged'>): OutboundService;
}

export function createOutboundDesk(
  db: Database,
  outbox: OutboxRepo,
  opts: {
    now: () => number;
    log: Logger;
    customerSummary: (customerId: string) => CustomerSummary | null;
  },
): OutboundDesk {
  const { now, log } = opts;
  let service: OutboundService | null = null;
  const optOuts = createOptOutRepo(db, outbox, {
    now,
    onStrengthened: (o) => service?.optOutRecorded(o),
  });
  const callbacks = createCallbackRepo(db, outbox, { now });
  const attempts = createAttemptRepo(db, { now });
  const campaigns = createCampaignRepo(db, { now, log });
  campaigns.ensureDefaults();
  const notices = createNoticeRepo(db, { now });
  const queue = createQueue({
    callbacks,
    attempts,
    campaigns,
    notices,
    optOuts,
    customerSummary: opts.customerSummary,
  });
  return {
    optOuts,
    callbacks,
    attempts,
    campaigns,
    notices,
    queue,
    start(deps) {
      service ??= createOutboundService({
        db,
        queue,
        callbacks,
        attempts,
        campaigns,
        optOuts,
        outbox,
        now,
        log,
        ...deps,
      });
      return service;
    },
  };
}
