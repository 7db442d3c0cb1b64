import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';

/**
 * The real path of the file `asked` (a URL path, `/`-separated, already percent-decoded) inside the
 * folder `root`, or undefined when there is no such file or the path would leave `root`: `..` and `.`
 * segments, absolute paths, and symbolic links leading outside are all refused. Folders are refused.
 */
export async function containedFile(root: string, asked: string): Promise<string | undefined> {
  const segments = asked.split(/[/\\]/);
  if (asked === '' || segments.some((s) => s === '..' || s === '.') || isAbsolute(asked)) return undefined;
  const realRoot = await realpath(root).catch(() => undefined);
  const file = await realpath(join(root, ...segments)).catch(() => undefined);
  if (realRoot === undefined || file === undefined) return undefined;
  const inside = relative(realRoot, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside))
    return undefined;
  const found = await stat(file).catch(() => undefined);
  return found?.isFile() ? file : undefined;
}
