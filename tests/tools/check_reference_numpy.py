#!/usr/bin/env python3
"""Cross-check the reference library's closed-form functions against numpy/scipy.

Not part of CTest (numpy and scipy may be absent). Loads libkl_reference.so with ctypes,
evaluates every closed-form ABI function on a few hundred random inputs (including zeros in p,
logits of +-1000, tau from 0.05 to 10, beta = 0.01) and prints, per function:

  vs numpy   max |got - numpy| / max(|numpy|, scale, floor). floor is 1e-3 for divergences,
             i.e. values that are 0 up to round-off are held to 1e-15 absolute (the tolerance
             rule of tests/reference_test.cpp), 1 for log-domain outputs (log pi, log Z, DPO
             rewards: an absolute error of a few ulps of the unnormalised logits), 0 otherwise.
             scale is what float64 numpy itself cannot resolve: the sum of |terms| for sums
             whose terms cancel (a KL that is small because p ~ q), q/p for q/p - 1.
             Must be <= 1e-12.
  vs exact   the same error measure, without scale, against the formula evaluated on the exact
             input doubles with 50-digit decimal arithmetic (Python's decimal module).
             Informational: it shows where numpy rather than the reference is the less
             accurate, and it includes input conditioning (exp(z / tau) with z / tau ~ 2e4
             amplifies an input ulp 2e4-fold), which no double algorithm can remove.

The fits (exercise 3) and the Monte Carlo estimate (exercise 5) are not closed forms; they are
covered by tests/reference_test.cpp.

Usage: check_reference_numpy.py [path/to/libkl_reference.so]   (default: build/lib/...)
Exit status 1 if any function exceeds the tolerance against numpy.
"""
import ctypes
import pathlib
import sys
from decimal import Decimal, getcontext

import numpy as np
from scipy import special, stats
from scipy.spatial import distance

TOLERANCE = 1e-12
TRIALS = 300
getcontext().prec = 50

REPO = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_LIB = REPO / "build" / "lib" / "libkl_reference.so"

D = ctypes.c_double
PD = ctypes.POINTER(ctypes.c_double)
SZ = ctypes.c_size_t

SIGNATURES = {
    "kl_divergence": (D, [PD, PD, SZ]),
    "entropy": (D, [PD, SZ]),
    "cross_entropy": (D, [PD, PD, SZ]),
    "gibbs_terms": (None, [PD, PD, SZ, PD, PD]),
    "gaussian_on_grid": (None, [PD, SZ, D, D, PD]),
    "marginal_rows": (None, [PD, SZ, SZ, PD]),
    "expected_conditional_kl": (D, [PD, PD, SZ, SZ]),
    "kl_gaussian": (D, [D, D, D, D]),
    "kl_vae": (D, [D, D]),
    "kl_vae_grad": (None, [D, D, PD, PD]),
    "js_divergence": (D, [PD, PD, SZ]),
    "chi2_divergence": (D, [PD, PD, SZ]),
    "tv_distance": (D, [PD, PD, SZ]),
    "rlhf_optimal_policy": (D, [PD, PD, SZ, D, PD]),
    "dpo_implicit_reward": (None, [PD, PD, SZ, D, PD]),
    "softmax_t": (None, [PD, SZ, D, PD]),
    "distillation_kl": (D, [PD, PD, SZ, D]),
    "kl_regularized_policy": (None, [PD, PD, SZ, D, PD]),
}


def load(path):
    lib = ctypes.CDLL(str(path))
    for name, (restype, argtypes) in SIGNATURES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def arr(a):
    """A contiguous float64 copy and a pointer to it (keep the copy alive during the call)."""
    a = np.ascontiguousarray(a, dtype=np.float64)
    return a, a.ctypes.data_as(PD)


def out(n):
    a = np.zeros(n, dtype=np.float64)
    return a, a.ctypes.data_as(PD)


# --- exact arithmetic on the input doubles -------------------------------------------------

