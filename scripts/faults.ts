// `npm run selftest:faults`: the fault matrix (helpers/faults/matrix.ts), on the stand-ins
// unless the image variables name other images, always on the fault baseline overlay.
import { CORRECTED_ENV, CORRECTED_OVERLAY, readConfig } from "../helpers/config.ts";
import { runFaultMatrix } from "../helpers/faults/matrix.ts";
import { withStandinImages } from "../helpers/images/catalog.ts";
import { runMain } from "../helpers/run/main.ts";

await runMain(() => {
  const env = { ...withStandinImages(process.env, true), ...CORRECTED_ENV, LIBRECHAT_OVERLAY: CORRECTED_OVERLAY };
  return runFaultMatrix(readConfig(env), env);
});
