/**
 * How a documented command's output is compared with what it printed (docs/tutorial*.md, README.md):
 * tabs count as spaces, runs of spaces as one space, trailing spaces are ignored; `…` matches any
 * characters (none included) within a line; a line that is only `…` matches any number of lines.
 */
export const WILDCARD = '…';

const normalize = (s: string) => s.replace(/\t/g, ' ').replace(/ {2,}/g, ' ').trimEnd();

export function lineMatches(expected: string, actual: string): boolean {
  const parts = normalize(expected).split(WILDCARD);
  const pattern = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`, 's').test(normalize(actual));
}

/** The whole output, line for line; a `…` line stands for any number of lines. */
export function outputMatches(expected: string[], actual: string[]): boolean {
  const e = trimBlankEnd(expected);
  const a = trimBlankEnd(actual);
  // can[i][j]: e[i..] matches a[j..]
  const can: boolean[][] = Array.from({ length: e.length + 1 }, () => new Array(a.length + 1).fill(false));
  can[e.length][a.length] = true;
  for (let i = e.length - 1; i >= 0; i--) {
    for (let j = a.length; j >= 0; j--) {
      if (e[i].trim() === WILDCARD) can[i][j] = can[i + 1][j] || (j < a.length && can[i][j + 1]);
      else can[i][j] = j < a.length && lineMatches(e[i], a[j]) && can[i + 1][j + 1];
    }
  }
  return can[0][0];
}

export function trimBlankEnd(lines: string[]): string[] {
  let n = lines.length;
  while (n > 0 && lines[n - 1].trim() === '') n--;
  return lines.slice(0, n);
}
