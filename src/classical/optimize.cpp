#include "alloyml/classical/optimize.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "alloyml/core/rng.h"

namespace alloyml::classical {

GaResult minimize_ga(const std::function<double(const std::vector<double>&)>& fitness, size_t genes,
                     const GaOptions& o, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  const size_t n = static_cast<size_t>(std::max(2, o.population));
  const size_t elite = std::min(static_cast<size_t>(std::max(0, o.elite)), n);
  const double bound = o.bound;
  using Individual = std::vector<double>;
  std::vector<Individual> pop(n, Individual(genes));
  for (auto& ind : pop)
    for (auto& g : ind) g = -bound + 2 * bound * uniform01(gen);
  std::vector<double> fit(n);
  auto evaluate = [&] {
    for (size_t i = 0; i < n; ++i) {
      fit[i] = fitness(pop[i]);
      if (!std::isfinite(fit[i])) fit[i] = std::numeric_limits<double>::max();
    }
  };
  auto ranking = [&] {
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return fit[a] < fit[b]; });
    return order;
  };
  GaResult result;
  auto record = [&](int g) {
    const auto order = ranking();
    if (result.best.empty() || fit[order[0]] < result.best_fitness) {
      result.best = pop[order[0]];
      result.best_fitness = fit[order[0]];
    }
    double mean = 0;
    for (double f : fit) mean += f;
    result.history.push_back({g, fit[order[0]], mean / static_cast<double>(n)});
  };
  evaluate();
  record(0);
  for (int g = 1; g <= o.generations; ++g) {
    const auto order = ranking();
    std::vector<Individual> elites;
    std::vector<double> elite_fit;
    for (size_t e = 0; e < elite; ++e) {
      elites.push_back(pop[order[e]]);
      elite_fit.push_back(fit[order[e]]);
    }
    // Roulette wheel on 1 / fitness (lower error, larger slice).
    std::vector<double> cum(n);
    double total = 0;
    for (size_t i = 0; i < n; ++i) cum[i] = total += 1.0 / (fit[i] + 1e-12);
    std::vector<Individual> next;
    next.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      const double r = uniform01(gen) * total;
      const size_t k = static_cast<size_t>(std::upper_bound(cum.begin(), cum.end(), r) - cum.begin());
      next.push_back(pop[std::min(k, n - 1)]);
    }
    // Arithmetic crossover of neighbouring pairs.
    for (size_t i = 0; i + 1 < n; i += 2) {
      if (uniform01(gen) >= o.crossover) continue;
      const double a = uniform01(gen);
      for (size_t j = 0; j < genes; ++j) {
        const double x = next[i][j], y = next[i + 1][j];
        next[i][j] = a * x + (1 - a) * y;
        next[i + 1][j] = (1 - a) * x + a * y;
      }
    }
    // Non-uniform mutation of one gene: steps shrink as the generations run out.
    const double shrink = std::pow(1.0 - static_cast<double>(g) / (o.generations + 1), 2.0);
    for (auto& ind : next) {
      if (uniform01(gen) >= o.mutation || genes == 0) continue;
      const size_t j = static_cast<size_t>(gen() % genes);
      const double step = uniform01(gen) * shrink;
      ind[j] = uniform01(gen) < 0.5 ? ind[j] + (bound - ind[j]) * step : ind[j] - (ind[j] + bound) * step;
    }
    pop = std::move(next);
    evaluate();
    // Elitism: the best of the last generation replace the worst of this one.
    const auto now = ranking();
    for (size_t e = 0; e < elite; ++e) {
      const size_t worst = now[n - 1 - e];
      pop[worst] = elites[e];
      fit[worst] = elite_fit[e];
    }
    record(g);
  }
  return result;
}

