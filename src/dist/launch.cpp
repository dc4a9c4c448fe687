#include "alloyml/dist/launch.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include <spdlog/spdlog.h>

#include "alloyml/core/error.h"
#include "alloyml/core/thread_pool.h"

namespace alloyml::dist {
namespace {

constexpr int kMaxWorkers = 256;
volatile sig_atomic_t g_children = 0;
pid_t g_pids[kMaxWorkers];

extern "C" void pass_on(int sig) {
  for (int i = 0; i < g_children; ++i)
    if (g_pids[i] > 0) ::kill(g_pids[i], sig);
}

// A port the kernel has just handed out on the loopback interface.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw Error("--nproc: cannot open a socket to find a free port");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0;
  ::close(fd);
  if (!ok) throw Error("--nproc: cannot find a free port on 127.0.0.1");
  return ntohs(a.sin_port);
}

std::string describe(int status) {
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  return "ended";
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

}  // namespace

int launch_local(int n, const std::vector<std::string>& args, double grace_s) {
  if (n < 1 || n > kMaxWorkers) throw InputError("--nproc must be from 1 to " + std::to_string(kMaxWorkers));
  if (std::getenv("WORLD_SIZE")) throw InputError("--nproc inside a distributed job (WORLD_SIZE is set): drop one of the two");
  char exe[4096];
  const ssize_t len = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (len <= 0) throw Error("--nproc: cannot find this executable (/proc/self/exe)");
  exe[len] = '\0';
  std::vector<std::string> argv_s{exe};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  if (std::find(args.begin(), args.end(), "--threads") == args.end() &&
      std::none_of(args.begin(), args.end(), [](const std::string& a) { return a.rfind("--threads=", 0) == 0; })) {
    const size_t cores = default_threads();
    argv_s.push_back("--threads");
    argv_s.push_back(std::to_string(std::max<size_t>(1, cores / static_cast<size_t>(n))));
  }
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string port = std::to_string(free_port());

  // Each worker runs in its own process group, so Ctrl-C reaches the launcher alone, which passes
  // it (and SIGTERM) on once: the workers agree on a step, checkpoint and stop. A worker whose
  // launcher dies gets SIGTERM and does the same.
  struct sigaction forward {}, old_int {}, old_term {};
  forward.sa_handler = pass_on;
  ::sigaction(SIGINT, &forward, &old_int);
  ::sigaction(SIGTERM, &forward, &old_term);
  std::fflush(nullptr);
  for (int r = 0; r < n; ++r) {
    const pid_t pid = ::fork();
    if (pid < 0) throw Error("--nproc: fork failed");
    if (pid == 0) {
      ::setpgid(0, 0);
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      ::sigaction(SIGINT, &old_int, nullptr);
      ::sigaction(SIGTERM, &old_term, nullptr);
      ::setenv("RANK", std::to_string(r).c_str(), 1);
      ::setenv("LOCAL_RANK", std::to_string(r).c_str(), 1);
      ::setenv("WORLD_SIZE", std::to_string(n).c_str(), 1);
      ::setenv("LOCAL_WORLD_SIZE", std::to_string(n).c_str(), 1);
      ::setenv("MASTER_ADDR", "127.0.0.1", 1);
      ::setenv("MASTER_PORT", port.c_str(), 1);
      ::execv(exe, argv.data());
      std::fprintf(stderr, "--nproc: cannot start %s: %s\n", exe, std::strerror(errno));
      ::_exit(127);
    }
    g_pids[r] = pid;
    g_children = r + 1;
  }
  spdlog::info("started {} workers (ranks 0-{}) on 127.0.0.1:{}", n, n - 1, port);

  using Clock = std::chrono::steady_clock;
  int running = n, first_failed = -1, first_status = 0;
  bool terminated = false, killed = false;
  Clock::time_point failed_at;
  while (running > 0) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      const int r = static_cast<int>(std::find(g_pids, g_pids + n, pid) - g_pids);
      if (r >= n) continue;
      g_pids[r] = 0;
      --running;
      const int c = exit_code_of(status);
      if (c != 0 && first_failed < 0) {
        first_failed = r;
        first_status = status;
        failed_at = Clock::now();
        if (c != 130) spdlog::error("worker rank {} {}; the other workers stop", r, describe(status));
      }
      continue;
    }
    if (pid < 0 && errno != EINTR) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (first_failed >= 0) {
      const double waited = std::chrono::duration<double>(Clock::now() - failed_at).count();
      if (!terminated && waited > grace_s) {
        spdlog::warn("--nproc: workers still running {:.0f} s after rank {} failed: terminating them", waited, first_failed);
        pass_on(SIGTERM);
        pass_on(SIGTERM);  // the second asks for an immediate stop
        terminated = true;
      } else if (!killed && waited > grace_s + 10) {
        pass_on(SIGKILL);
        killed = true;
      }
    }
  }
  g_children = 0;
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGTERM, &old_term, nullptr);
  if (first_failed >= 0) {
    const int c = exit_code_of(first_status);
    if (c == 130) return c;  // interrupted: the workers said where they checkpointed
    spdlog::error("distributed run failed: worker rank {} {} first{}", first_failed, describe(first_status),
                  c == 2 ? " (bad input: see its message above)" : "; continue the run with --resume");
    return c;
  }
  return 0;
}

}  // namespace alloyml::dist
