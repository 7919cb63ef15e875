import type { RequestContext } from './http/principal';

/** One change or refusal, as modules describe it; the audit module adds who, where and the chain. */
export interface AuditEvent {
  action: string;
  outcome?: 'ok' | 'refused';
  targetType?: string;
  targetId?: string;
  /** Before/after of what changed, without secrets; kept small (changed fields only). */
  summary?: Record<string, unknown>;
}

/** Every module writes its changes here; implemented by modules/system/audit. */
export interface AuditRecorder {
  /** `tx` lets the entry commit with the change it describes. */
  record(context: RequestContext | null, event: AuditEvent, tx?: unknown): Promise<void>;
}
