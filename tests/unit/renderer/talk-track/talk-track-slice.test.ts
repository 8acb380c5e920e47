// The talk-track slice on its own: tracks by call id, typed answers kept per call, script and
// step, everything about a call forgotten at once; and which call the panel is about.
import { describe, expect, it } from 'vitest';
import { createAgentStore } from '../../../../renderer/app/store/agent-store';
import { draftKey } from '../../../../renderer/app/store/talk-track-slice';
import { selectTalkTrackCallId } from '../../../../renderer/app/talk-track/target';
import { NOW, ringingCall } from '../fixtures';
import { fakeTalkTracks } from './fake-talk-tracks';

const track = (callId: string) => {
  const core = fakeTalkTracks();
  core.handlers.getTalkTrack!({ callId });
  return core.track(callId);
};

describe('talk-track slice', () => {
  it('keeps tracks, drafts and errors by call, and drops all of a call at once', () => {
    const store = createAgentStore();
    const s = () => store.getState();
    s().putTalkTrack('call-1', track('call-1'));
    s().putTalkTrack('call-2', null);
    s().setTalkDraft(draftKey('call-1', 'inbound-inquiry', 'name'), '山田');
    s().setTalkDraft(draftKey('call-2', 'inbound-inquiry', 'name'), '鈴木');
    s().setTalkTrackError('call-1', { code: 'invalid_state', message: 'x', reason: 'ended' });
    s().setTalkTrackBusy('call-1', 'advance');
    expect(s().talkTracks['call-2']).toBeNull();

    s().dropTalkTracks(['call-1']);
    expect(Object.keys(s().talkTracks)).toEqual(['call-2']);
    expect(s().talkDrafts).toEqual({ 'call-2|inbound-inquiry|name': '鈴木' });
    expect(s().talkTrackErrors).toEqual({});
    expect(s().talkTrackBusy).toEqual({});

    // Nothing to drop: the state is not replaced (no re-render for nothing).
    const before = s();
    s().dropTalkTracks(['call-9']);
    expect(s()).toBe(before);
    s().setTalkDraft(draftKey('call-2', 'inbound-inquiry', 'name'), null);
    expect(s().talkDrafts).toEqual({});
  });

  it('the panel is about the call on the card, a consultation’s customer call, or a wrap-up', () => {
    const store = createAgentStore();
    const s = () => store.getState();
    expect(selectTalkTrackCallId(s())).toBeNull();
    // A ringing pop is not the card.
    s().upsertCall(ringingCall());
    expect(selectTalkTrackCallId(s())).toBeNull();
    s().upsertCall(ringingCall({ state: 'active', answeredAt: NOW }));
    expect(selectTalkTrackCallId(s())).toBe('call-1');
    s().upsertCall(
      ringingCall({
        id: 'call-c',
        state: 'active',
        direction: 'outbound',
        consultFor: 'call-1',
        startedAt: NOW,
      }),
    );
    s().selectCall('call-c');
    expect(selectTalkTrackCallId(s())).toBe('call-1');

    s().replaceCalls([]);
    s().putWrapUp({
      callId: 'call-old',
      callbackId: null,
      campaignId: null,
      customerId: null,
      name: null,
      number: null,
      display: '',
      timeZone: null,
      endedAt: NOW,
      saving: false,
      error: null,
    });
    expect(selectTalkTrackCallId(s())).toBeNull(); // no talk track for it
    s().putTalkTrack('call-old', track('call-old'));
    expect(selectTalkTrackCallId(s())).toBe('call-old');
  });
});
