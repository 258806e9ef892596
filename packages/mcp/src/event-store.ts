// The Streamable HTTP transport's event store: every SSE event a session sends gets an id, and a client that lost
// its connection reconnects with Last-Event-ID and receives what it missed on that stream. Kept in memory, per
// session, bounded: the oldest events go first, and a client asking to resume from one of them starts afresh.
import type { EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Events kept per session: a burst of progress notifications fits, a day of them does not. */
export const MAX_STORED_EVENTS = 1000;

export class BoundedEventStore implements EventStore {
  readonly #events = new Map<string, { streamId: string; message: JSONRPCMessage }>();
  readonly #limit: number;
  #next = 0;

  constructor(limit = MAX_STORED_EVENTS) {
    this.#limit = limit;
  }

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    this.#next += 1;
    const eventId = String(this.#next);
    this.#events.set(eventId, { streamId, message });
    // A Map iterates in insertion order: its first key is the oldest event.
    if (this.#events.size > this.#limit) this.#events.delete(this.#events.keys().next().value as string);
    return eventId;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return this.#events.get(eventId)?.streamId;
  }

  async replayEventsAfter(lastEventId: string, { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> }): Promise<string> {
    const last = this.#events.get(lastEventId);
    if (!last) throw new Error(`Event ${lastEventId} is no longer kept; reconnect without Last-Event-ID.`);
    let after = false;
    for (const [eventId, event] of this.#events) {
      if (after && event.streamId === last.streamId) await send(eventId, event.message);
      if (eventId === lastEventId) after = true;
    }
    return last.streamId;
  }
}
