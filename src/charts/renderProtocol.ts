// The messages between the render pool and its threads (renderPool.ts, renderWorker.ts).
import type { TopLevelSpec } from 'vega-lite';

export interface RenderRequest {
  id: number;
  spec: TopLevelSpec;
  /** Also rasterise the SVG to PNG. */
  png: boolean;
}

export type RenderReply =
  | { id: number; svg: string; png?: Uint8Array<ArrayBuffer>; error?: undefined }
  | { id: number; error: string };
