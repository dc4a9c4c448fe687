// The job's store (c10d TCPStore), its Gloo process group, the heartbeats, and the collectives the
// trainer needs. c10d is exported by Debian's libtorch_cpu; ProcessGroupGloo.hpp declares its
// class only with USE_C10D_GLOO (set for this unit in src/CMakeLists.txt).
#include "alloyml/dist/group.h"
#include "alloyml/dist/tensors.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/utils/tensor_flatten.h>

#include "alloyml/core/error.h"
#include "alloyml/core/text.h"

namespace alloyml::dist {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kBeat = std::chrono::milliseconds(500);
// A worker whose heartbeat has not moved for this long is taken as gone.
constexpr double kSilentSeconds = 3.0;

std::chrono::milliseconds millis(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

// The first line of a library message (Gloo's carry a stack trace after it).
std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

bool is_loopback(const std::string& addr) { return addr == "localhost" || addr.rfind("127.", 0) == 0 || addr == "::1"; }

// Under torchrun the agent already serves a store at MASTER_ADDR:MASTER_PORT, and its workers
// connect to it as clients under the prefix of the current attempt, as PyTorch's own workers do
// (torch.distributed.rendezvous, TORCHELASTIC_USE_AGENT_STORE).
bool agent_store() {
  const char* v = std::getenv("TORCHELASTIC_USE_AGENT_STORE");
  return v && std::string(v) == "True";
}

// The job's store: served by rank 0 (unless torchrun's agent serves it), a client elsewhere.
// `count_in`: the first connection of a worker, which waits for all of them.
c10::intrusive_ptr<c10d::Store> connect_store(const Environment& env, bool serve, bool count_in, double timeout_s) {
  const bool agent = agent_store();
  c10d::TCPStoreOptions o;
  o.port = static_cast<std::uint16_t>(env.master_port);
  o.isServer = serve && !agent;
  if (count_in && !agent) o.numWorkers = static_cast<size_t>(env.world_size);
  o.waitWorkers = count_in && !agent;
  o.timeout = millis(timeout_s);
  auto tcp = c10::make_intrusive<c10d::TCPStore>(env.master_addr, o);
  if (!agent) return tcp;
  const char* attempt = std::getenv("TORCHELASTIC_RESTART_COUNT");
  return c10::make_intrusive<c10d::PrefixStore>("/worker/attempt_" + std::string(attempt ? attempt : "0"), tcp);
}

std::string alive_key(int rank) { return "alloyml/alive/" + std::to_string(rank); }

int env_int(const char* name, int fallback, int lo, int hi) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const long x = std::strtol(v, &end, 10);
  if (*end != '\0' || x < lo || x > hi)
    throw InputError(std::string("environment variable ") + name + "='" + v + "' must be a whole number from " +
                     std::to_string(lo) + " to " + std::to_string(hi));
  return static_cast<int>(x);
}

}  // namespace

Environment environment() {
  Environment e;
  e.world_size = env_int("WORLD_SIZE", 1, 1, 65536);
  if (e.world_size == 1) return e;
  if (!std::getenv("RANK")) throw InputError("WORLD_SIZE is set but RANK is not: a distributed worker needs both (torchrun sets them)");
  e.rank = env_int("RANK", 0, 0, e.world_size - 1);
  e.local_rank = env_int("LOCAL_RANK", 0, 0, 65535);
  if (const char* a = std::getenv("MASTER_ADDR"); a && *a) e.master_addr = a;
  e.master_port = env_int("MASTER_PORT", 29500, 1, 65535);
  return e;
}

struct Group::Impl {
  Environment env;
  double timeout_s = 300;
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> pg;
  std::thread heart;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;

  void beat() {
    // Its own connection: a store client is not shared between threads.
    c10::intrusive_ptr<c10d::Store> mine;
    try {
      mine = connect_store(env, false, false, timeout_s);
    } catch (const std::exception&) {
      return;
    }
    std::unique_lock<std::mutex> lock(mutex);
    while (!stopping) {
      try {
        mine->add(alive_key(env.rank), 1);
      } catch (const std::exception&) {
        return;  // the store is gone (rank 0 ended); the collectives report it
      }
      wake.wait_for(lock, kBeat, [&] { return stopping; });
    }
  }

