/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): the frames with the most self time,
 * and self time per package / source area. Used by `npm run bench -- --profile` and by hand:
 * `node --import tsx bench/profile-summary.ts bench/results/profiles/…/x.cpuprofile [top]`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FrameShare {
  frame: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  topFrames: FrameShare[];
  byArea: FrameShare[];
}

/** Where a frame's code lives: a package, our own source directory, node internals or V8. */
function area(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  const own = /\/dist[^/]*\/(src\/[^/]+)/.exec(url);
  if (own?.[1]) return own[1];
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

export function summariseProfile(path: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const frames = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/');
    const frame = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    frames.set(frame, (frames.get(frame) ?? 0) + us);
    const where = area(url, functionName);
    areas.set(where, (areas.get(where) ?? 0) + us);
    total += us;
  }
  const share = (entries: Map<string, number>) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, us]) => ({ frame, selfMs: us / 1000, percent: total > 0 ? (100 * us) / total : 0 }));
  return { totalMs: total / 1000, topFrames: share(frames), byArea: share(areas) };
}

export function formatSummary(summary: ProfileSummary): string {
  const line = (f: FrameShare) => `  ${f.percent.toFixed(1).padStart(5)}%  ${f.frame}`;
  return [
    `sampled ${(summary.totalMs / 1000).toFixed(1)} s of CPU`,
    'top frames by self time:',
    ...summary.topFrames.map(line),
    'self time by area:',
    ...summary.byArea.map(line),
  ].join('\n');
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.filename === process.argv[1];
if (isEntryPoint) {
  const [path, top] = process.argv.slice(2);
  if (!path) {
    process.stderr.write('usage: profile-summary.ts <file.cpuprofile> [top]\n');
    process.exitCode = 2;
  } else {
    process.stdout.write(`${formatSummary(summariseProfile(path, top ? Number(top) : 15))}\n`);
  }
}
