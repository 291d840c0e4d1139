"""Standardising and fitting the risk model with numpy: the problem scikit-learn solves, solved.

A venue model is ``StandardScaler`` followed by ``LogisticRegression(class_weight="balanced")``
with scikit-learn's defaults. Workers refit it as a venue's history moves on, and importing
scikit-learn to do so cost every long-lived worker ~85 MB of its ~250 MB limit, for four
features and at most HISTORY_LIMIT rows. The same problem is small enough to solve here:

* standardising: each column's mean and population standard deviation; a column constant up to
  rounding gets scale 1, by scikit-learn's own test (so it scales to zeros, not to noise);
* fitting: minimise ``½‖w‖² + C·Σ sᵢ·log(1 + exp(−ỹᵢ·(w·xᵢ + b)))`` (ỹᵢ = ±1, the intercept b
  not penalised, C = 1, "balanced" weights sᵢ = n / (2·nᵢ) where nᵢ counts the rows of xᵢ's
  class), scikit-learn's objective, by Newton's method with a backtracking line search.

The objective is smooth and strictly convex (the penalty bounds w; rows of both classes bound
b), so Newton converges in a handful of 5 × 5 solves, to a gradient far below scikit-learn's
default stopping point (L-BFGS with gtol 1e-4): both land on the same optimum, scikit-learn a
little short of it. ``tests/risk`` fits both on random and degenerate data and compares them;
scikit-learn stays the reference there, and nothing here imports it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]
Flags = NDArray[np.bool_]

#: scikit-learn's default inverse regularisation strength.
C = 1.0
#: Stop once every component of the gradient of the objective per unit of sample weight is
#: below this (scikit-learn stops at 1e-4 on the same scale).
GRADIENT_TOLERANCE = 1e-10
#: Newton takes 3-10 steps on these problems; this only bounds the loop.
MAX_STEPS = 100
#: Armijo's sufficient decrease for the line search, and the smallest step it tries.
SUFFICIENT_DECREASE = 1e-4
MIN_STEP = 1e-10
EPS = float(np.finfo(np.float64).eps)


def standardise(rows: Floats) -> tuple[Floats, Floats]:
    """Each column's mean and scale, as ``StandardScaler().fit(rows)`` gives them.

    A column is constant when its variance is within the rounding error of computing it
    (scikit-learn's bound); its scale is then 1, so it standardises to zeros.
    """
    count = rows.shape[0]
    mean: Floats = rows.mean(axis=0)
    variance: Floats = rows.var(axis=0)
    constant = variance <= count * EPS * variance + (count * mean * EPS) ** 2
    scale: Floats = np.where(constant, 1.0, np.sqrt(variance))
    return mean, scale


def balanced_weights(labels: Flags) -> Floats:
    """``class_weight="balanced"``: each row weighs n / (2 · rows of its class)."""
    positives = int(labels.sum())
    negatives = len(labels) - positives
    if not positives or not negatives:
        raise ValueError("a logistic regression needs rows of both classes")
    per_class = np.array([len(labels) / (2 * negatives), len(labels) / (2 * positives)])
    weights: Floats = per_class[labels.astype(np.intp)]
    return weights


def fit_logistic(x: Floats, labels: Flags, weights: Floats) -> tuple[Floats, float]:
    """The coefficients and intercept minimising the weighted, L2-penalised log-loss."""
    problem = _Problem(np.hstack([x, np.ones((x.shape[0], 1))]), labels.astype(np.float64), weights)
    beta = np.zeros(problem.design.shape[1])
    for _ in range(MAX_STEPS):
        gradient = problem.gradient(beta)
        if np.max(np.abs(gradient)) <= GRADIENT_TOLERANCE * problem.total_weight:
            break
        step = np.asarray(np.linalg.solve(problem.hessian(beta), gradient), dtype=np.float64)
        lower = problem.line_search(beta, step, gradient)
        if lower is None:
            break
        beta = lower
    return beta[:-1], float(beta[-1])


class _Problem:
    """The objective of one fit, its gradient and Hessian, over ``beta`` = (w, b)."""

    def __init__(self, design: Floats, target: Floats, weights: Floats) -> None:
        self.design, self.target, self.weights = design, target, weights
        self.total_weight = float(weights.sum())
        # The penalty's diagonal: 1/C on every coefficient, none on the intercept (last).
        self.penalty = np.append(np.full(design.shape[1] - 1, 1.0 / C), 0.0)

    def objective(self, beta: Floats) -> float:
        """½‖w‖²/C + Σ sᵢ·(log(1 + e^mᵢ) − yᵢ·mᵢ), divided through by C (same minimiser)."""
        margins = self.design @ beta
        losses = np.logaddexp(0.0, margins) - self.target * margins
        return float(self.weights @ losses + 0.5 * beta @ (self.penalty * beta))

    def probabilities(self, beta: Floats) -> Floats:
        """P(y = 1) per row, without overflow for large margins of either sign."""
        probabilities: Floats = np.exp(-np.logaddexp(0.0, -(self.design @ beta)))
        return probabilities

    def gradient(self, beta: Floats) -> Floats:
        residuals = self.weights * (self.probabilities(beta) - self.target)
        gradient: Floats = self.design.T @ residuals + self.penalty * beta
        return gradient

    def hessian(self, beta: Floats) -> Floats:
        probabilities = self.probabilities(beta)
        curvature = self.weights * probabilities * (1.0 - probabilities)
        hessian: Floats = (self.design.T * curvature) @ self.design + np.diag(self.penalty)
        return hessian

    def line_search(self, beta: Floats, step: Floats, gradient: Floats) -> Floats | None:
        """``beta - t·step`` for the largest t in 1, ½, ¼, … that lowers the objective enough.

        A full Newton step can overshoot while the margins are far from the optimum; halving
        it until Armijo's condition holds keeps every step downhill. None when even MIN_STEP
        does not: the objective cannot be lowered within rounding, ``beta`` is the optimum.
        """
        start, slope = self.objective(beta), float(gradient @ step)
        size = 1.0
        while size >= MIN_STEP:
            candidate: Floats = beta - size * step
            if self.objective(candidate) <= start - SUFFICIENT_DECREASE * size * slope:
                return candidate
            size /= 2
        return None
