import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The SHA-256 of the file's bytes as they are on disk (compressed, for `.gz`), in hex; read as a stream. */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
