#pragma once
// `alloyml-train --nproc N`: N local workers of the same command, as `torchrun --nproc-per-node N`
// would start them, for users without Python. Torch-free.
#include <string>
#include <vector>

namespace alloyml::dist {

/// Runs this executable with `args` (without --nproc) as `n` workers on this machine: RANK,
/// LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR=127.0.0.1 and a free MASTER_PORT,
/// and, unless `args` choose --threads, an equal share of the cores each. Ctrl-C and SIGTERM are
/// passed on to every worker (they stop at the same step and checkpoint). When a worker
/// fails, the others stop by themselves within seconds (they see it gone) or are terminated
/// after `grace_s`. Returns 0, or the exit code of the first worker that failed, named in a
/// message.
int launch_local(int n, const std::vector<std::string>& args, double grace_s = 60);

}  // namespace alloyml::dist
