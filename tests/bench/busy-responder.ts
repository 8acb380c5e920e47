// The invite_to_core_ms baseline's far end: a bare UDP socket in Node on Kamailio's gateway
// port that notes when each INVITE arrives (same clock as core's) and answers 486, so the
// baseline is the proxy hop into a Node process with no SIP stack and no WebSocket.
import { createSocket } from 'node:dgram';

export async function startBusyResponder(port: number) {
  const arrivals = new Map<string, number>();
  const sock = createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    const at = performance.timeOrigin + performance.now();
    const text = msg.toString('latin1');
    if (!text.startsWith('INVITE ')) return; // ACKs for our 486 end here
    const lines = text.split('\r\n');
    const header = (name: string) => lines.filter((l) => l.toLowerCase().startsWith(name));
    const callId = header('call-id:')[0]?.slice(8).trim() ?? '';
    if (!arrivals.has(callId)) arrivals.set(callId, at);
    const reply = [
      'SIP/2.0 486 Busy Here',
      ...header('via:'),
      ...header('from:'),
      `${header('to:')[0] ?? 'To: <sip:x@x>'};tag=busy${arrivals.size}`,
      ...header('call-id:'),
      ...header('cseq:'),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    sock.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, '127.0.0.1', () => resolve());
  });
  return {
    arrivals,
    close: () => new Promise<void>((resolve) => sock.close(() => resolve())),
  };
}
