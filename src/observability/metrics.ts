// Prometheus metrics: one registry per app instance (tests build many apps in one process).
import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly ticketsCreated: Counter<'type'>;
  readonly callsInspected: Counter<'brand'>;
  readonly deadlineBreaches: Counter<'deadline'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'huashu_' });
    this.httpDuration = new Histogram({
      name: 'huashu_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.ticketsCreated = new Counter({
      name: 'huashu_tickets_created_total',
      help: 'Tickets created, by type',
      labelNames: ['type'],
      registers: [this.registry],
    });
    this.callsInspected = new Counter({
      name: 'huashu_calls_inspected_total',
      help: 'Calls stored and inspected, by brand',
      labelNames: ['brand'],
      registers: [this.registry],
    });
    this.deadlineBreaches = new Counter({
      name: 'huashu_deadline_breaches_total',
      help: 'Ticket deadlines breached, by deadline',
      labelNames: ['deadline'],
      registers: [this.registry],
    });
  }
}

/** The metrics token check, in constant time: the digests have one length whatever was sent. */
export function sameSecret(sent: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(sent), digest(expected));
}
