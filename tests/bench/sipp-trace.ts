// Reads sipp's -trace_msg file: when each message was sent or received, by Call-ID.
// Block headers look like "----------------------------------------------- 2026-11-22 10:47:01.123456".
export interface TracedMessage {
  atMs: number;
  direction: 'sent' | 'received';
  firstLine: string;
  callId: string;
  fromUser: string;
}

const HEADER = /^-{10,} (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})\.(\d+)\s*$/;

export function parseSippTrace(text: string): TracedMessage[] {
  const out: TracedMessage[] = [];
  const blocks = text.split(/\r?\n(?=-{10,} \d{4}-)/);
  for (const block of blocks) {
    const lines = block.split(/\r?\n/);
    const m = HEADER.exec(lines[0] ?? '');
    if (!m) continue;
    const direction = /message sent/.test(lines[1] ?? '') ? 'sent' : 'received';
    const frac = Number(`0.${m[3]}`);
    // sipp prints local time; Date parses an ISO string without a zone as local time too.
    const atMs = new Date(`${m[1]}T${m[2]}`).getTime() + frac * 1000;
    const body = lines.slice(2).filter((l) => l.trim() !== '');
    const header = (name: string) =>
      body
        .find((l) => l.toLowerCase().startsWith(name.toLowerCase() + ':'))
        ?.slice(name.length + 1)
        .trim() ?? '';
    const fromUser = /sip:([^@;>]+)@/.exec(header('From'))?.[1] ?? '';
    out.push({ atMs, direction, firstLine: body[0] ?? '', callId: header('Call-ID'), fromUser });
  }
  return out;
}
