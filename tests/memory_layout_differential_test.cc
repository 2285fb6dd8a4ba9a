// Where results live in memory, Ember against LibTorch 1.13: for tensors of
// every kind of layout (transposed, permuted, narrowed so not dense, expanded,
// size-1 dims with odd strides, empty, channels-last), the sizes and strides
// of what each op makes must be LibTorch's, and so must view()'s refusal of
// the ones it cannot view. LibTorch keeps a result in its inputs' dim order;
// code that calls view() or reads strides() depends on it.
#include <torch/torch.h>

#include <functional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "autograd/autograd.h"
#include "gtest/gtest.h"
#include "tensor/tensor.h"
#include "tests/differential.h"

namespace {

struct TorchLib : differential::TorchLib {
  using Format = at::MemoryFormat;
  static Tensor arange(int64_t n) { return torch::arange(n, torch::kFloat); }
  static Tensor ones(std::vector<int64_t> s) { return torch::ones(s); }
  static Tensor empty(std::vector<int64_t> s) { return torch::empty(s); }
  static Tensor channels_last(const Tensor& t) { return t.contiguous(at::MemoryFormat::ChannelsLast); }
  static Tensor clone(const Tensor& t, Format f) { return t.clone(f); }
  static Tensor zeros_like(const Tensor& t) { return torch::zeros_like(t); }
  static Tensor ones_like(const Tensor& t) { return torch::ones_like(t); }
  static Tensor rand_like(const Tensor& t) { return torch::rand_like(t); }
  static Tensor full_like(const Tensor& t) { return torch::full_like(t, 3); }
  static Tensor to_double(const Tensor& t) { return t.to(torch::kDouble); }
  static Tensor cat(const Tensor& a, const Tensor& b) { return torch::cat({a, b}); }
  static Tensor stack(const Tensor& a, const Tensor& b, int64_t dim) { return torch::stack({a, b}, dim); }
  static void add_out(const Tensor& out, const Tensor& a, const Tensor& b) { torch::add_out(const_cast<Tensor&>(out), a, b); }
  static constexpr Format kContiguous = at::MemoryFormat::Contiguous;
  static constexpr Format kChannelsLast = at::MemoryFormat::ChannelsLast;
};

struct EmberLib : differential::EmberLib {
  using Format = ember::MemoryFormat;
  static Tensor arange(int64_t n) { return ember::arange(n).to(ember::kFloat); }
  static Tensor ones(std::vector<int64_t> s) { return ember::ones(s); }
  static Tensor empty(std::vector<int64_t> s) { return ember::empty(s); }
  static Tensor channels_last(const Tensor& t) { return t.clone(ember::MemoryFormat::ChannelsLast); }
  static Tensor clone(const Tensor& t, Format f) { return t.clone(f); }
  static Tensor zeros_like(const Tensor& t) { return ember::zeros_like(t); }
  static Tensor ones_like(const Tensor& t) { return ember::ones_like(t); }
  static Tensor rand_like(const Tensor& t) { return ember::rand_like(t); }
  static Tensor full_like(const Tensor& t) { return ember::full_like(t, 3); }
  static Tensor to_double(const Tensor& t) { return t.to(ember::kDouble); }
  static Tensor cat(const Tensor& a, const Tensor& b) { return ember::cat({a, b}); }
  static Tensor stack(const Tensor& a, const Tensor& b, int64_t dim) { return ember::stack({a, b}, dim); }
  static void add_out(const Tensor& out, const Tensor& a, const Tensor& b) { ember::add_out(out, a, b); }
  static constexpr Format kContiguous = ember::MemoryFormat::Contiguous;
  static constexpr Format kChannelsLast = ember::MemoryFormat::ChannelsLast;
};

template <class T>
std::string geometry(const T& t) {
  std::ostringstream out;
  out << "sizes [";
  for (int64_t s : t.sizes()) out << s << ",";
  out << "] strides [";
  for (int64_t s : t.strides()) out << s << ",";
  out << "]";
  return out.str();
}

// Each base layout, with a name, made the same way in both libraries.
template <class L>
std::vector<std::pair<std::string, typename L::Tensor>> bases() {
  auto x = L::arange(12).view({3, 4});
  auto big = L::arange(24).view({4, 6});
  auto nchw = L::arange(120).view({2, 3, 4, 5});
  return {
      {"contiguous (3, 4)", x},
      {"transposed (4, 3)", x.t()},
      {"narrowed transpose, not dense", big.t().narrow(0, 0, 4).narrow(1, 0, 3)},
      {"expanded column", L::arange(4).view({4, 1}).expand({4, 3})},
      {"size-1 dim with stride 8", big.t().narrow(1, 0, 1).unsqueeze(2)},
      {"(1, 3) with strides (1, 1)", L::arange(3).view({3, 1}).t()},
      {"permuted 3-d", L::arange(24).view({2, 3, 4}).permute({2, 0, 1})},
      {"permuted, empty", L::ones({2, 0, 3}).permute({2, 0, 1})},
      {"(0, 1)", L::ones({0, 1})},
      {"channels-last", L::channels_last(nchw)},
      {"channels-last, narrowed", L::channels_last(nchw).narrow(3, 0, 2)},
      {"NHWC permute", nchw.permute({0, 2, 3, 1})},
      {"0-dim", L::arange(2).sum()},
      // Not dense and not float: ops that compute in another dtype lay the
      // result out after converting (densely) the input.
      {"bool, size-1 dims, not dense", (L::arange(12).view({1, 3, 1, 4}) > 5).transpose(0, 3).select(0, 3)},
      {"bool, narrowed transpose", (big > 10).t().narrow(0, 0, 4).narrow(1, 0, 3)},
  };
}

// What each op makes of a base `t`: its geometry, or its error's first sentence.
template <class L>
std::vector<std::pair<std::string, std::function<typename L::Tensor(const typename L::Tensor&)>>> ops() {
  using T = typename L::Tensor;
  return {
      {"t * 2", [](const T& t) { return t * 2; }},
      {"t + 1", [](const T& t) { return t + 1; }},
      {"t + t", [](const T& t) { return t + t; }},
      {"t > 0", [](const T& t) { return t > 0; }},
      {"-t", [](const T& t) { return -t; }},
      {"t.exp()", [](const T& t) { return t.exp(); }},
      {"t.relu()", [](const T& t) { return t.relu(); }},
      {"t.pow(2)", [](const T& t) { return t.pow(2); }},
      {"t.pow(2.5)", [](const T& t) { return t.pow(2.5); }},
      {"t.pow(t)", [](const T& t) { return t.pow(t); }},
      {"1 - t", [](const T& t) { return 1 - t; }},
      {"2 / t", [](const T& t) { return 2 / t; }},
      {"t + contiguous", [](const T& t) { return t + L::ones(t.sizes().vec()); }},
      {"contiguous + t", [](const T& t) { return L::ones(t.sizes().vec()) + t; }},
      {"t + last dim", [](const T& t) { return t.dim() ? t + L::ones({t.size(-1)}) : t + 1; }},
      {"t + t.exp() broadcast to a new dim", [](const T& t) { return t.unsqueeze(0) + t.exp(); }},
      {"t.clone()", [](const T& t) { return t.clone(); }},
      {"t.clone(Contiguous)", [](const T& t) { return L::clone(t, L::kContiguous); }},
      {"t.clone(ChannelsLast)", [](const T& t) { return L::clone(t, L::kChannelsLast); }},
      {"t.contiguous()", [](const T& t) { return t.contiguous(); }},
      {"t.to(kDouble)", [](const T& t) { return L::to_double(t); }},
      {"zeros_like", [](const T& t) { return L::zeros_like(t); }},
      {"ones_like", [](const T& t) { return L::ones_like(t); }},
      {"rand_like", [](const T& t) { return L::rand_like(t); }},
      {"full_like", [](const T& t) { return L::full_like(t); }},
      {"t.sum(0, keepdim)", [](const T& t) { return t.dim() ? t.sum({0}, true) : t.sum(); }},
      {"t.mean()", [](const T& t) { return t.mean(); }},
      {"cat", [](const T& t) { return L::cat(t, t); }},
      // Before the last dim, a cat split by a view; at the last, a cat of unsqueezed inputs.
      {"stack at dim 0", [](const T& t) { return L::stack(t, t.exp(), 0); }},
      {"stack at the last dim", [](const T& t) { return L::stack(t, t.exp(), -1); }},
      {"reshape(-1)", [](const T& t) { return t.reshape({-1}); }},
      {"(t * 2).view(-1)", [](const T& t) { return (t * 2).view({-1}); }},
      {"add_out into empty(0)", [](const T& t) {
         T out = L::empty({0});
         L::add_out(out, t, t);
         return out;
       }},
      {"leaf's grad", [](const T& t) {
         T leaf = t.detach().clone().set_requires_grad(true);
         (leaf * leaf).sum().backward();
         return leaf.grad();
       }},
      {"grad of a leaf used through t()", [](const T& t) {
         if (t.dim() != 2) return t;
         T leaf = t.detach().t().clone().set_requires_grad(true);
         (leaf.t() * 2).sum().backward();
         return leaf.grad();
       }},
  };
}

template <class L>
std::vector<std::string> outcomes() {
  std::vector<std::string> out;
  for (const auto& [base_name, base] : bases<L>()) {
    for (const auto& [op_name, op] : ops<L>()) {
      std::string result;
      std::string error = L::error_of([&, &op = op, &base = base] { result = geometry(op(base)); });
      if (!error.empty()) result = "ERROR " + error.substr(0, error.find(". "));
      out.push_back(base_name + ": " + op_name + " -> " + result);
    }
  }
  return out;
}

TEST(MemoryLayoutDifferential, EveryResultHasLibTorchsSizesAndStrides) {
  std::vector<std::string> theirs = outcomes<TorchLib>();
  std::vector<std::string> mine = outcomes<EmberLib>();
  ASSERT_EQ(theirs.size(), mine.size());
  for (size_t i = 0; i < theirs.size(); ++i) {
    if (theirs[i] == mine[i]) continue;
    // An error: LibTorch's first sentence inside Ember's, which adds context.
    const std::string marker = " -> ERROR ";
    size_t t = theirs[i].find(marker), m = mine[i].find(marker);
    if (t != std::string::npos && m != std::string::npos &&
        mine[i].find(theirs[i].substr(t + marker.size())) != std::string::npos) {
      continue;
    }
    ADD_FAILURE() << "\n  LibTorch: " << theirs[i] << "\n  Ember:    " << mine[i];
  }
}

}  // namespace
