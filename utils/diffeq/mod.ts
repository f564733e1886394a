/**
 * ODE integration (ngclearn `utils.diffeq`): one-step explicit Runge-Kutta
 * integrators with ngclearn's `x_scale` semantics, `solveOde` (fixed-step
 * trajectories on `scan`, differentiable), `leapfrog` (velocity Verlet),
 * `getIntegratorCode`, and the example systems of `odes.py`.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { linear2D, solveOde } from "./mod.ts";
 * using x0 = tensor([3, -1.5]);
 * const { ts, xs } = solveOde(linear2D, x0, { method: "rk4", T: 100, dt: 0.01 });
 * console.assert(ts.shape.join() === "100" && xs.shape.join() === "100,2");
 * ts.dispose();
 * xs.dispose();
 * ```
 *
 * @module
 */

export type { OdeFn, OdeState, SameTime, StepOptions, StepResult, Time } from "./common.ts";
export {
  type MethodName,
  stepEuler,
  type StepFn,
  stepHeun,
  stepRalston,
  stepRk2,
  stepRk4,
  stepWith,
} from "./steps.ts";
export { cubic2D, linear2D, linear3D, lorenz, oscillator, type OscillatorOptions } from "./odes.ts";
export {
  getIntegratorCode,
  INTEGRATOR_NAMES,
  type IntegratorCodeOptions,
} from "./integrator_code.ts";
export { type OdeSolution, type OdeSolutionFull, solveOde, type SolveOdeOptions } from "./solve.ts";
export {
  leapfrog,
  type LeapfrogOptions,
  type LeapfrogResult,
  type LeapfrogState,
} from "./leapfrog.ts";
