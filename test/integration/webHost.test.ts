// Browser mode's door: the token, Host and Origin checks, and the contract over the WebSocket.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../../src/core/api';
import { startWebHost, type WebHost } from '../../src/host/web/webHost';
import type { ServerMessage } from '../../src/shared/contract';

let core: Core;
let host: WebHost;
let base: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-web-'));
  const renderer = join(dir, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Lifeboat</title>');
  await writeFile(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.txt'), 'outside the renderer folder');
  core = await createCore({ configPath: join(dir, 'fleet.yaml'), dataDir: join(dir, 'data') });
  host = await startWebHost({ core, rendererDir: renderer });
  base = `http://127.0.0.1:${host.port}`;
});

afterAll(async () => {
  await host?.close();
  await core?.close();
});

function openSocket(url: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(ws: WebSocket, id: number, method: string, input: unknown): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString()) as ServerMessage;
      if (msg.t === 'result' && msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ t: 'call', id, method, input }));
  });
}

describe('browser host', () => {
  it('listens on loopback only and prints a URL with the token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[A-Za-z0-9_-]{32}$`));
  });

  it('refuses the page without the token and serves it with the token, a strict CSP and a cookie', async () => {
    expect((await fetch(`${base}/`)).status).toBe(403);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(403);
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect(await page.text()).toContain('<title>Lifeboat</title>');
  });

  it('serves assets only to holders of the cookie, and never a file outside the renderer folder', async () => {
    expect((await fetch(`${base}/assets/app.js`)).status).toBe(403);
    const cookie = `lifeboat_token=${host.token}`;
    const asset = await fetch(`${base}/assets/app.js`, { headers: { cookie } });
    expect(await asset.text()).toBe('console.log(1)');
    const traversal = await fetch(`${base}/%2e%2e/secret.txt`, { headers: { cookie } });
    expect(traversal.status).toBe(404);
  });

  it('refuses a request whose Host is not loopback (DNS rebinding)', async () => {
    const res = await new Promise<number>((resolve) => {
      import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port: host.port, path: `/?token=${host.token}`, headers: { host: 'attacker.example:80' } }, (r) => resolve(r.statusCode ?? 0));
        req.end();
      });
    });
    expect(res).toBe(421);
  });

  it('refuses a WebSocket without the token or from another origin', async () => {
    await expect(openSocket(`ws://127.0.0.1:${host.port}/ws`, base)).rejects.toThrow(/403/);
    await expect(openSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, 'http://evil.example')).rejects.toThrow(/403/);
  });

  it('serves the contract: results, validation errors and events', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, base);
    const events: ServerMessage[] = [];
    ws.on('message', (d) => {
      const msg = JSON.parse(d.toString()) as ServerMessage;
      if (msg.t === 'event') events.push(msg);
    });
    const info = await call(ws, 1, 'app.info', {});
    expect(info).toMatchObject({ ok: true, value: { version: expect.any(String) } });
    const bad = await call(ws, 2, 'services.add', { service: { id: 'Bad Id' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const unknown = await call(ws, 3, 'fs.readFile', { path: '/etc/passwd' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const added = await call(ws, 4, 'services.add', {
      service: { id: 'orders', name: 'Orders', engine: 'postgres', connection: { host: '127.0.0.1', port: 5432, database: 'orders', user: 'app', password: { kind: 'none' } } },
    });
    expect(added).toMatchObject({ ok: true, value: { service: { id: 'orders' }, health: 'untested' } });
    expect(events).toContainEqual({ t: 'event', name: 'services.changed', payload: { ids: ['orders'] } });
    ws.close();
  });
});
