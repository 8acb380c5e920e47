// Browser mode: the same contract as Electron IPC, served over a loopback WebSocket, so the
// real renderer in real Chromium can drive the real core (development and E2E tests).
// Only 127.0.0.1, a random token in the URL fragment, and an Origin check: another web page
// or another local user cannot drive the agent's phone.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  events,
  RendererFrame,
  type EventName,
  type MainFrame,
  type MediaMethod,
} from '../../preload/contract';
import type { Core } from '../core/core-api';
import { buildCsp } from '../core/csp';
import type { Logger } from '../core/log';
import { readStaticFile } from '../core/static-files';

export interface WebServerOptions {
  core: Core;
  /** The built renderer (out/renderer). */
  staticDir: string;
  port?: number;
  token?: string;
  log: Logger;
}

export interface WebServer {
  /** Open this in the browser: http://127.0.0.1:PORT/#token=… */
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_FRAME_BYTES = 256 * 1024;

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const { core, log } = opts;
  const sockets = new Set<WebSocket>();
  let origin = '';
  let csp = '';

  const http = createServer((req, res) => {
    serveStatic(req, res).catch((err) => {
      log.error('static file failed', { err });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (req.headers.host !== new URL(origin).host) {
      res.writeHead(421).end(); // DNS-rebinding guard: only our own host name
      return;
    }
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', origin).pathname;
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = await readStaticFile(opts.staticDir, pathname);
    if (file.status !== 200) {
      res.writeHead(file.status).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': file.contentType,
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
  });

  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const want = Buffer.from(token);
    const tokenOk = given.length === want.length && timingSafeEqual(given, want);
    if (url.pathname !== '/rpc' || !tokenOk || req.headers.origin !== origin) {
      log.warn('rejected websocket', { path: url.pathname, origin: req.headers.origin });
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  function onConnection(ws: WebSocket): void {
    sockets.add(ws);
    const send = (frame: MainFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const unsubscribe = (Object.keys(events) as EventName[]).map((event) =>
      core.on(event, (payload) => send({ t: 'event', event, payload })),
    );

    // Media: this socket becomes the renderer that owns call audio (the newest one wins).
    let nextMediaId = 1;
    const pending = new Map<
      number,
      { resolve: (v: unknown) => void; reject: (e: Error) => void }
    >();
    const detach = core.media.attach(
      (method: MediaMethod, args: unknown) =>
        new Promise((resolve, reject) => {
          const id = nextMediaId++;
          pending.set(id, { resolve, reject });
          send({ t: 'media', id, method, args });
        }),
    );

    ws.on('message', (data, isBinary) => {
      let frame: RendererFrame;
      try {
        if (isBinary) throw new Error('binary frame');
        frame = RendererFrame.parse(JSON.parse(data.toString()));
      } catch {
        log.warn('malformed frame from renderer');
        return;
      }
      if (frame.t === 'invoke') {
        void core
          .dispatch(frame.method, frame.args)
          .then((response) => send({ t: 'result', id: frame.id, response }));
      } else {
        const p = pending.get(frame.id);
        if (!p) return;
        pending.delete(frame.id);
        if (frame.ok) p.resolve(frame.result);
        else p.reject(new Error(frame.error ?? 'media request failed'));
      }
    });

    ws.on('close', () => {
      sockets.delete(ws);
      detach();
      for (const off of unsubscribe) off();
      for (const p of pending.values()) p.reject(new Error('renderer went away'));
      pending.clear();
    });
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  csp = buildCsp({ connectSrc: [`ws://127.0.0.1:${port}`] });

  return {
    url: `${origin}/#token=${token}`,
    port,
    async close() {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
