// Composition root: builds the store, the phone and the request handlers, and joins them.
// Everything with a side effect (clock, paths, SIP account, logger) comes in through
// CoreOptions, so the same core runs in Electron main, in browser mode and in plain tests.
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { basename, isAbsolute, join, relative } from 'node:path';
import {
  events as eventSchemas,
  type EventName,
  type EventPayload,
  type Locale,
  type PhoneStatus,
  type TimelineEntry,
} from '../../preload/contract';
import type { Core, CoreOptions } from './core-api';
import { createCallBoard } from './call-board';
import { createPopLookup } from './customers/pop';
import { createLogger } from './log';
import { createPhoneService, type PhoneService } from './phone/phone-service';
import { createDispatcher, RpcFailure, type Handlers } from './rpc/dispatcher';
import { createMediaHub } from './rpc/media-port';
import { startCheckpointer } from './store/checkpointer';
import { openDatabase } from './store/db';
import { seedDemoData } from './store/demo-data';
import { normalizePhone } from './customers/phone-number';
import { createCustomerRepo } from './store/customers';
import { createInteractionRepo } from './store/interactions';
import { createNoteRepo, NoteNotFoundError } from './store/notes';
import { createOutboundDesk } from './outbound/outbound-desk';
import { createOutboxRepo } from './store/outbox';
import { createSettingsRepo } from './store/settings';
import { createCursorRepo } from './sync/cursors';
import { createSyncEngine, type SyncEngine } from './sync/sync-engine';
import type { CrmAdapter } from './sync/crm/adapter';
import { createCallInfoSource } from './scripts/call-info';
import { createScriptLibrary } from './scripts/script-library';
import { summarize } from './scripts/choose-script';
import { createTalkTrackService, TalkTrackError } from './scripts/talk-track-service';
import { createScriptAnswerRepo } from './store/script-answers';
import { createScriptSessionRepo } from './store/script-sessions';
import { createCrmSettingsRepo, CrmSettingsError } from './sync/crm/crm-settings';

export type { Core, CoreOptions } from './core-api';

export const DATABASE_FILE = 'agent.sqlite';

