#include "alloyml/core/signals.h"

#include <atomic>
#include <csignal>

namespace alloyml {
namespace {
std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int sig) {
  if (g_stop.exchange(true)) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
}
}  // namespace

void install_stop_handlers() {
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
}

bool stop_requested() { return g_stop.load(); }

void set_stop_requested(bool value) { g_stop.store(value); }

}  // namespace alloyml