def dec(x):
    return Decimal(float(x))  # exact: every double is a finite binary fraction


def dln(x):
    return x.ln() if isinstance(x, Decimal) else dec(x).ln()


def dexp(x):
    return x.exp()


def dsum(values):
    return sum(values, Decimal(0))


def exact_kl(p, q):
    if any(pi > 0 and qi == 0 for pi, qi in zip(p, q)):
        return np.inf
    return float(dsum(dec(pi) * (dln(pi) - dln(qi)) for pi, qi in zip(p, q) if pi > 0))


def dlog1p(x):
    # ln(1 + x) would drop an x below the working precision (1e-50); the series keeps it.
    return x - x * x / 2 + x * x * x / 3 if abs(x) < Decimal("1e-20") else (1 + x).ln()


def exact_log_softmax(v):
    """(log softmax(v), log sum exp(v)). The maximum m is split off and the log-probabilities
    are formed as (v_i - m) - L with L = ln(1 + rest): a tail mass far below the working
    precision relative to m (or to 1) would otherwise vanish."""
    others = list(v)
    m = others.pop(others.index(max(others)))
    log_rest = dlog1p(dsum(dexp(x - m) for x in others))
    return [(x - m) - log_rest for x in v], m + log_rest


def exact_log_softmax_tempered(z, tau):
    return exact_log_softmax([dec(zi) / dec(tau) for zi in z])[0]


# --- error bookkeeping ---------------------------------------------------------------------

def relative(got, want, floor):
    if got == want:
        return 0.0
    denominator = max(abs(want), floor)
    return abs(got - want) / denominator if denominator > 0 else np.inf


DIVERGENCE = 1e-3  # floor for divergence values: 1e-12 of it is the 1e-15 absolute allowance
LOG_DOMAIN = 1.0


class Report:
    def __init__(self):
        self.numpy = {}
        self.exact = {}
        self.plain_over = 0  # comparisons whose plain relative error vs numpy exceeds 1e-12
        self.numpy_worse = 0  # ... and where numpy is further from the exact value

    def add(self, name, got, want, exact, scale=0.0, floor=0.0):
        got, want, exact = (np.atleast_1d(np.asarray(a, dtype=np.float64)) for a in (got, want, exact))
        scale = np.broadcast_to(np.asarray(scale, dtype=np.float64), got.shape)
        err_numpy = err_exact = 0.0
        for g, w, s, e in zip(got, want, scale, exact):
            if np.isinf(w) or np.isinf(g) or np.isinf(e):
                err_numpy = max(err_numpy, 0.0 if g == w else np.inf)
                err_exact = max(err_exact, 0.0 if g == e else np.inf)
                continue
            err_numpy = max(err_numpy, relative(g, w, max(s, floor)))
            err_exact = max(err_exact, relative(g, e, floor))
            if w != 0 and abs(g - w) / abs(w) > TOLERANCE:
                self.plain_over += 1
                self.numpy_worse += abs(w - e) > abs(g - e)
        self.numpy[name] = max(self.numpy.get(name, 0.0), err_numpy)
        self.exact[name] = max(self.exact.get(name, 0.0), err_exact)

    def print(self):
        failed = False
        width = max(len(k) for k in self.numpy)
        print(f"{'function':<{width}}  {'vs numpy':>9}  {'vs exact':>9}")
        for name in SIGNATURES:
            if name not in self.numpy:
                continue
            ok = self.numpy[name] <= TOLERANCE
            failed |= not ok
            print(f"{name:<{width}}  {self.numpy[name]:9.2e}  {self.exact[name]:9.2e}"
                  f"  {'ok' if ok else 'FAIL'}")
        print(f"{self.plain_over} single comparisons exceed {TOLERANCE:g} in plain relative terms "
              f"against numpy (they pass only through the scale or floor above); in "
              f"{self.numpy_worse} of them numpy is the value further from the exact result")
        return failed


