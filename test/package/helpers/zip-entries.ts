import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/** A file inside a zip, with the size it unpacks to. */
export interface ZipEntry {
  name: string;
  bytes: number;
  /** Reads the entry's contents (stored or deflated). */
  read(): Buffer;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;

/** Lists a zip's entries from its central directory (no dependency needed for sizes and names). */
export const readZipEntries = (file: string): ZipEntry[] => {
  const zip = readFileSync(file);
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end -= 1;
  if (end < 0) throw new Error(`${file} is not a zip file (no end-of-central-directory record).`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY)
      throw new Error(`${file}: corrupt central directory at entry ${i}.`);
    const method = zip.readUInt16LE(offset + 10);
    const compressed = zip.readUInt32LE(offset + 20);
    const bytes = zip.readUInt32LE(offset + 24);
    const localHeader = zip.readUInt32LE(offset + 42);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const read = (): Buffer => {
      const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(start, start + compressed);
      return method === 0 ? data : inflateRawSync(data);
    };
    entries.push({ name: zip.toString('utf8', offset + 46, offset + 46 + nameLength), bytes, read });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
};