  // The heartbeat counters of every other worker, or an empty vector when the store is gone.
  std::vector<int64_t> counters(c10d::Store& s) const {
    std::vector<int64_t> v(static_cast<size_t>(env.world_size), 0);
    for (int r = 0; r < env.world_size; ++r) v[static_cast<size_t>(r)] = s.add(alive_key(r), 0);
    return v;
  }

  // Which workers are gone, in words.
  std::string diagnose() const {
    const std::string store_at = env.master_addr + ":" + std::to_string(env.master_port);
    try {
      auto s = connect_store(env, false, false, 5.0);
      const auto before = counters(*s);
      std::this_thread::sleep_for(millis(kSilentSeconds));
      const auto after = counters(*s);
      std::vector<std::string> gone;
      for (int r = 0; r < env.world_size; ++r)
        if (r != env.rank && after[static_cast<size_t>(r)] == before[static_cast<size_t>(r)]) gone.push_back(std::to_string(r));
      if (!gone.empty())
        return (gone.size() == 1 ? "worker rank " + gone[0] + " is gone" : "workers of rank " + alloyml::join(gone) + " are gone") +
               " (no heartbeat for " + fixed(kSilentSeconds, 0) + " s)";
      return "every worker is alive, so one is stuck or far slower than the others (a collective waits at most " +
             fixed(timeout_s, 0) + " s: runtime.dist_timeout_s)";
    } catch (const std::exception&) {
      return "worker rank 0 is gone (it served the job's store at " + store_at + ", which no longer answers)";
    }
  }
};

Group::Group(const Environment& env, double timeout_s) : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  m.env = env;
  m.timeout_s = timeout_s;
  const std::string where = env.master_addr + ":" + std::to_string(env.master_port);
  try {
    m.store = connect_store(env, env.rank == 0, true, timeout_s);
  } catch (const std::exception& e) {
    throw Error("rank " + std::to_string(env.rank) + " of " + std::to_string(env.world_size) + ": " +
                (env.rank == 0 && !agent_store() ? "cannot serve the job's store on " : "cannot reach the job's store at ") + where +
                " within " + fixed(timeout_s, 0) + " s (MASTER_ADDR, MASTER_PORT): " + first_line(e.what()));
  }
  auto opts = c10d::ProcessGroupGloo::Options::create(millis(timeout_s));
  // GLOO_SOCKET_IFNAME picks the network interface as in PyTorch; a loopback master means one machine.
  if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname && *ifname)
    opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(ifname));
  else if (is_loopback(env.master_addr))
    opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
  else
    opts->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
  opts->threads = 1;
  try {
    m.pg = c10::make_intrusive<c10d::ProcessGroupGloo>(m.store, env.rank, env.world_size, opts);
  } catch (const std::exception& e) {
    throw Error("rank " + std::to_string(env.rank) + ": cannot connect to the other workers through Gloo (store " + where +
                "; set GLOO_SOCKET_IFNAME to the network interface they share): " + first_line(e.what()));
  }
  m.heart = std::thread([&m] { m.beat(); });
}

Group::~Group() {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->heart.joinable()) impl_->heart.join();
}

int Group::rank() const { return impl_->env.rank; }
int Group::size() const { return impl_->env.world_size; }

void Group::fail(const std::string& during, const std::string& cause) {
  throw Error("distributed job: " + during + " failed on rank " + std::to_string(rank()) + ": " + impl_->diagnose() +
              ". This worker stops too; continue the run from its last checkpoint with --resume (Gloo: " +
              first_line(cause) + ")");
}

namespace {
std::atomic<double> g_collective_seconds{0};

// Runs a collective: its time counted, its failure named.
template <class F>
void guarded(Group& g, const std::string& during, F&& f) {
  const auto t0 = Clock::now();
  try {
    f();
  } catch (const alloyml::Error&) {
    throw;
  } catch (const std::exception& e) {
    g.fail(during, e.what());
  }
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  for (double cur = g_collective_seconds.load(); !g_collective_seconds.compare_exchange_weak(cur, cur + s);) {
  }
}
}  // namespace

double collective_seconds() { return g_collective_seconds.load(); }

void Group::sum(std::vector<double>& values) {
  if (values.empty()) return;
  auto t = torch::tensor(values, torch::kFloat64);
  dist::sum(*this, t);
  const double* p = t.data_ptr<double>();
  for (size_t i = 0; i < values.size(); ++i) values[i] = p[i];
}

