// How the relays of this process hear that events were appended, without services holding a
// reference to a relay: appendEvents notes the new ids here, and each relay started in the
// process looks for them right away (they show once the transaction commits).
type Listener = (ids: readonly string[]) => void;

const listeners = new Set<Listener>();

export function noteAppended(ids: readonly string[]): void {
  for (const l of listeners) l(ids);
}

/** Returns the function that stops listening. */
export function onAppended(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
