/**
 * Imports every area's adapters into the registry.
 *
 * @module
 */

import { register } from "./registry.ts";
import { LINALG_ADAPTERS } from "./adapters/linalg.ts";
import { PRNG_ADAPTERS } from "./adapters/prng.ts";
register(LINALG_ADAPTERS);
register(PRNG_ADAPTERS);
import { DIFFEQ_ADAPTERS } from "./adapters/diffeq.ts";
register(DIFFEQ_ADAPTERS);
import { METRICS_ADAPTERS } from "./adapters/metrics.ts";
register(METRICS_ADAPTERS);
import { DATA_ADAPTERS } from "./adapters/data.ts";
register(DATA_ADAPTERS);
import { MODEL_ADAPTERS } from "./adapters/model.ts";
register(MODEL_ADAPTERS);
