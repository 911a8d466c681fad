/**
 * A lazily imported module, loaded once by whichever caller asks first. A failed load (a dropped
 * connection, a new build on the server) is not kept: the next call tries again. `loaded()` hands
 * the module over synchronously once it is in, so a view can render it without suspending.
 */
export function moduleLoader<M>(importer: () => Promise<M>): { load(): Promise<M>; loaded(): M | undefined } {
  let loading: Promise<M> | undefined;
  let module: M | undefined;
  return {
    load() {
      loading ??= importer().then(
        (m) => {
          module = m;
          return m;
        },
        (err: unknown) => {
          loading = undefined;
          throw err;
        },
      );
      return loading;
    },
    loaded: () => module,
  };
}
