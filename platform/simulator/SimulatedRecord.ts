/** A record as a producer would put it on the log. */
export interface SimulatedRecord {
  topic: string;
  key: string;
  value: string | null;
  /**
   * Delivery time, epoch ms: the event time of what the record carries, except for injected
   * faults (a late or reordered record is delivered at its new position's time). Non-decreasing
   * in delivery order, so a live feed can release records by it.
   */
  at: number;
}
