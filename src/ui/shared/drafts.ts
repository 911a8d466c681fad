/**
 * Unsent form values kept in memory across an unmount: a 401 signs the session out and unmounts
 * every page, and the value someone typed must be there after they sign in again. Memory only, so
 * nothing personal lands in storage and a reload still starts clean.
 */
const drafts = new Map<string, unknown>();

export function keepDraft(key: string, value: unknown): void {
  drafts.set(key, value);
}

/** The kept value, removed from the store (a form takes it once). */
export function takeDraft<T>(key: string): T | undefined {
  const value = drafts.get(key) as T | undefined;
  drafts.delete(key);
  return value;
}
