"""Binary logistic regression with blocks, as SPSS LOGISTIC REGRESSION prints
it; maximum likelihood by statsmodels (``Logit``, Newton–Raphson), checked
against R ``glm(family = binomial)``.

* Outcome: a variable with exactly two observed levels; ``event`` (code or
  label) is modelled as 1 (default: the last level, SPSS's higher code).
* Predictors in ``blocks`` entered in order, categorical ones as 0/1 dummies
  against a reference level (as regression); listwise deletion over the
  outcome and every predictor of every block, so all steps share the rows.
* Coefficients: Wald = (b / se)², df 1, p of χ²(1); odds ratio exp(b) with
  the Wald CI exp(b ∓ z.975 · se) (SPSS's "95% C.I. for EXP(B)", R
  ``exp(confint.default())``).
* Steps: −2LL; omnibus χ² = −2LL(null) − −2LL(step) on the number of
  parameters; the block χ² against the previous step; Cox & Snell R² = 1 −
  exp((−2LL − −2LL₀) / n); Nagelkerke R² = Cox & Snell / (1 − exp(−(−2LL₀) / n)).
* Hosmer–Lemeshow with 10 groups: rows sorted by predicted probability, tied
  probabilities kept in one group, a tie block goes to group ⌈10·c / n⌉ with c
  the rows up to and including it; χ² over groups × (event, non-event),
  df = groups − 2.
* Classification at the cut .5 (event when p > .5, as SPSS); accuracy =
  SPSS's overall percentage correct.
"""
from __future__ import annotations

import math
import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import expit

from core.analyses.regression.compute import design, parse_blocks, predictors, whatif_model
from core.analyses.regression.whatif import as_model, design_row
from core.analyses.logistic.spec import SPEC
from core.data.model import Dataset, code_text, json_code
from core.engines import ols
from core.errors import UserError
from core.types import Note, Result

INTERCEPT = "(Intercept)"
CUT = 0.5
HL_GROUPS = 10
COEF_COLS = SPEC.table("coefficients").column_names
STEP_COLS = SPEC.table("steps").column_names
CLASS_COLS = SPEC.table("classification").column_names


def hosmer_lemeshow(y: np.ndarray, p: np.ndarray, groups: int = HL_GROUPS) -> tuple[float, int, float]:
    """Hosmer–Lemeshow χ², df and p (deciles of risk, ties together)."""
    order = np.argsort(p, kind="stable")
    ps, ys = p[order], y[order]
    n = ps.size
    new_block = np.empty(n, dtype=bool)
    new_block[0] = True
    new_block[1:] = ps[1:] != ps[:-1]
    block = np.cumsum(new_block) - 1
    last = np.flatnonzero(np.append(new_block[1:], True)) + 1     # rows up to and including each block
    grp = np.ceil(groups * last / n).astype(int)[block]
    _, g = np.unique(grp, return_inverse=True)
    ng = np.bincount(g).astype(float)
    obs = np.bincount(g, weights=ys)
    exp = np.bincount(g, weights=ps)
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = float(np.sum((obs - exp) ** 2 / exp + (obs - exp) ** 2 / (ng - exp)))
    df = ng.size - 2
    return chi2, df, float(stats.chi2.sf(chi2, df)) if df > 0 else math.nan


def _outcome(ds: Dataset, name: str, event) -> tuple[np.ndarray, list, int]:
    """0/1 (NaN = missing) outcome, its two level codes (non-event, event)."""
    idx, codes = ds.group_codes(name)
    if len(codes) != 2:
        raise UserError("logistic.error.not_binary", name=name, k=len(codes))
    ev = 1
    if event is not None and event != "":
        code = ds.resolve_level(name, event)
        ev = next(i for i, c in enumerate(codes) if code_text(c) == code_text(code))
    y = np.where(idx < 0, np.nan, (idx == ev).astype(float))
    return y, [json_code(codes[1 - ev]), json_code(codes[ev])], ev


def _fit(y: np.ndarray, X: np.ndarray):
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", PerfectSeparationWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            res = sm.Logit(y, sm.add_constant(X, has_constant="add")).fit(disp=0, method="newton", maxiter=100)
        except (PerfectSeparationWarning, np.linalg.LinAlgError):
            return None
    if not res.mle_retvals.get("converged", False) or not np.all(np.isfinite(res.bse)):
        return None
    return res


