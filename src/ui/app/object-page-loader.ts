/**
 * The object page's code (schema editor, chart viewer, append form, table) is not part of the
 * first screen's bundle. It is loaded here once, by whichever asks first: a shared object link at
 * start-up (app/early-start.ts), the idle prefetch after sign-in, or the route itself.
 */
type ObjectPageModule = typeof import("./routes/ObjectPage");

let loading: Promise<ObjectPageModule> | undefined;
let loaded: ObjectPageModule | undefined;

/** A failed load (a dropped connection, a new build on the server) is not kept: the next call retries. */
export function loadObjectPage(): Promise<ObjectPageModule> {
  loading ??= import("./routes/ObjectPage").then(
    (module) => {
      loaded = module;
      return module;
    },
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

/** The page component once its chunk is in, so the route can render it without suspending. */
export function loadedObjectPage(): ObjectPageModule["ObjectPage"] | undefined {
  return loaded?.ObjectPage;
}
