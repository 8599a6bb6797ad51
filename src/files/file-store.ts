// Members' files on the deployment's own disk, named by their SHA-256 (so a file is stored once, and its
// name proves its content). Writes go to a temporary file renamed into place: an interrupted write
// leaves no half file under the final name.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PRIVATE_DIR, PRIVATE_FILE } from "./private-storage.js";

export interface StoredBytes {
  sha256: string;
  size: number;
  /** Relative to the files folder. */
  path: string;
}

export function sha256Of(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

export async function storeBytes(filesDir: string, content: Buffer): Promise<StoredBytes> {
  const sha256 = sha256Of(content);
  const folder = sha256.slice(0, 2);
  const path = join(folder, sha256);
  // Owner-only whatever the umask (a self-review is personal): see private-storage.ts.
  await mkdir(join(filesDir, folder), { recursive: true, mode: PRIVATE_DIR });
  const temporary = join(filesDir, folder, `.${sha256}.${randomBytes(4).toString("hex")}.part`);
  try {
    await writeFile(temporary, content, { flag: "wx", mode: PRIVATE_FILE });
    await rename(temporary, join(filesDir, path));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return { sha256, size: content.length, path };
}

/** Reads a stored file back and checks it still matches its checksum. */
export async function readStored(filesDir: string, path: string, sha256: string): Promise<Buffer> {
  const content = await readFile(join(filesDir, path));
  if (sha256Of(content) !== sha256) throw new Error(`stored file ${path} does not match its checksum`);
  return content;
}

/** The file store the use cases receive (src/app/deps.ts FileStore): the files folder on this disk. */
export function diskFileStore(filesDir: string): {
  store(content: Buffer): Promise<StoredBytes>;
  read(path: string, sha256: string): Promise<Buffer>;
} {
  return {
    store: (content) => storeBytes(filesDir, content),
    read: (path, sha256) => readStored(filesDir, path, sha256),
  };
}
