// Pairing a headset's audio with its HID device by the " (vvvv:pppp)" Chromium appends to USB
// audio labels: the real device entries only (not the "Default - …" / "Communications - …"
// aliases), nothing before the microphone permission (ids and labels are '').
import { describe, expect, it } from 'vitest';
import {
  labelWithoutUsbId,
  pairHeadsetAudio,
  usbIdOfLabel,
} from '../../../../renderer/headset/usb-audio-pairing';

const JABRA = { vendorId: 0x0b0e, productId: 0x0412 };
const dev = (deviceId: string, kind: MediaDeviceKind, label: string) => ({
  deviceId,
  kind,
  label,
});

describe('usbIdOfLabel', () => {
  it.each([
    ['Jabra Link 380 (0b0e:0412)', JABRA],
    ['Default - Jabra Link 380 (0b0e:0412)', JABRA],
    ['Communications - Jabra Link 380 (0b0e:0412)', JABRA],
    ['Jabra Link 380 Analog Stereo (0b0e:0412) ', JABRA],
    ['Poly BT700 (047f:02e6)', { vendorId: 0x047f, productId: 0x02e6 }],
    ['USB Audio (0B0E:0412)', JABRA],
  ])('%s', (label, id) => {
    expect(usbIdOfLabel(label)).toEqual(id);
  });

  it.each([
    '',
    'Built-in Audio Analog Stereo',
    'Monitor of Jabra (0b0e:0412) speakers', // not at the end
    'Jabra (0b0e-0412)',
    'Jabra (b0e:412)',
    'Jabra (0b0e:0412:01)',
    'Jabra(0b0e:0412)', // Chromium puts a space before it
  ])('no id in %j', (label) => {
    expect(usbIdOfLabel(label)).toBeNull();
  });

  it('the label to show drops the id', () => {
    expect(labelWithoutUsbId('Jabra Link 380 (0b0e:0412)')).toBe('Jabra Link 380');
    expect(labelWithoutUsbId('Built-in Audio')).toBe('Built-in Audio');
  });
});

describe('pairHeadsetAudio', () => {
  const devices = [
    dev('default', 'audioinput', 'Default - Jabra Link 380 (0b0e:0412)'),
    dev('communications', 'audioinput', 'Communications - Jabra Link 380 (0b0e:0412)'),
    dev('mic-builtin', 'audioinput', 'Built-in Microphone'),
    dev('mic-jabra', 'audioinput', 'Jabra Link 380 (0b0e:0412)'),
    dev('default', 'audiooutput', 'Default - Jabra Link 380 (0b0e:0412)'),
    dev('out-poly', 'audiooutput', 'Poly BT700 (047f:02e6)'),
    dev('out-jabra', 'audiooutput', 'Jabra Link 380 (0b0e:0412)'),
    dev('out-jabra-2', 'audiooutput', 'Jabra Link 380 Mono (0b0e:0412)'),
  ];

  it('the headset’s own microphone and speaker, never an alias, the first of each', () => {
    const paired = pairHeadsetAudio(devices, JABRA);
    expect(paired.microphone?.deviceId).toBe('mic-jabra');
    expect(paired.speaker?.deviceId).toBe('out-jabra');
  });

  it('another headset, or none connected: nothing', () => {
    expect(pairHeadsetAudio(devices, { vendorId: 0x0b0e, productId: 0x0413 })).toEqual({
      microphone: null,
      speaker: null,
    });
    expect(pairHeadsetAudio(devices, null)).toEqual({ microphone: null, speaker: null });
  });

  it('a headset with only an output (or only an input) pairs that one', () => {
    const paired = pairHeadsetAudio(devices, { vendorId: 0x047f, productId: 0x02e6 });
    expect(paired).toEqual({ microphone: null, speaker: devices[5] });
  });

  it('before the microphone permission (ids and labels hidden): nothing', () => {
    const hidden = [dev('', 'audioinput', ''), dev('', 'audiooutput', '')];
    expect(pairHeadsetAudio(hidden, JABRA)).toEqual({ microphone: null, speaker: null });
  });

  it('video inputs and other kinds are not audio', () => {
    const camera = dev('cam', 'videoinput', 'Jabra PanaCast (0b0e:0412)');
    expect(pairHeadsetAudio([camera], JABRA)).toEqual({ microphone: null, speaker: null });
  });
});
