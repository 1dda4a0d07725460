import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The code measured: HEAD plus whether files outside bench/ differ from it (the working tree is what runs). */
export function gitState(): { commit: string; dirty_outside_bench: boolean } {
  try {
    const git = (args: string[]) =>
      execFileSync('git', args, { cwd: join(__dirname, '..'), encoding: 'utf8' });
    // Porcelain lines are "XY path": the status column may start with a space, so the output is not trimmed.
    const dirty = git(['status', '--porcelain'])
      .split('\n')
      .filter((line) => line && !line.slice(3).startsWith('bench/'));
    return { commit: git(['rev-parse', 'HEAD']).trim(), dirty_outside_bench: dirty.length > 0 };
  } catch {
    return { commit: 'unknown', dirty_outside_bench: true };
  }
}