namespace {

// J'J and J'e at once (J'J symmetric, lower triangle filled then mirrored).
void normal_equations(const std::vector<double>& jac, const std::vector<double>& e, size_t p, std::vector<double>& jj,
                      std::vector<double>& je) {
  jj.assign(p * p, 0.0);
  je.assign(p, 0.0);
  for (size_t r = 0; r < e.size(); ++r) {
    const double* j = jac.data() + r * p;
    for (size_t a = 0; a < p; ++a) {
      je[a] += j[a] * e[r];
      const double ja = j[a];
      if (ja == 0) continue;
      double* row = jj.data() + a * p;
      for (size_t b = 0; b <= a; ++b) row[b] += ja * j[b];
    }
  }
  for (size_t a = 0; a < p; ++a)
    for (size_t b = 0; b < a; ++b) jj[b * p + a] = jj[a * p + b];
}

}  // namespace

bool lm_step(const std::vector<double>& jac, const std::vector<double>& e, size_t p, double mu, std::vector<double>& dx) {
  std::vector<double> jj, je;
  normal_equations(jac, e, p, jj, je);
  for (size_t a = 0; a < p; ++a) jj[a * p + a] += mu;
  if (!solve_spd(std::move(jj), std::move(je), p, dx)) return false;
  for (double& v : dx) v = -v;
  return true;
}

LmResult train_levenberg_marquardt(Mlp& net, const Samples& train, const Samples* val, const LmOptions& o) {
  const size_t p = net.parameter_count();
  const double n = static_cast<double>(std::max<size_t>(1, train.rows()));
  const bool has_val = val != nullptr && val->rows() > 0;
  std::vector<double> e, jac, jj, je, step;
  LmResult result;
  double mu = o.mu;
  net.residuals_and_jacobian(train, e, jac);
  normal_equations(jac, e, p, jj, je);
  auto mse_of = [&](const std::vector<double>& r) {
    double s = 0;
    for (double v : r) s += v * v;
    return s / n;
  };
  auto gradient_of = [&] {  // |d MSE / dx| = 2 |J'e| / n
    double s = 0;
    for (double v : je) s += v * v;
    return 2.0 * std::sqrt(s) / n;
  };
  double perf = mse_of(e);
  double vperf = has_val ? net.mse(*val) : std::nan("");
  double best_vperf = vperf;
  std::vector<double> best = net.parameters();
  int fails = 0;
  result.history.push_back({0, perf, vperf, mu, gradient_of()});
  for (int epoch = 0;; ++epoch) {
    const double gradient = gradient_of();
    if (perf <= o.goal) result.stop_reason = "performance goal met";
    else if (mu > o.mu_max) result.stop_reason = "maximum mu reached";
    else if (gradient <= o.min_grad) result.stop_reason = "minimum gradient reached";
    else if (epoch >= o.epochs) result.stop_reason = "maximum epoch reached";
    else if (has_val && fails >= o.max_fail) result.stop_reason = "validation stop";
    if (!result.stop_reason.empty()) break;

    std::vector<double>& x = net.parameters();
    const std::vector<double> x0 = x;
    bool moved = false;
    while (mu <= o.mu_max) {
      std::vector<double> a = jj;
      for (size_t i = 0; i < p; ++i) a[i * p + i] += mu;
      if (solve_spd(std::move(a), je, p, step)) {
        for (size_t i = 0; i < p; ++i) x[i] = x0[i] - step[i];
        const double perf2 = net.mse(train);
        if (perf2 < perf) {
          perf = perf2;
          mu = std::max(mu * o.mu_dec, 1e-20);
          moved = true;
          break;
        }
      }
      mu *= o.mu_inc;
    }
    if (!moved) x = x0;
    net.residuals_and_jacobian(train, e, jac);
    normal_equations(jac, e, p, jj, je);
    if (has_val) {
      vperf = net.mse(*val);
      if (vperf < best_vperf) {
        best_vperf = vperf;
        best = net.parameters();
        result.best_epoch = epoch + 1;
        fails = 0;
      } else if (vperf > best_vperf) {
        ++fails;
      }
    } else {
      result.best_epoch = epoch + 1;
    }
    result.history.push_back({epoch + 1, perf, vperf, mu, gradient_of()});
  }
  if (has_val) net.set_parameters(best);
  return result;
}

}  // namespace alloyml::classical
