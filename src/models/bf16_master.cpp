#include "alloyml/models/bf16_master.h"

#include <mutex>
#include <unordered_map>

namespace alloyml::models {

namespace {

using WeakImpl = c10::weak_intrusive_ptr<c10::TensorImpl, c10::UndefinedTensorImpl>;

struct Slot {
  WeakImpl weight;  // keeps the TensorImpl's address from being reused while the slot exists
  std::shared_ptr<Bf16Master> entry;
};

std::mutex registry_mutex;
std::unordered_map<const c10::TensorImpl*, Slot> registry;

bool keepable(const torch::Tensor& w) {
  return w.defined() && w.scalar_type() == torch::kFloat32 && w.device().is_cpu() && !w.is_sparse() &&
         !w.is_inference() && w.is_non_overlapping_and_dense();
}

bool current(const Bf16Master& e, const torch::Tensor& w) {
  return e.copy.defined() && e.data == w.data_ptr() && e.copy.strides() == w.strides() &&
         e.version == static_cast<int64_t>(w.unsafeGetTensorImpl()->version_counter().current_version());
}

}  // namespace

std::shared_ptr<Bf16Master> bf16_master(const torch::Tensor& w, bool create) {
  if (!keepable(w)) return nullptr;
  std::lock_guard<std::mutex> lock(registry_mutex);
  const auto* key = w.unsafeGetTensorImpl();
  if (auto it = registry.find(key); it != registry.end()) return it->second.entry;
  if (!create) return nullptr;
  for (auto it = registry.begin(); it != registry.end();) it = it->second.weight.expired() ? registry.erase(it) : ++it;
  auto entry = std::make_shared<Bf16Master>();
  registry.emplace(key, Slot{WeakImpl(w.getIntrusivePtr()), entry});
  return entry;
}

void mark_current(Bf16Master& entry, const torch::Tensor& w) {
  entry.data = w.data_ptr();
  entry.version = static_cast<int64_t>(w.unsafeGetTensorImpl()->version_counter().current_version());
}

torch::Tensor bf16_weight(const torch::Tensor& w) {
  const auto entry = bf16_master(w, true);
  if (!entry) return w.to(torch::kBFloat16);
  if (!current(*entry, w)) {
    entry->copy = torch::empty_strided(w.sizes(), w.strides(), w.options().dtype(torch::kBFloat16)).copy_(w);
    mark_current(*entry, w);
  }
  return entry->copy;
}

torch::Tensor hand_over_weight_gradient(const torch::Tensor& w, const torch::Tensor& grad_bf16) {
  const auto laid_out = [&](const torch::Tensor& g, torch::ScalarType dtype) {
    if (g.scalar_type() == dtype && g.strides() == w.strides()) return g;
    return torch::empty_strided(w.sizes(), w.strides(), w.options().dtype(dtype)).copy_(g);
  };
  const auto entry = bf16_master(w, false);
  if (!entry || !entry->optimiser_takes_bf16_gradients) return laid_out(grad_bf16, w.scalar_type());
  // A second backward before the step (accumulated gradients) sums in fp32, not in bf16.
  entry->grad = entry->grad.defined() ? laid_out(entry->grad, torch::kFloat32).add_(grad_bf16)
                                      : laid_out(grad_bf16, torch::kBFloat16);
  return {};
}

}  // namespace alloyml::models
