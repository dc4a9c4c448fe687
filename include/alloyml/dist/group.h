#pragma once
// Data-parallel and spread work across processes, on PyTorch's own distributed engine (c10d):
// a TCPStore for the rendezvous and a Gloo process group for the collectives. A worker learns
// its place from the variables torchrun (and Slurm setups that mimic it) export: RANK,
// WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT; `alloyml-train --nproc N` sets them for N
// local workers (launch.h). Torch-free: tensors go through dist/tensors.h.
//
// Failures: every worker keeps a heartbeat in the store. When a collective fails (a peer's
// connection closed, or nothing arrived within the timeout) the survivors look at the
// heartbeats and throw an Error that names the rank that is gone, or says that all are alive
// and one is stuck.
#include <memory>
#include <string>
#include <vector>

namespace alloyml::dist {

/// Where this process sits in a job.
struct Environment {
  int rank = 0;
  int world_size = 1;
  int local_rank = 0;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  bool distributed() const { return world_size > 1; }
};

/// torchrun's variables; a single process (world size 1) when WORLD_SIZE is absent. A malformed
/// or inconsistent variable is an InputError naming it.
Environment environment();

class Group {
 public:
  /// Joins the job: rank 0 serves the store at MASTER_ADDR:MASTER_PORT, every rank connects to
  /// it and to each other (Gloo over TCP). `timeout_s` bounds the rendezvous and each collective.
  Group(const Environment& env, double timeout_s);
  ~Group();
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;

  int rank() const;
  int size() const;
  bool main() const { return rank() == 0; }

  /// Element-wise sum over all workers, in place (all-reduce).
  void sum(std::vector<double>& values);
  /// Whether any worker passed true.
  bool any(bool flag);
  void barrier();

  /// Every worker's `mine` under `tag`, in rank order, passed through the store. Unlike the
  /// collectives it waits without a deadline for workers still busy (spread work of unequal
  /// length), as long as their heartbeats go on.
  std::vector<std::string> exchange(const std::string& tag, const std::string& mine);

  /// Rethrows a failed collective as an Error that names the worker that is gone.
  [[noreturn]] void fail(const std::string& during, const std::string& cause);

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

/// The job this process belongs to; nullptr when it runs alone.
Group* current();
/// The job when its workers train one network together (data-parallel); nullptr when this
/// process trains alone or trains networks of its own (spread work).
Group* data_parallel();
/// Whether this process writes the files of the network it trains (checkpoints, metrics): rank 0
/// of a data-parallel job, and every process that trains its networks alone.
bool writes_training();
/// Joins the job of `env` (no-op for a single process) and makes it current(); with
/// `data_parallel` its workers train one network together.
void join(const Environment& env, double timeout_s, bool data_parallel);
/// Leaves the job: waits for the other workers, then closes the connections.
void leave();
/// Leaves without waiting for the others (this worker failed).
void abandon();

/// Rank 0, or a process running alone: the one that writes files and prints progress.
bool is_main();
int rank();
int world_size();

/// Whether data-parallel gradients are all-reduced during the backward pass (runtime.dist_overlap).
void set_overlap_backward(bool on);
bool overlap_backward();

/// Seconds this process has spent in collectives (all-reduces, broadcasts, barriers), waiting
/// for slower workers included.
double collective_seconds();

/// Job `index` of `count` independent ones (CV folds, ensemble members, repeats) runs on this
/// worker: index % world size == rank.
bool owns(size_t index);

}  // namespace alloyml::dist