def distribution(rng, n, zeros=False):
    p = rng.dirichlet(np.full(n, rng.uniform(0.3, 3.0)))
    if zeros and n > 1:
        p[rng.random(n) < 0.3] = 0.0
        if p.sum() == 0.0:
            p[rng.integers(n)] = 1.0
        p /= p.sum()
    return p


# --- the checks ----------------------------------------------------------------------------

def check_divergences(lib, rng, report):
    for _ in range(TRIALS):
        n = int(rng.integers(1, 41))
        p = distribution(rng, n, zeros=rng.random() < 0.3)
        q = distribution(rng, n)
        _, pp = arr(p)
        _, qp = arr(q)
        terms = special.rel_entr(p, q)
        report.add("kl_divergence", lib.kl_divergence(pp, qp, n), terms.sum(), exact_kl(p, q),
                   np.abs(terms).sum(), DIVERGENCE)
        report.add("entropy", lib.entropy(pp, n), special.entr(p).sum(),
                   float(-dsum(dec(x) * dln(x) for x in p if x > 0)), floor=DIVERGENCE)
        report.add("cross_entropy", lib.cross_entropy(pp, qp, n), -special.xlogy(p, q).sum(),
                   float(-dsum(dec(x) * dln(y) for x, y in zip(p, q) if x > 0)), floor=DIVERGENCE)

        m = 0.5 * (p + q)
        js_terms = np.concatenate([special.rel_entr(p, m), special.rel_entr(q, m)]) / 2
        dm = [(dec(x) + dec(y)) / 2 for x, y in zip(p, q)]
        js_exact = float(dsum(dec(x) * (dln(x) - dln(mi)) / 2 for x, mi in zip(p, dm) if x > 0)
                         + dsum(dec(y) * (dln(y) - dln(mi)) / 2 for y, mi in zip(q, dm) if y > 0))
        got_js = lib.js_divergence(pp, qp, n)
        js_scale = np.abs(js_terms).sum()
        report.add("js_divergence", got_js, js_terms.sum(), js_exact, js_scale, DIVERGENCE)
        if n > 1:
            report.add("js_divergence", got_js, distance.jensenshannon(p, q) ** 2, js_exact,
                       js_scale, DIVERGENCE)
        report.add("chi2_divergence", lib.chi2_divergence(pp, qp, n), np.sum((p - q) ** 2 / q),
                   float(dsum((dec(x) - dec(y)) ** 2 / dec(y) for x, y in zip(p, q))),
                   floor=DIVERGENCE)
        report.add("tv_distance", lib.tv_distance(pp, qp, n), 0.5 * np.abs(p - q).sum(),
                   float(dsum(abs(dec(x) - dec(y)) for x, y in zip(p, q)) / 2), floor=DIVERGENCE)

        p_pos = distribution(rng, n)  # Gibbs terms need p > 0 everywhere
        _, pp = arr(p_pos)
        log_ratio, lrp = out(n)
        linear, lip = out(n)
        lib.gibbs_terms(pp, qp, n, lrp, lip)
        ratio = [dec(y) / dec(x) for x, y in zip(p_pos, q)]
        # ln(q/p) from a rounded q/p has an absolute error of an ulp of 1: scale 1 for numpy.
        report.add("gibbs_terms", log_ratio, np.log(q / p_pos), [float(r.ln()) for r in ratio],
                   scale=1.0)
        report.add("gibbs_terms", linear, q / p_pos - 1.0, [float(r - 1) for r in ratio],
                   scale=q / p_pos)


