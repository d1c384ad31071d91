/**
 * The tutorial section that explains an API: the inspector links an exchange to the chapter of
 * docs/tutorial.md (or tutorial.ko.md) where a learner watches that API at work. The chapters are
 * found by their number, so a retitled heading keeps its link; the text is read from the checkout
 * the inspector runs from (an installed package without docs/ answers that it has none).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Chapter number of the tutorial that shows each API on the wire. */
const CHAPTER_OF: Record<string, number> = {
  ApiVersions: 2,
  Metadata: 3,
  DescribeCluster: 3,
  CreateTopics: 4,
  DeleteTopics: 4,
  CreatePartitions: 4,
  DescribeConfigs: 4,
  Produce: 5,
  Fetch: 5,
  ListOffsets: 5,
  InitProducerId: 5,
  FindCoordinator: 6,
  JoinGroup: 6,
  SyncGroup: 6,
  Heartbeat: 6,
  LeaveGroup: 6,
  OffsetCommit: 6,
  OffsetFetch: 6,
  DescribeGroups: 6,
  ListGroups: 6,
  ConsumerGroupHeartbeat: 6,
  ConsumerGroupDescribe: 6,
};

export interface TutorialSection {
  api: string;
  file: string;
  /** The heading as written, `## 5. Console produce and consume` without the hashes. */
  title: string;
  /** GitHub's anchor for that heading, for a link into the rendered file. */
  anchor: string;
  markdown: string;
}

/** Where the tutorials live: the repository root, two levels above src/inspector or dist/inspector. */
export const DOCS_DIR = fileURLToPath(new URL('../../docs/', import.meta.url));

export async function tutorialSection(
  api: string,
  language: 'en' | 'ko' = 'en',
  docsDir = DOCS_DIR,
): Promise<TutorialSection | { error: string }> {
  const chapter = Object.hasOwn(CHAPTER_OF, api) ? CHAPTER_OF[api] : undefined;
  if (chapter === undefined) return { error: `the tutorial has no chapter on ${api} yet` };
  const file = language === 'ko' ? 'tutorial.ko.md' : 'tutorial.md';
  let text: string;
  try {
    text = await readFile(`${docsDir.replace(/\/?$/, '/')}${file}`, 'utf8');
  } catch {
    return { error: `docs/${file} is not here (the tutorial ships with the repository, not the package)` };
  }
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`## ${chapter}. `));
  if (start < 0) return { error: `docs/${file} has no chapter ${chapter}` };
  let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  if (end < 0) end = lines.length;
  const title = lines[start].slice(3).trim();
  return {
    api,
    file: `docs/${file}`,
    title,
    anchor: githubAnchor(title),
    markdown: lines.slice(start, end).join('\n').trimEnd(),
  };
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function githubAnchor(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}
