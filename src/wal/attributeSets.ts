// Frozen attribute objects per (operation type, backend), found with two Map lookups: the hot
// paths reuse them on every call, so they allocate no attribute objects and build no cache keys
// (a concatenated string key cost as much as the lookup it served).
import type { Attributes } from '@opentelemetry/api';
import { ATTR, type Outcome } from './contract.js';

/** Error types remembered per (type, backend); more are built per call, never cached. */
const MAX_ERROR_TYPES_PER_SET = 64;

export class OperationAttributeSet {
  /** operation type + backend: span start attributes, retries. */
  readonly typeBackend: Attributes;
  /** `wal.operation <type>`, built once rather than per span. */
  readonly spanName: string;
  private readonly success: Attributes;
  private readonly errorTypes = new Map<string, Attributes>();

  constructor(
    private readonly type: string,
    private readonly backend: string,
  ) {
    this.typeBackend = Object.freeze({ [ATTR.operationType]: type, [ATTR.backend]: backend });
    this.spanName = `wal.operation ${type}`;
    this.success = this.make('success');
  }

  /** Duration attributes: type, backend, outcome and, for failures, error.type. */
  outcome(outcome: Outcome, errorType: string | undefined): Attributes {
    if (outcome === 'success' && errorType === undefined) return this.success;
    const key = `${outcome}\0${errorType ?? ''}`;
    let attributes = this.errorTypes.get(key);
    if (attributes === undefined) {
      attributes = this.make(outcome, errorType);
      if (this.errorTypes.size < MAX_ERROR_TYPES_PER_SET) this.errorTypes.set(key, attributes);
    }
    return attributes;
  }

  private make(outcome: Outcome, errorType?: string): Attributes {
    const attributes: Attributes = {
      [ATTR.operationType]: this.type,
      [ATTR.backend]: this.backend,
      [ATTR.outcome]: outcome,
    };
    if (errorType !== undefined) attributes[ATTR.errorType] = errorType;
    return Object.freeze(attributes);
  }
}

export class AttributeSets {
  private readonly byType = new Map<string, Map<string, OperationAttributeSet>>();
  private size = 0;

  /**
   * maxSets bounds memory when types or backends are unbounded (ids used as names, say); onNew
   * runs once for each set that is kept.
   */
  constructor(
    private readonly maxSets: number,
    private readonly onNew?: (set: OperationAttributeSet) => void,
  ) {}

  get(type: string, backend: string): OperationAttributeSet {
    let byBackend = this.byType.get(type);
    let set = byBackend?.get(backend);
    if (set !== undefined) return set;
    set = new OperationAttributeSet(type, backend);
    if (this.size < this.maxSets) {
      if (byBackend === undefined) {
        byBackend = new Map();
        this.byType.set(type, byBackend);
      }
      byBackend.set(backend, set);
      this.size++;
      this.onNew?.(set);
    }
    return set;
  }
}
