import { Logger } from '@nestjs/common';

type Listener<T> = (payload: T) => void;

/** A tiny typed emitter: the event name fixes the payload type at both ends. */
export class TypedEmitter<M extends Record<string, unknown>> {
  private readonly logger = new Logger(TypedEmitter.name);
  private readonly listeners = new Map<keyof M, Set<Listener<never>>>();

  /** Returns the function that removes the listener. */
  on<K extends keyof M>(name: K, listener: Listener<M[K]>): () => void {
    const set = this.listeners.get(name) ?? new Set<Listener<never>>();
    this.listeners.set(name, set);
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /**
   * The write that raised the event has already committed, so a failing listener must not turn it into an error
   * for the caller, nor keep the other listeners from hearing it; it is logged instead.
   */
  emit<K extends keyof M>(name: K, payload: M[K]): void {
    for (const listener of this.listeners.get(name) ?? []) {
      try {
        (listener as Listener<M[K]>)(payload);
      } catch (error) {
        this.logger.error({ err: error, event: name }, 'event listener failed');
      }
    }
  }
}
