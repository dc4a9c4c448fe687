#pragma once
// PyTorch weight files without Python: the zip archives `torch.save(model.state_dict())`
// writes (an OrderedDict of tensors rebuilt by torch._utils._rebuild_tensor_v2 from storages
// in data/<key>), TorchScript archives, and checkpoints that wrap a state dict. LibTorch 1.13's
// torch::pickle_load cannot read the first kind, so this reader unpickles them itself.
// Every problem is an InputError naming the file and what is wrong.
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

namespace alloyml::weights {

/// Names and tensors in the order the file lists them.
using StateDict = std::vector<std::pair<std::string, torch::Tensor>>;

/// Reads the state dict in `path`. Unwraps {"state_dict": ...}, {"model": ...} and similar
/// checkpoint wrappers and strips DataParallel's "module." prefix. Tensors are on the CPU.
StateDict read_state_dict(const std::string& path);

/// Checks a torch zip archive (torch.save, TorchScript, or a LibTorch checkpoint) before LibTorch
/// reads it: a zip directory that would make it allocate more than the file justifies, pickles
/// nested too deep, and storage records shorter than the tensors built on them are InputErrors
/// naming the file. LibTorch's own loaders do not check the last.
void check_archive(const std::string& path);

/// Inside a catch block: rethrows the exception in flight as an InputError "CONTEXT (what
/// LibTorch said)" (an InputError as it is; anything not a std::exception unchanged). LibTorch's
/// readers fail on damaged files with c10::Error, torch::jit::ErrorReport or std::runtime_error.
[[noreturn]] void rethrow_as_input_error(const std::string& context);

/// Writes `state` as a zip archive that Python's torch.load reads as an OrderedDict of
/// tensors (contiguous copies; storages are not shared).
void write_state_dict(const std::string& path, const StateDict& state);

}  // namespace alloyml::weights
