// The body of one render thread (renderPool.ts): takes a chart spec, answers its SVG and, when
// asked, its PNG. Rendering is CPU work of up to seconds per chart; here it never holds up the
// service's event loop.
import { parentPort } from 'node:worker_threads';
import { renderPng, renderSvg } from './render.js';
import type { RenderReply, RenderRequest } from './renderProtocol.js';

const port = parentPort;
if (port === null) throw new Error('renderWorker.js runs as a worker thread (renderPool.ts starts it)');

port.on('message', async (request: RenderRequest) => {
  let reply: RenderReply;
  try {
    const svg = await renderSvg(request.spec);
    const png = request.png ? new Uint8Array(renderPng(svg)) : undefined;
    reply = { id: request.id, svg, ...(png ? { png } : {}) };
    // The PNG's bytes move to the service's thread rather than being copied.
    port.postMessage(reply, png ? [png.buffer] : []);
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
    port.postMessage(reply);
  }
});
