// Puts the alert rules' test at the head of its group: it is the longest file and mostly waits,
// so one worker takes it at once and the other worker runs the rest beside it. vitest's own order
// (slowest first by the last run's cache, else largest file first) would get this right only with
// a warm cache, and CI starts cold.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const FIRST = /[/\\]alerts\.test\.ts$/;

export class AlertsFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [
      ...sorted.filter((f) => FIRST.test(f.moduleId)),
      ...sorted.filter((f) => !FIRST.test(f.moduleId)),
    ];
  }
}