bool Group::any(bool flag) {
  std::vector<double> v{flag ? 1.0 : 0.0};
  sum(v);
  return v[0] > 0;
}

void Group::barrier() {
  guarded(*this, "a barrier", [&] { impl_->pg->barrier()->wait(); });
}

std::vector<std::string> Group::exchange(const std::string& tag, const std::string& mine) {
  auto key = [&](int r) { return "alloyml/x/" + tag + "/" + std::to_string(r); };
  std::vector<std::string> out(static_cast<size_t>(size()));
  guarded(*this, "passing results (" + tag + ")", [&] {
    auto& s = *impl_->store;
    s.set(key(rank()), std::vector<uint8_t>(mine.begin(), mine.end()));
    auto last = impl_->counters(s);
    auto moved = Clock::now();
    for (int r = 0; r < size(); ++r) {
      while (!s.check({key(r)})) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (std::chrono::duration<double>(Clock::now() - moved).count() < kSilentSeconds) continue;
        const auto now = impl_->counters(s);
        for (int q = 0; q < size(); ++q)
          if (q != rank() && now[static_cast<size_t>(q)] == last[static_cast<size_t>(q)] && !s.check({key(q)}))
            fail("waiting for the results of rank " + std::to_string(q) + " (" + tag + ")", "no heartbeat");
        last = now;
        moved = Clock::now();
      }
      const auto v = s.get(key(r));
      out[static_cast<size_t>(r)].assign(v.begin(), v.end());
    }
  });
  return out;
}

// ---- tensors ----

void sum(Group& group, torch::Tensor& tensor) {
  guarded(group, "an all-reduce", [&] {
    std::vector<at::Tensor> v{tensor};
    group.impl().pg->allreduce(v)->wait();
  });
}

void broadcast(Group& group, const std::vector<torch::Tensor>& tensors) {
  // One flat tensor per dtype (parameters are float, num_batches_tracked int64).
  std::map<c10::ScalarType, std::vector<torch::Tensor>> by_type;
  for (const auto& t : tensors)
    if (t.defined() && t.numel() > 0) by_type[t.scalar_type()].push_back(t);
  for (auto& [type, list] : by_type) {
    std::vector<torch::Tensor> dense;
    for (const auto& t : list) dense.push_back(t.contiguous());
    auto flat = torch::utils::flatten_dense_tensors(dense);
    guarded(group, "broadcasting rank 0's weights", [&] {
      std::vector<at::Tensor> v{flat};
      group.impl().pg->broadcast(v)->wait();
    });
    torch::NoGradGuard no_grad;
    const auto parts = torch::utils::unflatten_dense_tensors(flat, dense);
    for (size_t i = 0; i < list.size(); ++i) list[i].copy_(parts[i]);
  }
}

void broadcast_module(Group& group, torch::nn::Module& module) {
  std::vector<torch::Tensor> all = module.parameters(true);
  for (const auto& b : module.buffers(true)) all.push_back(b);
  broadcast(group, all);
}

namespace {
std::atomic<bool> g_overlap{true};
}  // namespace

void set_overlap_backward(bool on) { g_overlap = on; }
bool overlap_backward() { return g_overlap; }

GradientReducer::GradientReducer(Group& group, std::vector<torch::Tensor> parameters, bool overlap, size_t bucket_bytes)
    : group_(group), params_(std::move(parameters)), bucket_of_(params_.size()), offset_(params_.size(), -1),
      overlap_(overlap) {
  // Buckets in reverse registration order: the last layers' gradients are ready first.
  size_t bytes = bucket_bytes;
  for (size_t k = params_.size(); k-- > 0;) {
    const size_t b = static_cast<size_t>(params_[k].numel()) * sizeof(float);
    if (buckets_.empty() || bytes + b > bucket_bytes) {
      buckets_.emplace_back();
      bytes = 0;
    }
    bucket_of_[k] = buckets_.size() - 1;
    buckets_.back().params.push_back(k);
    bytes += b;
  }
  if (overlap_)
    for (size_t k = 0; k < params_.size(); ++k)
      if (params_[k].requires_grad())
        params_[k].register_hook([this, k](const torch::Tensor& grad) { take_gradient(k, grad); });
}

