// What the TIME-WAIT timers say about the last minute: the most ports one destination held at once,
// although the burst may have ended before the sample. Pure data (JSON-safe), part of the Sample.

/** The fullest moment of one destination within the last TIME-WAIT length, reconstructed from close times. */
export interface RecentExhaustion {
  /** Destination key, as in DestinationUsage.key. */
  key: string;
  localAddress: string;
  remoteAddress: string;
  remotePort: number;
  /** Epoch ms of the fullest moment (the first moment capacity was reached, when it was). */
  time: number;
  /** Ports held at once then (a lower bound: only closed connections whose ports were not yet free are counted). */
  peak: number;
  /** Usable ports toward the destination. */
  capacity: number;
  /** True when peak reached capacity: a connect() toward it then had no port. */
  exhausted: boolean;
  /** Connections that closed within the window making the peak, and the seconds between the first and last close. */
  closes: number;
  closeSpanSec: number;
  /** Seconds a closed connection kept its port (the reuse delay when tcp_tw_reuse applies, else the TIME-WAIT length). */
  holdSec: number;
  /** True when tcp_tw_reuse let new connections reuse the ports after holdSec. */
  reuse: boolean;
  /** capacity / holdSec: the new connections per second this destination sustains. */
  sustainablePerSec: number;
  /**
   * What the figure rests on. "timers": TIME-WAIT timers and the kernel's exact reuse delay (proof);
   * "timers-approximate-delay": the kernel has no tcp_tw_reuse_delay, its reuse delay is between 0 and 1 s (an inference).
   */
  basis: 'timers' | 'timers-approximate-delay';
}
