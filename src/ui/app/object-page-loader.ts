/**
 * The object page's code (schema editor, chart viewer, append form, table) is not part of the
 * first screen's bundle. It is loaded here once, by whichever asks first: a shared object link at
 * start-up (app/early-start.ts), the idle prefetch after sign-in, or the route itself.
 */
import { moduleLoader } from "../shared/module-loader";

const objectPage = moduleLoader(() => import("./routes/ObjectPage"));

export const loadObjectPage = objectPage.load;

/** The page component once its chunk is in, so the route can render it without suspending. */
export function loadedObjectPage() {
  return objectPage.loaded()?.ObjectPage;
}
