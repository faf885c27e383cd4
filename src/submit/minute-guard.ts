/**
 * Whether an OPR may be written now. factomd's minute 0 is the window between a block's end
 * and minute 1 in which an entry for the closing height can no longer land; a node that does
 * not follow minutes cannot show it, so the guard then lets everything through ("better nine
 * good minutes and one bad than none"). Rules from the original's minute keeper.
 */
export interface MinuteReading {
  minute: number;
  directoryBlockHeight: number;
  leaderHeight: number;
}

export interface MinuteGuardState {
  submit: boolean;
  submitHeight: number;
  syncing: boolean;
  lastNonZero: number;
}

export class MinuteGuard {
  private state: MinuteGuardState = { submit: true, submitHeight: 0, syncing: false, lastNonZero: -1 };

  /** A reading failed: do not stall submission on an unreachable minute. */
  onError(): void {
    this.state.submit = true;
  }

  onReading(r: MinuteReading): void {
    const s = this.state;
    if (r.minute !== 0) {
      s.submit = true;
      s.submitHeight = r.directoryBlockHeight + 1;
      s.syncing = true;
      s.lastNonZero = r.directoryBlockHeight;
    } else if (r.directoryBlockHeight !== s.lastNonZero) {
      // Minute 0 of a block we never saw a non-zero minute of: the node is not following minutes.
      s.syncing = false;
      s.submit = true;
      s.submitHeight = r.directoryBlockHeight + 1;
    } else if (s.syncing && r.directoryBlockHeight === r.leaderHeight - 1) {
      s.submit = false;
    }
  }

  canSubmit(): boolean {
    return this.state.submit;
  }

  snapshot(): Readonly<MinuteGuardState> {
    return { ...this.state };
  }
}