export async function createCore(opts: CoreOptions): Promise<Core> {
  const log = opts.log ?? createLogger({ scope: 'core' });
  const now = opts.now ?? Date.now;
  const db = openDatabase(join(opts.dataDir, DATABASE_FILE), { log });
  if (opts.seedDemo) seedDemoData(db);
  const checkpointer = startCheckpointer(db);

  const outbox = createOutboxRepo(db, { now });
  const interactions = createInteractionRepo(db, { outbox });
  const customers = createCustomerRepo(db, { now });
  const notes = createNoteRepo(db, outbox, { now });
  const desk = createOutboundDesk(db, outbox, {
    now,
    log,
    customerSummary: (id) => customers.getById(id),
  });
  const { optOuts } = desk;
  const settings = createSettingsRepo(db, { log });
  const popFor = opts.lookupPop ?? createPopLookup(db);
  const media = createMediaHub();
  const emitter = new EventEmitter();
  emitter.setMaxListeners(50);
  let locale: Locale = opts.locale ?? 'ja';

  function emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    // Pushes are checked against the contract outside production: a bad payload is a bug in
    // core, caught here rather than as a confusing render. Tests fail on it; a development
    // run logs it and carries on (an exception here would take the phone down with it).
    if (process.env.NODE_ENV !== 'production') {
      const checked = eventSchemas[event].safeParse(payload);
      if (!checked.success) {
        if (process.env.VITEST) throw checked.error;
        log.error('event breaks the contract', { event, issues: checked.error.issues });
      }
    }
    emitter.emit(event, payload);
  }

  const phone: PhoneService | null = opts.sip
    ? createPhoneService({
        config: opts.sip,
        media,
        log,
        now,
        onInviteReceived: opts.onInviteReceived,
        noAnswerTimeoutSec: opts.noAnswerTimeoutSec,
        // Read on use, so a changed DTMF mode or auto-answer applies to the next call at once.
        settings: () => settings.phone(),
      })
    : null;
  const board = createCallBoard({
    popFor,
    interactions,
    log,
    onCall: (call) => emit('call.updated', call),
    onLogged: (customerId, entry) => {
      emit('timeline.added', { customerId, entry: withAnswers([entry])[0]! });
      try {
        out.callLogged(entry);
      } catch (err) {
        log.error('could not record the attempt of a call', { callId: entry.id, err });
      }
    },
  });

  const ownNoteKey = db.prepare<[string], number>('SELECT 1 FROM note_versions WHERE sync_key = ?');
  const ownCall = db.prepare<[string], number>(
    "SELECT 1 FROM interactions WHERE id = ? AND source = 'local'",
  );
  const crmSettings = createCrmSettingsRepo(db, opts.secrets ?? null, log);
  const cursors = createCursorRepo(db, { now });
  const newSync = (adapter: CrmAdapter): SyncEngine =>
    createSyncEngine({
      db,
      adapter,
      outbox,
      cursors,
      apply: {
        customers,
        interactions,
        optOuts,
        log,
        isOwnKey: (key) =>
          key.startsWith('call:')
            ? ownCall.get(key.slice(5)) !== undefined
            : ownNoteKey.get(key) !== undefined,
      },
      log,
      now,
      ...opts.sync,
      onAcknowledged: (row, at) => {
        if (row.item.kind !== 'note') return;
        const note = notes.markSynced(row.item.key, at);
        if (note) queueMicrotask(() => emit('note.updated', note));
      },
      onStatus: (s) => emit('sync.status', s),
    });
  let sync = newSync(opts.crm ?? (await crmSettings.adapter()));

  /** Settings changed: finish the current round, then sync with the new CRM. */
  async function switchCrm(adapter: CrmAdapter): Promise<void> {
    await sync.stop();
    sync = newSync(adapter);
    sync.start();
    emit('sync.status', sync.status());
  }

  const out = desk.start({
    dial: (target, o) => requirePhone().dial(target, o),
    customerFor: (e164) => customers.findByPhone(e164)?.id ?? null,
    agent: () => phone?.status().aor ?? null,
    onChanged: (counts) => emit('queue.changed', counts),
  });

  // ----- talk tracks -----
  const scriptAnswers = createScriptAnswerRepo(db, outbox);
  const scriptSessions = createScriptSessionRepo(db, { now, log });
  // Positions of calls older than a week are of no use; their answers stay.
  scriptSessions.prune(now() - 7 * 86_400_000);
  /** Entries with their talk-track answers; without them if the read fails (never lost). */
  const withAnswers = (entries: TimelineEntry[]): TimelineEntry[] => {
    try {
      const found = scriptAnswers.forInteractions(entries.map((e) => e.id));
      return entries.map((e) => {
        const answers = found.get(e.id);
        return answers ? { ...e, answers: answers.slice(0, 200) } : e;
      });
    } catch (err) {
      log.error('could not read talk-track answers for the timeline', { err });
      return entries;
    }
  };
  const scriptFolders = opts.scriptFolders ?? [join(opts.dataDir, 'scripts')];
  // The centre's own folder (in the agent's data folder) is made now, so it is watched from
  // the first start: a script dropped in later loads without a restart.
  for (const folder of scriptFolders) {
    const inside = relative(opts.dataDir, folder);
    if (inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)) {
      try {
        mkdirSync(folder, { recursive: true, mode: 0o700 });
      } catch (err) {
        log.warn('cannot create the script folder', { folder, err });
      }
    }
  }
  const library = createScriptLibrary({
    folders: scriptFolders,
    log,
    // End steps are checked against what the desk's campaigns can close a call with.
    dispositions: (kind) => {
      const codes = desk.campaigns
        .list()
        .filter((c) => c.kind === kind)
        .flatMap((c) => c.dispositions.map((d) => d.code));
      return codes.length > 0 ? new Set(codes) : null;
    },
    onChange: (lib) => {
      emit('scripts.changed', { scripts: lib.all().length, problems: lib.problems().length });
      talk.refresh();
    },
  });
  const talk = createTalkTrackService({
    library,
    sessions: scriptSessions,
    answers: scriptAnswers,
    callInfo: createCallInfoSource({
      db,
      liveCall: (id) => board.get(id),
      customers,
      attempts: desk.attempts,
      callbacks: desk.callbacks,
      campaigns: desk.campaigns,
    }),
    locale: () => locale,
    agentName: () => opts.sip?.displayName ?? null,
    emit: (track) => emit('talkTrack.updated', track),
    // An answer given in wrap-up changes the ended call's entry on the customer's timeline.
    onAnswered: (callId) => {
      sync.kick();
      if (board.get(callId)) return;
      const logged = interactions.byId(callId);
      if (logged) {
        const [entry] = withAnswers([logged.entry]);
        emit('timeline.added', { customerId: logged.customerId, entry: entry! });
      }
    },
    now,
    log,
  });
  const talkFailure = (err: unknown): never => {
    if (err instanceof TalkTrackError) throw new RpcFailure(err.kind, err.message, err.reason);
    throw err;
  };

  phone?.on('status', (s) => emit('phone.status', s));
  // The talk track's facts (direction, reason, customer, campaign) can only change with the
  // call's state; quality samples (every 2 s) and mute or hold flags do not re-run its queries.
  const lastState = new Map<string, string>();
  phone?.on('call', (pc) => {
    board.update(pc);
    if (lastState.get(pc.id) === pc.state) return;
    if (pc.state === 'ended') lastState.delete(pc.id);
    else lastState.set(pc.id, pc.state);
    talk.callChanged(pc.id);
  });

  function requirePhone(): PhoneService {
    if (!phone) throw new RpcFailure('invalid_state', 'no SIP account is configured');
    return phone;
  }

  const unconfigured: PhoneStatus = {
    registration: 'unconfigured',
    aor: null,
    error: null,
    since: now(),
  };
  const ok = { ok: true } as const;

  const handlers: Handlers = {
    hello: async () => ({
      version: opts.version,
      locale,
      phone: phone?.status() ?? unconfigured,
      calls: board.list(),
      settings: settings.phone(),
    }),
    answerCall: async ({ callId }) => (await requirePhone().answer(callId), ok),
    rejectCall: async ({ callId }) => (await requirePhone().reject(callId), ok),
    hangupCall: async ({ callId }) => (await requirePhone().hangup(callId), ok),
    // Every dial, typed or queued, goes through the outbound rules (opt-outs) in main.
    dial: async ({ target }) => (requirePhone(), { callId: await out.dialManual(target) }),
    holdCall: async ({ callId }) => (await requirePhone().hold(callId), ok),
    resumeCall: async ({ callId }) => (await requirePhone().resume(callId), ok),
    switchLine: async ({ callId }) => (await requirePhone().switchLine(callId), ok),
    setMute: async ({ callId, muted }) => (await requirePhone().setMute(callId, muted), ok),
    sendDtmf: async ({ callId, tones }) => (await requirePhone().sendDtmf(callId, tones), ok),
    // A transfer or consult rings its target too: the same opt-out rule as a typed dial.
    blindTransfer: async ({ callId, target }) => (
      out.guardTarget(target),
      await requirePhone().blindTransfer(callId, target),
      ok
    ),
    startConsult: async ({ callId, target }) => (
      out.guardTarget(target),
      { consultCallId: await requirePhone().startConsult(callId, target) }
    ),
    completeTransfer: async ({ callId, consultCallId }) => (
      await requirePhone().completeTransfer(callId, consultCallId),
      ok
    ),
    conference: async ({ callIds }) => ({ conferenceId: await requirePhone().conference(callIds) }),
    reportQuality: async ({ callId, quality }) => (
      requirePhone().updateQuality(callId, quality),
      ok
    ),
    setPhoneSettings: async (patch) => {
      const next = settings.updatePhone(patch);
      emit('settings.changed', next);
      return next;
    },
    getTimeline: async ({ customerId, limit }) =>
      withAnswers(interactions.recentForCustomer(customerId, limit ?? 20)),
    setLocale: async ({ locale: next }) => {
      locale = next;
      emit('locale.changed', { locale });
      talk.refresh();
      return ok;
    },
    saveNote: async (input) => {
      if (input.customerId !== null && !customers.getById(input.customerId)) {
        throw new RpcFailure('not_found', `no customer ${input.customerId}`);
      }
      try {
        const note = notes.save(input);
        sync.kick();
        return note;
      } catch (err) {
        if (err instanceof NoteNotFoundError) throw new RpcFailure('not_found', err.message);
        throw err;
      }
    },
    getNotes: async ({ customerId }) => notes.forCustomer(customerId),
    setOptOut: async ({ number, customerId, scope, reason }) => {
      const { e164 } = normalizePhone(number);
      if (!e164) throw new RpcFailure('invalid_argument', `${number} is not a phone number`);
      const strengthened = optOuts.record({ e164, customerId, scope, source: 'agent', reason });
      sync.kick();
      if (strengthened) out.changed();
      const level = optOuts.levelFor(e164);
      return { e164, scope: level === 'none' ? scope : level };
    },
    getCrmSettings: () => crmSettings.view(),
    testCrmConnection: async (input) => {
      const result = await crmSettings.check(input);
      log.info('CRM connection tested', { kind: input.kind, ok: result.ok });
      return result;
    },
    setCrmSettings: async (input) => {
      try {
        const adapter = await crmSettings.adapterFor(input);
        const view = await crmSettings.save(input);
        await switchCrm(adapter);
        return view;
      } catch (err) {
        if (err instanceof CrmSettingsError) throw new RpcFailure('invalid_argument', err.message);
        throw err;
      }
    },
    getSyncStatus: async () => sync.status(),
    syncNow: async () => {
      void sync.syncNow();
      return ok;
    },
    getDeadLetters: async () => outbox.deadLetters(),
    retryDeadLetters: async ({ key }) => {
      const requeued = outbox.revive(key);
      if (requeued) sync.kick();
      return { requeued };
    },
    getCampaigns: async () => out.campaigns(),
    getQueue: async ({ filter, offset, limit }) =>
      out.page(filter ?? {}, offset ?? 0, limit ?? 100),
    getCallback: async ({ callbackId }) => out.callback(callbackId),
    nextCallback: async () => ({ item: out.next() }),
    dialCallback: async ({ callbackId }) => (
      requirePhone(),
      { callId: await out.dialCallback(callbackId) }
    ),
    skipCallback: async ({ callbackId, reason, note }) => (out.skip(callbackId, reason, note), ok),
    scheduleCallback: async (input) => {
      const item = out.schedule(input);
      sync.kick();
      return item;
    },
    setDisposition: async (input) => {
      const callback = out.setDisposition(input);
      sync.kick();
      return { callback };
    },
    importOptOuts: async ({ csv, scope }) => {
      const result = out.importOptOuts(csv, scope);
      if (result.added > 0) sync.kick();
      return result;
    },
    checkNumber: async ({ number }) => out.checkNumber(number),
    getTalkTrack: async ({ callId }) => ({ talkTrack: talk.get(callId) }),
    switchScript: async ({ callId, scriptId }) => {
      try {
        return talk.switchTo(callId, scriptId);
      } catch (err) {
        return talkFailure(err);
      }
    },
    talkTrackAction: async ({ callId, at, action }) => {
      try {
        return talk.act(callId, action, at);
      } catch (err) {
        return talkFailure(err);
      }
    },
    listScripts: async () => ({
      scripts: library.all().map((s) => summarize(s, locale)),
      // The file by name only (the full path would show the agent's home folder); the
      // screen prints the file and the line itself.
      problems: library.problems().map((p) => ({
        file: basename(p.file),
        line: p.line,
        message: p.stepId === null ? p.message : `step '${p.stepId}': ${p.message}`,
      })),
    }),
  };

  const dispatch = createDispatcher(handlers, (method, err) =>
    log.error('request failed', { method, err }),
  );

  // Registration runs in the background: core is usable (pops from the cache, the timeline)
  // before and without the SIP server.
  phone?.start().catch((err) => log.error('phone start failed', { err }));
  sync.start();

  return {
    dispatch,
    media,
    on(event, listener) {
      const l = listener as (p: unknown) => void;
      emitter.on(event, l);
      return () => emitter.off(event, l);
    },
    async close() {
      await phone?.stop().catch((err) => log.warn('phone stop failed', { err }));
      await sync.stop();
      board.close();
      emitter.removeAllListeners();
      checkpointer.stop();
      library.close();
      out.close();
      db.close();
    },
  };
}