def check_chain_rule(lib, rng, report):
    for _ in range(TRIALS):
        rows, cols = int(rng.integers(1, 6)), int(rng.integers(1, 6))
        P = distribution(rng, rows * cols, zeros=rng.random() < 0.3).reshape(rows, cols)
        Q = distribution(rng, rows * cols).reshape(rows, cols)
        _, Pp = arr(P)
        _, Qp = arr(Q)
        marginal, mp = out(rows)
        lib.marginal_rows(Pp, rows, cols, mp)
        report.add("marginal_rows", marginal, P.sum(axis=1),
                   [float(dsum(dec(v) for v in row)) for row in P])
        p_x, q_x = P.sum(axis=1), Q.sum(axis=1)
        want, scale, exact = 0.0, 0.0, Decimal(0)
        for i in range(rows):
            if p_x[i] > 0:
                terms = p_x[i] * special.rel_entr(P[i] / p_x[i], Q[i] / q_x[i])
                want += terms.sum()
                scale += np.abs(terms).sum()
                dp, dq = dsum(dec(v) for v in P[i]), dsum(dec(v) for v in Q[i])
                exact += dsum(dec(a) * (dln(dec(a) / dp) - dln(dec(b) / dq))
                              for a, b in zip(P[i], Q[i]) if a > 0)
        report.add("expected_conditional_kl", lib.expected_conditional_kl(Pp, Qp, rows, cols),
                   want, float(exact), scale, DIVERGENCE)


def check_gaussians(lib, rng, report):
    x = np.linspace(-8, 8, 501)
    _, xp = arr(x)
    for _ in range(TRIALS):
        mu, sigma = rng.uniform(-6, 6), rng.uniform(0.5, 5.0)
        q, qp = out(x.size)
        lib.gaussian_on_grid(xp, x.size, mu, sigma, qp)
        want = stats.norm.pdf(x, mu, sigma)
        w = [dexp(-((dec(xi) - dec(mu)) / dec(sigma)) ** 2 / 2) for xi in x]
        total = dsum(w)
        report.add("gaussian_on_grid", q, want / want.sum(), [float(v / total) for v in w])

        mu1, mu2 = rng.normal(0, 2, 2)
        s1, s2 = np.exp(rng.uniform(-2, 2, 2))
        want = np.log(s2 / s1) + (s1 ** 2 + (mu1 - mu2) ** 2) / (2 * s2 ** 2) - 0.5
        exact = (dln(dec(s2) / dec(s1)) + (dec(s1) ** 2 + (dec(mu1) - dec(mu2)) ** 2)
                 / (2 * dec(s2) ** 2) - Decimal("0.5"))
        scale = abs(np.log(s2 / s1)) + (s1 ** 2 + (mu1 - mu2) ** 2) / (2 * s2 ** 2) + 0.5
        report.add("kl_gaussian", lib.kl_gaussian(mu1, s1, mu2, s2), want, float(exact), scale,
                   DIVERGENCE)
        want = 0.5 * (mu1 ** 2 + s1 ** 2 - np.log(s1 ** 2) - 1.0)
        exact = (dec(mu1) ** 2 + dec(s1) ** 2 - dln(dec(s1) ** 2) - 1) / 2
        scale = 0.5 * (mu1 ** 2 + s1 ** 2 + abs(np.log(s1 ** 2)) + 1.0)
        report.add("kl_vae", lib.kl_vae(mu1, s1), want, float(exact), scale, DIVERGENCE)
        d_mu, d_sigma = D(), D()
        lib.kl_vae_grad(mu1, s1, ctypes.byref(d_mu), ctypes.byref(d_sigma))
        report.add("kl_vae_grad", [d_mu.value, d_sigma.value], [mu1, s1 - 1.0 / s1],
                   [mu1, float(dec(s1) - 1 / dec(s1))], [0.0, s1 + 1.0 / s1])


