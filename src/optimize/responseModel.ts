/**
 * The response-model interface the optimizer and the scenario code are written against: the KPI
 * over the planning window (window.ts) as a function of a spend plan, once per posterior draw, and
 * the gradient of any weighted sum of those per-draw values. The optimizer never sees the sampler
 * or the MMM's parameters, only this.
 *
 * Plans are Float64Arrays of spend per plan entry (currency, over the whole window). A plan of
 * length P is shared by every draw; a plan of length D * P (row d for draw d) gives each draw its
 * own plan, which is how per-draw optimal allocations are found in one batch. (With one draw the
 * two layouts coincide.)
 *
 * Implementations: hostResponse.ts (float64, exact, analytic gradient) and tensorResponse.ts
 * (tfjs, float32, gradients by reverse-mode autodiff); `hybridResponseModel` takes values from the
 * first and gradients from the second.
 */
export interface ResponseModel {
  /** Number of posterior draws D. */
  readonly drawCount: number;
  /** Number of plan entries P. */
  readonly planSize: number;
  /** Per-draw outcome [D]: the KPI (or revenue) over the window under `plan` ([P] or [D * P]). */
  evaluate(plan: Float64Array): Float64Array;
  /**
   * Gradient with respect to the plan of sum_d weights[d] outcome_d(plan): [P] for a shared plan;
   * [D * P] for per-draw plans (row d = weights[d] times the gradient of outcome_d at plan row d).
   */
  gradient(plan: Float64Array, weights: Float64Array): Float64Array;
  /** Release any tensors held (no-op on the host). */
  dispose(): void;
}

/** Values from `values` (e.g. the float64 host model), gradients from `gradients` (e.g. tfjs autodiff). */
export function hybridResponseModel(values: ResponseModel, gradients: ResponseModel): ResponseModel {
  if (values.drawCount !== gradients.drawCount || values.planSize !== gradients.planSize) {
    throw new Error('hybridResponseModel: the two models must have the same draws and plan entries');
  }
  return {
    drawCount: values.drawCount,
    planSize: values.planSize,
    evaluate: (plan) => values.evaluate(plan),
    gradient: (plan, weights) => gradients.gradient(plan, weights),
    dispose: () => {
      values.dispose();
      gradients.dispose();
    },
  };
}

/** Checks a plan's length against a model: true for per-draw plans, false for a shared plan. */
export function isPerDrawPlan(model: { readonly drawCount: number; readonly planSize: number }, plan: ArrayLike<number>): boolean {
  if (plan.length === model.planSize) return false;
  if (plan.length === model.drawCount * model.planSize) return true;
  throw new Error(`response model: a plan needs ${model.planSize} entries (or ${model.drawCount} x ${model.planSize} per draw), got ${plan.length}`);
}
