// Drafts: what a person has typed in a form not yet saved, kept in their own database (the "meta" store,
// key "draft:<name>") so it survives a reload, an app restart or a flat battery — offline too. A draft is
// never synced and never leaves the phone; the form clears it once the record is saved. One database per
// user (db.ts), so a draft is never shown to someone else on a shared phone.
import { open } from "./bus";

const key = (name: string) => `draft:${name}`;

/** The draft kept under `name` ("trip", "receipt", …), or undefined. */
export async function getDraft<T>(name: string): Promise<T | undefined> {
  const { db } = await open();
  return (await db.get("meta", key(name))) as T | undefined;
}

/** Keeps `value` (plain JSON data) as the draft `name`, replacing the one before. */
export async function setDraft(name: string, value: unknown): Promise<void> {
  const { db } = await open();
  await db.put("meta", JSON.parse(JSON.stringify(value)) as unknown, key(name));
}

export async function clearDraft(name: string): Promise<void> {
  const { db } = await open();
  await db.delete("meta", key(name));
}