def check_policies(lib, rng, report):
    for trial in range(TRIALS):
        n = int(rng.integers(1, 21))
        log_ref = rng.normal(-2.0, 1.5, n)  # deliberately not normalised
        reward = rng.normal(0.0, 2.0, n) * (500.0 if trial % 10 == 0 else 1.0)
        beta = 0.01 if trial % 5 == 0 else rng.uniform(0.05, 5.0)
        _, lp = arr(log_ref)
        _, rp = arr(reward)
        log_pi, pip = out(n)
        log_z = lib.rlhf_optimal_policy(lp, rp, n, beta, pip)
        v = log_ref + reward / beta
        want_log_z = special.logsumexp(v)
        dv = [dec(a) + dec(r) / dec(beta) for a, r in zip(log_ref, reward)]
        exact_log_pi, exact_log_z = exact_log_softmax(dv)
        report.add("rlhf_optimal_policy", log_z, want_log_z, float(exact_log_z), floor=LOG_DOMAIN)
        report.add("rlhf_optimal_policy", log_pi, v - want_log_z,
                   [float(x) for x in exact_log_pi], floor=LOG_DOMAIN)
        report.add("rlhf_optimal_policy", np.exp(log_pi), special.softmax(v),
                   [float(dexp(x)) for x in exact_log_pi])
        dpo, dp = out(n)
        lib.dpo_implicit_reward(pip, lp, n, beta, dp)
        report.add("dpo_implicit_reward", dpo, beta * (log_pi - log_ref),
                   [float(dec(beta) * (dec(a) - dec(b))) for a, b in zip(log_pi, log_ref)],
                   floor=LOG_DOMAIN)

        pi_ref = distribution(rng, n, zeros=rng.random() < 0.3)
        _, pp = arr(pi_ref)
        pi, pip2 = out(n)
        lib.kl_regularized_policy(pp, rp, n, beta, pip2)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            unnorm = pi_ref * np.exp(reward / beta)
            want = unnorm / unnorm.sum()
            if not (np.all(np.isfinite(want)) and unnorm.sum() > 1e-250):
                want = special.softmax(np.log(pi_ref) + reward / beta)  # the direct form overflows
        dl = [dln(a) + dec(r) / dec(beta) if a > 0 else None for a, r in zip(pi_ref, reward)]
        exact_log_pi = iter(exact_log_softmax([x for x in dl if x is not None])[0])
        report.add("kl_regularized_policy", pi, want,
                   [float(dexp(next(exact_log_pi))) if x is not None else 0.0 for x in dl])


def check_softmax(lib, rng, report):
    for trial in range(TRIALS):
        n = int(rng.integers(1, 21))
        scale = 1000.0 if trial % 4 == 0 else 3.0
        zt = rng.uniform(-scale, scale, n)
        zs = rng.uniform(-scale, scale, n)
        tau = float(np.exp(rng.uniform(np.log(0.05), np.log(10.0))))
        _, ztp = arr(zt)
        _, zsp = arr(zs)
        p, pp = out(n)
        lib.softmax_t(ztp, n, tau, pp)
        e = np.exp((zt - zt.max()) / tau)  # the notebook's softmax
        lt_exact = exact_log_softmax_tempered(zt, tau)
        report.add("softmax_t", p, e / e.sum(), [float(dexp(v)) for v in lt_exact])
        lt = special.log_softmax((zt - zt.max()) / tau)
        ls = special.log_softmax((zs - zs.max()) / tau)
        terms = np.exp(lt) * (lt - ls)
        ls_exact = exact_log_softmax_tempered(zs, tau)
        exact = dsum(dexp(a) * (a - b) for a, b in zip(lt_exact, ls_exact))
        report.add("distillation_kl", lib.distillation_kl(ztp, zsp, n, tau), terms.sum(),
                   float(exact), np.abs(terms).sum(), DIVERGENCE)


def main():
    lib_path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_LIB
    if not lib_path.exists():
        sys.exit(f"{lib_path} not found; build the project first or pass the library path")
    lib = load(lib_path)
    rng = np.random.default_rng(20240611)
    report = Report()
    check_divergences(lib, rng, report)
    check_chain_rule(lib, rng, report)
    check_gaussians(lib, rng, report)
    check_policies(lib, rng, report)
    check_softmax(lib, rng, report)
    print(f"{lib_path}: {TRIALS} random inputs per function, tolerance {TOLERANCE:g}")
    sys.exit(1 if report.print() else 0)


if __name__ == "__main__":
    main()
