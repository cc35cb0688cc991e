// The global meter provider start() registers, made real when metrics are first needed: the
// first measurement, the first observable callback, or a flush. Instrumentations create their
// instruments as they are made (at start-up), which with the SDK's MeterProvider would load
// @opentelemetry/sdk-metrics (about 50 modules) into every start, recorded or not.
import type {
  BatchObservableCallback,
  Counter,
  Gauge,
  Histogram,
  Meter,
  MeterOptions,
  MeterProvider,
  MetricOptions,
  Observable,
  ObservableCallback,
  ObservableCounter,
  ObservableGauge,
  ObservableUpDownCounter,
  UpDownCounter,
} from "@opentelemetry/api";

/** What the deferred provider stands in for: the SDK's MeterProvider. */
export interface RealMeterProvider extends MeterProvider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

type SyncKind = "createCounter" | "createUpDownCounter" | "createHistogram" | "createGauge";
type ObservableKind = "createObservableCounter" | "createObservableUpDownCounter" | "createObservableGauge";

export class DeferredMeterProvider implements MeterProvider {
  private real?: RealMeterProvider;

  constructor(
    private readonly build: () => RealMeterProvider,
    private readonly onBuilt: () => void = () => {},
  ) {}

  /** The SDK's provider, built (with its readers) on the first call. */
  materialize(): RealMeterProvider {
    if (!this.real) {
      this.real = this.build();
      this.onBuilt();
    }
    return this.real;
  }

  get built(): boolean {
    return this.real !== undefined;
  }

  getMeter(name: string, version?: string, options?: MeterOptions): Meter {
    if (this.real) return this.real.getMeter(name, version, options);
    return new DeferredMeter(() => this.materialize().getMeter(name, version, options));
  }

  forceFlush(): Promise<void> {
    return this.materialize().forceFlush();
  }

  shutdown(): Promise<void> {
    return this.real?.shutdown() ?? Promise.resolve();
  }
}

class DeferredMeter implements Meter {
  private real?: Meter;
  private readonly batchCallbacks = new Map<BatchObservableCallback, BatchObservableCallback>();

  constructor(private readonly resolve: () => Meter) {}

  private meter(): Meter {
    return (this.real ??= this.resolve());
  }

  private sync<T>(kind: SyncKind, name: string, options?: MetricOptions): T {
    let instrument: Record<string, (...args: unknown[]) => void> | undefined;
    const real = () => (instrument ??= this.meter()[kind](name, options) as unknown as Record<string, (...args: unknown[]) => void>);
    return {
      add: (...args: unknown[]) => real().add!(...args),
      record: (...args: unknown[]) => real().record!(...args),
    } as T;
  }

  private observable<T extends Observable>(kind: ObservableKind, name: string, options?: MetricOptions): T {
    let instrument: Observable | undefined;
    const real = () => (instrument ??= this.meter()[kind](name, options));
    const deferred = {
      addCallback: (callback: ObservableCallback) => real().addCallback(callback),
      removeCallback: (callback: ObservableCallback) => real().removeCallback(callback),
      /** The SDK's instrument, for a batch callback. */
      real,
    };
    return deferred as unknown as T;
  }

  createCounter(name: string, options?: MetricOptions): Counter {
    return this.sync("createCounter", name, options);
  }

  createUpDownCounter(name: string, options?: MetricOptions): UpDownCounter {
    return this.sync("createUpDownCounter", name, options);
  }

  createHistogram(name: string, options?: MetricOptions): Histogram {
    return this.sync("createHistogram", name, options);
  }

  createGauge(name: string, options?: MetricOptions): Gauge {
    return this.sync("createGauge", name, options);
  }

  createObservableCounter(name: string, options?: MetricOptions): ObservableCounter {
    return this.observable("createObservableCounter", name, options);
  }

  createObservableUpDownCounter(name: string, options?: MetricOptions): ObservableUpDownCounter {
    return this.observable("createObservableUpDownCounter", name, options);
  }

  createObservableGauge(name: string, options?: MetricOptions): ObservableGauge {
    return this.observable("createObservableGauge", name, options);
  }

  // The callback observes the instruments it was given (ours): the SDK's result is keyed by its own.
  addBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]): void {
    const wrapped: BatchObservableCallback = (result) =>
      callback({ observe: (observable, value, attributes) => result.observe(realObservable(observable), value, attributes) });
    this.batchCallbacks.set(callback, wrapped);
    this.meter().addBatchObservableCallback(wrapped, observables.map(realObservable));
  }

  removeBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]): void {
    const wrapped = this.batchCallbacks.get(callback);
    if (!wrapped) return;
    this.batchCallbacks.delete(callback);
    this.meter().removeBatchObservableCallback(wrapped, observables.map(realObservable));
  }
}

function realObservable(observable: Observable): Observable {
  const real = (observable as { real?: () => Observable }).real;
  return real ? real() : observable;
}
