/** Told how long each purchase waited for its stock locks (for `/metrics`). */
export interface LockWaitObserver {
  onLockWait(seconds: number, outcome: 'acquired' | 'timeout' | 'store_unavailable'): void;
}

/** Told about each shared-store command (for `/metrics` and `/ready`'s `coordination`). */
export interface StoreObserver {
  onStoreOperation(operation: string, outcome: 'ok' | 'error'): void;
}
