// Both images run unprivileged: the last stage of each Dockerfile switches to a non-root user
// before its entrypoint (compose does not override it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO } from '../helpers/tools.js';

function finalStageUser(dockerfile: string): string | undefined {
  const stages = readFileSync(join(REPO, dockerfile), 'utf8').split(/^FROM\s/m);
  const last = stages.at(-1) ?? '';
  return [...last.matchAll(/^USER\s+(\S+)/gm)].at(-1)?.[1];
}

describe('container images run as non-root', () => {
  it.each(['Dockerfile', 'collector/Dockerfile'])('%s ends as a non-root user', (dockerfile) => {
    const user = finalStageUser(dockerfile);
    expect(user, `${dockerfile} has no USER in its last stage`).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
  });

  it('compose sets no user override back to root', () => {
    const compose = parse(readFileSync(join(REPO, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { user?: string }>;
    };
    for (const [name, service] of Object.entries(compose.services))
      expect(['root', '0', '0:0'], name).not.toContain(service.user);
  });
});
