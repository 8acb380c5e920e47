// Browser mode's guards and frames, against a real HTTP server and real WebSocket clients.
import { EventEmitter } from 'node:events';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { MainFrame } from '../../../preload/contract';
import type { Core } from '../../../main/core/core-api';
import { silentLogger } from '../../../main/core/log';
import { createDispatcher } from '../../../main/core/rpc/dispatcher';
import { createMediaHub } from '../../../main/core/rpc/media-port';
import { fakeHandlers } from '../../infra/fake-handlers';
import { startWebServer, type WebServer } from '../../../main/web/server';

function fakeCore(): Core & { emitter: EventEmitter } {
  const emitter = new EventEmitter();
  return {
    emitter,
    media: createMediaHub({ timeoutMs: 2000 }),
    dispatch: createDispatcher(fakeHandlers()),
    on(event, listener) {
      emitter.on(event, listener);
      return () => emitter.off(event, listener);
    },
    close: async () => {},
  };
}

let dir: string;
let server: WebServer;
let core: ReturnType<typeof fakeCore>;
let origin: string;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'web-'));
  mkdirSync(join(dir, 'static'));
  writeFileSync(join(dir, 'static/index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside');
  core = fakeCore();
  server = await startWebServer({ core, staticDir: join(dir, 'static'), log: silentLogger });
  origin = `http://127.0.0.1:${server.port}`;
  token = new URL(server.url).hash.replace('#token=', '');
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function connect(opts: { token?: string; origin?: string; path?: string } = {}) {
  const ws = new WebSocket(
    `ws://127.0.0.1:${server.port}${opts.path ?? '/rpc'}?token=${opts.token ?? token}`,
    { origin: opts.origin ?? origin },
  );
  const frames: MainFrame[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as MainFrame));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const next = async (pred: (f: MainFrame) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const f = frames.find(pred);
      if (f) return f;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('frame never came');
  };
  return { ws, frames, opened, next };
}

describe('browser-mode server', () => {
  it('serves the renderer with a strict CSP, and nothing outside it', async () => {
    const res = await fetch(`${origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain(`ws://127.0.0.1:${server.port}`);
    expect((await fetch(`${origin}/%2e%2e/secret.txt`)).status).toBe(404);
    expect((await fetch(`${origin}/missing.js`)).status).toBe(404);
    expect((await fetch(`${origin}/`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      request(
        { host: '127.0.0.1', port: server.port, path: '/', headers: { host: 'evil.example:80' } },
        (res) => resolve(res.statusCode ?? 0),
      ).end();
    });
    expect(status).toBe(421);
  });

  it.each([
    ['a wrong token', { token: 'nope' }],
    ['an empty token', { token: '' }],
    ['another origin', { origin: 'http://evil.example' }],
    ['another path', { path: '/other' }],
  ])('refuses a WebSocket with %s', async (_, opts) => {
    await expect(connect(opts).opened).rejects.toThrow(/403|Unexpected|socket hang up/);
  });

  it('answers invokes, validates them and pushes events', async () => {
    const c = connect();
    await c.opened;
    c.ws.send(JSON.stringify({ t: 'invoke', id: 1, method: 'hello', args: {} }));
    c.ws.send(JSON.stringify({ t: 'invoke', id: 2, method: 'answerCall', args: { callId: 5 } }));
    c.ws.send('not json');
    c.ws.send(JSON.stringify({ t: 'bogus' }));
    const r1 = await c.next((f) => f.t === 'result' && f.id === 1);
    expect(r1).toMatchObject({ response: { ok: true, result: { version: 't' } } });
    const r2 = await c.next((f) => f.t === 'result' && f.id === 2);
    expect(r2).toMatchObject({ response: { ok: false, error: { code: 'invalid_argument' } } });
    core.emitter.emit('locale.changed', { locale: 'en' });
    await c.next((f) => f.t === 'event' && f.event === 'locale.changed');
    c.ws.close();
  });

  it('makes the newest socket the media renderer and detaches it on close', async () => {
    const a = connect();
    await a.opened;
    a.ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as MainFrame;
      if (f.t === 'media')
        a.ws.send(
          JSON.stringify({ t: 'mediaResult', id: f.id, ok: true, result: { sdp: 'v=0 a' } }),
        );
    });
    await expect(
      core.media.request('getDescription', { callId: 'c1', hold: false }),
    ).resolves.toEqual({ sdp: 'v=0 a' });
    const b = connect();
    await b.opened;
    b.ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as MainFrame;
      if (f.t === 'media')
        b.ws.send(JSON.stringify({ t: 'mediaResult', id: f.id, ok: false, error: 'no mic' }));
    });
    await expect(
      core.media.request('getDescription', { callId: 'c1', hold: false }),
    ).rejects.toThrow('no mic');
    b.ws.close();
    a.ws.close();
    for (let i = 0; i < 100 && core.media.available; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(core.media.available).toBe(false);
  });
});