def run(ds: Dataset, opts: dict) -> Result:
    outcome = opts.get("outcome")
    blocks = [list(b) for b in (opts.get("blocks") or [])]
    if not outcome or not blocks or not any(blocks):
        raise UserError("logistic.error.nothing_chosen")
    ds.require(outcome)
    cat = parse_blocks(outcome, blocks, opts.get("categorical"))
    y_all, levels, _ = _outcome(ds, outcome, opts.get("event"))
    notes: list[Note] = []
    variables = predictors(ds, blocks, cat, notes)
    ok, y, X, terms = design(y_all, variables)
    n = int(y.size)
    if n < X.shape[1] + 3:
        raise UserError("error.too_few_rows", n=n, need=X.shape[1] + 3)
    n1 = float(y.sum())
    if n1 == 0 or n1 == n:
        raise UserError("logistic.error.one_outcome_level", name=outcome)
    lo, hi = X.min(axis=0), X.max(axis=0)
    const = [terms[j][0] for j in np.flatnonzero(hi == lo)]
    if const:
        raise UserError("regression.error.constant_predictor", names=", ".join(const))
    cr = ols.cross(X, y)
    try:
        ols.check_design(cr)
    except ols.Collinear as exc:
        raise UserError("regression.error.collinear", term=terms[exc.column][0],
                        others=", ".join(terms[j][0] for j in exc.others) or "—") from None

    ll0 = n1 * math.log(n1 / n) + (n - n1) * math.log(1 - n1 / n)
    dev0 = -2 * ll0
    z = float(stats.norm.ppf(0.975))
    step_rows, coef_rows = [], []
    prev_dev, prev_k = dev0, 0
    res = None
    for s in range(1, len(blocks) + 1):
        k = sum(1 for tm in terms if tm[3] < s)
        res = _fit(y, X[:, :k])
        if res is None:
            raise UserError("logistic.error.no_convergence", step=s)
        b, se = np.asarray(res.params), np.asarray(res.bse)
        wald = (b / se) ** 2
        for j, term in enumerate([INTERCEPT] + [tm[0] for tm in terms[:k]]):
            coef_rows.append({"step": s, "term": term, "b": b[j], "se": se[j], "wald": wald[j], "df": 1,
                              "p": float(stats.chi2.sf(wald[j], 1)), "odds_ratio": math.exp(b[j]),
                              "or_ci_low": math.exp(b[j] - z * se[j]), "or_ci_high": math.exp(b[j] + z * se[j])})
        dev = -2 * float(res.llf)
        p_hat = np.asarray(res.predict())
        cs = 1 - math.exp((dev - dev0) / n)
        hl = hosmer_lemeshow(y, p_hat)
        step_rows.append({"step": s, "n": n, "neg2ll": dev, "chi2": dev0 - dev, "df": k,
                          "p": float(stats.chi2.sf(dev0 - dev, k)), "chi2_change": prev_dev - dev,
                          "df_change": k - prev_k, "p_change": float(stats.chi2.sf(prev_dev - dev, k - prev_k)),
                          "cox_snell_r2": cs, "nagelkerke_r2": cs / (1 - math.exp(-dev0 / n)),
                          "hosmer_lemeshow_chi2": hl[0], "hl_df": hl[1], "hl_p": hl[2],
                          "accuracy": 100 * float(np.mean((p_hat > CUT) == (y == 1)))})
        prev_dev, prev_k = dev, k
    pred = p_hat > CUT
    class_rows = [{"outcome": outcome, "observed": levels[o], "predicted": levels[q],
                   "n": int(np.sum((y == o) & (pred == q)))}
                  for o in (0, 1) for q in (0, 1)]
    fit = SimpleNamespace(coef=np.asarray(res.params), cov=np.asarray(res.cov_params()), sigma2=math.nan,
                          df_resid=int(res.df_resid), n=n)
    model = whatif_model(outcome, variables, terms, fit, cr, lo, hi, None)
    notes.insert(0, Note("regression.note.listwise", {"n": n}))
    notes.append(Note("logistic.note.convention", {"event": levels[1], "other": levels[0]},
                      {"event": outcome, "other": outcome}))
    return Result("logistic", n, {
        "coefficients": pd.DataFrame(coef_rows, columns=COEF_COLS),
        "steps": pd.DataFrame(step_rows, columns=STEP_COLS),
        "classification": pd.DataFrame(class_rows, columns=CLASS_COLS),
    }, notes, meta={"outcome": outcome, "event": levels[1], "levels": levels, "blocks": blocks,
                    "terms": [{"term": tm[0], "variable": tm[1], "level": tm[2], "step": tm[3] + 1} for tm in terms],
                    "whatif": model.to_dict()})


def predict_probability(model, values: dict | None = None, level: float = 0.95) -> dict:
    """Predicted probability of the event at ``values`` (others at their means,
    categorical at the sample mix) with the CI from the logit ± z·√(x′Vx)."""
    model = as_model(model)
    c = model._arrays()
    x = design_row(model, values)
    eta = float(x @ c["b"])
    se = math.sqrt(max(float(x @ c["v"] @ x), 0.0))
    q = float(stats.norm.ppf(0.5 + level / 2))
    return {"probability": float(expit(eta)), "ci_low": float(expit(eta - q * se)), "ci_high": float(expit(eta + q * se)),
            "logit": eta, "se_logit": se}
