// One version per component: where a release is named in two places (the compose images in .env,
// the native binaries scripts/setup-backends builds, the Node releases scripts/setup-node fetches),
// both name the same one. The stand-in images are built from the native binaries and tagged with
// .env's names, so a mismatch would run one release under another's name.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../stack/harness.js';

const read = (path: string) => readFileSync(join(REPO, path), 'utf8');
const value = (text: string, name: string): string => {
  const match = new RegExp(`^${name}=(.*)$`, 'm').exec(text);
  if (!match) throw new Error(`${name} is not set`);
  return (match[1] as string).trim();
};
const env = read('.env');
const backends = read('scripts/setup-backends');
const tag = (image: string) => image.slice(image.lastIndexOf(':') + 1);

describe('version pins', () => {
  it('.env names the releases scripts/setup-backends builds', () => {
    expect(tag(value(env, 'JAEGER_IMAGE'))).toBe(value(backends, 'JAEGER_RELEASE').replace(/^v/, ''));
    expect(tag(value(env, 'PROMETHEUS_IMAGE'))).toBe(value(backends, 'PROMETHEUS_RELEASE'));
    expect(tag(value(env, 'ZIPKIN_IMAGE'))).toBe(value(backends, 'ZIPKIN_VERSION'));
  });

  it("the Node image is the release scripts/setup-node fetches for 24, and 22 is engines' floor", () => {
    const setupNode = read('scripts/setup-node');
    const line = (major: string) =>
      new RegExp(`^\\s*${major}\\) version=([0-9.]+)`, 'm').exec(setupNode)?.[1];
    expect(tag(value(env, 'NODE_IMAGE')).split('-')[0]).toBe(line('24'));
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe(`>=${line('22')}`);
  });
});
