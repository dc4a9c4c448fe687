#pragma once
// The two optimisers of GA-BP (the straightening paper's section 4): a real-coded genetic
// algorithm that searches the network's initial weights, and Levenberg-Marquardt training with
// the semantics of MATLAB's `trainlm`.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "alloyml/classical/mlp.h"

namespace alloyml::classical {

struct GaOptions {
  int population = 20;
  int generations = 200;
  double crossover = 0.4;  ///< probability that a selected pair is recombined
  double mutation = 0.1;   ///< probability that an individual is mutated
  int elite = 1;           ///< best individuals copied unchanged into the next generation
  double bound = 1.0;      ///< genes start and stay in [-bound, bound]
};

struct GaGeneration {
  int generation = 0;
  double best = 0;  ///< lowest fitness in the generation (never rises with elitism)
  double mean = 0;  ///< mean fitness of the generation
};

struct GaResult {
  std::vector<double> best;
  double best_fitness = 0;
  std::vector<GaGeneration> history;  ///< generation 0 is the initial population
};

/// Minimises `fitness` over vectors of `genes` reals: roulette-wheel selection on 1/fitness,
/// arithmetic crossover, non-uniform mutation (Michalewicz) and elitism, so the best fitness
/// never gets worse from one generation to the next.
GaResult minimize_ga(const std::function<double(const std::vector<double>&)>& fitness, size_t genes,
                     const GaOptions& options, std::uint64_t seed);

struct LmOptions {
  int epochs = 1000;
  double goal = 1e-3;      ///< stop when the training MSE reaches this
  double mu = 1e-3;
  double mu_dec = 0.1;
  double mu_inc = 10;
  double mu_max = 1e10;
  double min_grad = 1e-7;  ///< stop when the gradient norm falls below this
  int max_fail = 6;        ///< stop after this many epochs without a better validation MSE
};

struct LmEpoch {
  int epoch = 0;
  double perf = 0;      ///< training MSE
  double val_perf = 0;  ///< validation MSE (NaN without validation data)
  double mu = 0;
  double gradient = 0;
};

struct LmResult {
  std::vector<LmEpoch> history;  ///< epoch 0 is the starting point
  std::string stop_reason;
  int best_epoch = 0;            ///< the epoch whose weights were kept (best validation)
};

/// One damped Gauss-Newton step dx = -(J'J + mu I)^-1 J'e for residuals e (n) and their
/// Jacobian J (n x p, row-major). Returns false when the damped matrix is not positive definite.
bool lm_step(const std::vector<double>& jacobian, const std::vector<double>& e, size_t p, double mu,
             std::vector<double>& dx);

/// Trains `net` in place with MATLAB `trainlm` semantics: each epoch tries steps with growing mu
/// (times mu_inc) until the training MSE falls, then lowers mu (times mu_dec); stops on the goal,
/// mu_max, min_grad, max_fail validation failures or the epoch limit, and keeps the weights of the
/// best validation epoch when validation data are given.
LmResult train_levenberg_marquardt(Mlp& net, const Samples& train, const Samples* val, const LmOptions& options);

}  // namespace alloyml::classical
