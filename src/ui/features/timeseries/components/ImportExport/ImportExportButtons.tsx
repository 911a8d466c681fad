/**
 * The Export and Import buttons. The dialogs (and their CSV, schema and upload code) load only when
 * a button is pressed, so they add nothing to the initial bundle.
 */
import { lazy, Suspense, useState } from "react";
import type { HeedyObject } from "../../../../../client/index";
import { accessAllows, scopeSet } from "../../../../../core/scopes";
import type { ViewRange } from "../../../../shared/time/view-range";

const ExportDialog = lazy(() => import("./ExportDialog"));
const ImportDialog = lazy(() => import("./ImportDialog"));

export function ImportExportButtons({ object, range }: { object: HeedyObject; range: ViewRange }) {
  const [open, setOpen] = useState<"export" | "import" | null>(null);
  const canWrite = accessAllows(scopeSet(object.access), "write");
  return (
    <>
      <button type="button" className="ts-button" onClick={() => setOpen("export")}>
        Export range…
      </button>
      {canWrite && (
        <button type="button" className="ts-button" onClick={() => setOpen("import")}>
          Import…
        </button>
      )}
      <Suspense fallback={null}>
        {open === "export" && <ExportDialog object={object} range={range} onClose={() => setOpen(null)} />}
        {open === "import" && <ImportDialog object={object} onClose={() => setOpen(null)} />}
      </Suspense>
    </>
  );
}