void GradientReducer::begin(double samples) {
  samples_ = samples;
  next_ = 0;
  active_ = true;
  // The job's sample count goes first, in the same order on every worker.
  count_ = torch::tensor({samples}, torch::kFloat64);
  guarded(group_, "averaging gradients", [&] {
    std::vector<at::Tensor> c{count_};
    count_work_ = group_.impl().pg->allreduce(c);
  });
  for (auto& b : buckets_) {
    b.live.clear();
    b.work.reset();
    int64_t n = 0;
    for (size_t k : b.params) {
      offset_[k] = -1;
      if (params_[k].requires_grad()) {  // frozen parameters (transfer learning) are trained by no worker
        b.live.push_back(k);
        offset_[k] = n;
        n += params_[k].numel();
      }
    }
    b.flat = torch::zeros({n}, torch::kFloat32);
    b.pending = b.live.size();
  }
  if (overlap_) launch_ready();  // buckets of frozen parameters only
}

void GradientReducer::take_gradient(size_t param, const torch::Tensor& grad) {
  auto& b = buckets_[bucket_of_[param]];
  if (!active_ || !grad.defined() || offset_[param] < 0 || b.work) return;
  torch::NoGradGuard no_grad;
  b.flat.narrow(0, offset_[param], params_[param].numel()).view(params_[param].sizes()).copy_(grad);
  if (--b.pending == 0) launch_ready();
}

void GradientReducer::launch(Bucket& b) {
  if (!overlap_) {  // gradients are in .grad after backward()
    for (size_t k : b.live) {
      const auto& g = params_[k].grad();
      if (g.defined()) b.flat.narrow(0, offset_[k], g.numel()).view(g.sizes()).copy_(g);
    }
  }
  b.flat.mul_(samples_);
  guarded(group_, "averaging gradients", [&] {
    std::vector<at::Tensor> v{b.flat};
    b.work = group_.impl().pg->allreduce(v);
  });
}

void GradientReducer::launch_ready() {
  while (next_ < buckets_.size() && buckets_[next_].pending == 0) launch(buckets_[next_++]);
}

double GradientReducer::reduce() {
  torch::NoGradGuard no_grad;
  if (!active_) throw Error("GradientReducer::reduce without begin");
  // Buckets still waiting (a parameter without a gradient on this worker: zeros) start now, in order.
  while (next_ < buckets_.size()) launch(buckets_[next_++]);
  guarded(group_, "averaging gradients", [&] {
    count_work_->wait();
    for (auto& b : buckets_)
      if (b.work) b.work->wait();
  });
  active_ = false;
  const double total = count_.item<double>();
  if (total <= 0) throw Error("averaging gradients: no worker had a training image in this step");
  for (auto& b : buckets_) {
    b.flat.div_(total);
    for (size_t k : b.live) {
      auto& p = params_[k];
      auto part = b.flat.narrow(0, offset_[k], p.numel()).view(p.sizes());
      if (p.grad().defined()) p.mutable_grad().copy_(part);
      else p.mutable_grad() = part.clone().to(p.options());
    }
  }
  return total;
}

// ---- the process's job ----

namespace {
std::unique_ptr<Group>& slot() {
  static std::unique_ptr<Group> g;
  return g;
}
bool g_data_parallel = false;
}  // namespace

Group* current() { return slot().get(); }
Group* data_parallel() { return g_data_parallel ? slot().get() : nullptr; }
bool writes_training() { return !data_parallel() || data_parallel()->main(); }

void join(const Environment& env, double timeout_s, bool data_parallel) {
  if (!env.distributed() || slot()) return;
  slot() = std::make_unique<Group>(env, timeout_s);
  g_data_parallel = data_parallel;
}

void leave() {
  auto& g = slot();
  if (!g) return;
  try {
    g->barrier();
  } catch (const std::exception& e) {
    spdlog::warn("{}", e.what());
  }
  g.reset();
}

void abandon() { slot().reset(); }

bool is_main() { return !current() || current()->main(); }
int rank() { return current() ? current()->rank() : 0; }
int world_size() { return current() ? current()->size() : 1; }
bool owns(size_t index) { return static_cast<int>(index % static_cast<size_t>(world_size())) == rank(); }

}  // namespace alloyml::dist
