import type { WeChatProduct } from '../../wechat/client/endpoint';

/** What a fault does to an API call (errcode, delay) or to a callback delivery (timeout, duplicate). */
export interface Fault {
  product: WeChatProduct;
  /** An API path such as `cgi-bin/menu/create`, or `callback` for deliveries. */
  path: string;
  errcode?: number;
  delayMs?: number;
  /** Deliveries only: `timeout` treats the attempt as unanswered, `duplicate` sends it twice at once. */
  delivery?: 'timeout' | 'duplicate';
  count: number;
}

/** The path faults use for callback deliveries. */
export const CALLBACK_FAULT_PATH = 'callback';

/**
 * Faults armed through the control API: the next `count` matching calls take
 * one each, oldest fault first. Kept in memory: a fault is a test's intent for
 * the next few calls, not state worth surviving a restart.
 */
export function createFaultRegistry() {
  let armed: Fault[] = [];
  const key = (product: string, path: string) => `${product}\u0000${path.replace(/^\/+/, '')}`;

  return {
    arm(fault: Fault): void {
      if (fault.count > 0) armed.push({ ...fault, path: fault.path.replace(/^\/+/, '') });
    },
    /** Takes one use of the oldest fault armed for this product and path. */
    take(product: string, path: string): Omit<Fault, 'count'> | null {
      const wanted = key(product, path);
      const fault = armed.find((f) => key(f.product, f.path) === wanted);
      if (!fault) return null;
      fault.count -= 1;
      if (fault.count <= 0) armed = armed.filter((f) => f !== fault);
      const { count: _count, ...rest } = fault;
      return rest;
    },
    list(): Fault[] {
      return armed.map((f) => ({ ...f }));
    },
    clear(): void {
      armed = [];
    },
  };
}

export type FaultRegistry = ReturnType<typeof createFaultRegistry>;
